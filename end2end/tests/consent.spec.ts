import { test, expect, hydrated, DEMO } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import type { BrowserContext, Page } from "@playwright/test";

// These tests are about the banner: they start as first-time visitors.
test.use({ consented: false });

async function cookieNames(context: BrowserContext) {
  return (await context.cookies()).map((c) => c.name);
}

async function loginApi(page: Page) {
  const res = await page.request.post("/api/login", {
    headers: { accept: "application/json" },
    form: { login: DEMO.adminMobile, password: DEMO.adminPassword },
  });
  expect(res.status()).toBeLessThan(400);
}

test("P2.2: a first visit shows the banner and sets nothing optional; rejecting keeps it so", async ({ page, context }) => {
  await page.goto("/");
  await hydrated(page);
  const banner = page.getByTestId("cookie-banner");
  await expect(banner).toBeVisible();
  await expect(banner).toHaveAttribute("role", "dialog");
  await expect(banner).toHaveAttribute("aria-modal", "true");
  expect(await cookieNames(context)).toEqual([]);
  await banner.getByTestId("cookie-reject").click();
  await expect(banner).toBeHidden();
  expect(await cookieNames(context)).toEqual(["esp_consent"]);
  await loginApi(page);
  expect((await cookieNames(context)).sort()).toEqual(["esp_consent", "esp_session"]);
  await page.reload();
  await expect(page.getByTestId("cookie-banner")).toHaveCount(0);
});

test("P2.2: accepting sets the convenience cookie at login, and withdrawing deletes it", async ({ page, context }) => {
  await page.goto("/login");
  await hydrated(page);
  await page.getByTestId("cookie-accept").click();
  await expect(page.getByTestId("cookie-banner")).toBeHidden();
  await loginApi(page);
  expect(await cookieNames(context)).toContain("esp_login");
  // The login page now fills in the remembered name.
  await page.goto("/login");
  await expect(page.getByLabel("手机号或邮箱")).toHaveValue(DEMO.adminMobile);

  await page.goto("/cookies");
  await hydrated(page);
  const choice = page.getByTestId("cookie-choice");
  await expect(choice.getByTestId("cookie-convenience")).toBeChecked();
  await choice.getByTestId("cookie-convenience").uncheck();
  await choice.getByTestId("cookie-policy-save").click();
  await expect.poll(() => cookieNames(context)).not.toContain("esp_login");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("P2.2: the banner's buttons are forms that work without JavaScript", async ({ page, context }) => {
    await page.goto("/privacy");
    const banner = page.getByTestId("cookie-banner");
    await expect(banner).toBeVisible();
    await banner.getByTestId("cookie-reject").click();
    await expect(page.getByTestId("cookie-banner")).toHaveCount(0);
    expect(await cookieNames(context)).toEqual(["esp_consent"]);
  });
});

test.describe("with Global Privacy Control", () => {
  test.use({ extraHTTPHeaders: { "Sec-GPC": "1" } });

  test("P2.2: Sec-GPC: 1 means no banner, optional cookies off, recorded as gpc", async ({ page, context }) => {
    await page.goto("/");
    await hydrated(page);
    await expect(page.getByTestId("cookie-banner")).toHaveCount(0);
    const consent = (await context.cookies()).find((c) => c.name === "esp_consent");
    expect(consent?.value).toMatch(/^v1\.[0-9a-f]{32}\.necessary$/);
    await loginApi(page);
    const mine = await (await page.request.post("/api/my_consents", { headers: { accept: "application/json" } })).json();
    const id = consent!.value.split(".")[1];
    const linked = mine.filter((r: { consent_id: string }) => r.consent_id === id);
    expect(linked.map((r: { method: string }) => r.method)).toEqual(["gpc"]);
  });
});

test("P2.2: keyboard only — focus starts in the banner, Tab stays inside, Enter chooses", async ({ page }) => {
  await page.goto("/login");
  await hydrated(page);
  const banner = page.getByTestId("cookie-banner");
  await expect(banner.getByTestId("cookie-accept")).toBeFocused();
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    expect(await banner.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press("Shift+Tab");
  expect(await banner.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  await banner.getByTestId("cookie-reject").focus();
  await page.keyboard.press("Enter");
  await expect(banner).toBeHidden();
});

test("P2: axe-core finds no violations on home, login and the portal, banner included", async ({ page }) => {
  for (const path of ["/", "/login"]) {
    await page.goto(path);
    await hydrated(page);
    const result = await new AxeBuilder({ page }).analyze();
    expect(result.violations.map((v) => `${path}: ${v.id} ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
  }
  await loginApi(page);
  await page.goto("/portal");
  await hydrated(page);
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.violations.map((v) => `/portal: ${v.id} ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
});
