import { test as base, expect, Page, APIRequestContext, Browser } from "@playwright/test";
import { createHmac, randomInt } from "node:crypto";

/**
 * Every test fails on any browser console error or uncaught page error. A test that expects
 * a particular error (the 404 page's own status, for example) lists it in `allowConsole`.
 */
type Fixtures = { allowConsole: RegExp[]; consoleGuard: void; consented: boolean };

/**
 * A stored cookie choice ("reject all"), as a returning visitor has: tests that are not about
 * the cookie banner start with it, so the banner does not cover what they click.
 */
export function consentCookie(baseURL: string) {
  return [{ name: "esp_consent", value: `v1.${"0".repeat(32)}.necessary`, url: baseURL }];
}

export const test = base.extend<Fixtures>({
  allowConsole: [[], { option: true }],
  consented: [true, { option: true }],
  context: async ({ context, consented, baseURL }, use) => {
    if (consented) await context.addCookies(consentCookie(baseURL!));
    await use(context);
  },
  consoleGuard: [
    async ({ page, allowConsole }, use) => {
      const problems: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() !== "error") return;
        const text = msg.text();
        if (!allowConsole.some((re) => re.test(text))) problems.push(`console.error: ${text}`);
      });
      page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
      await use();
      expect(problems, "browser console errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Waits until the WASM client has hydrated the server-rendered page. */
export async function hydrated(page: Page) {
  await expect(page.locator("#app")).toHaveAttribute("data-hydrated", "true");
}

/**
 * The second test server, whose clock `advanceClock` moves forward (`--dev-clock`): for dated
 * features such as a policy version taking effect.
 */
export const clockURL = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100) + 1}`;

export async function advanceClock(request: APIRequestContext, days: number) {
  const res = await request.post(`${clockURL}/dev/clock/advance?days=${days}`);
  expect(res.status(), await res.text()).toBe(200);
}

/** The demo logins (see README; development mode only). */
export const DEMO = {
  adminMobile: "13800000000",
  adminEmail: "admin@demo.example.com",
  adminPassword: "Demo-Admin-2026",
  operatorLogin: "demo-operator",
  operatorPassword: "Demo-Operator-2026",
  operatorTotpSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
};

/** An operator's console login: the demo super-admin, or the second finance operator. */
export type OperatorLogin = { login: string; password: string; secret: string };
export const DEMO_OPERATOR: OperatorLogin = { login: DEMO.operatorLogin, password: DEMO.operatorPassword, secret: DEMO.operatorTotpSecret };
export const DEMO_CHECKER: OperatorLogin = { login: "demo-checker", password: "Demo-Checker-2026", secret: "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU" };

function base32Decode(s: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of s.replace(/=+$/, "").toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The RFC 6238 code (SHA-1, 6 digits, 30 s) for `secret` at `atMs` (default now). */
export function totp(secret: string, atMs = Date.now()): string {
  const step = Math.floor(atMs / 30_000);
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac("sha1", base32Decode(secret)).update(msg).digest();
  const o = h[h.length - 1] & 0x0f;
  const bin = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(bin % 1_000_000).padStart(6, "0");
}

/** Logs a login person in through the login form and waits for the portal. */
export async function login(page: Page, loginId: string, password: string) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("手机号或邮箱").fill(loginId);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByRole("button", { name: "登录" }).click();
}

/** Where the setup project keeps the demo operator's logged-in state. */
export const OPS_STATE = ".auth/ops.json";

/**
 * Logs the demo operator in through the console's two login steps. A code is accepted once,
 * and the setup project may have used the current one: then the next step's code (inside
 * the accepted window) is used.
 */
export async function opsLogin(page: Page, who: OperatorLogin = DEMO_OPERATOR) {
  await page.goto("/ops/login");
  await hydrated(page);
  await page.getByLabel("运营账号").fill(who.login);
  await page.getByLabel("密码", { exact: true }).fill(who.password);
  await page.getByRole("button", { name: "下一步" }).click();
  await expect(page.getByLabel("动态码")).toBeVisible();
  await enterTotp(page, who.secret, "验证并登录", [0, 30_000]);
  await expect(page).toHaveURL(/\/ops$/);
  await expect(page.getByTestId("operator-chip")).toBeVisible();
}

/**
 * Submits the console's code step with the code of this 30-second step, then of the next ones,
 * until one is accepted (a code works once, and another test may have used the current one).
 * Decided by the server's answer to `ops_totp`, not by the page: after a refused code the page
 * still shows that error while the next code is being accepted.
 */
export async function enterTotp(page: Page, secret: string, button: string, offsets: number[]) {
  for (const offset of offsets) {
    await page.locator('input[name="code"]').fill(totp(secret, Date.now() + offset));
    const [answer] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === "/api/ops_totp"),
      page.getByRole("button", { name: button }).click(),
    ]);
    if (answer.status() < 400) return;
  }
  throw new Error("no code was accepted");
}

/** Fresh contact details for a new applicant. */
export function newApplicant() {
  const n = String(randomInt(10_000_000, 99_999_999));
  return { name: `测试${n.slice(-4)}`, mobile: `137${n}`, email: `e2e${n}@example.com`, password: "E2e-Pass-2026" };
}

/**
 * Registers an applicant over the API (the browser registration is tested on its own): the
 * form, then the code e-mailed to the address (issue 14), as MailDev received it.
 */
export async function registerViaApi(request: APIRequestContext, who = newApplicant()) {
  const policies = await (await request.post("/api/current_policies", { headers: { accept: "application/json" } })).json();
  const res = await request.post("/api/register", {
    headers: { accept: "application/json" },
    form: {
      name: who.name,
      mobile: who.mobile,
      email: who.email,
      password: who.password,
      accept: "on",
      privacy_version_id: policies.privacy.id,
      terms_version_id: policies.terms.id,
    },
  });
  expect(res.status(), await res.text()).toBeLessThan(400);
  const started = await res.json();
  // The e-mailed code, then the one texted to the number (issue 14).
  const code = await registrationCode(who.email);
  const first = await request.post("/api/confirm_registration", {
    headers: { accept: "application/json" },
    form: { id: started.id, code },
  });
  expect(await first.json()).toBe("texted");
  const smsCode = await registrationSms(who.mobile);
  const done = await request.post("/api/confirm_registration", {
    headers: { accept: "application/json" },
    form: { id: started.id, code: smsCode },
  });
  expect(done.status(), await done.text()).toBeLessThan(400);
  return { ...who, smsCode };
}

/** The code in the registration e-mail to `email` (issue 14). */
export async function registrationCode(email: string): Promise<string> {
  const mail = await deliveredMail(email, "注册验证码");
  const code = /验证码为(\d{6})/.exec(mail.text)?.[1];
  expect(code, mail.text).toBeTruthy();
  return code!;
}

/** The code texted to `mobile` at registration (issue 14: the number is confirmed too). */
export async function registrationSms(mobile: string): Promise<string> {
  const text = await smsTo(mobile, "验证码");
  return /验证码为(\d{6})/.exec(text)![1];
}

/**
 * A fresh login person of the demo enterprise: the demo admin invites them over the API (in a
 * context of its own) and they join, logged in with `request`.
 */
export async function joinDemoEnterprise(request: APIRequestContext, admin: APIRequestContext, who = newApplicant()) {
  const json = { accept: "application/json" };
  await admin.post("/api/login", { headers: json, form: { login: DEMO.adminMobile, password: DEMO.adminPassword } });
  const created = await (await admin.post("/api/invite_member", { headers: json, form: { name: who.name, mobile: who.mobile, email: who.email, role: "member" } })).json();
  const token = new URL(created.link).pathname.split("/").pop()!;
  const policies = await (await request.post("/api/current_policies", { headers: json })).json();
  const joined = await request.post("/api/accept_invite", {
    headers: json,
    form: { token, password: who.password, accept: "on", privacy_version_id: policies.privacy.id, terms_version_id: policies.terms.id },
  });
  expect(joined.status(), await joined.text()).toBeLessThan(400);
  return who;
}

/** A fresh unified social credit code with a correct check character (GB 32100-2015). */
export function creditCode(): string {
  const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const body = "91" + Array.from({ length: 15 }, () => String(randomInt(0, 10))).join("");
  const sum = [...body].reduce((acc, c, i) => acc + alphabet.indexOf(c) * weights[i], 0);
  return body + alphabet[(31 - (sum % 31)) % 31];
}

/** A valid PNG header with tiny chunks (the platform reads the type from the content). */
export function png(): Buffer {
  const chunk = (kind: string, data: number[]) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(kind), Buffer.from(data), Buffer.alloc(4)]);
  };
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]),
    chunk("IDAT", [1, 2, 3]),
    chunk("IEND", []),
  ]);
}

const e2ePort = Number(process.env.E2E_PORT ?? 3100);
/** MailDev's API: the e-mail the main test server delivered over SMTP. */
export const mailAPI = `http://127.0.0.1:${e2ePort + 80}`;
/** The SMS simulator's API: the texts the main test server sent through the gateway. */
export const smsAPI = `http://127.0.0.1:${e2ePort + 30}`;

