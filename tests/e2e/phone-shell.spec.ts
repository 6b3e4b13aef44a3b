import type { Page } from "@playwright/test";
import { toDisplayed } from "../../app/modules/exams/grading";
import { makeIdNumber } from "../../db/seed/identifiers";
import { maskIdNumber } from "../../app/modules/org/identifiers";
import { e2eSql, expect, hydrated, loginAs, PHONE, test } from "./support";

// Demo ID numbers: the seed builds them from the person's sequence (db/seed/demo.ts); the first enterprise is in 339901.
const idOf = (seq: number) => makeIdNumber("339901", `${1970 + ((seq * 7) % 30)}-0${1 + (seq % 9)}-1${seq % 9}`, seq);

/**
 * A failed on-site quiz's follow-up for a person of the first enterprise, as syncFollowUps() leaves it (inspection,
 * closed quiz, participant, follow-up with weak topics and a remedial course): test data, not a path of the product.
 */
async function followUpFor(personId: number, weakTopics: string) {
  const [p] = await e2eSql(
    `SELECT person.id, person.name, person.post, person.enterprise_id, person.id_number_hash, person.id_number_masked, enterprise.region_path, enterprise.industry_code
    FROM person JOIN enterprise ON enterprise.id = person.enterprise_id WHERE person.id = ?`,
    [personId],
  );
  const [inspector] = await e2eSql("SELECT id FROM user WHERE username = 'inspector'");
  const [course] = await e2eSql("SELECT id FROM course WHERE active = 1 ORDER BY id LIMIT 1");
  await e2eSql(
    "INSERT INTO inspection (enterprise_id, region_path, inspected_on, inspectors, place, created_by) VALUES (?, ?, CURDATE(), '王检查', '罐区', ?)",
    [p.enterprise_id, p.region_path, inspector.id],
  );
  const [{ id: inspectionId }] = await e2eSql("SELECT MAX(id) AS id FROM inspection");
  const token = `e2e${String(personId).padStart(4, "0")}${Date.now().toString(36)}`.padEnd(24, "x").slice(0, 24);
  const code = String(100000 + Math.floor(Math.random() * 899999));
  await e2eSql(
    `INSERT INTO onsite_quiz (inspection_id, enterprise_id, region_path, industry_code, token, join_code, plan, expires_at, closed_at, created_by)
    VALUES (?, ?, ?, ?, ?, ?, '{}', UTC_TIMESTAMP() - INTERVAL 1 HOUR, UTC_TIMESTAMP() - INTERVAL 1 HOUR, ?)`,
    [inspectionId, p.enterprise_id, p.region_path, p.industry_code, token, code, inspector.id],
  );
  const [{ id: quizId }] = await e2eSql("SELECT MAX(id) AS id FROM onsite_quiz");
  await e2eSql(
    `INSERT INTO quiz_participant (quiz_id, person_id, name, id_number_hash, id_number_masked, post, on_file, secret_hash)
    VALUES (?, ?, ?, ?, ?, ?, 1, REPEAT('0', 64))`,
    [quizId, p.id, p.name, p.id_number_hash, p.id_number_masked, p.post],
  );
  const [{ id: participantId }] = await e2eSql("SELECT MAX(id) AS id FROM quiz_participant");
  await e2eSql(
    `INSERT INTO follow_up (participant_id, person_id, enterprise_id, post, course_id, weak_topics, retest_due) VALUES (?, ?, ?, ?, ?, ?, CURDATE() + INTERVAL 14 DAY)`,
    [participantId, p.id, p.enterprise_id, p.post, course.id, weakTopics],
  );
  return { name: p.name as string };
}

