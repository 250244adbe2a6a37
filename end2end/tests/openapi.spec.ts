import { test, expect, hydrated, OPS_STATE, openEnterpriseViaApi, topUp } from "./fixtures";
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";

/**
 * The open API (issue 19): an admin creates a key in the portal and sees the secret once; the
 * reference client (clients/openapi_client.py) creates a payment order with it; the order is in
 * the portal; the secret is never shown again; revoking the key stops it.
 */

const CLIENT = join(__dirname, "..", "..", "clients", "openapi_client.py");

function client(baseURL: string, keyId: string, secret: string, ...args: string[]): { status: number; body: any } {
  let out: string;
  try {
    out = execFileSync("python3", [CLIENT, "--base", baseURL, "--key-id", keyId, "--secret", secret, ...args], { encoding: "utf-8" });
  } catch (e: any) {
    out = e.stdout; // a non-2xx answer exits 1 and still prints
  }
  const [status, ...rest] = out.trim().split("\n");
  return { status: Number(status), body: JSON.parse(rest.join("\n")) };
}

test.use({ allowConsole: [/status of 422/] });

test("an admin creates a key, sees the secret once, and the reference client pays with it", async ({ page, playwright, baseURL }) => {
  test.setTimeout(90_000);
  const ops = await playwright.request.newContext({ baseURL, storageState: OPS_STATE });
  await openEnterpriseViaApi(page, ops, `接口测试${Date.now()}有限公司`);
  await topUp(page, ops, "100");
  await ops.dispose();

  await page.goto("/portal/business/api");
  await hydrated(page);
  const form = page.getByTestId("api-key-new");
  // No scope: named, nothing issued.
  await form.getByLabel("名称").fill("ERP 系统");
  await form.getByRole("button", { name: "新建密钥" }).click();
  await expect(form.locator('[data-field-error="scopes"]')).toHaveText("此项为必填项");
  await form.getByLabel("付款订单（创建、查询）").check();
  await form.getByRole("button", { name: "新建密钥" }).click();
  const issued = page.getByTestId("api-issued");
  await expect(issued).toContainText("只显示这一次");
  const keyId = (await issued.getByTestId("api-key-id").textContent())!.trim();
  const secret = (await issued.getByTestId("api-secret").textContent())!.trim();
  expect(keyId).toMatch(/^ak_[0-9a-f]{20}$/);
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  const row = page.locator(`[data-testid="api-key-row"][data-key="${keyId}"]`);
  await expect(row).toContainText("付款订单");
  await expect(row).not.toContainText(secret);
  await expect(page.getByTestId("api-key-list")).not.toContainText(secret);

  // The reference client creates an order with the key; the portal shows it.
  const orderId = `API-E2E-${Date.now()}`;
  const body = JSON.stringify({ order_id: orderId, payee_name: "张三", id_number: "110105199001011232", channel: "bank", account: "6222021234561234", mobile: "13900000011", amount: "12.30" });
  const created = client(baseURL!, keyId, secret, "POST", "/openapi/v1/orders", body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.body.order.amount).toBe("12.30");
  await page.goto("/portal/funds/orders");
  await hydrated(page);
  await expect(page.getByText(orderId)).toBeVisible();

  // Reloaded, the secret is gone for good.
  await page.goto("/portal/business/api");
  await hydrated(page);
  await expect(page.getByTestId("api-issued")).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id} ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);

  // Revoked, the key is refused.
  await page.locator(`[data-testid="api-key-row"][data-key="${keyId}"]`).getByTestId("api-revoke").click();
  await expect(page.locator(`[data-testid="api-key-row"][data-key="${keyId}"]`)).toHaveAttribute("data-status", "revoked");
  const refused = client(baseURL!, keyId, secret, "GET", `/openapi/v1/orders/${orderId}`);
  expect(refused.status).toBe(401);
  expect(refused.body.code).toBe("key_revoked");
});

