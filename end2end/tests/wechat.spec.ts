import AxeBuilder from "@axe-core/playwright";
import { APIRequestContext, Browser, BrowserContext, Page, devices } from "@playwright/test";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { test, expect, hydrated, registerViaApi, newApplicant, consentCookie, clockURL, joinDemoEnterprise } from "./fixtures";

/**
 * Issue 15 (P1.1.3): WeChat scan-login with two browser contexts: the desktop (1440 px) shows
 * the QR code; a phone (iPhone-sized, touch, WeChat's `MicroMessenger` User-Agent) opens the URL
 * read from the code's pixels, goes through the WeChat simulator's authorisation, and confirms
 * or cancels; the desktop follows without a reload. The simulator has three users; each test
 * uses its own (one WeChat account binds one login person).
 */

const PHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47 NetType/WIFI Language/zh_CN";

/** A phone inside WeChat: its own context, with the console guarded. */
async function phone(browser: Browser, baseURL: string) {
  const context = await browser.newContext({ ...devices["iPhone 13"], userAgent: PHONE_UA, viewport: { width: 375, height: 812 }, baseURL });
  await context.addCookies(consentCookie(baseURL));
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(e.message));
  return { context, page, problems };
}

/** The URL the QR code on `page` encodes, read from its pixels. */
async function qrUrl(page: Page): Promise<string> {
  const code = page.getByTestId("wechat-qr-code");
  await expect(code.locator("svg")).toBeVisible();
  const png = PNG.sync.read(await code.screenshot());
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(found, "the QR code decodes").toBeTruthy();
  // The same URL the page says it drew.
  expect(found!.data).toBe(await code.getAttribute("data-scan-url"));
  return found!.data;
}

/** On the simulator's authorisation page, the WeChat user `nickname` allows (or refuses). */
async function wechatDecides(p: Page, nickname: string, allow = true) {
  await expect(p.getByRole("heading", { name: "微信授权（模拟器）" })).toBeVisible();
  await p.getByLabel(nickname).check();
  await p.getByRole("button", { name: allow ? "允许" : "拒绝" }).click();
}