type Delivered = {
  id: string;
  to: { address: string }[];
  subject: string;
  text: string;
  date: string;
  headers: Record<string, string>;
  attachments?: { fileName: string; generatedFileName: string; contentType: string }[];
};

/** The bytes of the attachment named `fileName` of a delivered e-mail (MailDev's API). */
export async function mailAttachment(mail: Delivered, fileName: string): Promise<{ contentType: string; bytes: Buffer }> {
  const file = mail.attachments?.find((a) => a.fileName === fileName);
  expect(file, `${fileName} attached`).toBeTruthy();
  const res = await fetch(`${mailAPI}/email/${mail.id}/attachment/${encodeURIComponent(file!.generatedFileName)}`);
  expect(res.ok).toBe(true);
  return { contentType: file!.contentType, bytes: Buffer.from(await res.arrayBuffer()) };
}

/**
 * The newest e-mail to `to` whose subject starts with `subject`, as the SMTP server received it
 * (MailDev's API; waits for delivery). Returns the plain-text part.
 */
export async function mailTo(_browser: Browser, to: string, subject: string): Promise<string> {
  return (await deliveredMail(to, subject)).text;
}

/** The whole e-mail (headers too), as [`mailTo`] finds it. */
export async function deliveredMail(to: string, subject: string): Promise<Delivered> {
  let found: Delivered | undefined;
  await expect(async () => {
    const res = await fetch(`${mailAPI}/email`);
    const all = (await res.json()) as Delivered[];
    found = all
      .filter((m) => m.to.some((t) => t.address === to) && m.subject.startsWith(subject))
      .sort((a, b) => Date.parse(b.date) - Date.parse(a.date))[0];
    expect(found, `an e-mail to ${to}: ${subject}`).toBeTruthy();
  }).toPass({ timeout: 20_000 });
  return found!;
}

