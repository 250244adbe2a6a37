import { test, expect, hydrated, DEMO, OPS_STATE, DEMO_CHECKER, opsLogin, consentCookie, openEnterpriseViaApi } from "./fixtures";

/**
 * The console's sharing register and lawful disclosures (issue 19; P3.1.2, P3.1.3, P4.1): the
 * register refuses a recipient outside the storage region and takes one inside it; a
 * disclosure recorded by one privacy officer is refused to that officer's own approval and
 * approved by a second; told, it reaches the enterprise's sharing log.
 */

test.describe("as the privacy officers", () => {
  test.use({ storageState: OPS_STATE, allowConsole: [/status of (409|422)/] });

  test("P3.1.3, P4.1: the register takes a recipient only inside the storage region", async ({ page }) => {
    const code = `group_${Date.now().toString(36)}`;
    await page.goto("/ops/privacy/sharing");
    await hydrated(page);
    await expect(page.getByTestId("storage-region")).toHaveText("cn-mainland");
    await expect(page.getByTestId("register-row").filter({ hasText: "代付通道" })).toContainText("payment_orders.account_enc");
    await expect(page.getByTestId("register-row").filter({ hasText: "依法调取信息的国家机关" })).toContainText("按每次调取的文书");
    const form = page.getByTestId("recipient-new");
    await form.getByLabel("代码").fill(code);
    await form.getByLabel("名称（中文）").fill("集团财务共享中心");
    await form.getByLabel("名称（英文）").fill("Group finance centre");
    await form.getByLabel("类型").selectOption("affiliate");
    await form.getByLabel("目的与依据").selectOption("records");
    await form.getByLabel("可接收的字段（表名.字段名，每行一个）").fill("payment_orders.amount\npayment_orders.payee_name");
    await form.getByLabel("所在地区").fill("us-east-1");
    await form.getByLabel("协议").fill("集团内部数据处理协议");
    await form.getByLabel("生效日期").fill("2026-12-01");
    await form.getByRole("button", { name: "保存" }).click();
    await expect(form.locator('[data-field-error="region"]')).toHaveText("须与本平台的存储地区一致：个人信息不出境");
    await form.getByLabel("所在地区").fill("cn-mainland");
    await form.getByRole("button", { name: "保存" }).click();
    const row = page.getByTestId("register-row").filter({ hasText: code });
    await expect(row).toContainText("关联公司");
    await expect(row).toContainText("payment_orders.payee_name");
    // Changed on its own page: the purpose is fixed (P3.1.3).
    await row.getByRole("link", { name: "修改" }).click();
    await expect(page).toHaveURL(new RegExp(`/ops/privacy/sharing/${code}$`));
    await hydrated(page);
    const change = page.getByTestId("recipient-change");
    await change.getByLabel("目的与依据").selectOption("promotions");
    await change.getByRole("button", { name: "保存" }).click();
    await expect(change.locator('[data-field-error="purpose"]')).toContainText("接收方的目的不能更改");
  });

  test("P3.1.2: a lawful disclosure takes two officers, and the enterprise sees it when told", async ({ page, browser, baseURL }) => {
    test.setTimeout(60_000);
    const doc = `（2026）某公经调字第 ${Date.now() % 100000} 号`;
    await page.goto("/ops/privacy/disclosures");
    await hydrated(page);
    const form = page.getByTestId("disclosure-new");
    await form.getByLabel("国家机关").fill("某市公安局经济犯罪侦查支队");
    await form.getByLabel("情形").selectOption("criminal_justice");
    await form.getByLabel("法律依据").fill("《刑事诉讼法》第五十四条");
    await form.getByLabel("文书编号").fill(doc);
    await form.getByLabel("企业统一社会信用代码").fill("91350100M000100Y43");
    await form.getByLabel("可接收的字段（表名.字段名，每行一个）").fill("payment_orders.payee_name\npayment_orders.amount");
    await form.getByLabel("提供时间").fill("2026-11-30T10:00");
    await form.getByLabel("是否告知当事人").selectOption("no");
    await form.getByRole("button", { name: "登记披露" }).click();
    // Not telling needs its reason.
    await expect(form.locator('[data-field-error="tell_reason"]')).toHaveText("此项为必填项");
    await form.getByLabel("是否告知当事人").selectOption("yes");
    await form.getByRole("button", { name: "登记披露" }).click();
    await expect(page.getByTestId("disclosure-recorded")).toBeVisible();
    const row = page.getByTestId("disclosure-row").filter({ hasText: doc });
    await expect(row).toHaveAttribute("data-status", "pending");
    // The recorder's own approval is refused: four eyes.
    await row.getByTestId("approve-disclosure").click();
    await expect(page.getByTestId("disclosures").getByTestId("form-error")).toContainText("须由另一名隐私官复核");
    await expect(row).toHaveAttribute("data-status", "pending");

    // The second officer approves it.
    // A browser of its own, not logged in (the describe's storage state is the demo operator's).
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    await context.addCookies(consentCookie(baseURL!));
    const checker = await context.newPage();
    await opsLogin(checker, DEMO_CHECKER);
    await checker.goto("/ops/privacy/disclosures");
    await hydrated(checker);
    const theirs = checker.getByTestId("disclosure-row").filter({ hasText: doc });
    await theirs.getByTestId("approve-disclosure").click();
    await expect(theirs).toHaveAttribute("data-status", "approved");
    await context.close();

    // The demo admin's privacy centre shows it.
    const admin = await (await browser.newContext({ storageState: { cookies: [], origins: [] } })).newPage();
    await admin.context().addCookies(consentCookie(baseURL!));
    const res = await admin.request.post("/api/login", { headers: { accept: "application/json" }, form: { login: DEMO.adminMobile, password: DEMO.adminPassword } });
    expect(res.status()).toBeLessThan(400);
    await admin.goto("/portal/privacy/sharing?recipient=public_authorities");
    await hydrated(admin);
    const event = admin.getByTestId("event-row").filter({ hasText: doc });
    await expect(event).toContainText("依法调取信息的国家机关");
    await admin.context().close();
  });
});

