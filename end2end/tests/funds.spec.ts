import { test, expect, hydrated, login, opsLogin, consentCookie, readDownload, DEMO, DEMO_CHECKER, OPS_STATE } from "./fixtures";
import type { Browser, Locator, Page } from "@playwright/test";
import { randomInt } from "node:crypto";

// The funds tests share the demo enterprise's balance: run them one after another.
test.describe.configure({ mode: "serial" });

const unique = () => `${Date.now().toString(36)}${randomInt(1000, 9999)}`;

async function asOperator(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({ storageState: OPS_STATE });
  return ctx.newPage();
}

function csv(name: string, text: string) {
  return { name, mimeType: "text/csv", buffer: Buffer.from(text, "utf-8") };
}

test("P1.1.5: finance imports a top-up, the enterprise pays a batch of three, the simulator settles them (one fails), and the fund flow, bill and receipt show it", async ({ page, browser }) => {
  // Three pages, a statement import, a batch paid by the worker, a receipt checked by a second
  // operator, exports: more than the default 30 s on a busy two-core machine (CI timed out once).
  test.setTimeout(90_000);
  await login(page, DEMO.adminMobile, DEMO.adminPassword);
  await expect(page).toHaveURL(/\/portal$/);
  await page.goto("/portal/funds");
  await hydrated(page);
  const accountNo = (await page.getByTestId("receiving-account-no").textContent())!.trim();
  expect(accountNo).toMatch(/^\d{19}$/);
  await expect(page.getByTestId("balance-chart")).toBeVisible();

  // Finance imports the bank statement with a credit to the enterprise's receiving account.
  const ref = `E2E-${unique()}`;
  const ops = await asOperator(browser);
  await ops.goto("/ops/funds");
  await hydrated(ops);
  await ops
    .getByTestId("upload-statement")
    .locator('input[type="file"]')
    .setInputFiles(csv("statement.csv", `bank_ref,value_date,payer_name,payer_account,receiving_account_no,amount\n${ref},2026-11-29,演示科技有限公司,6225880012345678,${accountNo},"2,000.00"\n`));
  await ops.getByTestId("upload-statement").getByRole("button", { name: "上传" }).click();
  await expect(ops.getByTestId("import-result")).toContainText("入账 1 笔");

  await page.goto("/portal/funds/topups");
  await expect(page.getByTestId("topups")).toContainText(ref);
  await expect(page.getByTestId("topups")).toContainText("¥2,000.00");

  // A batch of three: bank card, Alipay, and a WeChat account the simulator fails.
  const n = unique();
  await page.goto("/portal/funds/orders");
  await hydrated(page);
  const batch = [
    "order_id,payee_name,id_number,channel,account,mobile,amount,remark,project",
    `B-${n}-1,张三,11010519491231002X,bank,6222021234561234,13800000001,100.00,劳务费,E2E`,
    `B-${n}-2,李四,11010519491231002X,alipay,lisi@example.com,13800000002,50.50,劳务费,E2E`,
    `B-${n}-3,王五,11010519491231002X,wechat,oFailE2E${n},13800000003,20,劳务费,E2E`,
  ].join("\n");
  await page.getByTestId("upload-batch").locator('input[type="file"]').setInputFiles(csv(`batch-${n}.csv`, batch));
  await page.getByTestId("upload-batch").getByRole("button", { name: "上传" }).click();
  const row = page.getByTestId("batch-row").filter({ hasText: `batch-${n}.csv` });
  await expect(row).toContainText("待确认");
  await row.getByTestId("confirm-batch").click();
  await expect(row).toContainText("已确认");

  // The payout worker and the simulator settle the orders; the list follows them by itself,
  // without a reload.
  const order = (i: number) => page.getByTestId("order-row").filter({ hasText: `B-${n}-${i}` });
  await page.evaluate(() => ((window as any).__noReload = true));
  await expect(order(1).getByTestId("order-status")).toHaveText("已付款", { timeout: 30_000 });
  await expect(order(2).getByTestId("order-status")).toHaveText("已付款", { timeout: 30_000 });
  await expect(order(3).getByTestId("order-status")).toHaveText("付款失败", { timeout: 30_000 });
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
  await expect(order(1)).toContainText("6222 **** **** 1234");
  await expect(order(1)).toContainText("¥6.00"); // 6% service fee

  // The receipt: printable page and download.
  await order(1).getByRole("link", { name: `B-${n}-1` }).click();
  await hydrated(page);
  await expect(page.getByTestId("order-status")).toHaveText("已付款");
  await expect(page.getByTestId("order-reason")).toHaveCount(0); // not "已付款 付款成功"
  await page.getByTestId("receipt-link").click();
  const receipt = page.getByTestId("receipt");
  await expect(receipt).toContainText("6222 **** **** 1234");
  await expect(receipt).toContainText("¥99.00");
  // It names the payer and the issuing platform, and carries the code the platform checks.
  await expect(receipt).toContainText("演示科技有限公司");
  await expect(receipt).toContainText("综合服务平台运营方（演示）");
  const code = (await receipt.locator("tr", { hasText: "验证码" }).locator("td").textContent())!.trim();
  expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  const reference = (await receipt.locator("tr", { hasText: "平台流水号" }).locator("td").textContent())!.trim();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("receipt-download").click()]);
  expect(download.suggestedFilename()).toBe(`receipt-B-${n}-1.html`);
  // The file itself, as the browser saved it (compressed on the wire, whole on disk).
  const file = await readDownload(download);
  for (const fact of ["演示科技有限公司", "综合服务平台运营方（演示）", "6222 **** **** 1234", "¥99.00", code, reference]) expect(file).toContain(fact);
  expect(file).not.toContain("6222021234561234");

  // Finance checks the receipt's code: genuine; one character changed, not.
  const checker = await asOperator(browser);
  await checker.goto("/ops/funds/payouts");
  await hydrated(checker);
  const check = checker.getByTestId("receipt-check");
  await check.getByLabel("平台流水号").fill(reference);
  await check.getByLabel("验证码").fill(code);
  await check.getByRole("button", { name: "核验" }).click();
  await expect(checker.getByTestId("receipt-genuine")).toContainText("演示科技有限公司");
  await check.getByLabel("验证码").fill((code[0] === "A" ? "B" : "A") + code.slice(1));
  await check.getByRole("button", { name: "核验" }).click();
  await expect(checker.getByTestId("receipt-unknown")).toBeVisible();
  await checker.context().close();

  // The fund flow lists the payment and its fee; the month's bill shows the top-up.
  await page.goto("/portal/funds/flow?category=fee");
  await hydrated(page);
  await expect(page.getByTestId("flow")).toContainText(`B-${n}-1`);
  await expect(page.getByTestId("flow")).not.toContainText(`B-${n}-3`);
  // The CSV export is a real download (not a page of the client-side router), complete
  // although the browser asks for compression, with labels in the page's language beside
  // stable codes.
  const [flowCsv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  expect(flowCsv.suggestedFilename()).toBe("fund-flow.csv");
  const lines = (await readDownload(flowCsv)).split("\n");
  expect(lines[0]).toBe("\ufeff时间(UTC+8),账户,账户代码,类型,类型代码,金额(元),变动后余额(元),业务参考号");
  expect(lines.find((l) => l.includes(`B-${n}-1`))).toContain(",冻结,reserved,服务费,fee,-6.00,");
  await expect(page).toHaveURL(/\/portal\/funds\/flow\?category=fee/);
  await page.goto("/portal/funds/bills");
  await expect(page.getByTestId("bill")).toContainText("期末余额");

  // Finance sees the three payouts in the channel's book.
  await ops.goto("/ops/funds/payouts");
  await hydrated(ops);
  await expect(ops.getByTestId("payout-row").filter({ hasText: "oF" })).toContainText("付款失败 · 户名与账号不符");
  await ops.context().close();
});

