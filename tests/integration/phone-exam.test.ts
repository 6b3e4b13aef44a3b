import { afterEach, describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { advanceClock, resetClock } from "../../app/lib/clock.server";
import { action as startAction, loader as noticeLoader } from "../../app/routes/exams.$id.start";
import { action as saveAction } from "../../app/routes/attempts.$id.answers";
import { action as leaveAction } from "../../app/routes/attempts.$id.leave";
import { action as submitAction, loader as takeLoader } from "../../app/routes/attempts.$id._index";
import { loader as reviewLoader } from "../../app/routes/attempts.$id.review";
import { action as mockAction } from "../../app/routes/practice.mock";
import { action as practiceAction, loader as practiceLoader } from "../../app/routes/practice.question";
import { loader as wrongLoader } from "../../app/routes/practice.wrong.$id";
import { loader as statsLoader } from "../../app/routes/exam-templates.$id.stats";
import { examsForPerson, templateStatistics } from "../../app/modules/exams/exams.server";
import { favorites } from "../../app/modules/exams/practice.server";
import { cookieOf, newWorkerAccount, request, run } from "../support/actors";

const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
afterEach(() => resetClock());

async function personOf(username: string) {
  return db
    .selectFrom("user")
    .innerJoin("person", "person.id", "user.person_id")
    .select(["person.id", "person.enterprise_id", "person.post", "user.id as user_id"])
    .where("user.username", "=", username)
    .executeTakeFirstOrThrow();
}

/** An exam of 5 judge questions for the worker's enterprise and post, with an optional 切屏 limit. */
async function smallExam(leaveLimit: number | null, minutes = 30) {
  const w = await personOf("worker");
  const rules = JSON.stringify([
    {
      type: "judge",
      count: 5,
      topic: null,
      minDifficulty: 1,
      maxDifficulty: 5,
      post: "examinee",
      industry: "enterprise",
      points: 20,
    },
  ]);
  const t = await db
    .insertInto("exam_template")
    .values({
      enterprise_id: w.enterprise_id,
      name: `小测 ${Math.random()}`,
      rules,
      time_limit_minutes: minutes,
      pass_mark: 60,
      attempts_allowed: 2,
      shuffle_options: 1,
      show_answers: "after_submit",
      multiple_scoring: "all_or_nothing",
      purpose: "exam",
      created_by: w.user_id,
      leave_limit: leaveLimit,
    })
    .executeTakeFirstOrThrow();
  const templateId = Number(t.insertId);
  const e = await db
    .insertInto("exam")
    .values({
      template_id: templateId,
      enterprise_id: w.enterprise_id,
      title: `小测 ${templateId}`,
      posts: w.post,
      opens_at: new Date(Date.now() - 3600_000),
      closes_at: new Date(Date.now() + 86_400_000),
      created_by: w.user_id,
    })
    .executeTakeFirstOrThrow();
  return { templateId, examId: Number(e.insertId) };
}

async function startAs(cookie: string, examId: number) {
  const res = await run(() => startAction(args(request(`/exams/${examId}/start`, cookie, {}), { id: String(examId) })));
  expect(res.status).toBe(302);
  return res.headers.get("location")!.split("/").pop()!;
}

/** A 切屏 report as the page sends it; the JSON reply read back (refusals are thrown like any route's). */
async function leave(
  cookie: string,
  attemptId: string,
  fields: Record<string, string> = { event: "leave", kind: "hidden" },
) {
  let out: unknown;
  try {
    out = await leaveAction(args(request(`/attempts/${attemptId}/leave`, cookie, fields), { id: attemptId }));
  } catch (thrown) {
    out = thrown;
  }
  if (out instanceof Response && out.headers.get("content-type")?.includes("json"))
    return { status: out.status, data: await out.json() };
  return run(() => {
    throw out;
  });
}

const attemptRow = (id: string) =>
  db.selectFrom("attempt").selectAll().where("id", "=", Number(id)).executeTakeFirstOrThrow();

describe("考试须知", () => {
  it("shows time, questions, pass mark, attempts left and the 切屏 rule, and starts nothing", async () => {
    const { examId } = await smallExam(2);
    const cookie = await cookieOf("worker");
    const page = await run(() => noticeLoader(args(request(`/exams/${examId}/start`, cookie), { id: String(examId) })));
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({
      timeLimitMinutes: 30,
      questions: 5,
      passMark: 60,
      attemptsAllowed: 2,
      attemptsUsed: 0,
      leaveLimit: 2,
      canStart: true,
    });
    expect(await db.selectFrom("attempt").select("id").where("exam_id", "=", examId).execute()).toHaveLength(0);
    // Another enterprise's officer cannot read it.
    const officer2 = await cookieOf("officer2");
    const outsider = await run(() =>
      noticeLoader(args(request(`/exams/${examId}/start`, officer2), { id: String(examId) })),
    );
    expect([403, 404]).toContain(outsider.status);
  });
});

describe("切屏", () => {
  it("records each leave with its time, merges a blur and a hide, warns, and hands the paper in after more than the limit", async () => {
    const { examId, templateId } = await smallExam(1);
    const cookie = await cookieOf("worker");
    const attemptId = await startAs(cookie, examId);
    await run(() =>
      saveAction(
        args(request(`/attempts/${attemptId}/answers`, cookie, { position: "1", answer: "true", seq: "1" }), {
          id: attemptId,
        }),
      ),
    );

    const first = await leave(cookie, attemptId);
    expect(first.status).toBe(200);
    expect(first.data).toMatchObject({
      ok: true,
      count: 1,
      limit: 1,
      handedIn: false,
      message: "已切屏 1 次，超过 1 次将自动交卷。",
    });
    // Switching apps fires blur and visibilitychange together: one leave.
    expect((await leave(cookie, attemptId, { event: "leave", kind: "blur" })).data.count).toBe(1);
    expect((await leave(cookie, attemptId, { event: "back", awayMs: "4200" })).status).toBe(200);

    // Someone else cannot report leaves on this paper.
    const other = await leave(await newWorkerAccount("安澜宏达化工有限公司", "new-leaver"), attemptId);
    expect([403, 404]).toContain(other.status);
    expect((await attemptRow(attemptId)).leave_count).toBe(1);

    advanceClock(2000);
    const second = await leave(cookie, attemptId);
    expect(second.data).toMatchObject({ count: 2, handedIn: true });
    const closed = await attemptRow(attemptId);
    expect(closed.closed_by).toBe("leave_limit");
    expect(closed.submitted_at).not.toBeNull();
    expect(closed.score).not.toBeNull();
    const leaves = await db
      .selectFrom("attempt_leave")
      .selectAll()
      .where("attempt_id", "=", Number(attemptId))
      .orderBy("id")
      .execute();
    expect(leaves.map((l) => l.kind)).toEqual(["hidden", "hidden"]);
    expect(leaves[0].away_ms).toBe(4200);
    expect(leaves[1].left_at.getTime() - leaves[0].left_at.getTime()).toBeGreaterThanOrEqual(2000);

    // After the hand-in a leave changes nothing.
    advanceClock(2000);
    const late = await leave(cookie, attemptId);
    expect(late.status).toBe(409);
    expect((await attemptRow(attemptId)).leave_count).toBe(2);
    expect(
      await db.selectFrom("attempt_leave").select("id").where("attempt_id", "=", Number(attemptId)).execute(),
    ).toHaveLength(2);

    // The review says why; the officer's statistics list the leaves; another enterprise's officer is refused.
    const review = await run(() =>
      reviewLoader(args(request(`/attempts/${attemptId}/review`, cookie), { id: attemptId })),
    );
    expect(review.data.closedBy).toBe("leave_limit");
    const officer = await cookieOf("officer");
    const officer2 = await cookieOf("officer2");
    const stats = await run(() =>
      statsLoader(args(request(`/exam-templates/${templateId}/stats`, officer), { id: String(templateId) })),
    );
    expect(stats.status).toBe(200);
    const row = stats.data.leaves.find((l: { id: number }) => l.id === Number(attemptId))!;
    expect(row.leave_count).toBe(2);
    expect(row.leaves).toHaveLength(2);
    const outsider = await run(() =>
      statsLoader(args(request(`/exam-templates/${templateId}/stats`, officer2), { id: String(templateId) })),
    );
    expect([403, 404]).toContain(outsider.status);
  });

  it("rejects a malformed report with a clear 422 and counts nothing", async () => {
    const { examId } = await smallExam(null);
    const cookie = await cookieOf("worker");
    const attemptId = await startAs(cookie, examId);
    const bad = await leave(cookie, attemptId, { event: "leave", kind: "elsewhere" });
    expect(bad.status).toBe(422);
    expect(bad.data.message).toBe("切屏记录格式无效");
    expect((await attemptRow(attemptId)).leave_count).toBe(0);
    // Without a limit the warning still tells the truth.
    expect((await leave(cookie, attemptId)).data.message).toContain("已切屏 1 次");
  });
});

describe("hand-in after the deadline", () => {
  it("is refused with a clear message and the late answers are not taken", async () => {
    const { examId } = await smallExam(null, 1);
    const cookie = await cookieOf("worker");
    const attemptId = await startAs(cookie, examId);
    await run(() =>
      saveAction(
        args(request(`/attempts/${attemptId}/answers`, cookie, { position: "1", answer: "true", seq: "1" }), {
          id: attemptId,
        }),
      ),
    );
    advanceClock(61_000 + 3_000);
    const late = await run(() =>
      submitAction(
        args(request(`/attempts/${attemptId}`, cookie, { q1: "false", q2: "true", q3: "true" }), { id: attemptId }),
      ),
    );
    expect(late.status).toBe(409);
    expect(late.data.handInError).toMatch(/^考试已于 .* 截止，本次提交的答案未被接收；试卷已按截止前保存的答案评分。$/);
    const answers = await db
      .selectFrom("attempt_answer")
      .select(["position", "answer"])
      .where("attempt_id", "=", Number(attemptId))
      .execute();
    expect(answers).toHaveLength(1);
    expect(answers[0].position).toBe(1);
    const a = await attemptRow(attemptId);
    expect(a.closed_by).toBe("deadline");
    expect(a.submitted_at!.getTime()).toBe(a.deadline_at.getTime());
    // Handing in again changes nothing either.
    const again = await run(() =>
      submitAction(args(request(`/attempts/${attemptId}`, cookie, { q4: "true" }), { id: attemptId })),
    );
    expect(again.status).toBe(409);
    expect(
      await db.selectFrom("attempt_answer").select("position").where("attempt_id", "=", Number(attemptId)).execute(),
    ).toHaveLength(1);
    expect((await attemptRow(attemptId)).score).toEqual(a.score);
  });

  it("an on-time hand-in still goes through once", async () => {
    const { examId } = await smallExam(null);
    const cookie = await cookieOf("worker");
    const attemptId = await startAs(cookie, examId);
    const res = await run(() =>
      submitAction(args(request(`/attempts/${attemptId}`, cookie, { q1: "true" }), { id: attemptId })),
    );
    expect(res.status).toBe(302);
    const twice = await run(() =>
      submitAction(args(request(`/attempts/${attemptId}`, cookie, { q2: "true" }), { id: attemptId })),
    );
    expect(twice.status).toBe(302);
    expect(
      await db.selectFrom("attempt_answer").select("position").where("attempt_id", "=", Number(attemptId)).execute(),
    ).toHaveLength(1);
  });
});

describe("模拟考试", () => {
  it("draws a timed paper from a template that is no sitting: attempts, results and statistics ignore it; answers come after hand-in", async () => {
    const { examId, templateId } = await smallExam(null);
    const cookie = await cookieOf("worker");
    const worker = await personOf("worker");
    const res = await run(() =>
      mockAction(args(request("/practice/mock", cookie, { templateId: String(templateId) }))),
    );
    expect(res.status).toBe(302);
    const attemptId = res.headers.get("location")!.split("/").pop()!;
    const mock = await attemptRow(attemptId);
    expect(mock.mock).toBe(1);
    expect(mock.exam_id).toBeNull();
    // While it runs: a paper without answers.
    const paper = await run(() => takeLoader(args(request(`/attempts/${attemptId}`, cookie), { id: attemptId })));
    expect(paper.data.mock).toBe(true);
    expect(JSON.stringify(paper.data)).not.toMatch(/"(correct|explanation)"/);
    const pending = await run(() =>
      reviewLoader(args(request(`/attempts/${attemptId}/review`, cookie), { id: attemptId })),
    );
    expect(JSON.stringify(pending.data ?? {})).not.toMatch(/"correct"/);
    await run(() => submitAction(args(request(`/attempts/${attemptId}`, cookie, { q1: "true" }), { id: attemptId })));
    const review = await run(() =>
      reviewLoader(args(request(`/attempts/${attemptId}/review`, cookie), { id: attemptId })),
    );
    expect(review.data.reveal).toBe(true);
    // Answers shown, except for questions also on a paper of an exam still open (the practice guard).
    expect(review.data.items.some((i) => typeof i.correct === "string")).toBe(true);

    // Not a sitting: both attempts of the exam are still there, and statistics count nothing.
    const mine = (await examsForPerson(worker.id)).find((e) => e.id === examId)!;
    expect(mine.attempts).toHaveLength(0);
    expect(mine.canStart).toBe(true);
    expect((await templateStatistics(templateId, worker.enterprise_id)).attempts).toBe(0);

    // Another enterprise's template is refused (ids are looked up: a Galera cluster steps them by its size).
    const otherEnterprise = await db
      .selectFrom("enterprise")
      .select("id")
      .where("id", "!=", worker.enterprise_id)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const other = await db
      .insertInto("exam_template")
      .values({
        enterprise_id: otherEnterprise.id,
        name: "别家试卷",
        rules: "[]",
        time_limit_minutes: 10,
        pass_mark: 60,
        attempts_allowed: 1,
        shuffle_options: 1,
        show_answers: "after_submit",
        multiple_scoring: "all_or_nothing",
        purpose: "exam",
        created_by: worker.user_id,
        leave_limit: null,
      })
      .executeTakeFirstOrThrow();
    const refused = await run(() =>
      mockAction(args(request("/practice/mock", cookie, { templateId: String(other.insertId) }))),
    );
    expect(refused.status).toBe(403);
  });
});

describe("顺序练习, 收藏 and wrong-answer entries are each person's own", () => {
  it("keeps the sequence position and favourites per person on the server and refuses them to others", async () => {
    const worker = await cookieOf("worker");
    const evaluator = await cookieOf("evaluator");
    const topic = (
      await db
        .selectFrom("question")
        .select("topic")
        .where("owner_enterprise_id", "=", 0)
        .where("active", "=", 1)
        .where("posts", "like", "%worker%")
        .where("posts", "like", "%safety_manager%")
        .groupBy("topic")
        .orderBy("topic")
        .executeTakeFirstOrThrow()
    ).topic;
    const url = `/practice/question?mode=sequence&topic=${encodeURIComponent(topic)}`;
    const evaluatorBefore = await run(() => practiceLoader(args(request(url, evaluator))));
    const first = await run(() => practiceLoader(args(request(url, worker))));
    expect(first.status).toBe(200);
    expect(first.data.sequence!.index).toBeGreaterThanOrEqual(1);
    const token = first.data.question.token as string;

    // Reading the page again without answering stays on the same question.
    const same = await run(() => practiceLoader(args(request(url, worker))));
    expect(same.data.sequence!.index).toBe(first.data.sequence!.index);

    const answered = await run(() =>
      practiceAction(
        args(
          request(url, worker, {
            token,
            answer: first.data.question.type === "judge" ? "true" : "A",
            mode: "sequence",
          }),
        ),
      ),
    );
    expect(answered.status).toBe(200);
    const next = await run(() => practiceLoader(args(request(url, worker))));
    expect(next.data.sequence!.index).toBeGreaterThan(first.data.sequence!.index);
    const workerPerson = await personOf("worker");
    const evaluatorPerson = await personOf("evaluator");
    expect(
      await db.selectFrom("practice_position").selectAll().where("person_id", "=", workerPerson.id).execute(),
    ).toHaveLength(1);

    // The evaluator's own sequence starts at their beginning, untouched by the worker's.
    const theirs = await run(() => practiceLoader(args(request(url, evaluator))));
    expect(theirs.data.sequence!.index).toBe(evaluatorBefore.data.sequence!.index);
    expect(
      await db.selectFrom("practice_position").selectAll().where("person_id", "=", evaluatorPerson.id).execute(),
    ).toHaveLength(0);

    // 收藏: saved for the worker only; a token drawn for the worker is refused to the evaluator.
    const fav = await run(() => practiceAction(args(request(url, worker, { intent: "favorite", token, on: "1" }))));
    expect(fav.data).toEqual({ favorite: true });
    expect((await favorites(workerPerson.id)).map((f) => f.id)).toHaveLength(1);
    const stolen = await run(() =>
      practiceAction(args(request(url, evaluator, { intent: "favorite", token, on: "1" }))),
    );
    expect(stolen.status).toBe(422);
    expect(await favorites(evaluatorPerson.id)).toHaveLength(0);
    const questionId = (await favorites(workerPerson.id))[0].id;
    // Opening the worker's favourite by id works for the worker, not for the evaluator.
    expect((await run(() => practiceLoader(args(request(`/practice/question?q=${questionId}`, worker))))).status).toBe(
      200,
    );
    expect(
      (await run(() => practiceLoader(args(request(`/practice/question?q=${questionId}`, evaluator))))).status,
    ).toBe(404);
    // Un-收藏.
    await run(() => practiceAction(args(request(url, worker, { intent: "favorite", token, on: "0" }))));
    expect(await favorites(workerPerson.id)).toHaveLength(0);
  });

  it("opens a wrong-answer entry with its answer and explanation for its person only", async () => {
    const worker = await personOf("worker");
    const q = await db
      .selectFrom("question")
      .innerJoin("question_version", "question_version.id", "question.current_version_id")
      .select(["question.id", "question_version.answer"])
      .where("owner_enterprise_id", "=", 0)
      .where("active", "=", 1)
      .where(
        "question.id",
        "not in",
        db
          .selectFrom("attempt_item")
          .innerJoin("attempt", "attempt.id", "attempt_item.attempt_id")
          .select("attempt_item.question_id")
          .where("attempt.person_id", "=", worker.id),
      )
      .where(
        "question.id",
        "not in",
        db.selectFrom("wrong_answer").select("question_id").where("person_id", "=", worker.id),
      )
      .orderBy("question.id", "desc")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("wrong_answer")
      .values({ person_id: worker.id, question_id: q.id, wrong_count: 2, last_wrong_at: new Date() })
      .execute();
    const [workerCookie, evaluatorCookie] = [await cookieOf("worker"), await cookieOf("evaluator")];
    const mine = await run(() =>
      wrongLoader(args(request(`/practice/wrong/${q.id}`, workerCookie), { id: String(q.id) })),
    );
    expect(mine.status).toBe(200);
    expect(mine.data.entry).toMatchObject({ id: q.id, answer: q.answer, wrongCount: 2 });
    const theirs = await run(() =>
      wrongLoader(args(request(`/practice/wrong/${q.id}`, evaluatorCookie), { id: String(q.id) })),
    );
    expect(theirs.status).toBe(404);
    const junk = await run(() => wrongLoader(args(request("/practice/wrong/abc", workerCookie), { id: "abc" })));
    expect(junk.status).toBe(404);
  });
});
