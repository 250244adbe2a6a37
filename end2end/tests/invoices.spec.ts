import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext, Browser, Download, Page } from "@playwright/test";
import { test, expect, hydrated, consentCookie, opsLogin, openEnterpriseViaApi, deliveredMail, mailAttachment, mailAPI, OPS_STATE, DEMO_CHECKER, topUp } from "./fixtures";

/**
 * VAT invoices (issue 17, P1.1.4): a new enterprise pays two orders; its admin fills the invoice
 * profile (the taxpayer ID checked as it is typed) and applies; finance issues an electronic
 * invoice with a PDF in the console; the admin downloads it and is told by e-mail, and the
 * receiving address gets the file attached. A paper
 * invoice goes out with its waybill, one application is rejected, and a red-letter reversal is
 * recorded by one finance operator and approved by another. The statistics page adds up.
 */

const JSON_ACCEPT = { accept: "application/json" };
/** A small PDF as an invoice file. */
const PDF = Buffer.from("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
/** Today in China, as a date field takes it. */
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
/** A 20-digit 数电 invoice number, different on every run. */
const number20 = () => `2611${Date.now()}`.padEnd(20, "7").slice(0, 20);

async function readDownload(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Tops the enterprise up with ¥1,000 and pays two orders (¥100 and ¥50, 6 % fee on top). */
async function payTwoOrders(page: Page, ops: APIRequestContext) {
  await topUp(page, ops, "1000");
  for (const [i, amount] of [["1", "100"], ["2", "50"]]) {
    const form = {
      order_id: `INV-${Date.now()}-${i}`, payee_name: "张三", id_number: "11010519491231002X", channel: "bank",
      account: "6222021234561234", mobile: "13800000001", amount, remark: "", project: "",
    };
    const res = await page.request.post("/api/create_order", { headers: JSON_ACCEPT, form });
    expect(res.status(), await res.text()).toBe(200);
  }
  // The payout worker and the simulator settle them.
  await expect(async () => {
    const orders = await (await page.request.post("/api/list_orders", { headers: JSON_ACCEPT, form: { status: "paid", batch: "", cursor: "" } })).json();
    expect(orders.orders.length).toBe(2);
  }).toPass({ timeout: 30_000 });
}

async function asFinance(browser: Browser, baseURL: string, checker = false): Promise<Page> {
  if (!checker) return (await browser.newContext({ storageState: OPS_STATE })).newPage();
  const context = await browser.newContext();
  await context.addCookies(consentCookie(baseURL));
  const page = await context.newPage();
  await opsLogin(page, DEMO_CHECKER);
  return page;
}

/** Finance issues the waiting application of `company` for `amount` in the console. */
async function issue(ops: Page, company: string, amount: string, number: string) {
  await ops.goto("/ops/invoices");
  await hydrated(ops);
  const item = ops.getByTestId("invoice-item").filter({ hasText: company }).filter({ hasText: amount });
  await item.getByTestId("invoice-number").fill(number);
  await item.getByTestId("invoice-date").fill(today());
  await item.locator('input[type="file"]').setInputFiles({ name: "invoice.pdf", mimeType: "application/pdf", buffer: PDF });
  await item.getByRole("button", { name: "开具", exact: true }).click();
  // Issued, it leaves the waiting queue for the issued ones.
  await expect(item).toHaveCount(0);
  await ops.goto("/ops/invoices?status=issued");
  await hydrated(ops);
  const issued = ops.getByTestId("invoice-item").filter({ hasText: company }).filter({ hasText: amount });
  await expect(issued.getByTestId("queue-status")).toHaveText("已开具");
  return issued;
}

test("P1.1.4: an admin fills the profile and applies; finance issues, mails, rejects and reverses; the admin downloads and is told", async ({ page, browser, playwright, baseURL }) => {
  test.setTimeout(150_000);
  const ops = await playwright.request.newContext({ baseURL, storageState: OPS_STATE });
  const company = `开票测试${Date.now()}有限公司`;
  const who = await openEnterpriseViaApi(page, ops, company);
  await payTwoOrders(page, ops);

  // Without a profile, the invoices page says what to do first.
  await page.goto("/portal/finance/invoices");
  await hydrated(page);
  await expect(page.getByTestId("invoiceable")).toHaveText("¥159.00");
  await expect(page.getByTestId("invoice-blocked")).toContainText("请先填写开票信息");

  // The profile: the taxpayer ID is checked as it is typed, with the shared credit-code rule.
  await page.goto("/portal/finance/profile");
  await hydrated(page);
  const profile = page.getByTestId("invoice-profile");
  const id = profile.getByTestId("taxpayer-id");
  await id.fill("91350100M000100Y44");
  await expect(profile.getByTestId("taxpayer-id-check")).toContainText("不是有效的统一社会信用代码");
  await id.fill("91350100M000100Y43");
  await expect(profile.getByTestId("taxpayer-id-check")).toHaveText("统一社会信用代码校验通过。");
  await profile.getByLabel("发票抬头").fill(company);
  await profile.getByLabel("注册地址").fill("福州市鼓楼区测试路 1 号");
  await profile.getByLabel("注册电话").fill("0591-12345678");
  await profile.getByLabel("开户银行").fill("中国工商银行福州分行");
  await profile.getByLabel("银行账号").fill("1402 0012 3456 7890 123");
  await profile.getByLabel("收件人", { exact: true }).fill("王财务");
  await profile.getByLabel("收件人电话").fill("13800000002");
  await profile.getByLabel("邮寄地址").fill("福州市鼓楼区测试路 1 号 8 层");
  await profile.getByLabel(/接收邮箱/).fill(who.email);
  await profile.getByRole("button", { name: "保存开票信息" }).click();
  await expect(profile.getByTestId("taxpayer-id-state")).toHaveText("校验通过");
  await expect(profile).toContainText("1402 **** **** 0123");
  await expect(page.getByTestId("profile-history")).toContainText("1402 **** **** 0123");

  // Three applications: an electronic special invoice, a paper one, and one to be rejected.
  await page.goto("/portal/finance/invoices");
  await hydrated(page);
  const apply = async (amount: string, kind: string, medium: string) => {
    const form = page.getByTestId("apply-invoice");
    await form.getByTestId("invoice-amount").fill(amount);
    await form.getByLabel("发票类型").selectOption(kind);
    await form.getByLabel("发票介质").selectOption(medium);
    await form.getByRole("button", { name: "提交申请" }).click();
    await expect(page.getByTestId("invoice-row").filter({ hasText: `¥${amount}` }).getByTestId("invoice-status")).toHaveText("已提交");
  };
  await apply("100.00", "special", "electronic");
  await apply("30.00", "ordinary", "paper");
  await apply("10.00", "ordinary", "electronic");
  await expect(page.getByTestId("being-invoiced")).toHaveText("¥140.00");
  await expect(page.getByTestId("not-yet-invoiced")).toHaveText("¥19.00");

  // Finance issues the electronic invoice with its PDF, and the paper one, which it mails.
  const finance = await asFinance(browser, baseURL!);
  const blue = number20();
  await issue(finance, company, "¥100.00", blue);
  // A paper invoice's number has 8 digits.
  const paper = await issue(finance, company, "¥30.00", `${Date.now()}`.slice(-8));
  await paper.getByTestId("courier").fill("顺丰速运");
  await paper.getByTestId("waybill").fill("SF1234567890");
  await paper.getByTestId("mail-invoice").click();
  await expect(paper).toHaveCount(0);
  await finance.goto("/ops/invoices?status=mailed");
  await expect(finance.getByTestId("invoice-item").filter({ hasText: company }).getByTestId("queue-status")).toHaveText("已寄出");
  // The third is rejected with a reason.
  await finance.goto("/ops/invoices");
  await hydrated(finance);
  const third = finance.getByTestId("invoice-item").filter({ hasText: company }).filter({ hasText: "¥10.00" });
  await third.getByTestId("reject-reason").fill("金额与合同不符");
  await third.getByTestId("reject-invoice").click();
  // Rejected, it leaves the waiting queue (wait for that before leaving the page: navigating
  // away at once could cut the request off).
  await expect(third).toHaveCount(0);
  await finance.goto("/ops/invoices?status=rejected");
  await expect(finance.getByTestId("invoice-item").filter({ hasText: company })).toContainText("已驳回");

  // The admin sees each, downloads the invoice file byte for byte, and was told by e-mail.
  await page.reload();
  await hydrated(page);
  const row = (amount: string) => page.getByTestId("invoice-row").filter({ hasText: `¥${amount}` });
  await expect(row("100.00").getByTestId("invoice-status")).toHaveText("已开具");
  await expect(row("30.00").getByTestId("invoice-waybill")).toContainText("SF1234567890");
  await expect(row("10.00")).toContainText("金额与合同不符");
  const [download] = await Promise.all([page.waitForEvent("download"), row("100.00").getByTestId("invoice-download").click()]);
  expect(download.suggestedFilename()).toBe(`invoice-${blue}.pdf`);
  expect((await readDownload(download)).equals(PDF)).toBe(true);
  // The list as CSV, a real download: every application with its status beside its code.
  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("invoices-csv").click()]);
  expect(csv.suggestedFilename()).toBe("invoices.csv");
  const text = (await readDownload(csv)).toString("utf-8");
  expect(text.split("\n")[0]).toContain("申请时间(UTC+8),金额(元)");
  expect(text).toContain(`,已开具,issued,${blue},`);
  expect(text).toContain("顺丰速运,SF1234567890");
  // Told by e-mail of each issued invoice (the paper one's came last).
  await deliveredMail(who.email, "发票申请：已开具");
  await expect(async () => {
    const all = (await (await fetch(`${mailAPI}/email`)).json()) as { to: { address: string }[]; text: string }[];
    expect(all.some((m) => m.to.some((t) => t.address === who.email) && m.text.includes(blue))).toBe(true);
  }).toPass({ timeout: 20_000 });
  // The electronic invoice itself went to the receiving address with the file attached, byte
  // for byte (the paper one goes by courier).
  const invoiceMail = await deliveredMail(who.email, `电子发票 ${blue}`);
  const attached = await mailAttachment(invoiceMail, `invoice-${blue}.pdf`);
  expect(attached.contentType).toBe("application/pdf");
  expect(attached.bytes.equals(PDF)).toBe(true);
  expect(invoiceMail.text).toContain(`发票号码 ${blue}`);

  // Red letter: the issuer records it, and cannot approve it; a second finance operator does.
  await finance.goto("/ops/invoices?status=issued");
  await hydrated(finance);
  const issued = finance.getByTestId("invoice-item").filter({ hasText: company }).filter({ hasText: "¥100.00" });
  const recordRed = async (number: string) => {
    await issued.getByTestId("red-number").fill(number);
    await issued.getByTestId("red-date").fill(today());
    await issued.getByTestId("red-reason").fill("购方信息有误");
    await issued.getByTestId("record-red").click();
    await expect(issued.getByTestId("red-pending")).toBeVisible();
  };
  // Typed wrong: withdrawn with a reason, then recorded again.
  await recordRed(number20().replace(/^2611/, "2613"));
  await issued.getByTestId("withdraw-red-reason").fill("红字号码录错");
  await issued.getByTestId("withdraw-red").click();
  await expect(issued.getByTestId("red-pending")).toHaveCount(0);
  await recordRed(number20().replace(/^2611/, "2612"));
  await issued.getByTestId("approve-red").click();
  await expect(finance.getByTestId("form-error")).toContainText("红字冲销须由另一位财务人员审核");
  await finance.context().close();
  const checker = await asFinance(browser, baseURL!, true);
  await checker.goto("/ops/invoices?status=issued");
  await hydrated(checker);
  const toApprove = checker.getByTestId("invoice-item").filter({ hasText: company });
  await toApprove.getByTestId("approve-red").click();
  await expect(toApprove).toHaveCount(0);
  await checker.goto("/ops/invoices?status=reversed");
  await expect(checker.getByTestId("invoice-item").filter({ hasText: company })).toContainText("已红冲");
  await checker.context().close();

  // The statistics: ¥30 invoiced (the paper invoice), ¥129 not yet; the chart and its table.
  await page.goto("/portal/finance/stats");
  await hydrated(page);
  await expect(page.getByTestId("invoiced")).toHaveText("¥30.00");
  await expect(page.getByTestId("not-yet-invoiced")).toHaveText("¥129.00");
  await expect(page.getByTestId("invoice-chart")).toBeVisible();
  const month = today().slice(0, 7);
  await expect(page.getByTestId("invoice-months").locator("tr", { hasText: month })).toContainText("¥159.00");
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations).toEqual([]);
  await page.goto("/portal/finance/invoices");
  await hydrated(page);
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  await ops.dispose();
});

