import { expect, e2eSql, fastStudy, loginAs, test, logout } from "./support";

// Records that hold up as evidence: study time counts only while the learner answers the check-ins.
// (The doubtful quiz identity is in onsite-quiz.spec.ts, the participant kept off the drill log in drills.spec.ts.)

test.afterAll(fastStudy);

test("a learner must answer the 继续学习 check-in for study time to count", async ({ phone }) => {
  // Check-ins every 3 s, to be answered within 60 s; one 学时 is 0.6 s so the lesson's requirement is met at once.
  await e2eSql(
    "UPDATE study_rule SET online_minutes_per_hour = 0.01, checkin_min_seconds = 3, checkin_max_seconds = 3, checkin_answer_seconds = 60",
  );
  const page = await phone();
  await loginAs(page, "evaluator");
  await page.goto("/courses/hot-work");
  await page.getByRole("link", { name: "开始学习" }).click();
  const panel = page.getByRole("region", { name: "学习计时" });
  await expect(panel).toContainText("已计入");
  // The first heartbeat after 3 s (the page beats every 15 s while visible) brings the check-in.
  const checkin = page.getByRole("alertdialog", { name: "学习签到" });
  await expect(checkin).toBeVisible({ timeout: 25_000 });
  await expect(checkin).toContainText("请确认您仍在学习");
  await page.screenshot({ path: "test-results/records-checkin-phone.png", fullPage: false });
  await checkin.getByRole("button", { name: "继续学习" }).click();
  await expect(checkin).toBeHidden();
  await expect(panel).toContainText("计时中");
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
});

test("the officer reads the learner's training archive, and the admin keeps the 学时 rules", async ({ page }) => {
  const [row] = await e2eSql("SELECT person_id FROM user WHERE username = 'evaluator'");
  await page.setViewportSize({ width: 1440, height: 900 });
  await loginAs(page, "officer");
  await page.goto(`/people/${row.person_id}/study`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("学习档案");
  // The session of the check-in test above, with its events.
  await page.locator("details.study-session summary").first().click();
  await expect(page.locator("details.study-session").first()).toContainText("确认继续学习");
  await page.screenshot({ path: "test-results/records-archive-desktop.png", fullPage: true });
  await logout(page);
  await loginAs(page, "admin");
  await page.goto("/study-rules");
  await expect(page.getByRole("cell", { name: "全国默认" })).toBeVisible();
  await page.screenshot({ path: "test-results/study-rules-desktop.png", fullPage: true });
});
