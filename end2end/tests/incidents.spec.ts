import { test, expect, hydrated, DEMO, OPS_STATE } from "./fixtures";

/** Security incidents (P5.5): the officer records one, notifies everyone affected after confirming the number, and publishes the public notice. */

test.describe("as the privacy officer", () => {
  test.use({ storageState: OPS_STATE });

  test("P5.5: an incident notice reaches the affected user's inbox, and the public notice the home page", async ({ page, browser }) => {
    test.setTimeout(60_000);
    const title = `测试安全事件 ${Date.now().toString(36)}`;
    await page.goto("/ops/privacy/incidents");
    await hydrated(page);
    const form = page.getByTestId("incident-new");
    await form.getByLabel("标题（中文）").fill(title);
    await form.getByLabel("标题（英文）").fill(`Incident ${title.slice(-6)}`);
    await form.getByLabel("发生了什么").fill("备份服务器出现异常下载。");
    await form.getByLabel("发现时间（北京时间）").fill("2026-11-30T09:30");
    await form.getByLabel("可能的影响").fill("登录人员的姓名和手机号可能外泄。");
    await form.getByLabel("已采取的措施").fill("已吊销相关凭据。");
    await form.getByLabel("给用户的建议（中文）").fill("请警惕冒充平台的电话。");
    await form.getByLabel("给用户的建议（英文）").fill("Beware of calls pretending to be us.");
    await form.getByLabel("补救措施").fill("免费身份保护一年。");
    await form.getByLabel("受影响企业的统一社会信用代码").fill("91350100M000100Y43");
    await form.getByRole("button", { name: "保存记录" }).click();
    await expect(page).toHaveURL(/\/ops\/privacy\/incidents\/[0-9a-f]{32}/);
    await hydrated(page);
    const count = page.getByTestId("affected-count");
    await expect(count).not.toHaveText("0");
    // Before sending, the officer reads the notice exactly as each person will get it.
    const preview = page.getByTestId("notice-preview");
    await expect(preview).toContainText(`安全事件通知：${title}`);
    await expect(preview).toContainText("发生了什么：备份服务器出现异常下载。");
    await expect(preview).toContainText("补救措施：免费身份保护一年。");
    await page.getByTestId("notify").click();
    await expect(page.getByTestId("notified")).toBeVisible();

    // The demo admin, in a browser of their own, has it in the inbox.
    const admin = await (await browser.newContext({ storageState: { cookies: [], origins: [] } })).newPage();
    const res = await admin.request.post("/api/login", { headers: { accept: "application/json" }, form: { login: DEMO.adminMobile, password: DEMO.adminPassword } });
    expect(res.status()).toBeLessThan(400);
    const notice = admin.getByTestId("inbox-item").filter({ hasText: `安全事件通知：${title}` });
    await admin.goto("/portal/messages");
    await expect(notice).toBeVisible();
    await expect(notice).toContainText("请警惕冒充平台的电话");

    // The result per person, once delivered.
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("incident-result").first()).toContainText("已发送", { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });

    // The public notice.
    await page.getByTestId("announce-incident").click();
    await expect(page.getByTestId("incident-notify").getByRole("link", { name: "公开公告" })).toBeVisible();
    await admin.goto("/");
    await expect(admin.getByRole("link", { name: title })).toBeVisible();
    await admin.context().close();
  });
});
