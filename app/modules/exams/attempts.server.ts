import { sql, type Transaction } from "kysely";
import { formatInstant } from "../../lib/calendar";
import { now } from "../../lib/clock.server";
import { db, rawPool } from "../../lib/db.server";
import type { RowDataPacket } from "mysql2";
import { notify } from "../notifications/notify.server";
import type { Database, QuestionType } from "../../../db/types";
import { permutation, type Examinee, type PaperRule, type Random } from "./draw";
import { cryptoRandom, drawPaper } from "./draw.server";
import { readFormData } from "../../lib/forms.server";
import { parseInput } from "../../lib/validation";
import { SaveAnswerInput } from "./schema";
import { followUpAfterGrading } from "../inspections/follow-up.server";
import { percent, scoreItem, toDisplayed, toOriginal, validAnswer, type MultipleScoring } from "./grading";

/** Seconds after the deadline in which an answer already on its way is still taken (network latency). */
const GRACE_MS = 2000;

export interface NewAttempt {
  templateId: number;
  examId: number | null;
  personId: number | null;
  attemptNo: number;
  rules: PaperRule[];
  examinee: Examinee;
  timeLimitMinutes: number;
  shuffleOptions: boolean;
  /** The attempt may not run past this (the exam's or quiz's end). */
  latestEnd?: Date;
  /** 模拟考试: a practice paper from a template, never a sitting of an exam. */
  mock?: boolean;
}

/** Draw a paper and store it with a new attempt; the paper (questions, versions, option order) never changes. */
export async function createAttempt(
  a: NewAttempt,
  random: Random = cryptoRandom,
  trx?: Transaction<Database>,
): Promise<number> {
  const drawn = await drawPaper(a.rules, a.examinee, random);
  const started = now();
  let deadline = new Date(started.getTime() + a.timeLimitMinutes * 60_000);
  if (a.latestEnd && a.latestEnd < deadline) deadline = a.latestEnd;
  const total = drawn.reduce((s, d) => s + d.points, 0);
  // Questions stay grouped by rule (单选, 多选, 判断 …) but are shuffled within each rule.
  const order: number[] = [];
  let start = 0;
  for (const rule of a.rules) {
    order.push(...permutation(rule.count, random).map((i) => start + i));
    start += rule.count;
  }
  const write = async (t: Transaction<Database>) => {
    const res = await t
      .insertInto("attempt")
      .values({
        template_id: a.templateId,
        exam_id: a.examId,
        person_id: a.personId,
        attempt_no: a.attemptNo,
        started_at: started,
        deadline_at: deadline,
        total_points: total,
        mock: a.mock ? 1 : 0,
      })
      .executeTakeFirstOrThrow();
    const id = Number(res.insertId);
    await t
      .insertInto("attempt_item")
      .values(
        order.map((k, i) => {
          const d = drawn[k];
          const optionOrder =
            d.type === "judge"
              ? ""
              : (a.shuffleOptions ? permutation(d.optionCount, random) : [...Array(d.optionCount).keys()]).join("");
          return {
            attempt_id: id,
            position: i + 1,
            question_id: d.questionId,
            question_version_id: d.versionId,
            option_order: optionOrder,
            points: d.points,
          };
        }),
      )
      .execute();
    return id;
  };
  return trx ? write(trx) : db.transaction().execute(write);
}

