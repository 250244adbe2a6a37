import { test, expect, hydrated, registerViaApi, creditCode, png, OPS_STATE } from "./fixtures";
import type { Page } from "@playwright/test";

/** A JPEG of about `mb` MB, big enough for the progress bar to be seen. */
function bigJpeg(mb: number): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x03, 0x07, 0xff, 0xda, 0x00, 0x03, 0x01]),
    Buffer.alloc(mb * 1024 * 1024, 0x11),
    Buffer.from([0xff, 0xd9]),
  ]);
}

async function fillApplication(page: Page, name: string, code: string) {
  await page.getByLabel("企业名称").fill(name);
  await page.getByLabel("统一社会信用代码").fill(code);
  await page.getByLabel("注册地址").fill("深圳市南山区测试路 8 号");
  await page.getByLabel("经营范围").fill("信息技术服务");
  await page.getByLabel("经营平台名称").fill("测试众包");
  await page.getByLabel("网址或应用名称").fill("https://crowd.example.com");
  await page.getByLabel("平台业务内容").fill("连接企业与个人服务者");
  await page.getByLabel("外包的工作类型").fill("数据标注");
}

test("P1.1.1: apply with uploads, more material asked, resubmitted, approved", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const who = await registerViaApi(page.request);
  const enterprise = `端到端测试公司${who.mobile.slice(-4)}`;
  await page.goto("/register");
  await hydrated(page);
  await expect(page.getByTestId("application-status")).toHaveText("草稿");

  // The browser checks the credit code's check character as it is typed.
  await page.getByLabel("统一社会信用代码").fill("91440300708461136U");
  await expect(page.locator('[data-field-error="credit_code"]')).toContainText("校验位不正确");
  const code = creditCode();
  await fillApplication(page, enterprise, code);
  await expect(page.locator('[data-field-error="credit_code"]')).toHaveText("");

  // The licence, then a 3 MB photo over a slowed-down upload: the progress bar shows.
  await page.getByTestId("upload-licence").locator('input[type="file"]').setInputFiles({ name: "执照.png", mimeType: "image/png", buffer: png() });
  await page.getByTestId("upload-licence").getByRole("button", { name: "上传" }).click();
  await expect(page.getByTestId("files")).toContainText("执照.png");
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1_000_000 });
  const photos = page.getByTestId("upload-scene_photo");
  await photos.locator('input[type="file"]').setInputFiles({ name: "现场.jpg", mimeType: "image/jpeg", buffer: bigJpeg(3) });
  await photos.getByRole("button", { name: "上传" }).click();
  const bar = photos.locator("progress");
  await expect(bar).toBeVisible();
  await expect.poll(async () => Number(await bar.getAttribute("value")), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId("files")).toContainText("现场.jpg", { timeout: 30_000 });
  await expect(bar).toBeHidden();
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  await page.getByRole("button", { name: "提交审核" }).click();
  await expect(page.getByTestId("application-status")).toHaveText("审核中");

  // The operator (logged in with password and TOTP) asks for more material.
  const ops = await browser.newContext({ storageState: OPS_STATE });
  const console = await ops.newPage();
  await console.goto("/ops/applications");
  await hydrated(console);
  await console.getByRole("link", { name: enterprise }).click();
  await expect(console.getByTestId("review-materials")).toContainText(code);
  await expect(console.getByTestId("files")).toContainText("现场.jpg");
  await console.getByLabel("给申请人的意见").fill("请补充清晰的营业执照扫描件");
  await console.getByRole("button", { name: "要求补充材料" }).click();
  await expect(console.getByTestId("decision-done")).toContainText(`已要求 ${enterprise} 补充材料`);
  await expect(console.getByTestId("review-status")).toHaveText("待补充材料");

  // The applicant sees the message and resubmits. (The thumbnails finish loading first: the
  // new licence replaces the old file, whose picture would then be gone.)
  await page.reload();
  await hydrated(page);
  await expect.poll(() => page.evaluate(() => [...document.images].every((i) => i.complete))).toBe(true);
  await expect(page.getByTestId("application-status")).toHaveText("待补充材料");
  await expect(page.getByTestId("reviewer-message")).toContainText("请补充清晰的营业执照扫描件");
  await page.getByTestId("upload-licence").locator('input[type="file"]').setInputFiles({ name: "执照-清晰.png", mimeType: "image/png", buffer: png() });
  await page.getByTestId("upload-licence").getByRole("button", { name: "上传" }).click();
  await expect(page.getByTestId("files")).toContainText("执照-清晰.png");
  await page.getByRole("button", { name: "提交审核" }).click();
  await expect(page.getByTestId("application-status")).toHaveText("审核中");

  // The operator approves.
  await console.goto("/ops/applications");
  await hydrated(console);
  await console.getByRole("link", { name: enterprise }).click();
  await console.getByRole("button", { name: "通过" }).click();
  // The reviewer reads what happened and to whom; the queue no longer lists it.
  await expect(console.getByTestId("decision-done")).toContainText(`已通过：${enterprise} 的企业账户已开通`);
  await console.getByRole("link", { name: "← 返回审核队列" }).click();
  await expect(console.getByRole("link", { name: enterprise })).toHaveCount(0);
  await ops.close();

  // The business account is open and the applicant is its admin, after logging in again: the
  // approval ended the session opened while applying (issue 14).
  await page.goto("/portal/business");
  await expect(page).toHaveURL(/\/login\?next=%2Fportal%2Fbusiness/);
  await hydrated(page);
  await page.getByLabel("手机号或邮箱").fill(who.mobile);
  await page.getByLabel("密码", { exact: true }).fill(who.password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/portal\/business$/);
  await hydrated(page);
  await expect(page.getByTestId("business-info")).toContainText(enterprise);
  await expect(page.getByTestId("operation-records")).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("P1.1.1: uploads work as plain forms, and a wrong type is explained", async ({ page }) => {
    await registerViaApi(page.request);
    await page.goto("/register");
    const licence = page.getByTestId("upload-licence");
    await licence.locator('input[type="file"]').setInputFiles({ name: "licence.png", mimeType: "image/png", buffer: png() });
    await licence.getByRole("button", { name: "上传" }).click();
    await expect(page).toHaveURL(/\/register/);
    await expect(page.getByTestId("files")).toContainText("licence.png");
    const photos = page.getByTestId("upload-scene_photo");
    await photos.locator('input[type="file"]').setInputFiles({ name: "evil.jpg", mimeType: "image/jpeg", buffer: Buffer.from("<script>alert(1)</script>") });
    await photos.getByRole("button", { name: "上传" }).click();
    await expect(photos.locator('[data-field-error="file"]')).toContainText("只接受 JPEG、PNG 或 PDF");
  });
});