type Text = { phone: string; template_code: string; params: Record<string, string>; text: string };

/**
 * The newest text message to `mobile` containing `contains` (and not `except`, e.g. an earlier
 * code), as the SMS gateway accepted it (waits for delivery).
 */
export async function smsTo(mobile: string, contains: string, timeout = 75_000, except?: string): Promise<string> {
  let found: Text | undefined;
  await expect(async () => {
    const res = await fetch(`${smsAPI}/_sim/messages`);
    const all = (await res.json()) as Text[];
    found = all.filter((t) => t.phone === mobile && t.text.includes(contains) && !(except && t.text.includes(except))).pop();
    expect(found, `a text to ${mobile} with ${contains}`).toBeTruthy();
    // A number gets one text a minute: an earlier one to it may go first.
  }).toPass({ timeout });
  return found!.text;
}

/**
 * Registers a new applicant in `page`, sends their application with a licence, has the demo
 * operator (`ops`, an API context with its session) approve it, and logs them in again: the
 * admin of a new enterprise named `name` (its credit code returned with the login).
 */
export async function openEnterpriseViaApi(page: Page, ops: APIRequestContext, name: string, address = "福州市旧地址 1 号") {
  const who = await registerViaApi(page.request);
  const code = creditCode();
  const up = await page.request.post("/api/upload_application_file", {
    headers: { accept: "application/json" },
    multipart: { purpose: "licence", file: { name: "licence.png", mimeType: "image/png", buffer: png() } },
  });
  expect(up.status(), await up.text()).toBe(200);
  const saved = await page.request.post("/api/save_application", {
    headers: { accept: "application/json" },
    form: {
      enterprise_name: name, credit_code: code, registered_address: address,
      business_scope: "软件开发", platform_name: "P", platform_url: "app", platform_description: "众包", outsourced_work: "配送", intent: "submit",
    },
  });
  expect(saved.status(), await saved.text()).toBe(200);
  const application = await (await page.request.post("/api/my_application", { headers: { accept: "application/json" } })).json();
  const approved = await ops.post("/api/decide_application", { headers: { accept: "application/json" }, form: { id: application.id, decision: "approve" } });
  expect(approved.status(), await approved.text()).toBe(200);
  const again = await page.request.post("/api/login", { headers: { accept: "application/json" }, form: { login: who.mobile, password: who.password } });
  expect(again.status()).toBeLessThan(400);
  return { ...who, creditCode: code };
}


/**
 * Tops up the enterprise the page is logged in as: finance records a bank credit of `yuan` to
 * its receiving account and confirms it (as in the console).
 */
export async function topUp(page: Page, ops: APIRequestContext, yuan: string) {
  const json = { accept: "application/json" };
  const overview = await (await page.request.post("/api/funds_overview", { headers: json })).json();
  const credit = {
    bank_ref: `T${Date.now()}${randomInt(0, 1000)}`, value_date: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
    payer_name: "付款企业", payer_account: "6225880012345678", receiving_account_no: overview.receiving.account_no, amount: yuan, bank_fee: "",
  };
  expect((await ops.post("/api/record_credit", { headers: json, form: credit })).status()).toBe(200);
  expect((await ops.post("/api/record_credit", { headers: json, form: { ...credit, confirm: "yes" } })).status()).toBe(200);
}

/** The content of a file the browser downloaded, as text. */
export async function readDownload(download: import("@playwright/test").Download): Promise<string> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf-8");
}