/** Answer every question of the open paper right (the answers come from the database, as the grader has them). */
async function answerRight(page: Page, attemptId: number) {
  const items = await e2eSql(
    `SELECT attempt_item.position, attempt_item.option_order, question_version.answer, question.type FROM attempt_item
    JOIN question_version ON question_version.id = attempt_item.question_version_id JOIN question ON question.id = attempt_item.question_id WHERE attempt_item.attempt_id = ?`,
    [attemptId],
  );
  for (const it of items) {
    const shown = it.type === "judge" ? String(it.answer) : toDisplayed(String(it.answer), it.option_order as never);
    for (const v of it.type === "multiple" ? shown.split("") : [shown]) {
      const input = page.locator(`input[name="q${it.position}"][value="${v}"]`);
      await input.scrollIntoViewIfNeeded();
      await input.evaluate((el: HTMLInputElement) => {
        if (!el.checked) el.click();
      });
    }
  }
}

const noSideways = (page: Page, width: number) =>
  page.evaluate((w) => document.documentElement.scrollWidth <= w, width);

test("a worker finds the re-test on the home page, takes it on the phone and passes", async ({ phone }) => {
  const [worker] = await e2eSql("SELECT person_id FROM user WHERE username = 'worker'");
  const { name } = await followUpFor(Number(worker.person_id), "动火作业、有限空间作业");
  const page = await phone();
  await loginAs(page, "worker");
  // Greeted by name, not by the account's label.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`您好，${name}`);
  // (The on-site quiz spec may have left this worker a re-test of its own: take the one made here.)
  const card = page.getByTestId("todo-retest").filter({ hasText: "动火作业、有限空间作业" });
  await expect(card).toBeVisible();
  // (Which card comes first depends on what else is due — other specs may leave an exam under way; the order itself
  // is unit-tested in tests/unit/todo.test.ts.)
  await expect(page.locator("nav.tabbar")).toBeVisible();
  await page.screenshot({ path: "test-results/phone-shell-worker-home.png", fullPage: true });

  await card.getByRole("button", { name: "开始复测" }).click();
  await expect(page).toHaveURL(/\/attempts\/\d+$/);
  const attemptId = Number(new URL(page.url()).pathname.split("/").pop());
  await hydrated(page);
  await answerRight(page, attemptId);
  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: "交卷", exact: true }).click();
  await page.getByRole("button", { name: "确认交卷" }).click();
  await expect(page).not.toHaveURL(/\/attempts\/\d+$/);
  await expect
    .poll(
      async () =>
        (await e2eSql("SELECT closed_how FROM follow_up WHERE retest_attempt_id = ?", [attemptId]))[0]?.closed_how,
    )
    .toBe("retest");

  // 我的 shows it passed; home no longer lists it.
  await page.getByRole("navigation", { name: "底部导航" }).getByRole("link", { name: "我的" }).click();
  await expect(page.getByRole("heading", { name: /我的复测/ })).toBeVisible();
  await expect(page.getByTestId("my-retest").first()).toContainText("已通过复测");
  await page.screenshot({ path: "test-results/phone-shell-worker-me.png", fullPage: true });
  await page.getByRole("navigation", { name: "底部导航" }).getByRole("link", { name: "首页" }).click();
  await expect(page.getByTestId("todo-retest")).toHaveCount(0);

  // The shell's drawer: every page and the account actions, one row of header.
  await page.locator("details.menu > summary").click();
  await expect(page.getByRole("navigation", { name: "全部功能" }).getByRole("link", { name: "练习" })).toBeVisible();
  await page.screenshot({ path: "test-results/phone-shell-worker-menu.png" });
  const header = await page.locator("header.topbar").boundingBox();
  expect(header!.height).toBeLessThanOrEqual(60);
});

