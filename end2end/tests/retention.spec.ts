import AxeBuilder from "@axe-core/playwright";
import { test, expect, hydrated, openEnterpriseViaApi, OPS_STATE } from "./fixtures";

/**
 * Retention (issue 16 §6, P4.2) in the console: the privacy officer places a legal hold on an
 * enterprise (its reason required), runs a dry run and a real run — each listed with its counts
 * — and releases the hold.
 */

test.use({ storageState: OPS_STATE, allowConsole: [/status of 422/] });

test("P4.2: a legal hold is placed with its reason, a dry run and a run are listed, and the hold is released", async ({ page, browser, playwright, baseURL }) => {
  test.setTimeout(90_000);
  const ops = await playwright.request.newContext({ baseURL, storageState: OPS_STATE });
  const applicant = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const company = `保全测试${Date.now()}有限公司`;
  const who = await openEnterpriseViaApi(await applicant.newPage(), ops, company);
  await applicant.close();

  await page.goto("/ops/privacy/retention");
  await hydrated(page);
  const holds = page.getByTestId("legal-holds");
  // No reason: refused, the field says why.
  await holds.getByLabel("统一社会信用代码").fill(who.creditCode);
  await holds.getByRole("button", { name: "设置保全" }).click();
  await expect(holds.locator('[data-field-error="reason"]')).toBeVisible();
  await holds.getByLabel("理由").fill("劳动仲裁进行中，保全证据。");
  await holds.getByRole("button", { name: "设置保全" }).click();
  const hold = holds.getByTestId("legal-hold").filter({ hasText: company });
  await expect(hold).toHaveAttribute("data-open", "true");
  await expect(hold).toContainText("劳动仲裁进行中");

  // A dry run, then a run: each is listed first, marked as what it was.
  const runs = page.getByTestId("retention-run-row");
  const before = await runs.count();
  await page.getByTestId("retention-dry-run").click();
  await expect(runs).toHaveCount(before + 1);
  await expect(runs.first()).toHaveAttribute("data-dry", "true");
  await expect(runs.first()).toContainText("试运行");
  await page.getByTestId("retention-run").click();
  await expect(runs).toHaveCount(before + 2);
  await expect(runs.first()).toHaveAttribute("data-dry", "false");

  // Released: the row keeps the hold with its release time.
  await hold.getByTestId("release-hold").click();
  await expect(hold).toHaveAttribute("data-open", "false");
  await expect(hold.getByTestId("release-hold")).toHaveCount(0);

  const result = await new AxeBuilder({ page }).analyze();
  expect(result.violations.map((v) => `${v.id} ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
  await ops.dispose();
});
