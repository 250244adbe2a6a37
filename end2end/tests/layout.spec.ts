import { test, expect, hydrated, login, DEMO } from "./fixtures";

// The width of every page in both languages is checked in `pages.spec.ts`; these tests check
// how the navigation folds on phones.
test.describe("phones (375 px)", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("the home navigation folds behind the menu button", async ({ page }) => {
    await page.goto("/");
    await hydrated(page);
    const entry = page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "隐私政策" });
    await expect(entry).toBeHidden();
    await page.getByText("菜单", { exact: true }).click();
    await expect(entry).toBeVisible();
  });

  for (const lang of ["zh-CN", "en"] as const) {
    test(`the portal's top bar fits in ${lang}: navigation, language and user menu fold behind the menu button`, async ({ page }) => {
      await login(page, DEMO.adminMobile, DEMO.adminPassword);
      await expect(page).toHaveURL(/\/portal$/);
      await page.goto(lang === "en" ? "/portal?lang=en" : "/portal");
      await hydrated(page);
      const menu = page.locator("label.menu-button");
      const names = lang === "en" ? { nav: "Main navigation", account: "Account settings", menu: "Menu" } : { nav: "主导航", account: "账号设置", menu: "菜单" };
      await expect(menu).toHaveText(names.menu);
      // The button's word stays on one line, and the bar is one row high.
      const box = (await menu.boundingBox())!;
      expect(box.height).toBeLessThan(40);
      const bar = (await page.locator(".console-topbar").boundingBox())!;
      expect(bar.width).toBeLessThanOrEqual(375);
      const entry = page.getByRole("navigation", { name: names.nav }).getByRole("link", { name: names.account });
      await expect(entry).toBeHidden();
      await expect(page.getByTestId("logout")).toBeHidden();
      await expect(page.getByRole("link", { name: "English" })).toBeHidden();
      await menu.click();
      await expect(entry).toBeVisible();
      await expect(page.getByTestId("logout")).toBeVisible();
      await expect(page.getByTestId("user-chip")).toBeVisible();
      await expect(page.getByRole("link", { name: lang === "en" ? "中文" : "English" })).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    });
  }
});