test("a person without an account re-tests by a one-time link; the link cannot be used twice", async ({
  page,
  browser,
}) => {
  // A seeded worker of the first enterprise with no account (other specs add people whose ID numbers we do not know,
  // and open follow-ups of their own): the last one whose masked number is the seed's and who has no follow-up yet.
  const candidates =
    await e2eSql(`SELECT person.id, person.id_number_masked FROM person LEFT JOIN user ON user.person_id = person.id
    WHERE person.enterprise_id = (SELECT enterprise_id FROM user WHERE username = 'officer') AND person.post = 'worker' AND user.id IS NULL
      AND NOT EXISTS (SELECT 1 FROM follow_up WHERE follow_up.person_id = person.id) ORDER BY person.id DESC LIMIT 50`);
  const person = candidates.find((c) => maskIdNumber(idOf(Number(c.id))) === c.id_number_masked)!;
  const { name } = await followUpFor(Number(person.id), "危险化学品储存");

  await page.setViewportSize({ width: 1440, height: 900 });
  await loginAs(page, "officer");
  await page.goto("/follow-ups");
  await page
    .getByRole("row", { name: new RegExp(name) })
    .getByRole("link", { name: "发复测链接" })
    .click();
  await page.getByRole("button", { name: "生成一次性复测链接" }).click();
  const link = page.getByTestId("retest-link").getByRole("link");
  await expect(page.getByTestId("retest-link").locator("svg")).toBeVisible();
  const url = new URL((await link.getAttribute("href"))!).pathname;
  expect(url).toMatch(/^\/r\/[A-Za-z0-9_-]{32}$/);
  await page.screenshot({ path: "test-results/phone-shell-officer-retest-link.png", fullPage: true });

  const phoneContext = await browser.newContext(PHONE);
  const p = await phoneContext.newPage();
  await p.goto(url);
  await hydrated(p);
  await expect(p.getByText("危险化学品储存")).toBeVisible();
  await p.getByLabel("姓名").fill(name);
  await p.getByLabel("身份证号码").fill(idOf(Number(person.id)));
  await p.getByRole("button", { name: "核对身份并开始复测" }).click();
  await expect(p).toHaveURL(new RegExp(`${url}/paper$`));
  await hydrated(p);
  const [{ attempt_id }] = await e2eSql(
    "SELECT attempt_id FROM retest_link WHERE used_at IS NOT NULL ORDER BY id DESC LIMIT 1",
  );
  await answerRight(p, Number(attempt_id));
  p.once("dialog", (d) => void d.accept());
  await p.getByRole("button", { name: "交卷", exact: true }).click();
  await p.getByRole("button", { name: "确认交卷" }).click();
  await expect(p.getByTestId("score")).toHaveText("100");
  await expect(p.getByText("复测通过")).toBeVisible();
  await p.screenshot({ path: "test-results/phone-shell-link-result.png" });

  // The same link on another phone: a clear message, nothing to fill in.
  const other = await (await browser.newContext(PHONE)).newPage();
  await other.goto(url);
  await expect(other.getByTestId("retest-refused")).toContainText("已经使用过");
  await expect(other.getByLabel("身份证号码")).toHaveCount(0);
  await phoneContext.close();
  // The officer's list no longer has the follow-up.
  await page.goto("/follow-ups");
  await expect(page.getByRole("row", { name: new RegExp(name) })).toHaveCount(0);
});