test("P1.1.4: a legacy taxpayer ID waits for a reviewer, who accepts it with a reason", async ({ page, browser, playwright, baseURL }) => {
  test.setTimeout(90_000);
  const ops = await playwright.request.newContext({ baseURL, storageState: OPS_STATE });
  const company = `旧识别号${Date.now()}有限公司`;
  await openEnterpriseViaApi(page, ops, company);
  const legacy = `1101${Date.now()}`.slice(0, 15);
  const form = {
    taxpayer_type: "small_scale", title: company, taxpayer_id: legacy, reg_address: "", reg_phone: "", bank_name: "",
    bank_account: "", mail_name: "", mail_phone: "", mail_address: "", emails: "ap@example.com",
  };
  expect((await page.request.post("/api/save_invoice_profile", { headers: JSON_ACCEPT, form })).status()).toBe(200);
  const reviewer = await (await browser.newContext({ storageState: OPS_STATE })).newPage();
  await reviewer.goto("/ops/applications/taxpayer-ids");
  await hydrated(reviewer);
  const row = reviewer.getByTestId("taxpayer-id-row").filter({ hasText: company });
  await expect(row).toContainText(legacy);
  await row.getByLabel("原因").first().fill("已核对税务登记证");
  await row.getByRole("button", { name: "确认", exact: true }).click();
  await expect(row).toHaveCount(0);
  await reviewer.context().close();
  await page.goto("/portal/finance/profile");
  await hydrated(page);
  await expect(page.getByTestId("taxpayer-id-state")).toHaveText("平台已确认");
  await expect(page.getByTestId("invoice-profile")).toContainText("已核对税务登记证");
  await ops.dispose();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("P1.1.4: the profile is saved and an application sent without JavaScript", async ({ page, playwright, baseURL }) => {
    test.setTimeout(90_000);
    const ops = await playwright.request.newContext({ baseURL, storageState: OPS_STATE });
    const company = `无脚本开票${Date.now()}有限公司`;
    await openEnterpriseViaApi(page, ops, company);
    await payTwoOrders(page, ops);
    await page.goto("/portal/finance/profile");
    const profile = page.getByTestId("invoice-profile");
    await profile.getByTestId("taxpayer-id").fill("91350100M000100Y43");
    await profile.getByLabel("发票抬头").fill(company);
    await profile.getByLabel(/接收邮箱/).fill("ap@example.com");
    await profile.getByRole("button", { name: "保存开票信息" }).click();
    await page.goto("/portal/finance/profile");
    await expect(page.getByTestId("taxpayer-id-state")).toHaveText("校验通过");
    await page.goto("/portal/finance/invoices");
    const form = page.getByTestId("apply-invoice");
    await form.getByTestId("invoice-amount").fill("20");
    await form.getByRole("button", { name: "提交申请" }).click();
    await page.goto("/portal/finance/invoices");
    await expect(page.getByTestId("invoice-row").filter({ hasText: "¥20.00" }).getByTestId("invoice-status")).toHaveText("已提交");
    await ops.dispose();
  });
});
