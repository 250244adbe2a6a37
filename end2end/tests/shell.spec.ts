import { test, expect, hydrated, login, DEMO, OPS_STATE } from "./fixtures";

test.describe("server rendering without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the home page renders on the server", async ({ page }) => {
    const res = await page.goto("/");
    expect(res?.status()).toBe(200);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("为平台企业提供合规的灵活用工综合服务");
    await expect(page.locator("#app")).toHaveAttribute("data-hydrated", "false");
    // Data from server functions is rendered in the HTML: the seeded announcement and the
    // operator's contact in the footer (P10.1).
    await expect(page.getByRole("link", { name: "平台服务上线公告" })).toBeVisible();
    await expect(page.locator("footer")).toContainText("privacy@platform.example.com");
  });

  test("the language switch works without JavaScript", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("link", { name: "English" }).click();
    await expect(page).toHaveURL(/\?lang=en$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      "Compliant flexible-work services for platform businesses",
    );
  });
});

test("the page hydrates under the strict Content-Security-Policy", async ({ page }) => {
  const res = await page.goto("/");
  const csp = res?.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{20,}' 'wasm-unsafe-eval'/);
  await hydrated(page);
});

test("the language switch changes the page in place once hydrated", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  // A marker on window survives only if the switch does not reload the page.
  await page.evaluate(() => ((window as any).__noReload = true));
  await page.getByRole("link", { name: "English" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Compliant flexible-work services for platform businesses",
  );
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page).toHaveURL(/\?lang=en$/);
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
  await expect(page.getByRole("link", { name: "The platform is open" })).toBeVisible();

  // Navigation keeps the language.
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Privacy policy" }).click();
  await expect(page).toHaveURL(/\/privacy\?lang=en$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Privacy policy");

  // And back to Chinese.
  await page.getByRole("link", { name: "中文" }).first().click();
  await expect(page).toHaveURL(/\/privacy$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("隐私政策");
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
  // P2.2: remembering the language is a convenience that needs consent, so the switch sets
  // no cookie; the language lives in the URL.
  // (The visitor refused optional cookies: only that choice is stored.)
  expect((await page.context().cookies()).map((c) => c.name)).toEqual(["esp_consent"]);
});

test.describe("the 404 page", () => {
  test.use({ allowConsole: [/status of 404/] });

  test("an unknown path answers 404 with a way home", async ({ page }) => {
    const res = await page.goto("/no-such-page");
    expect(res?.status()).toBe(404);
    await expect(page.getByTestId("not-found")).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("页面不存在");
    await hydrated(page);
    await page.getByRole("link", { name: "返回首页" }).click();
    await expect(page).toHaveURL(/\/$/);
  });

  test("an unknown announcement answers 404", async ({ page }) => {
    const res = await page.goto("/announcements/00000000000000000000000000000000");
    expect(res?.status()).toBe(404);
    await hydrated(page);
    await expect(page.getByRole("alert")).toHaveText("要找的记录不存在。");
  });
});

test("an announcement opens from the home page", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("link", { name: "平台服务上线公告" }).click();
  await expect(page).toHaveURL(/\/announcements\/[0-9a-f]{32}$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("平台服务上线公告");
  await expect(page.getByTestId("announcement")).toContainText("(UTC+8)");
});

for (const [area, path] of [
  ["portal", "/portal"],
  ["console", "/ops"],
] as const) {
  test.describe(`the ${area} shell`, () => {
    if (area === "console") test.use({ storageState: OPS_STATE });
    test("shows only existing areas", async ({ page }) => {
      if (area === "portal") {
        await login(page, DEMO.adminMobile, DEMO.adminPassword);
        await expect(page).toHaveURL(/\/portal$/);
      }
      await page.goto(path);
      await hydrated(page);
      const links = page.getByRole("navigation", { name: "主导航" }).getByRole("link");
      await expect(links.first()).toBeVisible();
      // No dead links: every entry leads to a page that exists (with this login's cookies).
      for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")!))) {
        const res = await page.request.get(href, { maxRedirects: 0 });
        expect(res.status(), href).toBe(200);
      }
    });
  });
}
