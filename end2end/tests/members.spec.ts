import { test, expect, hydrated, login, newApplicant, consentCookie, DEMO, OPS_STATE, joinDemoEnterprise, mailTo, smsTo } from "./fixtures";
import type { Page } from "@playwright/test";

/** The demo admin opens the members page and fills in the invitation form for `who`. */
async function fillInvitation(page: Page, who: ReturnType<typeof newApplicant>) {
  await login(page, DEMO.adminMobile, DEMO.adminPassword);
  await expect(page).toHaveURL(/\/portal$/);
  await page.goto("/portal/business/members");
  await hydrated(page);
  const form = page.getByTestId("invite");
  await form.getByLabel("姓名").fill(who.name);
  await form.getByLabel("手机号").fill(who.mobile);
  await form.getByLabel("电子邮箱").fill(who.email);
  return form;
}

test("P1.1.2: the admin invites a member, who accepts, joins and logs in", async ({ page, browser }) => {
  const who = newApplicant();
  const form = await fillInvitation(page, who);
  await form.getByLabel("资金管理").check();
  await form.getByRole("button", { name: "发送邀请" }).click();
  const link = page.getByTestId("invite-link").getByRole("link");
  await expect(link).toBeVisible();
  const href = (await link.getAttribute("href"))!;
  // Absolute, so that the copied link works where it is pasted.
  expect(href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/invite\/[0-9a-f]{64}$/);
  await expect(page.getByTestId("invites")).toContainText(who.name);
  // The form is empty again for the next invitation.
  await expect(form.getByLabel("姓名")).toHaveValue("");
  await expect(form.getByLabel("资金管理")).not.toBeChecked();

  // The invitee, in a browser of their own.
  const theirs = await browser.newContext();
  await theirs.addCookies(consentCookie(test.info().project.use.baseURL!));
  const invitee = await theirs.newPage();
  await invitee.goto(href);
  await hydrated(invitee);
  await expect(invitee.getByTestId("invite-accept")).toContainText("演示科技有限公司");
  await invitee.getByLabel("设置登录密码").fill(who.password);
  await invitee.locator('input[name="accept"]').check();
  await invitee.getByRole("button", { name: "同意并加入" }).click();
  await expect(invitee).toHaveURL(/\/portal$/);
  await expect(invitee.getByTestId("user-chip")).toContainText("演示科技有限公司");
  await invitee.getByTestId("logout").click();
  await expect(invitee).toHaveURL(/\/login$/);

  // The link works once.
  await invitee.goto(href);
  await expect(invitee.getByTestId("invite-accept")).toContainText("该邀请链接已使用");

  // The member logs in with their own password.
  await login(invitee, who.email, who.password);
  await expect(invitee).toHaveURL(/\/portal$/);
  await theirs.close();

  // The admin sees the new member, active, with the funds permission.
  await page.reload();
  const row = page.getByTestId("member-row").filter({ hasText: who.name });
  await expect(row).toContainText("正常");
  await expect(row).toContainText("资金管理");
});

test.describe("refusals", () => {
  // The refused page's own 403 is logged by the browser.
  test.use({ allowConsole: [/status of 403/] });

  test("P1.1.2: a member sees only what they may open; elsewhere a real 403 names the admins", async ({ page, playwright, baseURL }) => {
    // The admin invites a member with no permissions; the member joins.
    const admin = await playwright.request.newContext({ baseURL });
    await joinDemoEnterprise(page.request, admin);
    await admin.dispose();

    await page.goto("/portal?lang=en");
    await hydrated(page);
    const nav = page.getByRole("navigation", { name: "Main navigation" });
    await expect(nav.getByRole("link", { name: "Business" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Funds" })).toHaveCount(0);
    // The business area has no members tab for a member.
    await page.goto("/portal/business?lang=en");
    await expect(page.getByRole("link", { name: "Members" })).toHaveCount(0);

    for (const path of ["/portal/funds", "/portal/funds/orders", "/portal/business/members"]) {
      const res = await page.goto(`${path}?lang=en`);
      expect(res?.status(), path).toBe(403);
      await hydrated(page);
      await expect(page.getByTestId("forbidden")).toBeVisible();
      await expect(page.getByTestId("forbidden-ask")).toContainText("演示管理员");
    }
  });
});

test("P1.1.2, P7.1: an invitation is delivered by SMTP and SMS, with its link, which the invitee opens", async ({ page, browser }) => {
  test.setTimeout(60_000);
  const who = newApplicant();
  const form = await fillInvitation(page, who);
  await form.getByRole("button", { name: "发送邀请" }).click();
  const href = (await page.getByTestId("invite-link").getByRole("link").getAttribute("href"))!;

  // The delivery worker hands the e-mail to the SMTP server and the text to the SMS gateway
  // within seconds; the console shows how each went.
  const body = await mailTo(browser, who.email, "企业账户邀请");
  expect(body).toContain(href);
  expect(await smsTo(who.mobile, "企业账户邀请")).toBe("【综合服务平台】您有一条新消息：企业账户邀请。请登录综合服务平台查看。");
  const ops = await (await browser.newContext({ storageState: OPS_STATE })).newPage();
  await ops.goto("/ops/outbox?lang=en");
  await expect(ops.getByTestId("outbox-row").first()).toBeVisible();

  // The invitee opens the link from the e-mail.
  const fromMail = body.match(/https?:\/\/\S+\/invite\/[0-9a-f]{64}/)![0];
  const invitee = await (await browser.newContext()).newPage();
  await invitee.context().addCookies(consentCookie(test.info().project.use.baseURL!));
  await invitee.goto(fromMail);
  await expect(invitee.getByTestId("invite-accept")).toContainText(who.name);
  await ops.context().close();
  await invitee.context().close();
});
