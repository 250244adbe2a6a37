import { test, expect, hydrated, totp, consentCookie, OPS_STATE } from "./fixtures";

/** Operator management (P5.1, P5.2): a super-admin creates an operator, who enrols from the link with a QR code and logs in. */

test.describe("as the super-admin", () => {
  test.use({ storageState: OPS_STATE });

  test("P5.2: a new operator enrols from the one-time link (QR code, password, one code) and logs in with the new roles", async ({ page, browser }) => {
    test.setTimeout(60_000);
    const login = `e2e.${Date.now().toString(36)}`;
    await page.goto("/ops/operators");
    await hydrated(page);
    const form = page.getByTestId("create-operator");
    await form.getByLabel("运营账号").fill(login);
    await form.getByLabel("姓名").fill("端到端");
    await form.getByLabel("审核").check();
    await form.getByRole("button", { name: "创建并生成开通链接" }).click();
    const notice = page.getByTestId("enrolment-link");
    await expect(notice).toBeVisible();
    const link = (await notice.locator("code").textContent())!.trim();
    const row = page.getByTestId("operator-row").filter({ hasText: login });
    await expect(row.getByTestId("not-enrolled")).toBeVisible();

    // The new operator opens the link on their own computer.
    // A browser of their own: not the super-admin's session (the describe's storage state).
    const theirs = await (await browser.newContext({ storageState: { cookies: [], origins: [] } })).newPage();
    await theirs.context().addCookies(consentCookie(test.info().project.use.baseURL!));
    await theirs.goto(new URL(link).pathname);
    await hydrated(theirs);
    await expect(theirs.getByTestId("enrol-login")).toHaveText(login);
    await expect(theirs.getByTestId("enrol-qr").locator("svg")).toBeVisible();
    const secret = (await theirs.getByTestId("enrol-secret").textContent())!.trim();
    await theirs.getByLabel("新密码").fill("Operator-Pass-2026");
    await theirs.getByLabel("身份验证器上的 6 位动态码").fill(totp(secret));
    await theirs.getByRole("button", { name: "完成开通" }).click();
    await expect(theirs).toHaveURL(/\/ops\/login\?enrolled=1$/);
    await expect(theirs.getByTestId("operator-enrolled")).toBeVisible();

    // Logging in takes the next code (each code works once).
    await theirs.getByLabel("运营账号").fill(login);
    await theirs.getByLabel("密码", { exact: true }).fill("Operator-Pass-2026");
    await theirs.getByRole("button", { name: "下一步" }).click();
    const code = theirs.getByLabel("动态码");
    await expect(code).toBeVisible();
    await code.fill(totp(secret, Date.now() + 30_000));
    await theirs.getByRole("button", { name: "验证并登录" }).click();
    await expect(theirs).toHaveURL(/\/ops$/);
    await expect(theirs.getByRole("link", { name: "入驻审核" })).toBeVisible();
    await theirs.context().close();

    await page.reload();
    await expect(page.getByTestId("operator-row").filter({ hasText: login }).getByTestId("not-enrolled")).toHaveCount(0);
  });
});
