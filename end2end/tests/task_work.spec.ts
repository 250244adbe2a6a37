import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { test, expect, hydrated, openEnterpriseViaApi, OPS_STATE } from "./fixtures";

/**
 * Completion records and their payment (issue 18 §1–2, P1.1.6): an open task of a funded
 * enterprise; its admin records two workers' work on the task's page (a mistake named first),
 * accepts both, pays them as a batch, confirms the batch under payment orders; the payout
 * worker pays it, and the task shows what was paid, agreeing with the ledger. The worker
 * register lists both workers, numbers masked.
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
  const task = {
    id: "", key: `k${Date.now()}`, intent: "submit", title, description: "盘点门店库存。", category: "配送", city: "福州",
    pay_kind: "per_unit", unit_price: "8.50", units: "200", budget: "", workers: "2", starts_on: day(0), ends_on: day(30),
  };
  const saved = await page.request.post("/api/save_task", { headers: JSON_ACCEPT, form: task });
  expect(saved.status(), await saved.text()).toBe(200);
  const id: string = await saved.json();
  const decided = await ops.post("/api/decide_task", { headers: JSON_ACCEPT, form: { id, decision: "approve", note: "" } });
  expect(decided.status(), await decided.text()).toBe(200);

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
