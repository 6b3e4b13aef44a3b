/**
 * Closing a paper and grading it, exactly once: the examinee's hand-in (`handIn`), the deadline (`closeExpiredAttempts`,
 * `finalizeAttempt`), a proctor or inspector. Each item is scored by its question type (`question-types/`).
 */
import { sql, type Transaction } from "kysely";
import { formatInstant } from "../../lib/calendar";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { notify } from "../notifications/notify.server";
import type { Database } from "../../../db/types";
import { followUpAfterGrading } from "../inspections/follow-up.server";
import { percent, scoreItem, validAnswer, type MultipleScoring } from "./grading";
import { questionType } from "./question-types";

/** Seconds after the deadline in which an answer already on its way is still taken (network latency). */
export const GRACE_MS = 2000;

/**
 * Close and grade an attempt with the answers saved so far. Safe to call any number of times and from any
 * process: the row lock and the `submitted_at IS NULL` check make exactly one call grade it.
 */
export async function finalizeAttempt(
  id: number,
  closedBy: "person" | "deadline" | "inspector" | "leave_limit",
): Promise<boolean> {
  return db.transaction().execute((trx) => gradeLocked(trx, id, closedBy));
}

/**
 * Hand in from the page's form: the answers it shows (fields q1, q2 …) are saved first, as the newest, in one
 * statement, then the attempt is graded once, all in one transaction. Malformed values are simply not saved; a
 * hand-in arriving after the deadline (and its grace) saves nothing and grades what was saved in time.
 */
export type HandInResult = { ok: true } | { ok: false; status: 409; message: string };

export async function handIn(
  attemptId: number,
  ownerPersonId: number | null,
  form: Record<string, string | string[]>,
): Promise<HandInResult> {
  const a = await db
    .selectFrom("attempt")
    .select(["submitted_at", "deadline_at", "closed_by"])
    .where("id", "=", attemptId)
    .executeTakeFirstOrThrow();
  // Handing in twice changes nothing; a paper the server already closed, or one past its deadline, takes no more answers.
  if (a.submitted_at && a.closed_by === "person") return { ok: true };
  if (a.submitted_at && a.closed_by === "leave_limit") {
    return {
      ok: false,
      status: 409,
      message: "切屏次数超过上限，试卷已按已保存的答案自动交卷，本次提交的答案未被接收。",
    };
  }
  if (a.submitted_at || now().getTime() > a.deadline_at.getTime() + GRACE_MS) {
    await finalizeAttempt(attemptId, "deadline");
    return {
      ok: false,
      status: 409,
      message: `考试已于 ${formatInstant(a.deadline_at, true)} 截止，本次提交的答案未被接收；试卷已按截止前保存的答案评分。`,
    };
  }
  const given = new Map<number, string>();
  for (const [name, value] of Object.entries(form)) {
    const m = /^q(\d{1,3})$/.exec(name);
    const answer = Array.isArray(value) ? [...value].sort().join("") : value;
    if (m && answer) given.set(Number(m[1]), answer);
  }
  await db.transaction().execute((trx) => gradeLocked(trx, attemptId, "person", { personId: ownerPersonId, given }));
  return { ok: true };
}

