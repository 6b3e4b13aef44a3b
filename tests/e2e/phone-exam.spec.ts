import type { Page } from "@playwright/test";
import { e2eSql, expect, hydrated, loginAs, test } from "./support";

/**
 * The worker's phone (decision 0021): 考试须知 and a confirmed start, the 答题卡, 切屏 warnings recorded by the server,
 * a reload without network that keeps the paper and its answers, and the officer's view of the leaves.
 */

/** An exam of its own for the demo worker (10 questions, two sittings, hand-in after more than 3 leaves). */
async function phoneExam() {
  const [worker] = await e2eSql(
    "SELECT person.enterprise_id, person.post, user.id AS user_id FROM user JOIN person ON person.id = user.person_id WHERE user.username = 'worker'",
  );
  const rules = JSON.stringify([
    {
      type: "single",
      count: 6,
      topic: null,
      minDifficulty: 1,
      maxDifficulty: 5,
      post: "examinee",
      industry: "enterprise",
      points: 10,
    },
    {
      type: "judge",
      count: 4,
      topic: null,
      minDifficulty: 1,
      maxDifficulty: 5,
      post: "examinee",
      industry: "enterprise",
      points: 10,
    },
  ]);
  const name = `手机考试 ${Date.now()}`;
  await e2eSql(
    `INSERT INTO exam_template (enterprise_id, name, rules, time_limit_minutes, pass_mark, attempts_allowed, shuffle_options, show_answers,
    multiple_scoring, purpose, created_by, leave_limit) VALUES (?, ?, ?, 30, 60, 2, 1, 'after_submit', 'all_or_nothing', 'exam', ?, 3)`,
    [worker.enterprise_id, name, rules, worker.user_id],
  );
  const [template] = await e2eSql("SELECT id FROM exam_template WHERE name = ?", [name]);
  await e2eSql(
    `INSERT INTO exam (template_id, enterprise_id, title, posts, opens_at, closes_at, created_by)
    VALUES (?, ?, ?, ?, UTC_TIMESTAMP() - INTERVAL 1 HOUR, UTC_TIMESTAMP() + INTERVAL 1 DAY, ?)`,
    [template.id, worker.enterprise_id, name, worker.post, worker.user_id],
  );
  const [exam] = await e2eSql("SELECT id FROM exam WHERE title = ?", [name]);
  return { examId: Number(exam.id), templateId: Number(template.id), title: name };
}

/** Pretend the examinee switched to another app and back (the page sees hidden, then visible). */
async function leaveAndComeBack(page: Page) {
  for (const state of ["hidden", "visible"]) {
    await page.evaluate((s) => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => s });
      document.dispatchEvent(new Event("visibilitychange"));
    }, state);
    await page.waitForTimeout(200);
  }
}

async function fitsTheScreen(page: Page) {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  expect(scroll, "page wider than the phone").toBeLessThanOrEqual(inner);
}