async function axeClean(p: Page) {
  const result = await new AxeBuilder({ page: p }).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

/** Shows the binding code in account settings (the password again). */
async function startBinding(page: Page, password: string) {
  await page.goto("/portal/account");
  await hydrated(page);
  const card = page.getByTestId("wechat-binding");
  await card.getByLabel("当前密码").fill(password);
  await card.getByRole("button", { name: "绑定微信" }).click();
  await expect(card.getByTestId("wechat-state")).toHaveText("等待扫码……");
}

/** A new member of the demo enterprise, logged in on `page`. */
async function member(page: Page, playwright: { request: { newContext: (o: { baseURL?: string }) => Promise<APIRequestContext> } }, baseURL: string) {
  const admin = await playwright.request.newContext({ baseURL });
  const who = await joinDemoEnterprise(page.request, admin);
  await admin.dispose();
  return who;
}

test("P1.1.3: bind WeChat in account settings, then log in by scanning: the desktop is logged in without a reload; unbind", async ({ page, browser, baseURL, playwright }) => {
  test.setTimeout(90_000);
  const who = await member(page, playwright, baseURL!);
  await startBinding(page, who.password);
  const phoneA = await phone(browser, baseURL!);
  // Binding: WeChat asks for the profile (snsapi_userinfo); the phone is asked to bind.
  await phoneA.page.goto(await qrUrl(page));
  await expect(phoneA.page.getByText("申请获取你的昵称、头像")).toBeVisible();
  await wechatDecides(phoneA.page, "王五");
  await expect(phoneA.page.getByRole("heading", { name: "将此微信绑定到以下账号？" })).toBeVisible();
  await expect(phoneA.page.getByTestId("scan-account")).toContainText(who.mobile.slice(-4));
  await axeClean(phoneA.page);
  await phoneA.page.getByTestId("scan-confirm").click();
  await expect(phoneA.page.getByText("绑定成功，可以用此微信扫码登录了。")).toBeVisible();
  // The desktop shows the binding, with the nickname and the stored avatar.
  const card = page.getByTestId("wechat-binding");
  await expect(card.getByTestId("wechat-nickname")).toHaveText("王五");
  await expect(card.getByTestId("wechat-avatar")).toHaveAttribute("src", /^data:image\/png;base64,/);

  // Log out, and log in by scanning: silent this time (snsapi_base), then "log in on the computer?".
  await page.request.post("/api/logout", { headers: { accept: "application/json" } });
  await page.goto("/login");
  await hydrated(page);
  await page.getByTestId("tab-wechat").click();
  await expect(page.getByTestId("wechat-state")).toHaveText("等待扫码……");
  await page.evaluate(() => ((window as unknown as { __same: boolean }).__same = true));
  await phoneA.page.goto(await qrUrl(page));
  await expect(phoneA.page.getByRole("heading", { name: "在电脑上登录？" })).toBeVisible();
  await expect(page.getByTestId("wechat-state")).toHaveText("已扫码，请在手机上确认。");
  await expect(phoneA.page.getByTestId("scan-device")).toHaveText(/Chrome/);
  await expect(phoneA.page.getByTestId("scan-place")).toContainText("本机");
  await axeClean(phoneA.page);
  await phoneA.page.getByTestId("scan-confirm").click();
  await expect(phoneA.page.getByText("已确认，请回到电脑继续。")).toBeVisible();
  await expect(page).toHaveURL(/\/portal$/);
  expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same), "no reload").toBe(true);

  // The login history names the method; unbinding deletes the profile.
  await page.goto("/portal/account");
  await hydrated(page);
  await expect(page.getByTestId("login-history").locator("tbody tr").first()).toContainText("微信扫码");
  await page.getByTestId("wechat-unbind").click();
  await expect(page.getByTestId("wechat-unbound")).toBeVisible();
  await expect(page.getByTestId("wechat-none")).toBeVisible();
  expect(phoneA.problems).toEqual([]);
  await phoneA.context.close();
});

test("P1.1.3: cancelling on the phone shows on the desktop; outside WeChat the page says to scan with WeChat", async ({ page, browser, baseURL, playwright }) => {
  test.setTimeout(60_000);
  const who = await member(page, playwright, baseURL!);
  await startBinding(page, who.password);
  const url = await qrUrl(page);
  const phoneB = await phone(browser, baseURL!);
  await phoneB.page.goto(url);
  await wechatDecides(phoneB.page, "李四");
  await phoneB.page.getByTestId("scan-cancel").click();
  await expect(phoneB.page.getByText("已取消，电脑不会登录。")).toBeVisible();
  await expect(page.getByTestId("wechat-state")).toHaveText("已在手机上取消。");
  expect(phoneB.problems).toEqual([]);
  await phoneB.context.close();
  // The same URL in a browser that is not WeChat's (375 px): scan it with WeChat.
  const other = await browser.newContext({ viewport: { width: 375, height: 812 }, baseURL });
  await other.addCookies(consentCookie(baseURL!));
  const plain = await other.newPage();
  await plain.goto(url);
  await expect(plain.getByTestId("scan-step")).toHaveAttribute("data-step", "outside_wechat");
  await axeClean(plain);
  await other.close();
});

test("P1.1.3: an expired code offers a new one (English)", async ({ browser }) => {
  test.setTimeout(60_000);
  // The clock server's codes last 15 s (`--wechat-ticket-seconds 15`).
  const context = await browser.newContext({ baseURL: clockURL, viewport: { width: 1440, height: 900 } });
  await context.addCookies(consentCookie(clockURL));
  const page = await context.newPage();
  await page.goto("/login?via=wechat&lang=en");
  await hydrated(page);
  await expect(page.getByTestId("wechat-state")).toHaveText("Waiting for a scan…");
  const first = await page.getByTestId("wechat-qr-code").getAttribute("data-scan-url");
  expect(first).toMatch(/\/wx\/scan\/[0-9a-f]+\?lang=en$/);
  await expect(page.getByTestId("wechat-state")).toHaveText("The code has expired.", { timeout: 25_000 });
  await page.getByTestId("wechat-refresh").click();
  await expect(page.getByTestId("wechat-state")).toHaveText("Waiting for a scan…");
  await expect(page.getByTestId("wechat-qr-code")).not.toHaveAttribute("data-scan-url", first!);
  await context.close();
});