test("the inbox shows a new assignment and a certificate reminder, with the unread count in the shell", async ({
  page,
  phone,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await loginAs(page, "officer");
  // The seed ran today's reminders: the officer's own 安全生产知识和管理能力考核合格证 expires within 90 days.
  await page.goto("/assignments");
  await page.getByLabel("课程").selectOption({ index: 1 });
  const course = (await page.getByLabel("课程").locator("option:checked").innerText()).replace(/（.*$/, "");
  await page.getByLabel("分配给").selectOption("post");
  await page.getByLabel("岗位").selectOption("safety_manager");
  await page.getByLabel("截止日期").fill("2099-12-31");
  await page.getByRole("button", { name: "布置" }).click();
  // And one to the demo worker in person.
  const [worker] = await e2eSql(
    "SELECT person.name FROM user JOIN person ON person.id = user.person_id WHERE user.username = 'worker'",
  );
  await page.goto("/assignments");
  await page.getByLabel("课程").selectOption({ index: 2 });
  const workerCourse = (await page.getByLabel("课程").locator("option:checked").innerText()).replace(/（.*$/, "");
  await page.getByLabel("分配给").selectOption("person");
  await page.getByLabel("人员").selectOption({ label: `${worker.name}（从业人员）` });
  await page.getByLabel("截止日期").fill("2099-12-31");
  await page.getByRole("button", { name: "布置" }).click();
  await page.goto("/");
  await expect(page.getByTestId("unread-count")).toBeVisible();
  await page.screenshot({ path: "test-results/phone-shell-officer-home-desktop.png", fullPage: true });
  await page.getByTestId("inbox-link").click();
  const inbox = page.getByTestId("inbox");
  await expect(inbox).toContainText(`新的培训任务：${course}`);
  await expect(inbox).toContainText(/将于 \d{4}-\d{2}-\d{2} 到期/);
  await page.screenshot({ path: "test-results/phone-shell-officer-inbox-desktop.png", fullPage: true });
  // Opening a notice marks it read and goes to its page.
  const before = Number(await page.getByTestId("unread-count").innerText());
  await inbox.getByRole("button", { name: `新的培训任务：${course}` }).click();
  await expect(page).toHaveURL(/\/courses\//);
  await expect(page.getByTestId("unread-count")).toHaveText(String(before - 1));

  // The worker's phone inbox.
  const w = await phone();
  await loginAs(w, "worker");
  await w.getByTestId("inbox-link").click();
  await expect(w.getByRole("heading", { level: 1 })).toContainText("站内信");
  await expect(w.getByTestId("inbox")).toContainText(`新的培训任务：${workerCourse}`);
  await expect(w.getByTestId("unread-count")).toBeVisible();
  await w.screenshot({ path: "test-results/phone-shell-worker-inbox.png", fullPage: true });
});

const MAIN_PAGES: Record<string, string[]> = {
  worker: [
    "/",
    "/courses",
    "/courses/work-safety-law",
    "/exams",
    "/practice",
    "/training",
    "/drills",
    "/me",
    "/inbox",
    "/follow-ups",
    "/regulations",
    "/account/password",
  ],
  officer: [
    "/",
    "/people",
    "/people/new",
    "/people/import",
    "/certification",
    "/certification/alerts",
    "/assignments",
    "/training",
    "/courses",
    "/exams",
    "/questions",
    "/exam-templates",
    "/follow-ups",
    "/drills",
    "/drills/calendar",
    "/drills/plans/new",
    "/accounts",
    "/accounts/new",
    "/regulations",
    "/regulations/review",
    "/inbox",
    "/me",
  ],
  inspector: [
    "/",
    "/inspections",
    "/quiz-stats",
    "/certification",
    "/drills/compliance",
    "/enterprises",
    "/people",
    "/courses",
    "/regulations",
    "/inbox",
    "/me",
  ],
  regulator: [
    "/",
    "/inspections",
    "/quiz-stats",
    "/certification",
    "/drills/compliance",
    "/enterprises",
    "/people",
    "/courses",
    "/regulations",
    "/inbox",
  ],
  admin: [
    "/",
    "/regions",
    "/enterprises",
    "/enterprises/new",
    "/people",
    "/certification",
    "/accounts",
    "/courses",
    "/study-rules",
    "/questions",
    "/questions/import",
    "/exam-templates",
    "/drills/compliance",
    "/regulations",
    "/audit",
    "/inbox",
  ],
};

test("no main page scrolls sideways at 360 px, for any role", async ({ browser }) => {
  test.slow();
  const wide: string[] = [];
  for (const [username, paths] of Object.entries(MAIN_PAGES)) {
    const context = await browser.newContext({ ...PHONE, viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await loginAs(page, username);
    for (const path of paths) {
      const res = await page.goto(path);
      expect(res?.status(), `${username} ${path}`).toBeLessThan(400);
      if (!(await noSideways(page, 360))) {
        wide.push(`${username} ${path}: ${await page.evaluate(() => document.documentElement.scrollWidth)}px`);
      }
    }
    await context.close();
  }
  expect(wide).toEqual([]);
});