test("P3.2: a transfer in a merger is recorded, logged and told to the affected enterprise's people", async ({ page, browser, playwright, baseURL }) => {
  test.setTimeout(90_000);
  const ops = await playwright.request.newContext({ baseURL, storageState: OPS_STATE });
  const company = `转让测试${Date.now()}有限公司`;
  const who = await openEnterpriseViaApi(page, ops, company);
  await ops.dispose();
  const successor = `承继科技${Date.now() % 100000}有限公司`;

  const officer = await (await browser.newContext({ storageState: OPS_STATE })).newPage();
  await officer.goto("/ops/privacy/transfers");
  await hydrated(officer);
  const form = officer.getByTestId("transfer-new");
  await form.getByLabel("承继方名称").fill(successor);
  await form.getByLabel("情形").selectOption("merger");
  await form.getByLabel("依据").selectOption("bound");
  await form.getByLabel("生效日期").fill("2027-01-01");
  await form.getByLabel("涉及企业的统一社会信用代码（每行一个）").fill(who.creditCode);
  await form.getByLabel("告知内容（中文）").fill("运营方合并，服务与隐私政策不变。");
  await form.getByLabel("告知内容（英文）").fill("The operator merges; the service and the privacy policy stay the same.");
  await form.getByRole("button", { name: "登记并告知" }).click();
  await expect(officer.getByTestId("transfer-recorded")).toBeVisible();
  const row = officer.getByTestId("transfer-row").filter({ hasText: successor });
  await expect(row.getByTestId("transfer-counts")).toHaveText("1 / 1");
  await officer.context().close();

  // The enterprise's admin: told in the inbox, and the log names the successor.
  await page.goto("/portal/messages");
  await hydrated(page);
  await expect(page.getByTestId("inbox-item").filter({ hasText: `您的信息将转让给${successor}` })).toBeVisible();
  await page.goto("/portal/privacy/sharing");
  await hydrated(page);
  await expect(page.getByTestId("event-row").filter({ hasText: successor })).toContainText("本企业");
});
