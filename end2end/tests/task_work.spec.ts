import AxeBuilder from "@axe-core/playwright";
import { devices } from "@playwright/test";
import type { APIRequestContext, Page } from "@playwright/test";
import { test, expect, hydrated, openEnterpriseViaApi, consentCookie, smsTo, OPS_STATE } from "./fixtures";

/**
 * Completion records and their payment (issue 18 §1–2, P1.1.6): an open task of a funded
 * enterprise; its admin records two workers' work on the task's page (a mistake named first),
 * accepts both, pays them as a batch, confirms the batch under payment orders; the payout
 * worker pays it, and the task shows what was paid, agreeing with the ledger. The worker
 * register lists both workers, numbers masked. A worker invited from the register signs the
 * service agreement on a phone (375 px, no WASM) with a code sent by text; the enterprise then
 * sees the signature's record.
 */

test.use({ allowConsole: [/status of 422/] });

const JSON_ACCEPT = { accept: "application/json" };
const day = (offset: number) => new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);

async function axeClean(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.violations.map((v) => `${what}: ${v.id} ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
}

test("P1.1.6: record completions, accept them, pay them as a batch, reconciled; the worker register", async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const ops = await playwright.request.newContext({ baseURL, storageState: OPS_STATE });
  const title = `门店盘点${Date.now()}`;
  await openEnterpriseViaApi(page, ops, `完成记录${Date.now()}有限公司`);
  // ¥1,000 in, and an open per-unit task (¥8.50 × 200).
  const overview = await (await page.request.post("/api/funds_overview", { headers: JSON_ACCEPT })).json();
  const credit = {
    bank_ref: `W${Date.now()}`, value_date: day(0), payer_name: "付款企业", payer_account: "6225880012345678",
    receiving_account_no: overview.receiving.account_no, amount: "1000", bank_fee: "",
  };
  expect((await ops.post("/api/record_credit", { headers: JSON_ACCEPT, form: credit })).status()).toBe(200);
  expect((await ops.post("/api/record_credit", { headers: JSON_ACCEPT, form: { ...credit, confirm: "yes" } })).status()).toBe(200);
  const id = await openTask(page, ops, title);

  await page.goto(`/portal/tasks/${id}`);
  await hydrated(page);
  await expect(page.getByTestId("money-budget")).toHaveText("¥1,700.00");
  const form = page.getByTestId("record-completion");
  const fill = async (name: string, idNumber: string, channel: string, account: string, units: string) => {
    await form.getByLabel("收款人姓名").fill(name);
    await form.getByLabel("身份证号").fill(idNumber);
    await form.getByLabel("手机号").fill("13900000011");
    await form.getByTestId("select-channel").selectOption(channel);
    await form.getByLabel("收款账号").fill(account);
    await form.getByLabel("完成数量").fill(units);
    await form.getByRole("button", { name: "登记", exact: true }).click();
  };
  // A wrong check character is named under its field; nothing is recorded.
  await fill("张三", "110105199001011233", "bank", "6222021234561234", "10");
  await expect(form.locator('[data-field-error="id_number"]')).not.toBeEmpty();
  await expect(page.getByTestId("completion-row")).toHaveCount(0);
  await fill("张三", "110105199001011232", "bank", "6222021234561234", "10");
  await expect(page.getByTestId("completion-row")).toHaveCount(1);
  await fill("李四", "32010219850615201X", "alipay", "13900000022", "20");
  const rows = page.getByTestId("completion-row");
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId("money-recorded")).toHaveText("¥255.00");
  await axeClean(page, "task with completions");

  // Acceptance is explicit, row by row.
  for (const name of ["张三", "李四"]) {
    const row = rows.filter({ hasText: name });
    await row.getByTestId("accept-completion").click();
    await expect(row.getByTestId("completion-status")).toHaveText("已验收");
  }
  await expect(page.getByTestId("money-accepted")).toHaveText("¥255.00");

  // Paid as a batch: confirmed under payment orders, paid by the payout worker.
  await page.getByTestId("pay-accepted").click();
  const made = page.getByTestId("batch-made");
  await expect(made).toContainText("¥255.00");
  await made.getByRole("link").click();
  await expect(page).toHaveURL(/\/portal\/funds\/orders\?batch=/);
  await hydrated(page);
  const batch = page.getByTestId("batch-row").filter({ hasText: title });
  await batch.getByTestId("confirm-batch").click();
  // Confirmed before the page is left: leaving earlier would abort the confirmation's request.
  await expect(batch).toContainText("已确认");
  await expect(page.getByTestId("order-row").getByTestId("order-status").first()).toBeVisible();

  await expect(async () => {
    await page.goto(`/portal/tasks/${id}`);
    await expect(page.getByTestId("money-paid")).toHaveText("¥255.00", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await hydrated(page);
  await expect(page.getByTestId("money-reconciled")).toHaveText("与账本一致");
  await expect(rows.getByTestId("completion-payment")).toHaveText(["已付款", "已付款"]);

  // The register: both workers, numbers masked, one per ID number.
  await page.goto("/portal/tasks/workers");
  await hydrated(page);
  const workers = page.getByTestId("worker-row");
  await expect(workers).toHaveCount(2);
  await expect(workers.filter({ hasText: "张三" }).getByTestId("worker-id")).toHaveText("110***********1232");
  await expect(page.locator("body")).not.toContainText("110105199001011232");
  await axeClean(page, "workers");
  await ops.dispose();
});

/** An open task of the enterprise in `page` (per unit ¥8.50 × 200), approved by `ops`. */
async function openTask(page: Page, ops: APIRequestContext, title: string): Promise<string> {
  const task = {
    id: "", key: `k${Date.now()}`, intent: "submit", title, description: "盘点门店库存。", category: "配送", city: "福州",
    pay_kind: "per_unit", unit_price: "8.50", units: "200", budget: "", workers: "2", starts_on: day(0), ends_on: day(30),
  };
  const saved = await page.request.post("/api/save_task", { headers: JSON_ACCEPT, form: task });
  expect(saved.status(), await saved.text()).toBe(200);
  const id: string = await saved.json();
  const decided = await ops.post("/api/decide_task", { headers: JSON_ACCEPT, form: { id, decision: "approve", note: "" } });
  expect(decided.status(), await decided.text()).toBe(200);
  return id;
}

test("P6.1: a worker signs the service agreement on a phone with a code by text; the enterprise sees the record", async ({ page, browser, playwright, baseURL }) => {
  test.setTimeout(180_000);
  const ops = await playwright.request.newContext({ baseURL, storageState: OPS_STATE });
  const company = `签约测试${Date.now()}有限公司`;
  await openEnterpriseViaApi(page, ops, company);
  const task = await openTask(page, ops, `签约任务${Date.now()}`);
  const mobile = `139${String(Date.now()).slice(-8)}`;
  const recorded = await page.request.post("/api/record_completion", {
    headers: JSON_ACCEPT,
    form: { task_id: task, name: "王小明", id_number: "350102199203083010", mobile, channel: "bank", account: "6222021234561234", quantity: "1", milestone: "", amount: "" },
  });
  expect(recorded.status(), await recorded.text()).toBe(200);

  // The enterprise invites the worker from the register.
  await page.goto("/portal/tasks/workers");
  await hydrated(page);
  const row = page.getByTestId("worker-row").filter({ hasText: "王小明" });
  await expect(row.getByTestId("worker-signing")).toHaveText("未签约");
  await row.getByRole("link", { name: "王小明" }).click();
  await expect(page).toHaveURL(/\/portal\/tasks\/workers\/[0-9a-f]+$/);
  await hydrated(page);
  await page.getByTestId("invite-worker").click();
  await expect(page.getByTestId("invited")).toBeVisible();
  await axeClean(page, "worker");
  const text = await smsTo(mobile, "/sign/");
  expect(text).toContain(company.slice(0, 10));
  const link = text.match(/https?:\/\/\S+\/sign\/[0-9a-f]{32}/)![0];

  // The worker's phone: the agreement, a code by text, a wrong code named, then signed.
  const context = await browser.newContext({ ...devices["iPhone 13"], viewport: { width: 375, height: 812 } });
  await context.addCookies(consentCookie(baseURL!));
  const phone = await context.newPage();
  const problems: string[] = [];
  phone.on("console", (m) => { if (m.type() === "error" && !/status of 409/.test(m.text())) problems.push(m.text()); });
  phone.on("pageerror", (e) => problems.push(e.message));
  await phone.goto(link);
  await expect(phone.getByTestId("signing-step")).toHaveAttribute("data-step", "ask");
  await expect(phone.getByTestId("signing-enterprise")).toHaveText(company);
  await expect(phone.getByTestId("agreement")).toContainText("灵活用工服务协议");
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await axeClean(phone, "signing page");
  await phone.getByRole("button", { name: "获取验证码" }).click();
  await expect(phone.getByTestId("code-sent")).toBeVisible();
  const codeText = await smsTo(mobile, "验证码");
  const code = codeText.match(/验证码为(\d{6})/)![1];
  await phone.getByLabel("短信验证码").fill(code === "000000" ? "111111" : "000000");
  await phone.getByTestId("agree").check();
  await phone.getByRole("button", { name: "确认签署" }).click();
  await expect(phone.getByTestId("form-error")).toContainText("验证码不正确");
  await expect(phone.getByTestId("tries-left")).toContainText("4");
  await phone.getByLabel("短信验证码").fill(code);
  await phone.getByTestId("agree").check();
  await phone.getByRole("button", { name: "确认签署" }).click();
  await expect(phone.getByTestId("signing-step")).toHaveAttribute("data-step", "signed");
  await expect(phone.getByTestId("signed-version")).toHaveText("1.0");
  expect(problems).toEqual([]);
  await context.close();

  // The enterprise sees the signature: version, method, truncated address, the phone's browser.
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("worker-signing")).toHaveText("已签约");
  const signature = page.getByTestId("signature-row");
  await expect(signature).toHaveCount(1);
  await expect(signature).toContainText("1.0");
  await expect(signature).toContainText("127.0.0.0/24");
  await expect(signature).toContainText("iPhone");
  await ops.dispose();
});
