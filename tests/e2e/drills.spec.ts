import { expect, loginAs, test } from "./support";

// Beijing-time "datetime-local" values n days (and h hours) from now.
const local = (days: number, hours = 0) =>
  new Date(Date.now() + 8 * 3600_000 + days * 86400_000 + hours * 3600_000).toISOString().slice(0, 16);
const SCENARIO = "夜班期间 3 号液氨储罐出口阀门填料泄漏，氨气向装卸区扩散";

test("a double-blind drill: planned in secret, started, logged from a phone, scored by two evaluators, its finding closed with evidence, closed", async ({
  page,
  phone,
}) => {
  page.on("dialog", (d) => d.accept());
  await loginAs(page, "officer");
  await page.getByRole("link", { name: "应急演练", exact: true }).click();
  await page.getByRole("link", { name: "新增应急预案" }).click();
  await page.getByLabel("预案类型").selectOption("special");
  await page.getByLabel("预案名称").fill("液氨泄漏专项应急预案");
  await page.getByLabel("适用的事故情景").fill("液氨储罐、管线泄漏");
  await page.getByLabel("应急组织与职责").fill("总指挥：主要负责人\n抢险组：生产部");
  await page.getByLabel("发布实施日期").fill("2026-03-01");
  await page.getByRole("button", { name: "保存预案" }).click();
  await expect(page.getByText("演练周期 6 个月")).toBeVisible();

  await page.getByRole("link", { name: "安排演练" }).click();
  await page.getByLabel("演练名称").fill("液氨泄漏夜间双盲演练");
  await page.getByLabel("双盲演练").check();
  // Nothing is announced by default; this drill tells participants its window.
  const announce = page.getByLabel(/向参演人员预告时间窗/);
  await expect(announce).not.toBeChecked();
  await announce.check();
  // Missing evaluators are caught before anything is saved.
  await page.getByLabel("时间窗开始").fill(local(3));
  await page.getByLabel("时间窗结束").fill(local(10));
  await page.getByLabel("计划开始时间（保密）").fill(local(5, 2));
  await page.getByLabel("演练目标").fill("检验夜班发现、报警和疏散");
  await page.getByLabel("演练情景").fill(SCENARIO);
  await page.getByLabel("注入 1 标题").fill("风向变化");
  await page.locator('[name="injects.0.body"]').fill("风向转为东南，氨气飘向办公楼");
  for (const box of await page.locator(".checklist input[type=checkbox]").all()) await box.check();
  await page.getByRole("button", { name: "保存演练计划" }).click();
  await expect(page.getByText("请至少指定一名评估人员")).toBeVisible();
  await page.getByLabel("计划开始时间（保密）").fill(local(5, 2));
  const evaluators = page.getByRole("group", { name: /^评估人员/ });
  await evaluators.getByLabel(/王检查/).check();
  await evaluators.getByLabel(/赵评估/).check();
  await page.getByRole("button", { name: "保存演练计划" }).click();
  await expect(page.getByTestId("scenario")).toHaveText(SCENARIO);
  const drillUrl = new URL(page.url()).pathname;

  // The participant's phone: a drill in a window, and nothing more.
  const worker = await phone();
  await loginAs(worker, "worker");
  await worker.goto("/drills");
  await expect(worker.getByRole("link", { name: "双盲演练（时间窗内择机开展）" }).first()).toBeVisible();
  await worker.goto(drillUrl);
  await expect(worker.getByTestId("drill-when")).toContainText("具体时间和内容不预先通知");
  const before = await worker.content();
  for (const secret of [SCENARIO, "液氨泄漏夜间双盲演练", "风向转为东南", "检验夜班"])
    expect(before).not.toContain(secret);

  await page.getByRole("button", { name: "开始演练" }).click();
  await expect(page.getByText("演练已开始")).toBeVisible();
  // The participant's open page learns of the start by itself.
  await expect(worker.getByTestId("scenario")).toHaveText(SCENARIO, { timeout: 15_000 });

  // A participant takes part but does not write the official log: no button, and the log page refuses.
  await expect(worker.getByRole("link", { name: "记录演练过程" })).toHaveCount(0);
  const refused = await worker.goto(`${drillUrl}/log`);
  expect(refused?.status()).toBe(403);
  await expect(worker.getByText("演练记录只能由组织者、导调人员和评估人员填写")).toBeVisible();

  // The evaluator's phone logs milestones with one tap each; a double tap is one entry.
  const logger = await phone();
  await loginAs(logger, "evaluator");
  await logger.goto(`${drillUrl}/log`);
  for (const m of ["发出警报", "首次报告", "疏散完成"]) {
    await logger.getByRole("button", { name: m }).click();
    await expect(logger.getByRole("status")).toHaveText(`已记录：${m}`);
  }
  await logger.getByRole("button", { name: "发出警报" }).click();
  await expect(logger.getByRole("status")).toContainText("未重复记录");
  await logger.getByLabel("记录内容").fill("装卸区 12 人撤至上风向集合点");
  await logger.getByRole("button", { name: "保存记录" }).click();
  await expect(logger.locator(".timeline")).toContainText("装卸区 12 人撤至上风向集合点");
  await expect(logger.locator(".timeline")).toContainText("记录人");
  await logger.screenshot({ path: "test-results/drill-log-phone.png", fullPage: true });
  await worker.goto(drillUrl);
  await expect(worker.getByTestId("scenario")).toHaveText(SCENARIO);

  await page.getByRole("button", { name: "结束演练" }).click();
  await expect(page.getByText("演练已结束。")).toBeVisible();
  await expect(page.getByTestId("rt-first_report")).not.toHaveText("—");

  // Two evaluators each fill their own sheet; the second also records a finding.
  for (const [who, rating] of [
    ["inspector", "优（顺利完成"],
    ["evaluator", "良（基本完成"],
  ] as const) {
    const p = await phone();
    await loginAs(p, who);
    await p.goto(`${drillUrl}/evaluate`);
    await p.getByRole("button", { name: "提交评估表" }).click();
    await expect(p.getByText("提交前请为每一项和总体评定选择等级")).toBeVisible();
    for (const group of await p.getByRole("radiogroup").all()) await group.getByLabel(rating).check();
    if (who === "evaluator") await p.screenshot({ path: "test-results/drill-evaluate-phone.png", fullPage: true });
    await p.getByRole("button", { name: "提交评估表" }).click();
    await expect(p).toHaveURL(new RegExp(`${drillUrl}$`));
    if (who === "evaluator") {
      await p.getByLabel("发现的问题").fill("装卸区应急广播听不清");
      await p.getByLabel("整改责任人").selectOption({ index: 1 });
      await p.getByLabel("整改期限").fill(local(30).slice(0, 10));
      await p.getByRole("button", { name: "记录问题并生成整改项" }).click();
      await expect(p.getByRole("link", { name: "装卸区应急广播听不清" })).toBeVisible();
    }
  }

  // The drill cannot close while the item is open.
  await page.reload();
  await expect(page.getByTestId("overall-rating")).toContainText("均分 3.5");
  await page.getByRole("button", { name: "关闭演练" }).click();
  await expect(page.getByText("还有 1 项整改未关闭或未被接受")).toBeVisible();

  await page.getByRole("link", { name: "装卸区应急广播听不清" }).click();
  await page.getByLabel("整改情况说明").fill("装卸区加装 2 只防爆扬声器，已试音");
  await page.getByRole("button", { name: "提交", exact: true }).click();
  await expect(page.getByTestId("rectification-status")).toHaveText("待验收");
  // The organizer submitted the evidence, so someone else verifies it: an evaluator.
  await expect(page.getByRole("button", { name: "提交验收结论" })).toHaveCount(0);
  const itemUrl = new URL(page.url()).pathname;
  await logger.goto(itemUrl);
  await logger.getByLabel("验收意见").fill("现场试音清晰");
  await logger.getByRole("button", { name: "提交验收结论" }).click();
  await expect(logger.getByTestId("rectification-status")).toHaveText("已验收关闭");

  await page.goto(drillUrl);
  await page.getByLabel("演练总结").fill("夜班发现和报警及时，疏散有序");
  await page.getByRole("button", { name: "关闭演练" }).click();
  await expect(page.getByText("演练已关闭。")).toBeVisible();
  await page.getByRole("link", { name: "评估报告（可打印）" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("应急演练评估报告");
  await expect(page.getByRole("cell", { name: "已验收关闭" })).toBeVisible();
});

test("the regulator sees which plans are drilled on time", async ({ page }) => {
  await loginAs(page, "regulator");
  await page.getByRole("link", { name: "应急演练", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("应急演练合规");
  await expect(page.locator("canvas").first()).toBeVisible();
});