/** Who an attempt belongs to: its person, and the enterprise (of the person, or of the exam) for viewers. */
export async function attemptOwner(id: number) {
  const a = await db
    .selectFrom("attempt")
    .leftJoin("person", "person.id", "attempt.person_id")
    .leftJoin("exam", "exam.id", "attempt.exam_id")
    .select([
      "attempt.id",
      "attempt.person_id",
      "attempt.exam_id",
      "attempt.template_id",
      "person.enterprise_id as person_enterprise",
      "exam.enterprise_id as exam_enterprise",
    ])
    .where("attempt.id", "=", id)
    .executeTakeFirst();
  if (!a) return undefined;
  const enterpriseId = a.person_enterprise ?? a.exam_enterprise;
  const enterprise = enterpriseId
    ? await db.selectFrom("enterprise").select(["id", "region_path"]).where("id", "=", enterpriseId).executeTakeFirst()
    : undefined;
  return {
    id: a.id,
    person_id: a.person_id,
    exam_id: a.exam_id,
    template_id: a.template_id,
    enterprise_id: enterprise?.id ?? null,
    region_path: enterprise?.region_path ?? null,
  };
}

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
  const a = await trx
    .selectFrom("attempt")
    .innerJoin("exam_template", "exam_template.id", "attempt.template_id")
    .select([
      "attempt.submitted_at",
      "attempt.deadline_at",
      "attempt.person_id",
      "attempt.exam_id",
      "attempt.total_points",
      "attempt.at_deadline",
      "attempt.paused_at",
      "exam_template.pass_mark",
      "exam_template.multiple_scoring",
      "exam_template.name as template_name",
    ])
    .where("attempt.id", "=", id)
    .forUpdate()
    .executeTakeFirstOrThrow();
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
      sql`(${attemptId}, ${row.position}, ${row.type === "judge" ? answer : toOriginal(answer, row.option_order)}, ${HAND_IN_SEQ}, ${t})`,
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

export type SaveResult = { ok: true } | { ok: false; status: 404 | 409 | 422; message: string };

export type AnswerFields =
  { ok: true; position: number; answer: string; seq: number } | { ok: false; status: 400 | 422; message: string };

/** An autosave's fields, checked: position, answer and sequence, or why not. */
export function parseAnswerFields(fields: unknown): AnswerFields {
  const input = parseInput(SaveAnswerInput, fields);
  if (!input.ok) return { ok: false, status: 422, message: Object.values(input.fieldErrors)[0] };
  return { ok: true, ...input.data };
}

/** An autosave request's body, checked: position, answer and sequence, or a JSON refusal to send back. */
export async function readAnswerRequest(
  request: Request,
): Promise<{ ok: true; position: number; answer: string; seq: number } | { ok: false; response: Response }> {
  let fields: unknown;
  try {
    fields = Object.fromEntries(await readFormData(request, { maxBytes: 16 * 1024 }));
  } catch {
    return { ok: false, response: Response.json({ ok: false, message: "提交的内容无法读取" }, { status: 400 }) };
  }
  const input = parseAnswerFields(fields);
  return input.ok
    ? input
    : { ok: false, response: Response.json({ ok: false, message: input.message }, { status: input.status }) };
}

/**
 * The attempt and item an answer is for (one indexed read; the caller authorizes on `person_id`). The hottest read of
 * an exam: a prepared statement (parsed once per connection by the server, no query building per call).
 */
export async function answerTarget(attemptId: number, position: number) {
  const [rows] = await rawPool()
    .promise()
    .execute<RowDataPacket[]>(
      `SELECT attempt.id, attempt.person_id, attempt.deadline_at, attempt.submitted_at, attempt.paused_at, attempt_item.position, attempt_item.option_order, question.type
     FROM attempt INNER JOIN attempt_item ON attempt_item.attempt_id = attempt.id INNER JOIN question ON question.id = attempt_item.question_id
     WHERE attempt.id = ? AND attempt_item.position = ?`,
      [attemptId, position],
    );
  return rows[0] as
    | {
        id: number;
        person_id: number | null;
        deadline_at: Date;
        submitted_at: Date | null;
        paused_at: Date | null;
        position: number;
        option_order: string;
        type: QuestionType;
      }
    | undefined;
}
export type AnswerTarget = NonNullable<Awaited<ReturnType<typeof answerTarget>>>;

/**
 * Save one answer (the hot path: the target read above, then one upsert). Answers arrive in display letters
 * and are stored in the question's own letters; a late retry with an older sequence number never overwrites
 * a newer answer.
 */
export async function saveAnswer(
  attemptId: number,
  personId: number | null,
  position: number,
  answer: string,
  seq: number,
  known?: AnswerTarget,
): Promise<SaveResult> {
  const row = known ?? (await answerTarget(attemptId, position));
  if (!row || row.person_id !== personId) return { ok: false, status: 404, message: "该题不存在" };
  return storeAnswer(row, answer, seq);
}