test("P1.1.5: the admin asks for a transfer and two finance operators approve it", async ({ page, browser, baseURL }) => {
  await login(page, DEMO.adminMobile, DEMO.adminPassword);
  await expect(page).toHaveURL(/\/portal$/);
  await page.goto("/portal/funds/transfers");
  await hydrated(page);
  const account = page.getByTestId("withdrawal-account");
  await account.getByLabel("户名").fill("演示科技有限公司");
  await account.getByLabel("开户行").fill("中国工商银行福州分行");
  await account.getByLabel("账号").fill("6212 2612 3456 7890");
  // Money leaves to this account: the admin's password again (issue 14).
  await account.getByLabel("当前密码").fill(DEMO.adminPassword);
  await account.getByRole("button", { name: "保存账户" }).click();
  await expect(account).toContainText("6212 **** **** 7890");

  const amount = `${randomInt(10, 99)}.${randomInt(10, 99)}`;
  const request = page.getByTestId("request-transfer");
  await request.getByLabel("金额（元）").fill(amount);
  await request.getByRole("button", { name: "申请转出" }).click();
  const mine = page.getByTestId("transfer-row").filter({ hasText: `¥${amount}` });
  await expect(mine.getByTestId("transfer-status")).toHaveText("待审核");

  const ops = await asOperator(browser);
  await ops.goto("/ops/funds/transfers");
  await hydrated(ops);
  const waiting = ops.getByTestId("transfer-request").filter({ hasText: `¥${amount}` });
  await waiting.getByTestId("approve-transfer").click();
  // Four eyes (issue 14): the first approval only checks it; the same operator cannot give
  // the second.
  await expect(waiting.getByTestId("checked-by")).toContainText("初审：演示运营");
  await expect(waiting).toContainText("待复核");
  await waiting.getByTestId("approve-transfer").click();
  await expect(ops.getByTestId("form-error")).toContainText("需由另一位财务人员复核");
  await ops.context().close();
  await page.reload();
  await expect(mine.getByTestId("transfer-status")).toHaveText("待复核");

  // A second finance operator sends it.
  const checkerContext = await browser.newContext();
  await checkerContext.addCookies(consentCookie(baseURL!));
  const checker = await checkerContext.newPage();
  await opsLogin(checker, DEMO_CHECKER);
  await checker.goto("/ops/funds/transfers");
  await hydrated(checker);
  const second = checker.getByTestId("transfer-request").filter({ hasText: `¥${amount}` });
  await second.getByTestId("approve-transfer").click();
  await expect(second).toContainText("已转出");
  await checkerContext.close();

  await page.reload();
  await expect(mine.getByTestId("transfer-status")).toHaveText("已转出");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("P1.1.5: a payment order is created with the plain form", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("手机号或邮箱").fill(DEMO.adminMobile);
    await page.getByLabel("密码", { exact: true }).fill(DEMO.adminPassword);
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page).toHaveURL(/\/portal/);
    const id = `NJ-${unique()}`;
    await page.goto("/portal/funds/orders");
    const form = page.getByTestId("new-order");
    await form.getByLabel("商户订单号").fill(id);
    await form.getByLabel("收款人姓名").fill("赵六");
    await form.getByLabel("身份证号").fill("11010519491231002X");
    await form.getByLabel("付款渠道").selectOption("alipay");
    await form.getByLabel("收款账号").fill("zhaoliu@example.com");
    await form.getByLabel("手机号").fill("13800000004");
    await form.getByLabel("金额（元）").fill("12.34");
    await form.getByRole("button", { name: "提交订单" }).click();
    await expect(page.getByTestId("order-row").filter({ hasText: id })).toBeVisible();
  });
});

