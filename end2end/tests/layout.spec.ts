import { test, expect, hydrated } from "./fixtures";

const pages = ["/", "/login", "/register", "/privacy", "/terms", "/portal", "/ops"];

test.describe("phones (375 px)", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  for (const path of pages) {
    test(`no horizontal scroll on ${path}`, async ({ page }) => {
      await page.goto(path);
      await hydrated(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }

  for (const [path, link] of [
    ["/", "隐私政策"],
    ["/portal", "概览"],
  ]) {
    test(`the navigation of ${path} folds behind the menu button`, async ({ page }) => {
      await page.goto(path);
      await hydrated(page);
      const entry = page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: link });
      await expect(entry).toBeHidden();
      await page.getByText("菜单", { exact: true }).click();
      await expect(entry).toBeVisible();
    });
  }
});

test("no horizontal scroll at 1440 px", async ({ page }) => {
  for (const path of pages) {
    await page.goto(path);
    await hydrated(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});
