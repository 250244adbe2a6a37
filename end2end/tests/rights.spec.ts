import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext, Browser, Download, Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, expect, hydrated, registerViaApi, deliveredMail, login, opsLogin, consentCookie, openEnterpriseViaApi, OPS_STATE, DEMO_CHECKER, png, creditCode } from "./fixtures";

/**
 * Rights requests (issue 16 §2; P6.3, P6.5, P10.2): a person asks, verifies with the code
 * e-mailed to them, and sees the clock; the privacy officer refuses with one of the policy's
 * reasons; the person reads the reason, the answer and the complaint routes.
 */

/** The newest six-digit code e-mailed to `email`. */
async function codeFor(email: string): Promise<string> {
  const mail = await deliveredMail(email, "验证码");
  const code = /验证码为(\d{6})/.exec(mail.text)?.[1];
  expect(code, mail.text).toBeTruthy();
  return code!;
}

async function axeClean(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.violations.map((v) => `${what}: ${v.id} ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
}

test.describe("a deletion request", () => {
  // The refused steps on the way (a missing situation, a wrong code) are the server's answers.
  test.use({ allowConsole: [/status of (422|409)/] });

test("P6.3, P6.5, P10.2: a deletion request is verified by its code, and the officer refuses it with a reason", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const who = await registerViaApi(page.request);
  await page.goto("/portal/privacy");
  await hydrated(page);
  await page.getByTestId("privacy-requests-link").getByRole("link").click();
  await expect(page).toHaveURL(/\/portal\/privacy\/requests$/);
  await hydrated(page);
  const form = page.getByTestId("new-request");
  // An applicant asks about their own information only.
  await expect(form.getByLabel("请求类型").locator("option[value=closure]")).toHaveCount(0);
  await form.getByLabel("请求类型").selectOption("deletion");
  await form.getByLabel("说明").fill("请删除我的登录记录。");
  await form.getByLabel("验证码发送至").selectOption("email");
  await form.getByLabel("当前密码").fill(who.password);
  // A deletion names one of the five situations.
  await form.getByRole("button", { name: "提交并发送验证码" }).click();
  await expect(form.locator('[data-field-error="ground"]')).not.toBeEmpty();
  await form.getByLabel("删除的理由（隐私政策列出的五种情形）").selectOption("consent_withdrawn");
  await form.getByRole("button", { name: "提交并发送验证码" }).click();
  await expect(page).toHaveURL(/\/portal\/privacy\/requests\/[0-9a-f]{32}$/);
  const id = new URL(page.url()).pathname.split("/").pop()!;
  await hydrated(page);
  await expect(page.getByTestId("code-sent")).toContainText("还可尝试 3 次");
  await expect(page.getByTestId("request-facts").getByTestId("clock-waits")).toBeVisible();
  await expect(page.getByTestId("request-status")).toHaveText("待验证身份");

  // A wrong code costs a try; the right one verifies.
  const code = await codeFor(who.email);
  const verify = page.getByTestId("verify-request");
  await verify.getByLabel("验证码", { exact: true }).fill(code === "000000" ? "111111" : "000000");
  await verify.getByRole("button", { name: "确认", exact: true }).click();
  await expect(verify).toContainText("验证码不正确或已失效");
  await expect(page.getByTestId("code-sent")).toContainText("还可尝试 2 次");
  await verify.getByLabel("验证码", { exact: true }).fill(code);
  await verify.getByRole("button", { name: "确认", exact: true }).click();
  await expect(page.getByTestId("request-status")).toHaveText("待处理");
  const badge = page.getByTestId("request-facts").getByTestId("due-badge");
  await expect(badge).toHaveText("剩余 15 天");
  await expect(badge).toHaveAttribute("data-tone", "green");
  await axeClean(page, "request page");

  // The officer finds it in the queue with its clock, and refuses it with a reason.
  const ops = await browser.newContext({ storageState: OPS_STATE });
  const officer = await ops.newPage();
  await officer.goto("/ops/privacy/requests");
  await hydrated(officer);
  const row = officer.getByTestId("queue-request").filter({ has: officer.locator(`a[href*="${id}"]`) });
  await expect(row.getByTestId("due-badge")).toHaveText("剩余 15 天");
  await expect(row.getByTestId("due-badge")).toHaveAttribute("data-tone", "green");
  await axeClean(officer, "request queue");
  await row.getByRole("link").click();
  await expect(officer).toHaveURL(new RegExp(`/ops/privacy/requests/${id}$`));
  await hydrated(officer);
  await expect(officer.getByTestId("request-details")).toHaveText("请删除我的登录记录。");
  await axeClean(officer, "request review");
  const refuse = officer.getByTestId("refuse-request");
  await refuse.getByLabel("拒绝理由").selectOption("legal_obligation");
  await refuse.getByLabel("答复").fill("登录记录须依《网络安全法》保存至少六个月，期满后自动删除。");
  await refuse.getByRole("button", { name: "拒绝", exact: true }).click();
  await expect(officer.getByTestId("request-status")).toHaveText("已拒绝");
  await expect(officer.getByTestId("refusal-reason")).toContainText("与平台履行法律法规规定的义务相关");
  await ops.close();

  // The person reads the reason, the answer and where to complain; the steps have their times.
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("request-status")).toHaveText("已拒绝");
  await expect(page.getByTestId("refusal-reason")).toContainText("与平台履行法律法规规定的义务相关");
  await expect(page.getByTestId("answer-text")).toContainText("期满后自动删除");
  await expect(page.getByTestId("complaint-routes")).toContainText("12377");
  await expect(page.getByTestId("request-step")).toHaveCount(4);
  await expect(page.getByTestId("request-step").last()).toHaveAttribute("data-action", "refused");
  await expect(page.getByTestId("answered-at")).toBeVisible();
  // And by e-mail (a privacy-request notice cannot be turned off), with the complaint routes.
  const told = await deliveredMail(who.email, "您的“删除信息”请求未能办理");
  expect(told.text).toContain("与平台履行法律法规规定的义务相关");
  expect(told.text).toContain("12377");
});
});

test.describe("a completed deletion", () => {
  // The refused login at the end is the server's answer (401).
  test.use({ allowConsole: [/status of 401/] });

test("P6.3: a deletion the officer completes erases the person: logged out, unable to log in, told what the law keeps and when backups follow", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const who = await registerViaApi(page.request);
  await page.goto("/portal/privacy/requests");
  await hydrated(page);
  const form = page.getByTestId("new-request");
  await expect(form.getByTestId("deletion-hint")).toContainText("停用您的登录账户");
  await form.getByLabel("请求类型").selectOption("deletion");
  await form.getByLabel("删除的理由（隐私政策列出的五种情形）").selectOption("purpose_done");
  const id = await submitAndVerify(page, who);

  await officerCompletes(browser, id, "已按您的请求删除。", async (officer) => {
    await expect(officer.getByTestId("complete-request").getByTestId("deletion-warning")).toContainText("无法撤销");
  });

  // Told by e-mail: what was erased, what the law keeps and for how long, when backups follow.
  const told = await deliveredMail(who.email, "您的“删除信息”请求已答复");
  for (const words of ["已按您的请求删除。", "登录账户已停用", "依《网络安全法》保存", "删除超过 30 天的备份", "12377"]) {
    expect(told.text).toContain(words);
  }
  // Their session ended; their login no longer works.
  await page.goto("/portal/privacy/requests");
  await expect(page).toHaveURL(/\/login/);
  await login(page, who.email, who.password);
  await expect(page.getByTestId("form-error")).toHaveText("账号或密码不正确。");
});
});

/**
 * Sends the filled-in request form with the code going by e-mail, then enters the code on the
 * request's page; the request's id.
 */
async function submitAndVerify(page: Page, who: { email: string; password: string }): Promise<string> {
  const form = page.getByTestId("new-request");
  await form.getByLabel("验证码发送至").selectOption("email");
  await form.getByLabel("当前密码").fill(who.password);
  await form.getByRole("button", { name: "提交并发送验证码" }).click();
  await expect(page).toHaveURL(/\/portal\/privacy\/requests\/[0-9a-f]{32}$/);
  const id = new URL(page.url()).pathname.split("/").pop()!;
  await hydrated(page);
  const verify = page.getByTestId("verify-request");
  await verify.getByLabel("验证码", { exact: true }).fill(await codeFor(who.email));
  await verify.getByRole("button", { name: "确认", exact: true }).click();
  await expect(page.getByTestId("request-status")).toHaveText("待处理");
  return id;
}

/**
 * Opens a fresh enterprise over the API (the application flow is tested on its own): registers,
 * applies, the demo operator approves, and the new admin logs in again in `page`.
 */
const JSON_ACCEPT = { accept: "application/json" };

/**
 * The privacy officer opens request `id` in the console (`before` checks the page first),
 * completes it with `answer`, sees it completed (`after` checks more), and leaves.
 */
async function officerCompletes(
  browser: Browser,
  id: string,
  answer: string,
  before?: (officer: Page) => Promise<void>,
  after?: (officer: Page) => Promise<void>,
) {
  const context = await browser.newContext({ storageState: OPS_STATE });
  const officer = await context.newPage();
  await officer.goto(`/ops/privacy/requests/${id}`);
  await hydrated(officer);
  await before?.(officer);
  const complete = officer.getByTestId("complete-request");
  await complete.getByLabel("答复").fill(answer);
  await complete.getByRole("button", { name: "完成并答复" }).click();
  await expect(officer.getByTestId("request-status")).toHaveText("已完成");
  await after?.(officer);
  await context.close();
}

/** Saves a download and unzips it (Python's zipfile, as a person's unzip tool would); the folder. */
async function unzipDownload(download: Download): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "copy-"));
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  execFileSync("python3", ["-m", "zipfile", "-e", file, join(dir, "out")]);
  return join(dir, "out");
}

test("P6.1: a person asks for a copy, verifies, the officer completes it, and the ZIP downloads with their data as JSON", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const who = await registerViaApi(page.request);
  await page.goto("/portal/privacy/requests");
  await hydrated(page);
  const form = page.getByTestId("new-request");
  await form.getByLabel("请求类型").selectOption("copy");
  const id = await submitAndVerify(page, who);

  // The officer completes it; the copy is built in the background.
  await officerCompletes(browser, id, "您的信息副本已生成，请在 7 天内下载。", undefined, async (officer) => {
    await expect(officer.getByTestId("request-copy")).toBeVisible();
    // Only the requester downloads it.
    await expect(officer.getByTestId("copy-download")).toHaveCount(0);
  });

  // The person comes back to the request: the copy (built in a moment here; a progress bar
  // while it is built) is offered for download.
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("request-status")).toHaveText("已完成");
  const card = page.getByTestId("request-copy");
  await expect(card.getByTestId("copy-ready")).toBeVisible({ timeout: 15_000 });
  await expect(card.getByTestId("copy-ready")).toContainText("可在");
  await axeClean(page, "request with its copy");
  const [download] = await Promise.all([page.waitForEvent("download"), card.getByTestId("copy-download").click()]);
  expect(download.suggestedFilename()).toMatch(/^my-data-\d{4}-\d{2}-\d{2}\.zip$/);
  const out = await unzipDownload(download);
  expect(readdirSync(out)).toEqual(expect.arrayContaining(["index.html", "schema.json", "data", "csv"]));
  const contact = JSON.parse(readFileSync(join(out, "data", "contact.json"), "utf-8"));
  expect(contact.format).toBe("esp-copy/1");
  expect(contact.tables.users.rows[0].email).toBe(who.email);
  const identity = JSON.parse(readFileSync(join(out, "data", "identity.json"), "utf-8"));
  expect(identity.tables.users.rows[0].name).toBeTruthy();
  expect(readFileSync(join(out, "index.html"), "utf-8")).toContain("我的信息副本");
  // And the person was told, by e-mail too.
  const told = await deliveredMail(who.email, "信息副本");
  expect(told.text).toContain("可在");
});

test("P6.2: an admin corrects the enterprise's address and scope with a new licence; the officer applies it and the history shows before and after", async ({ page, browser, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const ops = await playwright.request.newContext({ baseURL, storageState: OPS_STATE });
  const who = await openEnterpriseViaApi(page, ops, `更正测试${Date.now()}有限公司`);
  await ops.dispose();

  // The admin proposes the new values, with the password and the e-mailed code.
  await page.goto("/portal/privacy/requests");
  await hydrated(page);
  const form = page.getByTestId("new-request");
  await form.getByLabel("请求类型").selectOption("correction");
  await form.getByLabel("涉及的信息").selectOption("enterprise");
  await form.getByLabel("注册地址（新）").fill("福州市鼓楼区新地址 88 号");
  await form.getByLabel("经营范围（新）").fill("软件开发；数据处理服务");
  const id = await submitAndVerify(page, who);
  const card = page.getByTestId("request-correction");
  await expect(card.locator('[data-field="registered_address"] [data-testid=correction-before]')).toHaveText("福州市旧地址 1 号");
  await expect(card.locator('[data-field="registered_address"] [data-testid=correction-after]')).toHaveText("福州市鼓楼区新地址 88 号");
  // The address is on the licence: the new one goes with the request.
  const upload = page.getByTestId("upload-correction-licence");
  await upload.locator("input[type=file]").setInputFiles({ name: "新营业执照.png", mimeType: "image/png", buffer: png() });
  await upload.getByRole("button", { name: "上传", exact: true }).click();
  await expect(card.getByTestId("correction-licence")).toBeVisible();
  await axeClean(page, "correction request");

  // The officer sees before and after and the licence, and applies it.
  const seen = (officer: Page) => officer.getByTestId("request-correction");
  await officerCompletes(
    browser,
    id,
    "已核对新的营业执照并更正。",
    async (officer) => {
      await expect(seen(officer).getByTestId("correction-change")).toHaveCount(2);
      await expect(seen(officer).getByTestId("correction-licence")).toHaveAttribute("href", /^\/files\/[0-9a-f]{32}$/);
    },
    async (officer) => {
      await expect(seen(officer).getByTestId("correction-applied")).toHaveCount(2);
    },
  );

  // The business info shows the new values and the history, before and after.
  await page.goto("/portal/business");
  await hydrated(page);
  await expect(page.getByTestId("business-info")).toContainText("福州市鼓楼区新地址 88 号");
  const history = page.getByTestId("business-corrections").getByTestId("correction-record");
  await expect(history).toHaveCount(2);
  await expect(history.filter({ hasText: "注册地址" })).toContainText("福州市旧地址 1 号");
  await expect(history.filter({ hasText: "注册地址" })).toContainText("福州市鼓楼区新地址 88 号");
  await axeClean(page, "business info with corrections");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("P6.5: a question is submitted and verified with plain forms (English)", async ({ page }) => {
    test.setTimeout(60_000);
    const who = await registerViaApi(page.request);
    await page.goto("/portal/privacy/requests?lang=en");
    const form = page.getByTestId("new-request");
    await form.getByLabel("Type").selectOption("question");
    await form.getByLabel("Details").fill("Which of my data do you keep?");
    await form.getByLabel("Send the code to").selectOption("email");
    await form.getByLabel("Current password").fill(who.password);
    await form.getByRole("button", { name: "Submit and send the code" }).click();
    await expect(page).toHaveURL(/\/portal\/privacy\/requests\/[0-9a-f]{32}\?lang=en$/);
    await expect(page.getByTestId("code-sent")).toContainText("3 more tries");
    const verify = page.getByTestId("verify-request");
    await verify.getByLabel("Code", { exact: true }).fill(await codeFor(who.email));
    await verify.getByRole("button", { name: "Confirm", exact: true }).click();
    await expect(page.getByTestId("request-status")).toHaveText("Waiting");
    await expect(page.getByTestId("request-facts").getByTestId("due-badge")).toHaveText("15 days left");
  });
});

test.describe("account closure", () => {
  // The refusal is the server's answer (409).
  test.use({ allowConsole: [/status of 409/] });

  test("P6.3: a closure is refused while the account holds money, goes in once it is transferred out, and the officer's completion ends the admin's login", async ({ page, browser, playwright, baseURL }) => {
    test.setTimeout(150_000);
    const ops = await playwright.request.newContext({ baseURL, storageState: OPS_STATE });
    const name = `注销测试${Date.now()}有限公司`;
    const who = await openEnterpriseViaApi(page, ops, name);
    // ¥100 arrives (finance records the bank credit).
    const overview = await (await page.request.post("/api/funds_overview", { headers: JSON_ACCEPT })).json();
    const credit = {
      bank_ref: `C${Date.now()}`, value_date: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
      payer_name: "付款企业", payer_account: "6225880012345678", receiving_account_no: overview.receiving.account_no, amount: "100", bank_fee: "",
    };
    expect((await ops.post("/api/record_credit", { headers: JSON_ACCEPT, form: credit })).status()).toBe(200);
    const credited = await ops.post("/api/record_credit", { headers: JSON_ACCEPT, form: { ...credit, confirm: "yes" } });
    expect(credited.status(), await credited.text()).toBe(200);

    // Refused at once while the money is there.
    await page.goto("/portal/privacy/requests");
    await hydrated(page);
    let form = page.getByTestId("new-request");
    await form.getByLabel("请求类型").selectOption("closure");
    await form.getByLabel("当前密码").fill(who.password);
    await form.getByRole("button", { name: "提交并发送验证码" }).click();
    await expect(form).toContainText("企业账户仍有可用余额");
    await expect(page).toHaveURL(/\/portal\/privacy\/requests$/);
    await expect(page.getByTestId("my-request").filter({ hasText: "注销企业账户" })).toHaveCount(0);

    // Transferred out to the enterprise's bank account: two finance operators approve it.
    const account = { account_name: name, bank_name: "中国工商银行福州分行", account_no: "6212261234567890", password: who.password };
    expect((await page.request.post("/api/set_withdrawal_account", { headers: JSON_ACCEPT, form: account })).status()).toBe(200);
    const transfer = await (await page.request.post("/api/request_transfer", { headers: JSON_ACCEPT, form: { amount: "100", key: `out-${Date.now()}` } })).json();
    const decide = { id: transfer.id, approve: "true", reason: "" };
    expect((await ops.post("/api/decide_transfer", { headers: JSON_ACCEPT, form: decide })).status()).toBe(200);
    await ops.dispose();
    const checkerContext = await browser.newContext();
    await checkerContext.addCookies(consentCookie(baseURL!));
    const checker = await checkerContext.newPage();
    await opsLogin(checker, DEMO_CHECKER);
    const sent = await checker.request.post("/api/decide_transfer", { headers: JSON_ACCEPT, form: decide });
    expect(sent.status(), await sent.text()).toBe(200);
    await checkerContext.close();

    // Now the closure goes in, is verified, and the officer completes it.
    await page.reload();
    await hydrated(page);
    form = page.getByTestId("new-request");
    await form.getByLabel("请求类型").selectOption("closure");
    const id = await submitAndVerify(page, who);
    await officerCompletes(browser, id, "企业账户已注销。");
    // Every login of the enterprise ended.
    await page.goto("/portal/privacy/requests");
    await expect(page).toHaveURL(/\/login/);
    const told = await deliveredMail(who.email, "您的“注销企业账户”请求已答复");
    expect(told.text).toContain("企业账户已注销。");
  });
});