test.describe("bad batch files", () => {
  // The refused upload's 422 is logged by the browser.
  test.use({ allowConsole: [/status of 422/] });

  test("P1.1.5: a bad batch file is refused with its lines, a too-large one before it is sent", async ({ page }) => {
  await login(page, DEMO.adminMobile, DEMO.adminPassword);
  await expect(page).toHaveURL(/\/portal$/);
  await page.goto("/portal/funds/orders");
  await hydrated(page);
  const form = page.getByTestId("upload-batch");
  const file = form.locator('input[type="file"]');
  const bad = [
    "order_id,payee_name,id_number,channel,account,mobile,amount",
    `X-${unique()},张三,11010519491231002X,bank,6222021234561234,13800000001,1.234`,
  ].join("\n");
  await file.setInputFiles(csv("bad.csv", bad));
  let sent = false;
  page.on("request", (r) => {
    if (r.url().includes("/api/upload_batch")) sent = true;
  });
  await form.getByRole("button", { name: "上传" }).click();
  await expect(page.getByTestId("row-errors")).toContainText("第 2 行 · 金额");
  expect(sent).toBe(true);

  sent = false;
  await file.setInputFiles(csv("huge.csv", "x".repeat(3 * 1024 * 1024)));
  await form.getByRole("button", { name: "上传" }).click();
  await expect(form.locator('[data-field-error="file"]')).toContainText("2 MB");
  expect(sent, "refused in the browser").toBe(false);
});
});

