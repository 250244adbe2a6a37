import { test, expect, hydrated, login, newApplicant, consentCookie, DEMO } from "./fixtures";

test("P1.1.2: the admin invites a member, who accepts, joins and logs in", async ({ page, browser }) => {
  const who = newApplicant();
  await login(page, DEMO.adminMobile, DEMO.adminPassword);
  await expect(page).toHaveURL(/\/portal$/);
  await page.goto("/portal/business/members");
  await hydrated(page);
  const form = page.getByTestId("invite");
  await form.getByLabel("姓名").fill(who.name);
  await form.getByLabel("手机号").fill(who.mobile);
  await form.getByLabel("电子邮箱").fill(who.email);
  await form.getByLabel("资金管理").check();
  await form.getByRole("button", { name: "发送邀请" }).click();
  const link = page.getByTestId("invite-link").getByRole("link");
  await expect(link).toBeVisible();
  const href = (await link.getAttribute("href"))!;
  expect(href).toMatch(/^\/invite\/[0-9a-f]{64}$/);
  await expect(page.getByTestId("invites")).toContainText(who.name);

  // The invitee, in a browser of their own.
  const theirs = await browser.newContext();
  await theirs.addCookies(consentCookie(test.info().project.use.baseURL!));
  const invitee = await theirs.newPage();
  await invitee.goto(href);
  await hydrated(invitee);
  await expect(invitee.getByTestId("invite-accept")).toContainText("演示科技有限公司");
  await invitee.getByLabel("设置登录密码").fill(who.password);
  await invitee.getByRole("checkbox").check();
  await invitee.getByRole("button", { name: "同意并加入" }).click();
  await expect(invitee).toHaveURL(/\/portal$/);
  await expect(invitee.getByTestId("user-chip")).toContainText("演示科技有限公司");
  await invitee.getByTestId("logout").click();
  await expect(invitee).toHaveURL(/\/login$/);

  // The link works once.
  await invitee.goto(href);
  await expect(invitee.getByTestId("invite-accept")).toContainText("已使用或已过期");

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