/** The grading itself, inside the caller's transaction; `handIn` first stores the page's answers (as the newest). */
async function gradeLocked(
  trx: Transaction<Database>,
  id: number,
  closedBy: "person" | "deadline" | "inspector" | "leave_limit",
  handedIn?: { personId: number | null; given: Map<number, string> },
): Promise<boolean> {
  // Only the attempt's own row is locked: a join here locked the template's row too, so every hand-in of an exam
  // waited for the one before it (and on a Galera cluster, hand-ins through other nodes aborted each other).
  const locked = await trx
    .selectFrom("attempt")
    .select([
      "submitted_at",
      "deadline_at",
      "person_id",
      "exam_id",
      "total_points",
      "at_deadline",
      "paused_at",
      "template_id",
    ])
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const template = await trx
    .selectFrom("exam_template")
    .select(["pass_mark", "multiple_scoring", "name as template_name"])
    .where("id", "=", locked.template_id)
    .executeTakeFirstOrThrow();
  const a = { ...locked, ...template };
  if (a.submitted_at) return false;
  // A paper paused by its proctor (exam sites) has its clock stopped: no deadline closes it, nor its examinee.
  if (a.paused_at && closedBy !== "inspector") return false;
  if (handedIn?.given.size && a.person_id === handedIn.personId) {
    if (now().getTime() > a.deadline_at.getTime() + GRACE_MS) closedBy = "deadline";
    else await storeHandedIn(trx, id, handedIn.given);
  }
  // A paper whose deadline was set to close it unfinished (an on-site quiz ended early) gets no score: 未完成, not 0 分.
  if (closedBy === "deadline" && a.at_deadline === "incomplete" && now() >= a.deadline_at) {
    await trx
      .updateTable("attempt")
      .set({ submitted_at: a.deadline_at, closed_by: "incomplete" })
      .where("id", "=", id)
      .execute();
    return true;
  }
  const items = await trx
    .selectFrom("attempt_item")
    .innerJoin("question_version", "question_version.id", "attempt_item.question_version_id")
    .innerJoin("question", "question.id", "attempt_item.question_id")
    .leftJoin("attempt_answer", (j) =>
      j
        .onRef("attempt_answer.attempt_id", "=", "attempt_item.attempt_id")
        .onRef("attempt_answer.position", "=", "attempt_item.position"),
    )
    .select([
      "attempt_item.position",
      "attempt_item.question_id",
      "attempt_item.points",
      "question.type",
      "question_version.answer as correct",
      "attempt_answer.answer as given",
    ])
    .where("attempt_item.attempt_id", "=", id)
    .execute();
  const scored = items.map((it) => ({
    ...it,
    earned: scoreItem(it.type, it.correct, it.given, Number(it.points), a.multiple_scoring as MultipleScoring),
  }));
  const earned = scored.reduce((s, it) => s + it.earned, 0);
  const score = percent(earned, Number(a.total_points));
  if (scored.length) {
    await sql`UPDATE attempt_item SET earned = CASE position ${sql.join(
      scored.map((it) => sql`WHEN ${it.position} THEN ${it.earned}`),
      sql` `,
    )} END
      WHERE attempt_id = ${id}`.execute(trx);
  }
  const t = now();
  const submittedAt = t < a.deadline_at ? t : a.deadline_at;
  const passed = score >= a.pass_mark;
  await trx
    .updateTable("attempt")
    .set({ submitted_at: submittedAt, closed_by: closedBy, score, passed: passed ? 1 : 0 })
    .where("id", "=", id)
    .execute();
  const wrong = scored.filter((it) => it.earned < Number(it.points));
  if (a.person_id && wrong.length) {
    await sql`INSERT INTO wrong_answer (person_id, question_id, wrong_count, last_wrong_at) VALUES
      ${sql.join(wrong.map((w) => sql`(${a.person_id}, ${w.question_id}, 1, ${t})`))}
      ON DUPLICATE KEY UPDATE wrong_count = wrong_count + 1, last_wrong_at = VALUES(last_wrong_at), mastered_at = NULL`.execute(
      trx,
    );
  }
  // What the result orders (an on-site quiz's follow-up, a re-test closing one) is written with it.
  await followUpAfterGrading(trx, { attemptId: id, examId: a.exam_id, passed, submittedAt });
  // The examinee hears of a formal exam's result in the inbox (quiz papers show theirs on the spot).
  if (a.person_id && a.exam_id) {
    await notify(trx, {
      personIds: [a.person_id],
      kind: "exam_result",
      title: `考试成绩：${a.template_name} ${score} 分（${passed ? "合格" : "不合格"}）`,
      body: passed ? "考试合格。" : `未达到 ${a.pass_mark} 分合格线，请复习后按安排补考。`,
      link: `/attempts/${id}/review`,
      dedupeKey: `exam-result:${id}`,
    });
  }
  return true;
}

/** The hand-in's answers in one multi-row upsert (display letters → the question's own; malformed ones skipped). */
async function storeHandedIn(trx: Transaction<Database>, attemptId: number, given: Map<number, string>) {
  const targets = await trx
    .selectFrom("attempt_item")
    .innerJoin("question", "question.id", "attempt_item.question_id")
    .select(["attempt_item.position", "attempt_item.option_order", "question.type"])
    .where("attempt_item.attempt_id", "=", attemptId)
    .where("attempt_item.position", "in", [...given.keys()])
    .execute();
  const t = now();
  const rows = targets.flatMap((row) => {
    const answer = given.get(row.position)!;
    if (!validAnswer(row.type, answer, row.option_order.length)) return [];
    return [
      sql`(${attemptId}, ${row.position}, ${questionType(row.type).toStored(answer, row.option_order)}, ${HAND_IN_SEQ}, ${t})`,
    ];
  });
  if (!rows.length) return;
  await sql`INSERT INTO attempt_answer (attempt_id, position, answer, client_seq, saved_at) VALUES ${sql.join(rows)}
    ON DUPLICATE KEY UPDATE answer = IF(VALUES(client_seq) > client_seq, VALUES(answer), answer),
      saved_at = IF(VALUES(client_seq) > client_seq, VALUES(saved_at), saved_at),
      client_seq = GREATEST(client_seq, VALUES(client_seq))`.execute(trx);
}

/** The sequence number of the hand-in's answers: newer than any autosave. */
const HAND_IN_SEQ = 2_000_000_000;

/** Grade every attempt whose deadline has passed (run periodically by each app process; safe in parallel). */
export async function closeExpiredAttempts(limit = 200): Promise<number> {
  const due = await db
    .selectFrom("attempt")
    .select("id")
    .where("submitted_at", "is", null)
    .where("deadline_at", "<=", now())
    .where("paused_at", "is", null)
    .limit(limit)
    .execute();
  let closed = 0;
  for (const { id } of due) if (await finalizeAttempt(id, "deadline")) closed++;
  return closed;
}
