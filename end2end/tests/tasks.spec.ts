import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { test, expect, hydrated, openEnterpriseViaApi, OPS_STATE } from "./fixtures";

/**
 * The task library (issue 18 §1, P1.1.6): a new enterprise's admin saves a draft with only its
 * title, completes it and sends it for review; the reviewer sees it flagged by a forbidden term
 * and asks for changes with a reason; the admin reads the reason, changes it and sends it again;
 * the reviewer approves it, it is open, and the admin closes it.
 */

test.use({ allowConsole: [/status of 422/] });

async function axeClean(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.violations.map((v) => `${what}: ${v.id} ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
}

const day = (offset: number) => new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);

test("P1.1.6: publish a draft, send it for review, changes asked and made, approved, open, then closed", async ({ page, browser, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const ops = await playwright.request.newContext({ baseURL, storageState: OPS_STATE });
  const company = `任务测试${Date.now()}有限公司`;
  const title = `同城配送${Date.now()}`;
  await openEnterpriseViaApi(page, ops, company);

  // A draft needs only its title.
  await page.goto("/portal/tasks");
  await hydrated(page);
  const form = page.getByTestId("new-task");
  await form.getByLabel("任务名称").fill(title);
  await form.getByTestId("save-draft").click();
  const row = page.getByTestId("task-row").filter({ hasText: title });
  await expect(row.getByTestId("task-status")).toHaveText("草稿");
  await axeClean(page, "tasks");

  // Completed on its page and sent for review; a missing field is named first.
  await row.getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(/\/portal\/tasks\/[0-9a-f]+$/);
  await hydrated(page);
  const edit = page.getByTestId("task-detail");
  await edit.getByTestId("send-for-review").click();
  await expect(edit.locator('[data-field-error="description"]')).not.toBeEmpty();
  await edit.getByLabel("任务说明").fill("午间高峰配送餐食，高薪刷单勿扰。");
  await edit.getByTestId("select-category").selectOption("配送");
  await edit.getByLabel("城市").fill("福州");
  await edit.getByTestId("select-pay_kind").selectOption("per_unit");
  await edit.getByLabel("单价（元）").fill("8.50");
  await edit.getByLabel("预计数量").fill("200");
  await edit.getByLabel("需要人数").fill("5");
  await edit.getByLabel("开始日期").fill(day(0));
  await edit.getByLabel("结束日期").fill(day(30));
  await edit.getByTestId("send-for-review").click();
  await expect(edit.getByTestId("task-status")).toHaveText("审核中");

  // The reviewer sees it flagged and asks for changes with a reason.
  const reviewer = await (await browser.newContext({ storageState: OPS_STATE })).newPage();
  await reviewer.goto("/ops/tasks");
  await hydrated(reviewer);
  const item = reviewer.getByTestId("task-item").filter({ hasText: title });
  await expect(item.getByTestId("task-flags")).toContainText("刷单");
  await expect(item).toContainText("¥1,700.00");
  await axeClean(reviewer, "task review");
  await item.getByTestId("changes-note").fill("请删除“刷单”字样");
  await item.getByTestId("ask-changes").click();
  await expect(item).toHaveCount(0);

  // The admin reads the reason, changes the description and sends it again.
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("task-note")).toContainText("请删除“刷单”字样");
  await expect(edit.getByTestId("task-status")).toHaveText("需修改");
  await edit.getByLabel("任务说明").fill("午间高峰配送餐食，每单 3 公里以内。");
  await edit.getByTestId("send-for-review").click();
  await expect(edit.getByTestId("task-status")).toHaveText("审核中");

  // Approved: open; the admin closes it from the library.
  await reviewer.reload();
  await hydrated(reviewer);
  const again = reviewer.getByTestId("task-item").filter({ hasText: title });
  await expect(again.getByTestId("task-flags")).toHaveCount(0);
  await again.getByTestId("approve-task").click();
  await expect(again).toHaveCount(0);
  await reviewer.context().close();
  await page.goto("/portal/tasks");
  await hydrated(page);
  const open = page.getByTestId("task-row").filter({ hasText: title });
  await expect(open.getByTestId("task-status")).toHaveText("已开放");
  await open.getByTestId("close-task").click();
  await expect(open.getByTestId("task-status")).toHaveText("已关闭");
  await ops.dispose();
});
