import { test, expect, hydrated, DEMO, totp, clockURL, advanceClock, consentCookie, login } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

// P9 on the server with a movable clock: its data and time are this file's own.
test.use({ baseURL: clockURL });

/** The first day (China time) a material change may take effect: 7 full days from now. */
function earliestMaterialDate(): string {
  const day = 86_400_000;
  const china = Date.now() + 7 * day + 8 * 3_600_000;
  const start = Math.floor(china / day) * day;
  return new Date(start < china ? start + day : start).toISOString().slice(0, 10);
}

async function axeClean(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.violations.map((v) => `${what}: ${v.id} ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
}

async function opsLoginApi(page: Page) {
  const json = { accept: "application/json" };
  let res = await page.request.post("/api/ops_login", {
    headers: json,
    form: { login: DEMO.operatorLogin, password: DEMO.operatorPassword },
  });
  expect(res.status()).toBeLessThan(400);
  // Codes by this server's clock, which the dated tests move forward.
  const now = Date.parse(await (await page.request.post(`${clockURL}/dev/clock/advance?days=0`)).text());
  for (const offset of [0, 30_000, 60_000]) {
    res = await page.request.post("/api/ops_totp", { headers: json, form: { code: totp(DEMO.operatorTotpSecret, now + offset) } });
    if (res.status() < 400) break;
  }
  expect(res.status(), await res.text()).toBeLessThan(400);
}

test.describe.configure({ mode: "serial" });

test.describe("P9: a material policy change", () => {
  // A portal page asks for its data while the shell redirects a user who has not accepted
  // the new version: the server refuses those calls (403), which is the point.
  test.use({ allowConsole: [/status of 403/] });

  test("is drafted and scheduled by the privacy officer, announced before, accepted after", async ({ page, browser }) => {
    test.setTimeout(90_000);
    // The officer drafts version 1.1 from the version in force.
    await opsLoginApi(page);
    await page.goto("/ops/privacy/policies");
    await hydrated(page);
    await expect(page.getByTestId("policy-row-privacy-1.0").getByTestId("policy-status")).toHaveText("生效中");
    await page.getByTestId("policy-new-privacy").click();
    await expect(page).toHaveURL(/\/ops\/privacy\/policies\/[0-9a-f]+$/);
    const form = page.getByTestId("policy-draft-form");
    await expect(form.getByLabel("版本号")).toHaveValue("1.1");
    await form.getByTestId("policy-material").check();
    await form.getByLabel("变更摘要（中文）").fill("新增提前通知条款。");
    await form.getByLabel("变更摘要（英文）").fill("Adds the advance-notice clause.");
    const zh = form.getByLabel("正文（中文）");
    await zh.fill(`${await zh.inputValue()}\n\n!! 新增条款：我们会提前通知您。`);
    const en = form.getByLabel("正文（英文）");
    await en.fill(`${await en.inputValue()}\n\n!! Added clause: we tell you in advance.`);
    await form.getByRole("button", { name: "保存草稿" }).click();
    await expect(page.getByTestId("policy-saved")).toBeVisible();
    await expect(page.getByTestId("policy-admin-diff").locator(".diff-added")).toContainText("新增条款：我们会提前通知您。");
    await axeClean(page, "policy editor");

    // Too little notice is refused in the browser (the field's minimum is the server's rule,
    // which the Rust tests check on its own); the earliest allowed date is accepted.
    const schedule = page.getByTestId("policy-schedule-form");
    const date = schedule.getByLabel("生效日期（北京时间 0 点起）");
    await expect(date).toHaveAttribute("min", earliestMaterialDate());
    await date.fill(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10));
    await schedule.getByRole("button", { name: "发布并定于该日生效" }).click();
    expect(await date.evaluate((el: HTMLInputElement) => el.validity.rangeUnderflow)).toBe(true);
    await expect(page).toHaveURL(/\/ops\/privacy\/policies\/[0-9a-f]+$/);
    await schedule.getByLabel("生效日期（北京时间 0 点起）").fill(earliestMaterialDate());
    await schedule.getByRole("button", { name: "发布并定于该日生效" }).click();
    await expect(page).toHaveURL(/\/ops\/privacy\/policies$/);
    await expect(page.getByTestId("policy-row-privacy-1.1").getByTestId("policy-status")).toHaveText("待生效");
    // Every account user's e-mail notice waits in the outbox.
    await page.goto("/ops/outbox");
    await expect(page.getByTestId("outbox")).toContainText("隐私政策将于");
    // This server has no SMTP server or SMS gateway: the development mailbox shows each
    // message in full, as delivered (the main test server delivers for real).
    await expect(async () => {
      await page.goto("/ops/outbox/mailbox");
      await expect(page.getByTestId("mail").filter({ hasText: "隐私政策将于" }).first()).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await axeClean(page, "development mailbox");

    // Before the date: a visitor sees the notice on the home page, with the changes.
    const visitor = await browser.newContext({ baseURL: clockURL });
    await visitor.addCookies(consentCookie(clockURL));
    const home = await visitor.newPage();
    await home.goto("/");
    await hydrated(home);
    await expect(home.getByTestId("policy-notice")).toContainText("1.1");
    await home.getByTestId("policy-notice-changes").click();
    await expect(home).toHaveURL(/\/privacy\/versions\/1\.1#changes$/);
    await expect(home.getByTestId("policy-diff")).toContainText("新增条款：我们会提前通知您。");
    await visitor.close();

    // The admin works as usual, with the notice on every portal page.
    const userContext = await browser.newContext({ baseURL: clockURL });
    await userContext.addCookies(consentCookie(clockURL));
    const user = await userContext.newPage();
    // No script error on the way; the only console errors are the refused calls above.
    const guard: string[] = [];
    user.on("pageerror", (e) => guard.push(e.message));
    user.on("console", (m) => {
      if (m.type() === "error" && !/status of 403/.test(m.text())) guard.push(m.text());
    });
    await login(user, DEMO.adminMobile, DEMO.adminPassword);
    await expect(user).toHaveURL(/\/portal$/);
    await expect(user.getByTestId("policy-notice")).toContainText("1.1");
    await user.goto("/portal/funds");
    await expect(user.getByTestId("balances")).toBeVisible();

    // Eight days later the version is in force. The next portal request asks to accept it.
    await advanceClock(page.request, 8);
    await login(user, DEMO.adminMobile, DEMO.adminPassword);
    await expect(user).toHaveURL(/\/portal\/policy-update$/);
    const update = user.getByTestId("update-privacy");
    await expect(update).toContainText("新增提前通知条款。");
    await expect(update.locator(".important-clauses")).toContainText("新增条款：我们会提前通知您。");
    await axeClean(user, "re-consent page");

    // Declining: business pages are closed, the privacy centre stays.
    await user.getByTestId("policy-decline").click();
    await expect(user).toHaveURL(/\/portal\/privacy$/);
    await expect(user.getByTestId("policy-declined")).toBeVisible();
    await user.goto("/portal/funds");
    await expect(user).toHaveURL(/\/portal\/privacy$/);
    await expect(user.getByTestId("balances")).toHaveCount(0);
    const refused = await user.request.post("/api/funds_overview", { headers: { accept: "application/json" } });
    expect(refused.status()).toBe(403);
    expect((await refused.json()).kind).toBe("policy_not_accepted");

    // Accepting restores them.
    await user.getByRole("link", { name: "查看并确认" }).click();
    await expect(user).toHaveURL(/\/portal\/policy-update$/);
    await user.getByTestId("policy-accept").click();
    await expect(user).toHaveURL(/\/portal$/);
    await user.goto("/portal/funds");
    await expect(user.getByTestId("balances")).toBeVisible();
    await userContext.close();
    expect(guard).toEqual([]);
  });
});

test("P1.2, P6.4: the consent centre lists purposes with their bases; a switch is recorded", async ({ page }) => {
  await login(page, DEMO.adminMobile, DEMO.adminPassword);
  await expect(page).toHaveURL(/\/portal$/);
  await page.goto("/portal/privacy");
  await hydrated(page);
  const personal = page.getByTestId("purpose-personalisation");
  await expect(personal.getByTestId("purpose-state")).toHaveText("已关闭");
  await expect(page.getByTestId("purpose-records").getByTestId("purpose-why")).toContainText("法律要求");
  await expect(page.getByTestId("withdrawal-note")).toContainText("撤回前已进行的处理不受影响");
  // Issue 16 §1 (P1.4): what the platform holds, generated from the data map.
  const mine = page.getByTestId("data-held-person");
  const line = (table: typeof mine, ...texts: string[]) =>
    texts.reduce((rows, text) => rows.filter({ hasText: text }), table.locator("tbody tr"));
  await expect(line(mine, "手机号、邮箱", "账户存续期间", "删除")).not.toHaveCount(0);
  await expect(line(mine, "登录记录", "依《网络安全法》保存 190 天")).not.toHaveCount(0);
  const theirs = page.getByTestId("data-held-enterprise");
  await expect(line(theirs, "身份证号（敏感个人信息）", "依《会计档案管理办法》保存 30 年")).not.toHaveCount(0);
  await axeClean(page, "privacy centre");
  await personal.getByTestId("purpose-toggle-personalisation").click();
  await expect(personal.getByTestId("purpose-state")).toHaveText("已开启");
  await personal.getByTestId("purpose-toggle-personalisation").click();
  await expect(personal.getByTestId("purpose-state")).toHaveText("已关闭");
  const history = page.getByTestId("consent-history");
  await expect(history).toContainText("关闭（撤回同意）");
  await expect(history).toContainText("接受政策");
  // The browser's convenience cookies are switched on the same page; the table follows.
  const cookies = page.getByTestId("purpose-convenience_cookies").getByTestId("purpose-state");
  await expect(cookies).toHaveText("已关闭");
  await page.getByTestId("cookie-convenience").check();
  await page.getByTestId("cookie-policy-save").click();
  await expect(cookies).toHaveText("已开启");
  await expect(history).toContainText("Cookie 选择");
});

test("P10.2: a request's clock turns amber, red, then overdue, on both sides", async ({ page }) => {
  test.setTimeout(60_000);
  const json = { accept: "application/json" };
  const userLogin = async () => {
    const res = await page.request.post("/api/login", { headers: json, form: { login: DEMO.adminMobile, password: DEMO.adminPassword } });
    expect(res.status(), await res.text()).toBeLessThan(400);
  };
  await userLogin();
  const key = `clock-${Date.now()}`;
  const res = await page.request.post("/api/submit_privacy_request", {
    headers: json,
    form: { key, kind: "question", details: "答复期限的测试", channel: "email", password: DEMO.adminPassword },
    maxRedirects: 0,
  });
  expect(res.status(), await res.text()).toBeLessThan(400);
  const mine = await (await page.request.post("/api/my_privacy_requests", { headers: json })).json();
  const id: string = mine.requests[0].id;
  // Until the code is entered, the clock waits.
  await page.goto(`/portal/privacy/requests/${id}`);
  await hydrated(page);
  await expect(page.getByTestId("request-facts").getByTestId("clock-waits")).toBeVisible();
  // The code, from this server's development mailbox (it has no SMTP server), as the officer
  // reads it.
  await opsLoginApi(page);
  let code = "";
  await expect(async () => {
    const mail = await (await page.request.post("/api/dev_mailbox", { headers: json })).json();
    const found = mail.find((m: { recipient: string; body: string }) => m.recipient === DEMO.adminEmail && m.body.includes("个人信息权利请求"));
    code = /验证码为(\d{6})/.exec(found?.body ?? "")?.[1] ?? "";
    expect(code).not.toBe("");
  }).toPass({ timeout: 20_000 });
  const verified = await page.request.post("/api/verify_privacy_request", { headers: json, form: { id, code } });
  expect(verified.status(), await verified.text()).toBeLessThan(400);
  // Days pass; sessions end long before, so each look logs in again.
  for (const [days, text, tone] of [
    [0, "剩余 15 天", "green"],
    [6, "剩余 9 天", "amber"],
    [5, "剩余 4 天", "red"],
    [4, "今天到期", "red"],
    [1, "已逾期 1 天", "overdue"],
  ] as const) {
    if (days) {
      await advanceClock(page.request, days);
      await userLogin();
    }
    await page.goto(`/portal/privacy/requests/${id}`);
    await hydrated(page);
    const badge = page.getByTestId("request-facts").getByTestId("due-badge");
    await expect(badge).toHaveText(text);
    await expect(badge).toHaveAttribute("data-tone", tone);
  }
  // The officer's queue flags it overdue too.
  await opsLoginApi(page);
  await page.goto("/ops/privacy/requests");
  await hydrated(page);
  const row = page.getByTestId("queue-request").filter({ has: page.locator(`a[href*="${id}"]`) });
  await expect(row.getByTestId("due-badge")).toHaveText("已逾期 1 天");
  await axeClean(page, "request queue");
});


// Issue 18 §2 (the agreement's §6): the privacy officer publishes a new version of the worker
// service agreement. Here on the clock server, whose data is this file's own (the other files
// sign workers on version 1.0); the texts to signed workers are proven by the API tests.
test.describe("a new version of the worker service agreement", () => {
  // The stale label is refused by the server (422), which is the point.
  test.use({ allowConsole: [/status of 422/] });

  test("is published; a stale label is named", async ({ page }) => {
    await opsLoginApi(page);
    await page.goto("/ops/privacy/agreement");
    await hydrated(page);
    await expect(page.getByTestId("agreement-version").first()).toHaveAttribute("data-version", "1.0");
    await expect(page.getByTestId("agreement-will-tell")).toContainText("0 名已签约的工人");
    await axeClean(page, "agreement versions");
    const form = page.getByTestId("agreement-form");
    const publish = form.getByRole("button", { name: "发布并短信通知已签约工人" });
    await form.getByLabel("协议版本").fill("1.0");
    await publish.click();
    await expect(form.getByText("版本号须高于已发布的版本")).toBeVisible();
    await expect(page.getByTestId("agreement-version")).toHaveCount(1);
    await form.getByLabel("协议版本").fill("1.1");
    const zh = form.getByLabel("正文（中文）");
    await zh.fill(`${await zh.inputValue()}\n\n九、新增条款：任务验收争议先经平台调解。`);
    const en = form.getByLabel("正文（英文）");
    await en.fill(`${await en.inputValue()}\n\n9. New: disputes over acceptance are first mediated by the platform.`);
    await publish.click();
    await expect(page.getByTestId("agreement-published")).toBeVisible();
    await expect(page.getByTestId("agreement-told")).toHaveText("0");
    const newest = page.getByTestId("agreement-version").first();
    await expect(newest).toHaveAttribute("data-version", "1.1");
    await expect(page.getByTestId("agreement-version")).toHaveCount(2);
    await newest.getByText("阅读协议文本").click();
    await expect(newest).toContainText("新增条款");
    // The same page in English.
    await page.goto("/ops/privacy/agreement?lang=en");
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "Published versions" })).toBeVisible();
    await page.getByTestId("agreement-version").first().getByText("Read the text").click();
    await expect(page.getByTestId("agreement-version").first()).toContainText("9. New: disputes over acceptance");
    await axeClean(page, "agreement versions (en)");
  });
});
