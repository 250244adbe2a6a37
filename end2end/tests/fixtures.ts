import { test as base, expect, Page } from "@playwright/test";

/**
 * Every test fails on any browser console error or uncaught page error. A test that expects
 * a particular error (the 404 page's own status, for example) lists it in `allowConsole`.
 */
type Fixtures = { allowConsole: RegExp[]; consoleGuard: void };

export const test = base.extend<Fixtures>({
  allowConsole: [[], { option: true }],
  consoleGuard: [
    async ({ page, allowConsole }, use) => {
      const problems: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() !== "error") return;
        const text = msg.text();
        if (!allowConsole.some((re) => re.test(text))) problems.push(`console.error: ${text}`);
      });
      page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
      await use();
      expect(problems, "browser console errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Waits until the WASM client has hydrated the server-rendered page. */
export async function hydrated(page: Page) {
  await expect(page.locator("#app")).toHaveAttribute("data-hydrated", "true");
}
