import { test, expect, hydrated, login, registerViaApi, mailTo, smsTo } from "./fixtures";

test("P5.2, P7.1: a forgotten password is reset from the e-mailed link, and the old sessions end", async ({ page, browser }) => {
  test.setTimeout(60_000);
  const who = await registerViaApi(page.request);
  // The applicant is logged in (registration opened a session in this browser).
  await page.goto("/forgot-password");
  await hydrated(page);
  await page.getByLabel("手机号或邮箱").fill(who.email);
  await page.getByRole("button", { name: "发送验证码或重置链接" }).click();
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
  await page.getByRole("button", { name: "Send the code or link" }).click();
  await expect(page.getByTestId("reset-sent")).toContainText("If an account has this");
});

test.describe("on a phone", () => {
  // The wrong code is refused by the server (409), which is the point.
  test.use({ viewport: { width: 375, height: 740 }, allowConsole: [/status of 409/] });

  test("P5.2, P7.1: a forgotten password is reset with the code sent by text message, in English", async ({ page, playwright, baseURL }) => {
    test.setTimeout(120_000);
    // Registered elsewhere: this phone is not logged in.
    const elsewhere = await playwright.request.newContext({ baseURL });
    const who = await registerViaApi(elsewhere);
    await elsewhere.dispose();
    await page.goto("/forgot-password?lang=en");
    await hydrated(page);
    await page.getByLabel("Mobile number or e-mail").fill(who.mobile);
    await page.getByRole("button", { name: "Send the code or link" }).click();
    await expect(page.getByTestId("code-sent")).toContainText("a code is on its way by text message");
    // The text reaches the phone through the SMS gateway (one a minute per number: the
    // registration's own code went first, and is not this one).
    const text = await smsTo(who.mobile, "验证码", 75_000, `验证码为${who.smsCode}`);
    const code = text.match(/验证码为(\d{6})/)![1];
    const form = page.getByTestId("code-form");
    await form.getByLabel("Code from the text message").fill(code === "000000" ? "111111" : "000000");
    await form.getByLabel("New password").fill("Phone-Reset-2026");
    await form.getByRole("button", { name: "Set the new password" }).click();
    await expect(form.getByRole("alert")).toContainText("The code is wrong or no longer valid");
    await form.getByLabel("Code from the text message").fill(code);
    await form.getByLabel("New password").fill("Phone-Reset-2026");
    await form.getByRole("button", { name: "Set the new password" }).click();
    await expect(page).toHaveURL(/\/login\?reset=1/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await login(page, who.mobile, "Phone-Reset-2026");
    await expect(page).not.toHaveURL(/\/login/);
  });
});
