import { afterEach, describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { advanceClock, resetClock } from "../../app/lib/clock.server";
import { action as startAction } from "../../app/routes/exams.$id.start";
import { action as saveAction } from "../../app/routes/attempts.$id.answers";
import { action as submitAction, loader as takeLoader } from "../../app/routes/attempts.$id._index";
import { loader as reviewLoader } from "../../app/routes/attempts.$id.review";
import { closeExpiredAttempts } from "../../app/modules/exams/grading.server";
import { toDisplayed } from "../../app/modules/exams/grading";
import { cookieOf, newWorkerAccount, request, run } from "../support/actors";

const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
afterEach(() => resetClock());

async function demoExamId() {
  return (await db.selectFrom("exam").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
}

async function start(username: string) {
  const cookie = username.startsWith("new-")
    ? await newWorkerAccount("安澜宏达化工有限公司", username)
    : await cookieOf(username);
  const examId = await demoExamId();
  const res = await run(() => startAction(args(request(`/exams/${examId}/start`, cookie, {}), { id: String(examId) })));
  expect(res.status).toBe(302);
  const attemptId = res.headers.get("location")!.split("/").pop()!;
  return { cookie, attemptId, examId };
}

/** The correct answer of each position, in the letters the examinee sees (what a perfect examinee clicks). */
async function correctAnswers(attemptId: string) {
  const rows = await db
    .selectFrom("attempt_item")
    .innerJoin("question_version", "question_version.id", "attempt_item.question_version_id")
    .innerJoin("question", "question.id", "attempt_item.question_id")
    .select(["attempt_item.position", "attempt_item.option_order", "question_version.answer", "question.type"])
    .where("attempt_item.attempt_id", "=", Number(attemptId))
    .orderBy("position")
    .execute();
  return rows.map((r) => ({
    position: r.position,
    type: r.type,
    answer: r.type === "judge" ? r.answer : toDisplayed(r.answer, r.option_order),
  }));
}

const save = (cookie: string, attemptId: string, position: number, answer: string, seq: number) =>
  run(() =>
    saveAction(
      args(
        request(`/attempts/${attemptId}/answers`, cookie, { position: String(position), answer, seq: String(seq) }),
        { id: attemptId },
      ),
    ),
  );

describe("taking an exam", () => {
  it("draws a paper that follows the template, stores it, and shows the same paper on reload — without answers", async () => {
    const { cookie, attemptId, examId } = await start("worker");
    const first = await run(() => takeLoader(args(request(`/attempts/${attemptId}`, cookie), { id: attemptId })));
    expect(first.status).toBe(200);
    const items = first.data.items as { type: string; stem: string; options: string[] }[];
    expect(items.map((i) => i.type)).toEqual([
      ...Array(20).fill("single"),
      ...Array(10).fill("multiple"),
      ...Array(10).fill("judge"),
    ]);
    const worker = await db
      .selectFrom("user")
      .innerJoin("person", "person.id", "user.person_id")
      .select("person.post")
      .where("username", "=", "worker")
      .executeTakeFirstOrThrow();
    const drawn = await db
      .selectFrom("attempt_item")
      .innerJoin("question", "question.id", "attempt_item.question_id")
      .select(["question.posts", "question.id"])
      .where("attempt_id", "=", Number(attemptId))
      .execute();
    expect(new Set(drawn.map((d) => d.id)).size).toBe(40);
    expect(drawn.every((d) => d.posts.split(",").includes(worker.post))).toBe(true);
    // Reload: same paper, same option order. Starting again resumes it.
    const again = await run(() => takeLoader(args(request(`/attempts/${attemptId}`, cookie), { id: attemptId })));
    expect(again.data.items).toEqual(first.data.items);
    const resumed = await run(() =>
      startAction(args(request(`/exams/${examId}/start`, cookie, {}), { id: String(examId) })),
    );
    expect(resumed.headers.get("location")).toBe(`/attempts/${attemptId}`);
    // No correct answer or explanation anywhere in what the page gets.
    const versions = await db
      .selectFrom("attempt_item")
      .innerJoin("question_version", "question_version.id", "attempt_item.question_version_id")
      .select(["question_version.explanation"])
      .where("attempt_id", "=", Number(attemptId))
      .execute();
    const payload = JSON.stringify(first.data);
    for (const v of versions) if (v.explanation) expect(payload).not.toContain(v.explanation);
    expect(payload).not.toMatch(/"(correct|explanation|regulation)"/);
  });

  it("saves answers one by one (later sequence wins), grades on submit, and a second submit changes nothing", async () => {
    const { cookie, attemptId } = await start("officer");
    const correct = await correctAnswers(attemptId);
    let seq = 0;
    for (const c of correct) expect((await save(cookie, attemptId, c.position, c.answer, ++seq)).status).toBe(200);
    // A late retry of an older answer does not overwrite the newer one.
    const wrongFirst =
      correct[0].type === "judge"
        ? correct[0].answer === "true"
          ? "false"
          : "true"
        : correct[0].answer === "A"
          ? "B"
          : "A";
    expect((await save(cookie, attemptId, 1, wrongFirst, 0)).status).toBe(200);
    const bad = await save(cookie, attemptId, 1, "Z", 99);
    expect(bad.status).toBe(422);
    const res = await run(() => submitAction(args(request(`/attempts/${attemptId}`, cookie, {}), { id: attemptId })));
    expect(res.headers.get("location")).toBe(`/attempts/${attemptId}/review`);
    const graded = await db
      .selectFrom("attempt")
      .selectAll()
      .where("id", "=", Number(attemptId))
      .executeTakeFirstOrThrow();
    expect(Number(graded.score)).toBe(100);
    expect(graded.passed).toBe(1);
    // Submitting again, or saving after submission, changes nothing.
    await run(() =>
      submitAction(args(request(`/attempts/${attemptId}`, cookie, { q1: wrongFirst }), { id: attemptId })),
    );
    expect((await save(cookie, attemptId, 1, wrongFirst, 1000)).status).toBe(409);
    const after = await db
      .selectFrom("attempt")
      .selectAll()
      .where("id", "=", Number(attemptId))
      .executeTakeFirstOrThrow();
    expect(after).toEqual(graded);
    // The review is no answer key while the exam is open and a second attempt is allowed; after the close it is.
    const early = await run(() =>
      reviewLoader(args(request(`/attempts/${attemptId}/review`, cookie), { id: attemptId })),
    );
    expect(early.data).toMatchObject({ score: 100, passed: true, reveal: false });
    expect(early.data.withheld).toContain("考试结束后公布");
    expect(JSON.stringify(early.data)).not.toMatch(/"(correct|explanation)"/);
    const examId = (
      await db.selectFrom("attempt").select("exam_id").where("id", "=", Number(attemptId)).executeTakeFirstOrThrow()
    ).exam_id!;
    const closesAt = (
      await db.selectFrom("exam").select("closes_at").where("id", "=", examId).executeTakeFirstOrThrow()
    ).closes_at;
    await db
      .updateTable("exam")
      .set({ closes_at: new Date(Date.now() - 1000) })
      .where("id", "=", examId)
      .execute();
    const review = await run(() =>
      reviewLoader(args(request(`/attempts/${attemptId}/review`, cookie), { id: attemptId })),
    );
    await db.updateTable("exam").set({ closes_at: closesAt }).where("id", "=", examId).execute();
    expect(review.data).toMatchObject({ score: 100, passed: true, reveal: true });
    expect(review.data.items[0].explanation).toBeTruthy();
  });

  it("enforces the deadline on the server: late answers are refused and the attempt is graded with what was saved", async () => {
    const { cookie, attemptId } = await start("new-late");
    const correct = await correctAnswers(attemptId);
    for (const c of correct.slice(0, 10)) await save(cookie, attemptId, c.position, c.answer, c.position);
    advanceClock(61 * 60_000);
    const late = await save(cookie, attemptId, 11, correct[10].answer, 11);
    expect(late.status).toBe(409);
    const a = await db.selectFrom("attempt").selectAll().where("id", "=", Number(attemptId)).executeTakeFirstOrThrow();
    expect(a.closed_by).toBe("deadline");
    expect(a.submitted_at!.getTime()).toBe(a.deadline_at.getTime());
    // 10 correct single-choice answers of 2 points each out of 100.
    expect(Number(a.score)).toBe(20);
    const page = await run(() => takeLoader(args(request(`/attempts/${attemptId}`, cookie), { id: attemptId })));
    expect(page.headers.get("location")).toBe(`/attempts/${attemptId}/review`);
  });

  it("grades abandoned attempts when their time is up, without anyone opening them", async () => {
    const { attemptId } = await start("new-abandons");
    expect(await closeExpiredAttempts()).toBe(0);
    advanceClock(2 * 60 * 60_000);
    expect(await closeExpiredAttempts()).toBeGreaterThanOrEqual(1);
    const a = await db
      .selectFrom("attempt")
      .select(["closed_by", "score"])
      .where("id", "=", Number(attemptId))
      .executeTakeFirstOrThrow();
    expect(a).toEqual({ closed_by: "deadline", score: 0 });
    expect(await closeExpiredAttempts()).toBe(0);
  });

  it("refuses another person's attempt: reading, answering and submitting", async () => {
    const { attemptId } = await start("worker");
    const other = await cookieOf("officer");
    expect(
      (await run(() => takeLoader(args(request(`/attempts/${attemptId}`, other), { id: attemptId })))).status,
    ).toBe(403);
    expect((await save(other, attemptId, 1, "A", 1)).status).toBe(403);
    // Without a session the autosave says so (401), rather than a redirect that fetch would follow to a 200 page.
    const anonymous = await save(null as unknown as string, attemptId, 1, "A", 1);
    expect(anonymous.status).toBe(401);
    expect(anonymous.data).toBeNull(); // a Response: its JSON is read by the page
    expect(
      (await run(() => submitAction(args(request(`/attempts/${attemptId}`, other, {}), { id: attemptId })))).status,
    ).toBe(403);
    const outsider = await cookieOf("officer2");
    expect(
      (await run(() => reviewLoader(args(request(`/attempts/${attemptId}/review`, outsider), { id: attemptId }))))
        .status,
    ).toBe(403);
    const a = await db
      .selectFrom("attempt")
      .select("submitted_at")
      .where("id", "=", Number(attemptId))
      .executeTakeFirstOrThrow();
    expect(a.submitted_at).toBeNull();
  });

  it("limits attempts and refuses people of other enterprises", async () => {
    const examId = await demoExamId();
    const outsider = await cookieOf("officer2");
    const res = await run(() =>
      startAction(args(request(`/exams/${examId}/start`, outsider, {}), { id: String(examId) })),
    );
    expect(res.status).toBe(403);
  });
});
