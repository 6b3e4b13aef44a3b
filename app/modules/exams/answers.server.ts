/** Saving answers while a paper is open: the autosave request, its checks, and the one upsert of the hot path. */
import { sql } from "kysely";
import { now } from "../../lib/clock.server";
import { db, rawPool } from "../../lib/db.server";
import type { RowDataPacket } from "mysql2";
import type { QuestionType } from "../../../db/types";
import { readFormData } from "../../lib/forms.server";
import { parseInput } from "../../lib/validation";
import { SaveAnswerInput } from "./schema";
import { validAnswer } from "./grading";
import { finalizeAttempt, GRACE_MS } from "./grading.server";
import { questionType } from "./question-types";

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
  const stored = questionType(row.type).toStored(answer, row.option_order);
  await sql`INSERT INTO attempt_answer (attempt_id, position, answer, client_seq, saved_at) VALUES (${attemptId}, ${row.position}, ${stored}, ${seq}, ${t})
    ON DUPLICATE KEY UPDATE answer = IF(VALUES(client_seq) > client_seq, VALUES(answer), answer),
      saved_at = IF(VALUES(client_seq) > client_seq, VALUES(saved_at), saved_at),
      client_seq = GREATEST(client_seq, VALUES(client_seq))`.execute(db);
  return { ok: true };
}
