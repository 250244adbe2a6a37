import { test, expect, hydrated, login, registerViaApi, mailTo } from "./fixtures";

test("P5.2, P7.1: a forgotten password is reset from the e-mailed link, and the old sessions end", async ({ page, browser }) => {
  test.setTimeout(60_000);
  const who = await registerViaApi(page.request);
  // The applicant is logged in (registration opened a session in this browser).
  await page.goto("/forgot-password");
  await hydrated(page);
  await page.getByLabel("手机号或邮箱").fill(who.email);
  await page.getByRole("button", { name: "发送重置链接" }).click();
  await expect(page.getByTestId("reset-sent")).toBeVisible();

  const body = await mailTo(browser, who.email, "重置密码");
  const link = body.match(/https?:\/\/\S+\/reset-password\/[0-9a-f]{64}/)![0];
  expect(body).toContain("30 分钟");

  // In another browser (the phone the mail was read on), the new password is set.
  const phone = await (await browser.newContext()).newPage();
  await phone.goto(link);
  await hydrated(phone);
  await phone.getByLabel("新密码").fill("Reset-Pass-2026");
  await phone.getByRole("button", { name: "设置新密码" }).click();
  await expect(phone).toHaveURL(/\/login\?reset=1$/);
  await expect(phone.getByTestId("password-was-reset")).toBeVisible();

  // The link works once.
  await phone.goto(link);
  await expect(phone.getByTestId("reset-password")).toContainText("已使用");

  // The first browser's session has ended; the new password works, the old one does not.
  const me = await (await page.request.post("/api/whoami", { headers: { accept: "application/json" } })).json();
  expect(me).toBeNull();
  await login(phone, who.mobile, "Reset-Pass-2026");
  await expect(phone).not.toHaveURL(/\/login/);
  // The user is told by e-mail that the password changed.
  expect(await mailTo(browser, who.email, "密码已更改")).toContain("所有已登录的设备均已退出");
  await phone.context().close();
});

test("P5.2: the forgotten-password form answers the same for an unknown account, in English too", async ({ page }) => {
  await page.goto("/login?lang=en");
  await hydrated(page);
  await page.getByTestId("forgot-link").click();
  await expect(page).toHaveURL(/\/forgot-password\?lang=en$/);
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Forgotten password" })).toBeVisible();
  await page.getByLabel("Mobile number or e-mail").fill("nobody-here@example.com");
  await page.getByRole("button", { name: "Send the reset link" }).click();
  await expect(page.getByTestId("reset-sent")).toContainText("If an account has this");
});
