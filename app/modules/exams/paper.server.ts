/** The paper of an attempt: drawn and stored once (`createAttempt`), shown to its examinee (`paperForTaking`). */
import type { Transaction } from "kysely";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import type { Database, QuestionType } from "../../../db/types";
import { permutation, type Examinee, type PaperRule, type Random } from "./draw";
import { cryptoRandom, drawPaper } from "./draw.server";
import { questionType } from "./question-types";

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
          const optionOrder = questionType(d.type).optionOrder(
            d.optionCount,
            a.shuffleOptions ? (n) => permutation(n, random) : null,
          );
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

/** The options in the order this paper shows them. */
export const displayOptions = (options: string[], order: string) => [...order].map((d) => options[Number(d)]);

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
      answer: it.answer === null ? null : questionType(it.type).toShown(it.answer, it.option_order),
      seq: it.client_seq ?? 0,
    })),
  };
}