/** Binds WeChat user `key` to the login person logged in on `request`, over HTTP (as a phone would). */
async function bindOverHttp(request: APIRequestContext, phoneRequest: APIRequestContext, password: string, key: string) {
  const json = { accept: "application/json" };
  const begun = await request.post("/api/begin_wechat_bind", { headers: json, form: { password, lang: "zh-CN" }, maxRedirects: 0 });
  expect(begun.status(), await begun.text()).toBeLessThan(400);
  const t = await (await request.post("/api/start_wechat_scan", { headers: json, form: { purpose: "bind", lang: "zh-CN" } })).json();
  await scanOverHttp(phoneRequest, t.scan_url, key);
  const done = await phoneRequest.post("/api/decide_wechat_scan", { headers: json, form: { ticket: t.ticket, decision: "confirm" } });
  expect((await done.json()).step).toBe("confirmed");
}

/** A phone opens `url` and the WeChat user `key` allows; returns when it is back on the page. */
async function scanOverHttp(phoneRequest: APIRequestContext, url: string, key: string) {
  const opened = await phoneRequest.get(url, { maxRedirects: 0 });
  expect(opened.status()).toBe(303);
  let to = new URL(opened.headers()["location"]);
  if (to.pathname.endsWith("/connect/oauth2/authorize")) {
    const q = to.searchParams;
    const decided = await phoneRequest.post(`${to.origin}/wxsim/_sim/decide`, {
      form: { appid: q.get("appid")!, redirect_uri: q.get("redirect_uri")!, scope: q.get("scope")!, state: q.get("state")!, user: key, decision: "allow" },
      maxRedirects: 0,
    });
    to = new URL(decided.headers()["location"]);
  }
  const back = await phoneRequest.get(to.toString(), { maxRedirects: 0 });
  expect(back.status()).toBe(303);
}

test("P1.1.3: without JavaScript the code is shown and 'I have confirmed' logs in", async ({ browser, baseURL, playwright }) => {
  test.setTimeout(60_000);
  const setup = await playwright.request.newContext({ baseURL });
  const who = await registerViaApi(setup, newApplicant());
  const phoneRequest = await playwright.request.newContext({ baseURL, userAgent: PHONE_UA });
  await bindOverHttp(setup, phoneRequest, who.password, "zhang");
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL, viewport: { width: 1440, height: 900 } });
  await context.addCookies(consentCookie(baseURL!));
  const page = await context.newPage();
  await page.goto("/login?via=wechat");
  const url = await qrUrl(page);
  await scanOverHttp(phoneRequest, url, "zhang");
  const ticket = new URL(url).pathname.split("/").pop()!;
  const json = { accept: "application/json" };
  const decided = await phoneRequest.post("/api/decide_wechat_scan", { headers: json, form: { ticket, decision: "confirm" } });
  expect((await decided.json()).step).toBe("confirmed");
  await page.getByTestId("wechat-confirmed").click();
  // Logged in: an applicant's portal is the application form.
  await expect(page).toHaveURL(/\/(portal|register)$/);
  const me = await (await page.request.post("/api/whoami", { headers: json })).json();
  expect(me?.name).toBe(who.name);
  // Unbound again, so that the simulator's user is free for the next run.
  await setup.post("/api/login", { headers: json, form: { login: who.mobile, password: who.password } });
  await setup.post("/api/unbind_wechat", { headers: json });
  await Promise.all([context.close(), setup.dispose(), phoneRequest.dispose()]);
});
