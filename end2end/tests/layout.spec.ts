import { test, expect, hydrated, login, DEMO, OPS_STATE } from "./fixtures";
import type { Page } from "@playwright/test";

const publicPages = ["/", "/login", "/register", "/privacy", "/terms", "/ops/login"];
const portalPages = [
  "/portal",
  "/portal/business",
  "/portal/account",
  "/portal/funds",
  "/portal/funds/topups",
  "/portal/funds/orders",
  "/portal/funds/transfers",
  "/portal/funds/flow",
  "/portal/funds/bills",
];
const consolePages = ["/ops", "/ops/operators", "/ops/audit", "/ops/funds", "/ops/funds/transfers", "/ops/funds/payouts"];

async function overflow(page: Page, path: string) {
  await page.goto(path);
  await hydrated(page);
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test.describe("phones (375 px)", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("no horizontal scroll on the public pages", async ({ page }) => {
    for (const path of publicPages) expect(await overflow(page, path), path).toBeLessThanOrEqual(0);
  });

  test("no horizontal scroll in the portal", async ({ page }) => {
    await login(page, DEMO.adminMobile, DEMO.adminPassword);
    await expect(page).toHaveURL(/\/portal$/);
    for (const path of portalPages) expect(await overflow(page, path), path).toBeLessThanOrEqual(0);
  });

  test("the home navigation folds behind the menu button", async ({ page }) => {
    await page.goto("/");
    await hydrated(page);
    const entry = page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "隐私政策" });
    await expect(entry).toBeHidden();
    await page.getByText("菜单", { exact: true }).click();
    await expect(entry).toBeVisible();
  });

  test("the portal navigation folds behind the menu button, logout stays reachable", async ({ page }) => {
    await login(page, DEMO.adminMobile, DEMO.adminPassword);
    await expect(page).toHaveURL(/\/portal$/);
    await hydrated(page);
    const entry = page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "账号设置" });
    await expect(entry).toBeHidden();
    await expect(page.getByTestId("logout")).toBeVisible();
    await page.getByText("菜单", { exact: true }).click();
    await expect(entry).toBeVisible();
  });
});

test.describe("console at 375 px", () => {
  test.use({ viewport: { width: 375, height: 740 }, storageState: OPS_STATE });
  test("no horizontal scroll in the console", async ({ page }) => {
    for (const path of consolePages) expect(await overflow(page, path), path).toBeLessThanOrEqual(0);
  });
});

test("no horizontal scroll at 1440 px", async ({ page }) => {
  for (const path of publicPages) expect(await overflow(page, path), path).toBeLessThanOrEqual(0);
  await login(page, DEMO.adminMobile, DEMO.adminPassword);
  await expect(page).toHaveURL(/\/portal$/);
  for (const path of portalPages) expect(await overflow(page, path), path).toBeLessThanOrEqual(0);
});
