import { test, expect, hydrated } from "./fixtures";

const pages = ["/", "/login", "/register", "/privacy", "/terms", "/portal", "/ops"];

test.describe("phones (375 px)", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  for (const path of pages) {
    test(`no horizontal scroll on ${path}`, async ({ page }) => {
      await page.goto(path);
      await hydrated(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }

  test("the navigation folds behind the menu button", async ({ page }) => {
    await page.goto("/");
    await hydrated(page);
    const privacy = page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "隐私政策" });
    await expect(privacy).toBeHidden();
    await page.getByText("菜单", { exact: true }).click();
    await expect(privacy).toBeVisible();
  });

  test("the console sidebar folds behind the menu button", async ({ page }) => {
    await page.goto("/portal");
    await hydrated(page);
    const overview = page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "概览" });
    await expect(overview).toBeHidden();
    await page.getByText("菜单", { exact: true }).click();
    await expect(overview).toBeVisible();
  });
});

test("no horizontal scroll at 1440 px", async ({ page }) => {
  for (const path of pages) {
    await page.goto(path);
    await hydrated(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});