test.describe("duplicate credit codes", () => {
  // The refused submission and the refused approval answer 422, which the browser logs.
  test.use({ allowConsole: [/status of 422/] });

  test("issue 11: a credit code that already has an account is refused, unless a reviewer approves it with a reason", async ({ page, browser }) => {
    test.setTimeout(60_000);
    // The demo enterprise's code, as the console shows it.
    const ops = await browser.newContext({ storageState: OPS_STATE });
    const [demo] = await (await ops.request.post("/api/list_enterprises", { headers: { accept: "application/json" }, form: { q: "演示科技" } })).json();
    const taken: string = demo.credit_code;

    const who = await registerViaApi(page.request);
    const enterprise = `重复代码公司${who.mobile.slice(-4)}`;
    await page.goto("/register");
    await hydrated(page);
    await fillApplication(page, enterprise, taken);
    await page.getByTestId("upload-licence").locator('input[type="file"]').setInputFiles({ name: "执照.png", mimeType: "image/png", buffer: png() });
    await page.getByTestId("upload-licence").getByRole("button", { name: "上传" }).click();
    await expect(page.getByTestId("files")).toContainText("执照.png");
    await page.getByRole("button", { name: "提交审核" }).click();
    await expect(page.locator('[data-field-error="credit_code"]')).toContainText("已在平台开户");
    await expect(page.locator('[data-field-error="credit_code"]')).toContainText("邀请您为登录人员");
    await expect(page.getByTestId("application-status")).toHaveText("草稿");

    // The platform can tell that account's admin, who is not named to the applicant.
    await page.getByTestId("ask-admin").click();
    await expect(page.getByTestId("ask-admin-result")).toHaveText("已通知该账户的管理员。对方邀请您后，您会收到邀请链接。");

    // The applicant asks a reviewer to check.
    await page.getByTestId("duplicate-review").getByRole("checkbox").check();
    await page.getByRole("button", { name: "提交审核" }).click();
    await expect(page.getByTestId("application-status")).toHaveText("审核中");

    // The queue flags it; approving needs a reason, which is kept.
    const console = await ops.newPage();
    await console.goto("/ops/applications");
    await hydrated(console);
    const row = console.getByRole("row").filter({ hasText: enterprise });
    await expect(row.getByTestId("duplicate-badge")).toBeVisible();
    await row.getByRole("link", { name: enterprise }).click();
    await expect(console.getByTestId("duplicate-warning")).toContainText("演示科技有限公司");
    await console.getByRole("button", { name: "通过" }).click();
    await expect(console.locator('[data-field-error="override_reason"]')).toContainText("必填");
    await console.getByLabel("例外理由").fill("同一法人运营两个独立平台，经电话核实");
    await console.getByRole("button", { name: "通过" }).click();
    await expect(console.getByTestId("decision-done")).toContainText("已通过");
    await expect(console.getByTestId("review-materials")).toContainText("同一法人运营两个独立平台");
    await ops.close();
  });
});
