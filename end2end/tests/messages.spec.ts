import { test, expect, hydrated, joinDemoEnterprise, mailTo, deliveredMail, smsTo, smsAPI, OPS_STATE } from "./fixtures";
import type { Browser, Locator } from "@playwright/test";

/** The officer publishes a promotion now (over the API, in a browser of their own). */
async function publishPromotion(browser: Browser, title: string, titleEn: string, body: string, bodyEn: string) {
  const ops = await browser.newContext({ storageState: OPS_STATE });
  const sent = await ops.request.post("/api/save_announcement", {
    headers: { accept: "application/json" },
    form: { kind: "promotion", title_zh: title, title_en: titleEn, body_zh: body, body_en: bodyEn, publish_at: "" },
  });
  expect(sent.status(), await sent.text()).toBe(200);
  await ops.close();
}

/** The message centre (P7.1, P7.2): announcements in every inbox, the unread badge, preferences, and unsubscribe from a delivered e-mail. */

async function unread(badge: Locator): Promise<number> {
  return Number(await badge.getAttribute("data-count"));
}

// Announcements and promotions go to everyone who may receive them, so these tests run one
// after another: run side by side, each would text the others' new members, and a number gets
// one text a minute.
test.describe("messages to everyone", () => {
  test.describe.configure({ mode: "default" });

  test("P7.2, P7.1: an announcement written by the officer is on the home page and in the user's inbox; the badge counts it until it is read", async ({ page, browser, playwright, baseURL }) => {
    test.setTimeout(60_000);
    const admin = await playwright.request.newContext({ baseURL });
    await joinDemoEnterprise(page.request, admin);
    await admin.dispose();
    const title = `今晚系统维护 ${Date.now().toString(36)}`;

    // The officer writes it in both languages and publishes it now.
    const ops = await (await browser.newContext({ storageState: OPS_STATE })).newPage();
    await ops.goto("/ops/outbox/announcements");
    await hydrated(ops);
    const form = ops.getByTestId("announcement-form");
    await form.getByTestId("announcement-kind").selectOption("maintenance");
    await form.getByLabel("标题（中文）").fill(title);
    await form.getByLabel("标题（英文）").fill(`Maintenance tonight ${title.slice(-6)}`);
    await form.getByLabel("正文（中文）").fill("今晚 22:00 至 23:00 暂停服务。");
    await form.getByLabel("正文（英文）").fill("The service pauses from 22:00 to 23:00 tonight.");
    await form.getByRole("button", { name: "发布" }).click();
    const row = ops.getByTestId("announcement-row").filter({ hasText: title });
    await expect(row.getByTestId("announcement-status")).toHaveText("已发布");
    await ops.context().close();

    // On the home page at once.
    await page.goto("/");
    await expect(page.getByRole("link", { name: title })).toBeVisible();

    // In the inbox once the worker has delivered it; the top bar counts it (the bar and the
    // list are read separately: a load may fall between the delivery's writes, so both are
    // checked on one load).
    const item = page.getByTestId("inbox-item").filter({ hasText: title });
    const badge = page.getByTestId("unread-badge");
    await expect(async () => {
      await page.goto("/portal/messages");
      await expect(item).toBeVisible({ timeout: 1_000 });
      await hydrated(page);
      expect(await unread(badge)).toBeGreaterThan(0);
    }).toPass({ timeout: 20_000 });
    await expect(item.getByTestId("unread")).toBeVisible();
    await item.getByTestId("mark-read").click();
    await expect(item.getByTestId("unread")).toHaveCount(0);
    // The badge follows: it counts exactly the messages still marked unread (other tests may
    // add messages meanwhile, so the two are compared on one page load).
    await expect(async () => {
      await page.reload();
      await hydrated(page);
      const marked = await page.getByTestId("inbox-item").getByTestId("unread").count();
      expect(await unread(badge)).toBe(marked);
      await expect(item.getByTestId("unread")).toHaveCount(0);
    }).toPass({ timeout: 10_000 });

    // In English, the English text.
    await page.goto("/portal/messages?lang=en");
    await expect(page.getByTestId("inbox-item").filter({ hasText: `Maintenance tonight ${title.slice(-6)}` })).toBeVisible();
  });

  test("P7.1, P7.2: preferences keep announcements and security notices on, and a channel turned off stays off", async ({ page, playwright, baseURL }) => {
    const admin = await playwright.request.newContext({ baseURL });
    await joinDemoEnterprise(page.request, admin);
    await admin.dispose();
    await page.goto("/portal/messages/preferences");
    await hydrated(page);
    await expect(page.getByTestId("mandatory-why")).toContainText("无法关闭");
    await expect(page.getByTestId("pref-announcement-email")).toContainText("无法关闭");
    await expect(page.getByTestId("pref-security-sms").getByRole("button")).toHaveCount(0);
    const cell = page.getByTestId("pref-funds-email");
    await expect(cell).toHaveAttribute("data-on", "true");
    await cell.getByTestId("pref-toggle").click();
    await expect(cell).toHaveAttribute("data-on", "false");
    await page.reload();
    await expect(page.getByTestId("pref-funds-email")).toHaveAttribute("data-on", "false");
    // Promotions are off until the user agrees (P1.2).
    await expect(page.getByTestId("pref-promotion-email")).toHaveAttribute("data-on", "false");
  });

  test("P7.1: a promotion reaches a user who allowed it, and the link in the delivered e-mail unsubscribes without logging in", async ({ page, browser, playwright, baseURL }) => {
    test.setTimeout(60_000);
    const admin = await playwright.request.newContext({ baseURL });
    const who = await joinDemoEnterprise(page.request, admin);
    await admin.dispose();
    await page.goto("/portal/messages/preferences");
    await hydrated(page);
    await page.getByTestId("promotions-toggle").click();
    await expect(page.getByTestId("promotions-state")).toContainText("您已同意接收推广消息");

    const title = `年终优惠 ${Date.now().toString(36)}`;
    await publishPromotion(browser, title, "Year-end offer", "服务费八折。", "20% off the service fee.");

    const mail = await deliveredMail(who.email, title);
    const path = mail.text.match(/\/unsubscribe\/[0-9a-f]{32}\.[0-9a-f]{64}/)![0];
    // RFC 8058: the SMTP server received both headers with the same link.
    expect(mail.headers["list-unsubscribe"]).toContain(path);
    expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");

    // Read on another device, with no session: opening the link changes nothing; the button does.
    const phone = await (await browser.newContext()).newPage();
    await phone.goto(path);
    await hydrated(phone);
    await expect(phone.getByTestId("unsubscribe")).toContainText("服务公告和安全通知不受影响");
    await phone.getByRole("button", { name: "确认退订" }).click();
    await expect(phone.getByTestId("unsubscribed")).toBeVisible();
    await phone.context().close();

    // The user's own pages say so: the preference and the consent centre are the same fact.
    await page.goto("/portal/messages/preferences");
    await expect(page.getByTestId("promotions-state")).toContainText("您尚未同意接收推广消息");
    await page.goto("/portal/privacy");
    await expect(page.getByTestId("purpose-toggle-promotions")).toHaveText("开启");
  });

  test("P7.1: a promotional text carries the opt-out wording, and replying R withdraws consent", async ({ page, browser, playwright, baseURL }) => {
    test.setTimeout(240_000);
    const admin = await playwright.request.newContext({ baseURL });
    const who = await joinDemoEnterprise(page.request, admin);
    await admin.dispose();
    await page.request.post("/api/set_purpose", { headers: { accept: "application/json" }, form: { purpose: "promotions", on: "on" } });
    const title = `短信优惠 ${Date.now().toString(36)}`;
    await publishPromotion(browser, title, "Offer", "优惠", "Offer");
    // The SMS gateway accepted the text with the provider's opt-out wording.
    // The invitation went by text first; an incident notice may come between (one a minute).
    const text = await smsTo(who.mobile, title, 180_000);
    expect(text).toBe(`【综合服务平台】${title}。详情请登录综合服务平台查看。拒收请回复R`);
    // The person replies "R" on their phone; the provider pushes the reply to the platform.
    const reply = await fetch(`${smsAPI}/_sim/reply`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ phone: who.mobile, content: "R" }),
    });
    expect(reply.status, await reply.text()).toBe(200);
    await page.goto("/portal/messages/preferences");
    await hydrated(page);
    await expect(page.getByTestId("promotions-state")).toContainText("您尚未同意接收推广消息");
  });

  test.describe("without JavaScript", () => {
    test.use({ javaScriptEnabled: false });

    test("P7.1: the unsubscribe page works before the WASM loads", async ({ page, browser, playwright, baseURL }) => {
      test.setTimeout(60_000);
      const admin = await playwright.request.newContext({ baseURL });
      const who = await joinDemoEnterprise(page.request, admin);
      await admin.dispose();
      await page.request.post("/api/set_purpose", { headers: { accept: "application/json" }, form: { purpose: "promotions", on: "on" } });
      const title = `无脚本优惠 ${Date.now().toString(36)}`;
      await publishPromotion(browser, title, "Offer", "优惠", "Offer");
      const body = await mailTo(browser, who.email, title);
      const path = body.match(/\/unsubscribe\/[0-9a-f]{32}\.[0-9a-f]{64}/)![0];
      await page.goto(path);
      await page.getByRole("button", { name: "确认退订" }).click();
      await expect(page).toHaveURL(/\?done=1$/);
      await expect(page.getByTestId("unsubscribed")).toBeVisible();
      // It took effect: the consent centre offers to switch promotions on again.
      await page.goto("/portal/privacy");
      await expect(page.getByTestId("purpose-toggle-promotions")).toHaveText("开启");
    });
  });
});