/** Fills the console's one-credit form (in English). */
async function fillCredit(card: Locator, ref: string, accountNo: string) {
  await card.getByLabel("Bank reference").fill(ref);
  await card.getByLabel("Value date").fill("2026-11-29");
  await card.getByLabel("Payer", { exact: true }).fill("演示科技有限公司");
  await card.getByLabel("Payer account").fill("6225880012345678");
  await card.getByLabel("Receiving account (the enterprise's)").fill(accountNo);
  await card.getByLabel("Amount (yuan)").fill("300");
}

test("P1.1.5: finance records a credit after seeing whose receiving account it is; the form empties", async ({ page, browser }) => {
  await login(page, DEMO.adminMobile, DEMO.adminPassword);
  await expect(page).toHaveURL(/\/portal$/);
  await page.goto("/portal/funds");
  await hydrated(page);
  const accountNo = (await page.getByTestId("receiving-account-no").textContent())!.trim();

  const ops = await asOperator(browser);
  await ops.goto("/ops/funds?lang=en");
  await hydrated(ops);
  const card = ops.getByTestId("record-credit");
  const ref = `M-${unique()}`;
  await fillCredit(card, ref, accountNo);
  await card.getByRole("button", { name: "Check the receiving account" }).click();
  const outcome = ops.getByTestId("credit-outcome");
  await expect(outcome).toHaveText(/belongs to “演示科技有限公司”/);
  await card.getByTestId("confirm-credit").click();
  await expect(outcome).toHaveText("Recorded: ¥300.00 added to the available balance of “演示科技有限公司”.");
  await expect(card.getByLabel("Bank reference")).toHaveValue("");
  await expect(card.getByTestId("confirm-credit")).toHaveCount(0);
  // The same reference again changes nothing, and says so in words.
  await fillCredit(card, ref, accountNo);
  await card.getByRole("button", { name: "Check the receiving account" }).click();
  await expect(outcome).toHaveText("This bank reference was recorded before with the same details; nothing was added twice.");
  await expect(card.getByTestId("confirm-credit")).toHaveCount(0);
  await ops.context().close();
});

