import { test, expect, hydrated, OPS_STATE, openEnterpriseViaApi, topUp } from "./fixtures";
import { execFileSync } from "node:child_process";
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