export async function storeAnswer(row: AnswerTarget, answer: string, seq: number): Promise<SaveResult> {
  const attemptId = row.id;
  if (row.submitted_at) return { ok: false, status: 409, message: "已交卷，答案不能再修改" };
  if (row.paused_at) return { ok: false, status: 409, message: "考试已暂停，请等待监考人员恢复考试" };
  const t = now();
  if (t.getTime() > row.deadline_at.getTime() + GRACE_MS) {
    await finalizeAttempt(attemptId, "deadline");
    return { ok: false, status: 409, message: "考试时间已到，已按已保存的答案交卷" };
  }
  if (!validAnswer(row.type, answer, row.option_order.length))
    return { ok: false, status: 422, message: "答案格式与题型不符" };
  const stored = row.type === "judge" ? answer : toOriginal(answer, row.option_order);
  await sql`INSERT INTO attempt_answer (attempt_id, position, answer, client_seq, saved_at) VALUES (${attemptId}, ${row.position}, ${stored}, ${seq}, ${t})
    ON DUPLICATE KEY UPDATE answer = IF(VALUES(client_seq) > client_seq, VALUES(answer), answer),
      saved_at = IF(VALUES(client_seq) > client_seq, VALUES(saved_at), saved_at),
      client_seq = GREATEST(client_seq, VALUES(client_seq))`.execute(db);
  return { ok: true };
}

const displayOptions = (options: string[], order: string) => [...order].map((d) => options[Number(d)]);

/** What the examinee's page needs: no correct answer, no explanation. Reads only: grading is by POST or the job. */
export async function paperForTaking(attemptId: number) {
  const a = await db
    .selectFrom("attempt")
    .innerJoin("exam_template", "exam_template.id", "attempt.template_id")
    .leftJoin("exam", "exam.id", "attempt.exam_id")
    .select([
      "attempt.id",
      "attempt.deadline_at",
      "attempt.submitted_at",
      "attempt.leave_count",
      "attempt.mock",
      "exam_template.leave_limit",
      "attempt.paused_at",
      "exam_template.name",
      "exam.title",
    ])
    .where("attempt.id", "=", attemptId)
    .executeTakeFirstOrThrow();
  // Past its deadline and not yet graded: a GET does not grade (issue 18). The page comes at 00:00 and hands in at
  // once by POST (which grades), and the background job grades it anyway.
  if (a.submitted_at) return { submitted: true as const };
  const items = await db
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
      "attempt_item.option_order",
      "attempt_item.points",
      "question.type",
      "question_version.stem",
      "question_version.options",
      "attempt_answer.answer",
      "attempt_answer.client_seq",
    ])
    .where("attempt_item.attempt_id", "=", attemptId)
    .orderBy("attempt_item.position")
    .execute();
  return {
    submitted: false as const,
    id: a.id,
    title: a.title ?? a.name,
    deadline: a.deadline_at.toISOString(),
    leaveCount: a.leave_count,
    leaveLimit: a.mock ? null : a.leave_limit,
    mock: Boolean(a.mock),
    remainingSeconds: Math.max(0, Math.floor((a.deadline_at.getTime() - (a.paused_at ?? now()).getTime()) / 1000)),
    paused: Boolean(a.paused_at),
    items: items.map((it) => ({
      position: it.position,
      type: it.type as QuestionType,
      points: Number(it.points),
      stem: it.stem,
      options: displayOptions(JSON.parse(it.options) as string[], it.option_order),
      answer: it.answer === null ? null : it.type === "judge" ? it.answer : toDisplayed(it.answer, it.option_order),
      seq: it.client_seq ?? 0,
    })),
  };
}