test("a worker reads 考试须知, uses the 答题卡, is warned on 切屏, reloads offline and keeps answers; the officer sees the leaves", async ({
  phone,
  browser,
}) => {
  test.setTimeout(120_000);
  const { examId, templateId, title } = await phoneExam();
  const page = await phone();
  await loginAs(page, "worker");
  await page.goto("/exams");
  await hydrated(page);
  await page.locator(`a[href="/exams/${examId}/start"]`).click();

  // 考试须知: nothing starts by reading it.
  await expect(page.getByRole("heading", { name: "考试须知" })).toBeVisible();
  await expect(page.getByTestId("notice-minutes")).toHaveText("30 分钟");
  await expect(page.getByTestId("notice-attempts")).toHaveText("2 / 2 次");
  await expect(page.getByText("超过 3 次将自动交卷")).toBeVisible();
  await hydrated(page);
  await fitsTheScreen(page);
  await page.screenshot({ path: "test-results/phone-exam-notice.png", fullPage: true });
  expect((await e2eSql("SELECT COUNT(*) AS n FROM attempt WHERE exam_id = ?", [examId]))[0].n).toBe(0);
  await page.getByRole("button", { name: "开始考试" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("用掉 1 次机会（之后还剩 1 次）");
  await page.screenshot({ path: "test-results/phone-exam-confirm.png" });
  await page.getByRole("button", { name: "确认开始" }).click();
  await expect(page).toHaveURL(/\/attempts\/\d+$/);
  const attemptId = Number(new URL(page.url()).pathname.split("/")[2]);
  await hydrated(page);

  const questions = page.locator("fieldset.question");
  await expect(questions).toHaveCount(10);
  await fitsTheScreen(page);
  // The stem sits inside its card, below the top border.
  const box = await questions.first().boundingBox();
  const legend = await questions.first().locator("legend").boundingBox();
  expect(legend!.y).toBeGreaterThan(box!.y + 4);

  // Answer all but 3 and 7; flag 5.
  for (const i of [1, 2, 4, 5, 6, 8, 9, 10]) await page.getByTestId(`q${i}`).locator("label.choice").first().click();
  await page.getByTestId("q5").getByRole("button", { name: "标记" }).click();
  await expect(page.getByTestId("save-state")).toHaveText("已保存");

  // 答题卡: unanswered and flagged at a glance, a tap jumps there.
  await page.locator(".exam-bar").getByRole("button", { name: "答题卡" }).click();
  const sheet = page.getByRole("region", { name: "答题卡" });
  await expect(sheet.getByTestId("card-3")).toHaveAttribute("aria-label", "第 3 题，未答");
  await expect(sheet.getByTestId("card-5")).toHaveAttribute("aria-label", "第 5 题，已答，已标记");
  await expect(sheet.getByTestId("card-1")).toHaveClass(/done/);
  await page.screenshot({ path: "test-results/phone-exam-answer-sheet.png" });
  await sheet.getByTestId("card-3").click();
  await expect(page.getByTestId("q3")).toBeInViewport();
  await page.getByTestId("q3").locator("label.choice").first().click();

  // The hand-in summary names what is still open.
  await page.getByRole("button", { name: "交卷", exact: true }).click();
  const summary = page.getByTestId("hand-in-summary");
  await expect(summary).toContainText("还有 1 题未作答：第 7 题");
  await expect(summary).toContainText("已标记待检查：第 5 题");
  await summary.getByRole("button", { name: "返回检查" }).click();

  // 切屏 twice: each is recorded by the server and the examinee is warned.
  await leaveAndComeBack(page);
  await expect(page.getByTestId("leave-warning")).toHaveText(/已切屏 1 次，超过 3 次将自动交卷/);
  await page.waitForTimeout(1600);
  await leaveAndComeBack(page);
  await expect(page.getByTestId("leave-warning")).toHaveText(/已切屏 2 次，超过 3 次将自动交卷/);
  expect((await e2eSql("SELECT leave_count FROM attempt WHERE id = ?", [attemptId]))[0].leave_count).toBe(2);

  // Offline: the service worker kept the page; a reload shows the paper, the queued answer and the truth.
  await page.evaluate(async () => {
    for (let i = 0; i < 50; i++) {
      const names = await caches.keys();
      for (const name of names) if (await (await caches.open(name)).match(location.href)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error("the paper was not kept for offline use");
  });
  await page.context().setOffline(true);
  await page.getByTestId("q7").locator("label.choice").first().click();
  await expect(page.getByTestId("offline-banner")).toContainText("已离线，答案保存在本机，联网后自动提交");
  await page.reload();
  await expect(questions).toHaveCount(10);
  await expect(page.getByTestId("offline-banner")).toContainText("已离线，答案保存在本机，联网后自动提交");
  await expect(page.getByTestId("q7").locator("input").first()).toBeChecked();
  await expect(page.getByText("已答 10/10")).toBeVisible();
  await page.screenshot({ path: "test-results/phone-exam-offline.png" });
  // No hand-in while offline: the summary says why.
  await page.getByRole("button", { name: "交卷", exact: true }).click();
  await expect(page.getByTestId("hand-in-summary")).toContainText("已离线，现在不能交卷");
  await page.getByRole("button", { name: "返回检查" }).click();

  await page.context().setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(page.getByTestId("save-state")).toHaveText("已保存");
  await expect(page.getByTestId("offline-banner")).toHaveCount(0);
  expect((await e2eSql("SELECT COUNT(*) AS n FROM attempt_answer WHERE attempt_id = ?", [attemptId]))[0].n).toBe(10);

  await page.getByRole("button", { name: "交卷", exact: true }).click();
  await expect(page.getByTestId("hand-in-summary")).toContainText("全部 10 题已作答");
  await page.getByRole("button", { name: "确认交卷" }).click();
  await expect(page).toHaveURL(/\/attempts\/\d+\/review$/);
  await expect(page.getByTestId("score")).toBeVisible();
  await page.screenshot({ path: "test-results/phone-exam-review-390.png", fullPage: true });

  // The officer sees the 切屏 count and times on the template's statistics.
  const officer = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await loginAs(officer, "officer");
  await officer.goto(`/exam-templates/${templateId}/stats`);
  await expect(officer.getByTestId(`leave-count-${attemptId}`)).toHaveText("2");
  await expect(officer.getByTestId("leave-table")).toContainText(title);
  await officer.locator("#leaves").scrollIntoViewIfNeeded();
  await officer.screenshot({ path: "test-results/phone-exam-officer-leaves.png", fullPage: true });
  await officer.close();
});

test("the paper and 须知 fit a 360 px phone", async ({ browser }) => {
  const { examId } = await phoneExam();
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await loginAs(page, "worker");
  await page.goto(`/exams/${examId}/start`);
  await hydrated(page);
  await fitsTheScreen(page);
  await page.getByRole("button", { name: "开始考试" }).click();
  await page.getByRole("button", { name: "确认开始" }).click();
  await expect(page.locator("fieldset.question")).toHaveCount(10);
  await fitsTheScreen(page);
  await page.locator(".exam-bar").getByRole("button", { name: "答题卡" }).click();
  await fitsTheScreen(page);
  await page.screenshot({ path: "test-results/phone-exam-360.png" });
  await context.close();
});

test("practice like the apps: 顺序练习 remembers the place, 收藏, wrong-answer entries open with the answer", async ({
  phone,
}) => {
  const page = await phone();
  await loginAs(page, "worker");
  await page.goto("/practice");
  await hydrated(page);
  await expect(page.getByRole("link", { name: /模拟考试/ })).toBeVisible();
  const topicLink = page.locator('a[href^="/practice/question?mode=sequence"]').first();
  const topicHref = await topicLink.getAttribute("href");
  await topicLink.click();
  await hydrated(page);
  const position = page.getByTestId("sequence-position");
  const first = await position.innerText();
  await page.getByRole("button", { name: "☆ 收藏" }).click();
  await expect(page.getByRole("button", { name: "★ 已收藏" })).toBeVisible();
  await page.locator("label.choice").first().click();
  await page.getByRole("button", { name: "提交" }).click();
  await expect(page.getByTestId("practice-feedback")).toBeVisible();
  await page.getByRole("link", { name: "下一题" }).click();
  await hydrated(page);
  const second = await position.innerText();
  expect(Number(/第 (\d+)/.exec(second)![1])).toBeGreaterThan(Number(/第 (\d+)/.exec(first)![1]));
  // Leaving and coming back continues where they were (kept on the server, not in the browser).
  await page.goto("/practice");
  await page.goto(topicHref!);
  await expect(position).toHaveText(second);

  await page.goto("/practice");
  await expect(page.getByTestId("favorites").locator("li")).toHaveCount(1);
  await page.screenshot({ path: "test-results/phone-exam-practice.png", fullPage: true });

  // A wrong answer goes into the book; its entry opens with the answer and explanation.
  await page.goto("/practice/question?book=favorite");
  await hydrated(page);
  const feedback = page.getByTestId("practice-feedback");
  for (let i = 0; i < 4; i++) {
    const choices = page.locator("label.choice");
    await choices.nth(i % (await choices.count())).click();
    await page.getByRole("button", { name: "提交" }).click();
    await expect(feedback).toBeVisible();
    if ((await feedback.innerText()).includes("回答错误")) break;
    await page.getByRole("link", { name: "下一题" }).click();
    await hydrated(page);
  }
  await page.goto("/practice");
  const entry = page.getByTestId("wrong-book").locator("a").first();
  await entry.click();
  await expect(page.getByTestId("wrong-answer-key")).toBeVisible();
  await page.screenshot({ path: "test-results/phone-exam-wrong-entry.png", fullPage: true });
});
