import { test, expect, hydrated, DEMO, readDownload } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";

/**
 * P3.1.3 (issue 19): the privacy centre shows who received what. The demo admin pays a worker;
 * the payout channel's receipt of the payee's name, account and amount is in the log with the
 * order's number, and the filter by recipient works without scripts (a GET form).
 */
test("the privacy centre's sharing log shows a payout's submission to the payout channel", async ({ page }) => {
  const json = { accept: "application/json" };
  const login = await page.request.post("/api/login", { headers: json, form: { login: DEMO.adminMobile, password: DEMO.adminPassword } });
  expect(login.status(), await login.text()).toBeLessThan(400);
  const orderId = `SHARE-${Date.now().toString(36)}`;
  const created = await page.request.post("/api/create_order", {
    headers: json,
    form: { order_id: orderId, payee_name: "张三", id_number: "11010519491231002X", channel: "bank", account: "6222021234561234", mobile: "13800000001", amount: "1.00", remark: "", project: "" },
  });
  expect(created.status(), await created.text()).toBeLessThan(400);
  const id: string = (await created.json()).order.id;
  await expect
    .poll(async () => (await (await page.request.post("/api/get_order", { headers: json, form: { id } })).json()).status, { timeout: 20_000 })
    .not.toBe("pending");

  await page.goto("/portal/privacy");
  await hydrated(page);
  await page.getByTestId("sharing-link").getByRole("link").click();
  await expect(page).toHaveURL(/\/portal\/privacy\/sharing$/);
  await hydrated(page);
  for (const code of ["public_authorities", "enterprise_api", "mail_relay", "payout_channel", "sms_provider"]) {
    await expect(page.locator(`[data-testid="recipient-row"][data-code="${code}"]`)).toHaveCount(1);
  }
  await expect(page.getByTestId("recipient-row").filter({ hasText: "代付通道" })).toContainText("受托处理者");
  // Filter to the payout channel: the order's submission, with what was sent.
  await page.getByLabel("接收方").selectOption("payout_channel");
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/recipient=payout_channel/);
  const row = page.getByTestId("event-row").filter({ hasText: orderId });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("代付通道");
  await expect(row).toContainText("本企业");
  // What it rested on (P3.1.1): the purpose and the recorded basis.
  await expect(row.getByTestId("event-grounds")).toHaveText(/资金与付款\s*订立和履行合同所必需/);
  // The filtered log as CSV, as the browser saves it.
  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("sharing-csv").click()]);
  expect(csv.suggestedFilename()).toBe("sharing-log.csv");
  const lines = (await readDownload(csv)).split("\n");
  expect(lines[0]).toBe("时间(UTC+8),接收方,类型代码,目的代码,依据代码,信息类别,涉及,业务单号");
  expect(lines.some((l) => l.includes("processor,payments,contract") && l.endsWith(`,本企业,${orderId}`))).toBe(true);
  expect(lines.filter((l) => l.includes(",sms_provider,") || l.includes("短信服务商"))).toEqual([]);
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.violations.map((v) => v.id)).toEqual([]);
});
