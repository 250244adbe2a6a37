import AxeBuilder from "@axe-core/playwright";
import { test, expect, hydrated, DEMO, OPS_STATE } from "./fixtures";
import type { APIRequestContext, Page } from "@playwright/test";

/**
 * Every page of the product, in both languages: no horizontal scroll at 375 px (phones) and
 * at 1440 px, and no axe-core violation. A page that is added to the product is added here.
 */

const json = { accept: "application/json" };

async function call(request: APIRequestContext, endpoint: string, form: Record<string, string> = {}) {
  const res = await request.post(`/api/${endpoint}`, { headers: json, form });
  expect(res.status(), `${endpoint}: ${await res.text()}`).toBeLessThan(400);
  return res.json();
}

async function adminLogin(request: APIRequestContext) {
  await call(request, "login", { login: DEMO.adminMobile, password: DEMO.adminPassword });
}

/** A paid order of the demo enterprise (for the order and receipt pages). */
async function paidOrder(request: APIRequestContext): Promise<string> {
  const n = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const created = await call(request, "create_order", {
    order_id: `PAGES-${n}`,
    payee_name: "张三",
    id_number: "11010519491231002X",
    channel: "bank",
    account: "6222021234561234",
    mobile: "13800000001",
    amount: "1.00",
    remark: "",
    project: "",
  });
  const id: string = created.order.id;
  await expect
    .poll(async () => (await call(request, "get_order", { id })).status, { timeout: 20_000 })
    .toBe("paid");
  return id;
}

const publicPages = ["/", "/login", "/forgot-password", "/register", "/privacy", "/terms", "/cookies", "/privacy/versions/1.0", "/terms/versions/1.0", "/ops/login"];
const portalPages = [
  "/portal",
  "/portal/business",
  "/portal/business/members",
  "/portal/business/api",
  "/portal/account",
  "/portal/messages",
  "/portal/messages/preferences",
  "/portal/privacy",
  "/portal/privacy/requests",
  "/portal/privacy/sharing",
  "/portal/funds",
  "/portal/funds/topups",
  "/portal/funds/orders",
  "/portal/funds/transfers",
  "/portal/funds/flow",
  "/portal/funds/bills",
  "/portal/finance/invoices",
  "/portal/finance/profile",
  "/portal/finance/stats",
  "/portal/tasks",
  "/portal/tasks/workers",
  "/portal/support",
];
const consolePages = [
  "/ops",
  "/ops/applications",
  "/ops/enterprises",
  "/ops/outbox",
  "/ops/outbox/announcements",
  "/ops/privacy/requests",
  "/ops/privacy/policies",
  "/ops/privacy/agreement",
  "/ops/privacy/incidents",
  "/ops/privacy/sharing",
  "/ops/privacy/sharing/payout_channel",
  "/ops/privacy/disclosures",
  "/ops/privacy/transfers",
  "/ops/privacy/retention",
  "/ops/stats",
  "/ops/operators",
  "/ops/audit",
  "/ops/funds",
  "/ops/funds/transfers",
  "/ops/funds/payouts",
  "/ops/invoices",
  "/ops/applications/taxpayer-ids",
  "/ops/tasks",
  "/ops/support",
];

function inLang(path: string, lang: "zh-CN" | "en") {
  if (lang === "zh-CN") return path;
  return path.includes("?") ? `${path}&lang=en` : `${path}?lang=en`;
}

async function overflow(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Opens every page in `lang`; checks the width and, with `axe`, accessibility. */
async function walk(page: Page, paths: string[], lang: "zh-CN" | "en", axe: boolean) {
  const problems: string[] = [];
  {
    for (const path of paths) {
      const url = inLang(path, lang);
      const res = await page.goto(url);
      expect(res?.status(), url).toBeLessThan(400);
      await hydrated(page);
      await expect(page.locator("html")).toHaveAttribute("lang", lang);
      // Settled: no data still loading (a busy loader is dimmed while it reloads).
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
      const wide = await overflow(page);
      if (wide > 0) problems.push(`${url}: ${wide} px wider than the screen`);
      if (axe) {
        const result = await new AxeBuilder({ page }).analyze();
        for (const v of result.violations) problems.push(`${url}: ${v.id} ${v.nodes.map((n) => n.target).join(" ")}`);
      }
    }
  }
  expect(problems).toEqual([]);
}

for (const [name, width, axe] of [
  ["phones (375 px), with axe-core", 375, true],
  ["desktops (1440 px)", 1440, false],
] as const) {
  for (const lang of ["zh-CN", "en"] as const) {
    test.describe(`every page on ${name}, in ${lang}`, () => {
      test.use({ viewport: { width, height: 800 } });
      test.describe.configure({ timeout: 120_000 });

      test("public pages", async ({ page, playwright, baseURL }) => {
        // An invitation for the invitee's page, made by the admin in a context of their own.
        const admin = await playwright.request.newContext({ baseURL });
        await adminLogin(admin);
        const n = String(Math.floor(Math.random() * 9e7) + 1e7);
        const created = await call(admin, "invite_member", { name: "页面", mobile: `136${n}`, email: `pages${n}@example.com`, role: "member" });
        await admin.dispose();
        const announcements = await call(page.request, "announcements", { limit: "1" });
        const invite = new URL(created.link).pathname;
        const unsubscribe = `/unsubscribe/${"0".repeat(32)}.${"0".repeat(64)}`;
        await walk(page, [...publicPages, `/announcements/${announcements[0].id}`, invite, unsubscribe], lang, axe);
      });

      test.describe("the 404 page", () => {
        test.use({ allowConsole: [/status of 404/] });
        test("shows in the page's language", async ({ page }) => {
          const res = await page.goto(inLang("/no-such-page", lang));
          expect(res?.status()).toBe(404);
          await hydrated(page);
          await expect(page.locator("html")).toHaveAttribute("lang", lang);
          await expect(page.getByTestId("not-found-other")).toHaveAttribute("lang", lang === "en" ? "zh-CN" : "en");
          expect(await overflow(page)).toBeLessThanOrEqual(0);
          if (axe) expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
        });
      });

      test("portal pages", async ({ page }) => {
        await adminLogin(page.request);
        const order = await paidOrder(page.request);
        const ticket = await call(page.request, "open_ticket", { key: `pages-${lang}-${axe}`, category: "other", subject: "页面检查", body: "页面检查的工单" });
        await walk(page, [...portalPages, `/portal/funds/orders/${order}`, `/portal/funds/orders/${order}/receipt`, `/portal/support/${ticket}`], lang, axe);
      });

      test.describe("console", () => {
        test.use({ storageState: OPS_STATE });
        test("console pages", async ({ page }) => {
          const queue = await call(page.request, "review_queue", {});
          const enterprises = await call(page.request, "list_enterprises", {});
          const extra = [`/ops/enterprises/${enterprises[0].id}`];
          if (queue.length > 0) extra.push(`/ops/applications/${queue[0].id}`);
          const tickets = await call(page.request, "support_queue", { status: "" });
          if (tickets.tickets.length > 0) extra.push(`/ops/support/${tickets.tickets[0].id}`);
          await walk(page, [...consolePages, ...extra], lang, axe);
        });
      });
    });
  }
}
