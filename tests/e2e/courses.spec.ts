import { expect, fastStudy, loginAs, test } from "./support";

test.beforeAll(fastStudy);

test("a worker reads a course on a phone, answers a self-check, completes it and sees the hours at home", async ({
  phone,
}) => {
  // The course has nine lessons, each waited out (2.5 s) and completed: give the walk-through more than the default.
  test.slow();
  const page = await phone();
  await loginAs(page, "worker");
  const tasks = page.locator("section", { has: page.getByRole("heading", { name: "待办" }) });
  await expect(tasks.getByRole("link", { name: "安全生产法" })).toBeVisible();
  await expect(page.getByTestId("home-hours")).toHaveText("0");

  await tasks.getByRole("link", { name: "安全生产法" }).click();
  await page.getByRole("link", { name: "开始学习" }).click();
  const lessonCount = Number((await page.locator("p.small").first().innerText()).match(/\/(\d+)/)![1]);
  for (let i = 0; i < lessonCount; i++) {
    await expect(page.locator("article.lesson")).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    if (i === 0) {
      const check = page.locator("[data-testid^=selfcheck-]").first();
      await check.locator("label.choice").first().click();
      await check.getByRole("button", { name: "提交答案" }).click();
      await expect(check.getByRole("status")).toContainText(/回答(正确|错误)/);
    }
    await page.waitForTimeout(3000);
    await page.getByRole("button", { name: "完成本课" }).click();
    await expect(page.getByRole("status").filter({ hasText: "本课已完成" })).toBeVisible();
    if (i < lessonCount - 1) await page.locator(".lesson-nav a").last().click();
  }
  await expect(
    page.getByRole("status").filter({ hasText: "整门课程已完成，按有效学习时长计入 1.5 学时" }),
  ).toBeVisible();
  await page.goto("/");
  await expect(page.getByTestId("home-hours")).toHaveText("1.5");
  // Done: the course leaves the to-do list.
  await expect(tasks.getByRole("link", { name: "安全生产法" })).toHaveCount(0);
});

test("searching a phrase finds the lesson that contains it", async ({ page }) => {
  await loginAs(page, "worker");
  await page.goto("/courses");
  await page.getByLabel("搜索课程内容").fill("严禁盲目施救");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page.getByText(/找到 \d+ 个课时/)).toBeVisible();
  await expect(page.locator("mark").first()).toHaveText("严禁盲目施救");
});

test("an officer assigns a course to a post, follows its completion and exports it", async ({ page }) => {
  await loginAs(page, "officer");
  await page.goto("/assignments");
  await page.getByLabel("课程").selectOption({ label: "动火作业与特种作业（1 学时）" });
  await page.getByLabel("分配给").selectOption("post");
  await page.getByLabel("岗位").selectOption("worker");
  await page.getByLabel("截止日期").fill("2099-12-31");
  await page.getByRole("button", { name: "布置" }).click();
  await expect(page.getByText(/完成 0\/6 人/)).toBeVisible();
  await page.goto("/assignments");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "导出完成情况（Excel）" }).click();
  expect((await download).suggestedFilename()).toBe("培训任务完成情况.xlsx");
});