/** A local receiver of callbacks: what it got (headers and body), answering 204. */
async function receiver() {
  const got: { id: string; timestamp: string; signature: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const h = (n: string) => String(req.headers[n] ?? "");
      got.push({ id: h("x-callback-id"), timestamp: h("x-timestamp"), signature: h("x-signature"), body });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/cb`, got, close: () => server.close() };
}

test("a paid order is called back, signed, to the enterprise's receiver and shown in the delivery log", async ({ page, playwright, baseURL }) => {
  test.setTimeout(90_000);
  const rx = await receiver();
  const ops = await playwright.request.newContext({ baseURL, storageState: OPS_STATE });
  await openEnterpriseViaApi(page, ops, `回调测试${Date.now()}有限公司`);
  await topUp(page, ops, "100");
  await ops.dispose();

  await page.goto("/portal/business/api");
  await hydrated(page);
  const card = page.getByTestId("api-callbacks");
  await expect(card.getByTestId("callback-off")).toBeVisible();
  await card.getByLabel("回调地址").fill("ftp://example.com/cb");
  await card.getByRole("button", { name: "保存回调设置" }).click();
  await expect(card.locator('[data-field-error="url"]')).not.toBeEmpty();
  await card.getByLabel("回调地址").fill(rx.url);
  await card.getByRole("button", { name: "保存回调设置" }).click();
  const issued = card.getByTestId("callback-issued");
  await expect(issued).toContainText("只显示这一次");
  const cbSecret = (await issued.getByTestId("callback-secret").textContent())!.trim();
  expect(cbSecret).toMatch(/^[0-9a-f]{64}$/);

  const form = page.getByTestId("api-key-new");
  await form.getByLabel("名称").fill("回调系统");
  await form.getByLabel("付款订单（创建、查询）").check();
  await form.getByRole("button", { name: "新建密钥" }).click();
  const key = page.getByTestId("api-issued");
  const keyId = (await key.getByTestId("api-key-id").textContent())!.trim();
  const secret = (await key.getByTestId("api-secret").textContent())!.trim();

  // The order is paid by the payout worker; its status changes arrive, signed.
  const orderId = `CB-E2E-${Date.now()}`;
  const body = JSON.stringify({ order_id: orderId, payee_name: "张三", id_number: "110105199001011232", channel: "bank", account: "6222021234561234", mobile: "13900000011", amount: "8.80" });
  expect(client(baseURL!, keyId, secret, "POST", "/openapi/v1/orders", body).status).toBe(201);
  const paid = () => rx.got.find((g) => g.body.includes(orderId) && JSON.parse(g.body).data.status === "paid");
  await expect.poll(() => Boolean(paid()), { timeout: 30_000 }).toBe(true);
  const cb = paid()!;
  const expected = createHmac("sha256", cbSecret).update(`${cb.timestamp}\n${cb.id}\n${cb.body}`).digest("hex");
  expect(cb.signature).toBe(expected);
  const payload = JSON.parse(cb.body);
  expect(payload.event).toBe("order.status_changed");
  expect(payload.data.amount).toBe("8.80");
  expect(cb.body).not.toContain("张三");

  // The log shows it delivered; a re-send arrives again with the same id.
  await page.reload();
  await hydrated(page);
  const row = page.locator(`[data-testid="callback-row"][data-subject="${orderId}"][data-status="delivered"]`).first();
  await expect(row).toContainText("HTTP 204");
  const ours = () => rx.got.filter((g) => g.body.includes(orderId)).length;
  const before = ours();
  await page.locator(`[data-testid="callback-row"]`).filter({ hasText: orderId }).getByTestId("callback-resend").first().click();
  await expect.poll(ours, { timeout: 15_000 }).toBeGreaterThan(before);
  await expect(card.getByTestId("callback-log")).toContainText("付款订单状态变化");
  rx.close();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a key and a callback secret issued without the WASM are shown once, and the key works", async ({ page, playwright, baseURL }) => {
    test.setTimeout(90_000);
    const ops = await playwright.request.newContext({ baseURL, storageState: OPS_STATE });
    await openEnterpriseViaApi(page, ops, `无脚本接口${Date.now()}有限公司`);
    await ops.dispose();

    await page.goto("/portal/business/api");
    const form = page.getByTestId("api-key-new");
    await form.getByLabel("名称").fill("ERP 系统");
    await form.getByLabel("资金查询（余额、流水、账单、回单）").check();
    await form.getByRole("button", { name: "新建密钥" }).click();
    await expect(page).toHaveURL(/\/portal\/business\/api\??$/);
    const issued = page.getByTestId("api-issued");
    await expect(issued).toContainText("只显示这一次");
    const keyId = (await issued.getByTestId("api-key-id").textContent())!.trim();
    const secret = (await issued.getByTestId("api-secret").textContent())!.trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(client(baseURL!, keyId, secret, "GET", "/openapi/v1/balance").status).toBe(200);
    await page.reload();
    await expect(page.getByTestId("api-issued")).toHaveCount(0);
    await expect(page.locator("body")).not.toContainText(secret);

    const card = page.getByTestId("api-callbacks");
    await card.getByLabel("回调地址").fill("http://127.0.0.1:9/cb");
    await card.getByRole("button", { name: "保存回调设置" }).click();
    await expect(page.getByTestId("callback-secret")).toHaveText(/^[0-9a-f]{64}$/);
    await page.reload();
    await expect(page.getByTestId("callback-secret")).toHaveCount(0);
  });
});