/** The graded paper. Correct answers and explanations only when the template allows them now. */
export async function reviewOf(attemptId: number) {
  const a = await db
    .selectFrom("attempt")
    .innerJoin("exam_template", "exam_template.id", "attempt.template_id")
    .leftJoin("exam", "exam.id", "attempt.exam_id")
    .select([
      "attempt.id",
      "attempt.submitted_at",
      "attempt.score",
      "attempt.passed",
      "attempt.closed_by",
      "attempt.started_at",
      "exam_template.name",
      "exam_template.pass_mark",
      "exam_template.show_answers",
      "exam_template.attempts_allowed",
      "exam.title",
      "exam.closes_at",
      "attempt.exam_id",
      "attempt.person_id",
      "attempt.mock",
    ])
    .where("attempt.id", "=", attemptId)
    .executeTakeFirstOrThrow();
  if (!a.submitted_at) return { submitted: false as const };
  const examOpen = a.closes_at !== null && a.closes_at > now();
  // A review must not be an answer key for a paper still to come: while the exam is open and the examinee may sit it
  // again, answers wait for the close (the same guard as practice).
  const sitsLeft =
    a.exam_id !== null &&
    a.person_id !== null &&
    examOpen &&
    Number(
      (
        await db
          .selectFrom("attempt")
          .select(sql<number>`COUNT(*)`.as("n"))
          .where("exam_id", "=", a.exam_id)
          .where("person_id", "=", a.person_id)
          .executeTakeFirstOrThrow()
      ).n,
    ) < a.attempts_allowed;
  // A 模拟考试 is practice: graded and explained once handed in.
  const reveal = a.mock
    ? true
    : !sitsLeft && (a.show_answers === "after_submit" || (a.show_answers === "after_close" && !examOpen));
  // Nor for a question that is on another paper of theirs still being answered (for a mock: or of an exam still open).
  const pending =
    reveal && a.person_id !== null
      ? new Set(
          (
            await db
              .selectFrom("attempt_item")
              .innerJoin("attempt", "attempt.id", "attempt_item.attempt_id")
              .leftJoin("exam", "exam.id", "attempt.exam_id")
              .select("attempt_item.question_id")
              .where("attempt.person_id", "=", a.person_id)
              .where((eb) =>
                a.mock
                  ? eb.or([eb("attempt.submitted_at", "is", null), eb("exam.closes_at", ">", now())])
                  : eb("attempt.submitted_at", "is", null),
              )
              .execute()
          ).map((r) => r.question_id),
        )
      : new Set<number>();
  const items = await db
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
      "attempt_item.option_order",
      "attempt_item.points",
      "attempt_item.earned",
      "question.type",
      "question.topic",
      "question.course_slug",
      "question.lesson_slug",
      "question_version.stem",
      "question_version.options",
      "question_version.answer as correct",
      "question_version.explanation",
      "question_version.regulation",
      "attempt_answer.answer as given",
      "attempt_item.question_id",
    ])
    .where("attempt_item.attempt_id", "=", attemptId)
    .orderBy("attempt_item.position")
    .execute();
  const shown = (ans: string | null, order: string, type: string) =>
    ans === null ? null : type === "judge" ? ans : toDisplayed(ans, order);
  return {
    submitted: true as const,
    title: a.title ?? a.name,
    startedAt: a.started_at.toISOString(),
    submittedAt: a.submitted_at.toISOString(),
    personId: a.person_id,
    score: Number(a.score),
    passed: Boolean(a.passed),
    passMark: a.pass_mark,
    closedBy: a.closed_by,
    reveal,
    mock: Boolean(a.mock),
    withheld: sitsLeft ? "您还有作答机会，正确答案和解析将在考试结束后公布。" : null,
    items: items.map((it) => ({
      position: it.position,
      type: it.type as QuestionType,
      topic: it.topic,
      stem: it.stem,
      options: displayOptions(JSON.parse(it.options) as string[], it.option_order),
      given: shown(it.given, it.option_order, it.type),
      points: Number(it.points),
      earned: Number(it.earned ?? 0),
      ...(reveal && !pending.has(it.question_id)
        ? {
            correct: shown(it.correct, it.option_order, it.type),
            explanation: it.explanation,
            regulation: it.regulation,
            lesson: it.course_slug ? `/courses/${it.course_slug}${it.lesson_slug ? `/${it.lesson_slug}` : ""}` : null,
          }
        : {}),
    })),
  };
}