test("P1.1.5: the batch templates download as files, in the page's language", async ({ page }) => {
  await login(page, DEMO.adminMobile, DEMO.adminPassword);
  await expect(page).toHaveURL(/\/portal$/);
  await page.goto("/portal/funds/orders?lang=en");
  await hydrated(page);
  const [plain] = await Promise.all([page.waitForEvent("download"), page.getByTestId("template-csv").click()]);
  expect(plain.suggestedFilename()).toBe("payment-orders-template.csv");
  expect(await readDownload(plain)).toBe("order_id,payee_name,id_number,channel,account,mobile,amount,remark,project\n");
  await page.goto("/portal/funds/orders");
  await hydrated(page);
  const [excel] = await Promise.all([page.waitForEvent("download"), page.getByTestId("template-excel").click()]);
  expect(excel.suggestedFilename()).toBe("payment-orders-template-excel.csv");
  const text = await readDownload(excel);
  expect(text.startsWith("\ufeff商户订单号,姓名,身份证号,")).toBe(true);
  expect(text.endsWith("\r\n")).toBe(true);
});

// Last in this serial file: its 55 orders would otherwise push the other tests' orders off the
// list's first page.
test("P1.1.5: the order list pages by cursor (50, then 更多 → the rest), keeps its header in view, and says when a filter finds nothing, in both languages", async ({ page }) => {
  await login(page, DEMO.adminMobile, DEMO.adminPassword);
  await expect(page).toHaveURL(/\/portal$/);
  await page.goto("/portal/funds/orders");
  await hydrated(page);
  const n = unique();
  const lines = Array.from({ length: 55 }, (_, i) => `P-${n}-${i},张三,11010519491231002X,bank,6222021234561234,13800000001,1.00,劳务费,E2E`);
  const file = `pages-${n}.csv`;
  await page
    .getByTestId("upload-batch")
    .locator('input[type="file"]')
    .setInputFiles(csv(file, ["order_id,payee_name,id_number,channel,account,mobile,amount,remark,project", ...lines].join("\n")));
  await page.getByTestId("upload-batch").getByRole("button", { name: "上传" }).click();
  const batchRow = page.getByTestId("batch-row").filter({ hasText: file });
  await expect(batchRow).toContainText("待确认");

  // The batch's orders: a first page of 50 with a "more" link.
  await batchRow.getByRole("link", { name: file }).click();
  await expect(page).toHaveURL(/batch=/);
  const batchId = new URL(page.url()).searchParams.get("batch")!;
  const rows = page.getByTestId("order-row");
  await expect(rows).toHaveCount(50);
  const ids = async () => rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-order-id")!));
  const first = await ids();

  // A long table scrolls inside its box, and the header stays at the box's top.
  const table = page.getByTestId("orders");
  await table.evaluate((el) => el.scrollTo(0, 600));
  await expect.poll(() => table.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  const box = (await table.boundingBox())!;
  const header = (await table.locator("thead th").first().boundingBox())!;
  expect(Math.abs(header.y - box.y)).toBeLessThanOrEqual(2);

  // The next page has the other five and no further link.
  await page.getByTestId("more").click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(rows).toHaveCount(5);
  await expect(page.getByTestId("more")).toHaveCount(0);
  // Together the two pages hold every order once.
  const all = new Set([...first, ...(await ids())]);
  expect([...all].sort()).toEqual(Array.from({ length: 55 }, (_, i) => `P-${n}-${i}`).sort());

  // A filter that finds nothing says so, in English too.
  await page.goto(`/portal/funds/orders?status=paid&batch=${batchId}&lang=en`);
  await expect(page.getByTestId("orders-empty")).toHaveText("No orders.");
  await page.goto(`/portal/funds/orders?status=paid&batch=${batchId}`);
  await expect(page.getByTestId("orders-empty")).toHaveText("暂无订单。");

  // The batch is cancelled as a whole; its orders go with it.
  await page.goto("/portal/funds/orders");
  await hydrated(page);
  await page.getByTestId("batch-row").filter({ hasText: file }).getByRole("button", { name: "取消批次" }).click();
  await expect(page.getByTestId("batch-row").filter({ hasText: file })).toContainText("已取消");
});
