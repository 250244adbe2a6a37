import { test as setup, expect } from "@playwright/test";
import { DEMO, OPS_STATE, totp } from "./fixtures";

// The demo operator's console session, shared by the console tests (each TOTP code can be
// used once, so the operator logs in through the API once rather than in every test).
setup("log the demo operator in", async ({ request }) => {
  const json = { accept: "application/json" };
  let res = await request.post("/api/ops_login", {
    headers: json,
    form: { login: DEMO.operatorLogin, password: DEMO.operatorPassword },
  });
  expect(res.status()).toBeLessThan(400);
  // A code is accepted once: on a quick re-run the current one may be used already, and the
  // next step's code (inside the accepted window) is tried.
  for (const offset of [0, 30_000]) {
    res = await request.post("/api/ops_totp", {
      headers: json,
      form: { code: totp(DEMO.operatorTotpSecret, Date.now() + offset) },
    });
    if (res.status() < 400) break;
  }
  expect(res.status(), await res.text()).toBeLessThan(400);
  // The operator's browser has made its cookie choice, so the banner stays out of the way.
  res = await request.post("/api/save_consent", { headers: json, form: { choice: "reject_all", lang: "zh-CN" } });
  expect(res.status()).toBeLessThan(400);
  await request.storageState({ path: OPS_STATE });
});
