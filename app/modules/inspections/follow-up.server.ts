import { sql, type Kysely, type Transaction } from "kysely";
import { addDays } from "../../lib/calendar";
import { todayIso } from "../../lib/clock.server";
import type { Database } from "../../../db/types";
import { notify } from "../notifications/notify.server";

/** Results that count (statistics, follow-ups): identity not in doubt or voided, and the paper finished. */
export const COUNTED_IDENTITIES = ["ok", "confirmed"] as const;

export const FOLLOW_UP_DAYS = 30;

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The follow-up hook of grading, run inside the grading transaction (app/modules/exams/grading.server.ts) so a
 * result and what it orders are written together. It touches only this attempt's rows (indexed reads):
 * - a passed re-test closes its follow-up;
 * - a quiz result of a person on file whose identity counts opens a follow-up when failed (with a remedial course
 *   from the topics missed), or closes that person's earlier open follow-ups when passed (the re-test "at the next
 *   inspection").
 * Exam attempts (with an exam) are neither quiz papers nor re-tests: nothing to do.
 */
export async function followUpAfterGrading(
  trx: Db,
  a: { attemptId: number; examId: number | null; passed: boolean; submittedAt: Date },
) {
  if (a.examId !== null) return;
  if (a.passed) {
    await trx
      .updateTable("follow_up")
      .set({ closed_at: a.submittedAt, closed_how: "retest" })
      .where("retest_attempt_id", "=", a.attemptId)
      .where("closed_at", "is", null)
      .execute();
  }
  const participant = await trx
    .selectFrom("quiz_participant")
    .select("id")
    .where("attempt_id", "=", a.attemptId)
    .executeTakeFirst();
  if (participant) await syncParticipantFollowUp(trx, participant.id);
}

/**
 * Bring one quiz participant's follow-up in step with their result (idempotent): also run when the inspector confirms
 * a doubtful identity, in that transaction. Does nothing for people not on file, doubtful or voided identities and
 * papers without a result (未完成 or still open).
 */
export async function syncParticipantFollowUp(trx: Db, participantId: number) {
  const p = await trx
    .selectFrom("quiz_participant")
    .innerJoin("attempt", "attempt.id", "quiz_participant.attempt_id")
    .innerJoin("onsite_quiz", "onsite_quiz.id", "quiz_participant.quiz_id")
    .select([
      "quiz_participant.id",
      "quiz_participant.person_id",
      "quiz_participant.post",
      "quiz_participant.identity",
      "quiz_participant.attempt_id",
      "onsite_quiz.enterprise_id",
      "onsite_quiz.created_by",
      "attempt.passed",
      "attempt.submitted_at",
    ])
    .where("quiz_participant.id", "=", participantId)
    .executeTakeFirst();
  if (
    !p ||
    p.person_id === null ||
    !(COUNTED_IDENTITIES as readonly string[]).includes(p.identity) ||
    p.passed === null ||
    !p.submitted_at
  )
    return;
  const personId = p.person_id;
  if (p.passed) {
    // Passing a later quiz closes the person's earlier open follow-ups.
    await trx
      .updateTable("follow_up")
      .set({ closed_at: p.submitted_at, closed_how: "next_quiz" })
      .where("person_id", "=", personId)
      .where("closed_at", "is", null)
      .where("participant_id", "<", p.id)
      .execute();
    return;
  }
  const missed = await trx
    .selectFrom("attempt_item")
    .innerJoin("question", "question.id", "attempt_item.question_id")
    .select(["question.topic", "question.course_slug"])
    .where("attempt_item.attempt_id", "=", p.attempt_id!)
    .where(sql<boolean>`attempt_item.earned < attempt_item.points`)
    .execute();
  const tally = <K extends "topic" | "course_slug">(k: K) => {
    const m = new Map<string, number>();
    for (const r of missed) if (r[k]) m.set(r[k]!, (m.get(r[k]!) ?? 0) + 1);
    return [...m.entries()].sort((x, y) => y[1] - x[1]).map(([v]) => v);
  };
  const topics = tally("topic").slice(0, 3);
  const courseSlug = tally("course_slug")[0];
  const course = courseSlug
    ? await trx
        .selectFrom("course")
        .select("id")
        .where("slug", "=", courseSlug)
        .where("active", "=", 1)
        .executeTakeFirst()
    : undefined;
  const due = addDays(todayIso(), FOLLOW_UP_DAYS);
  const inserted =
    await sql`INSERT IGNORE INTO follow_up (participant_id, person_id, enterprise_id, post, course_id, weak_topics, retest_due)
    VALUES (${p.id}, ${personId}, ${p.enterprise_id}, ${p.post}, ${course?.id ?? null}, ${topics.join("、")}, ${due})`.execute(
      trx,
    );
  if (Number(inserted.numAffectedRows ?? 0) !== 1) return;
  if (course) {
    await trx
      .insertInto("course_assignment")
      .values({
        enterprise_id: p.enterprise_id,
        course_id: course.id,
        target: "person",
        target_person_id: personId,
        due_on: due,
        created_by: p.created_by,
      })
      .execute();
  }
  // A result confirmed late may already be overtaken by a later quiz the person passed: then it opens closed.
  const later = await trx
    .selectFrom("quiz_participant")
    .innerJoin("attempt", "attempt.id", "quiz_participant.attempt_id")
    .select("attempt.submitted_at")
    .where("quiz_participant.person_id", "=", personId)
    .where("quiz_participant.id", ">", p.id)
    .where("quiz_participant.identity", "in", COUNTED_IDENTITIES)
    .where("attempt.passed", "=", 1)
    .orderBy("quiz_participant.id")
    .limit(1)
    .executeTakeFirst();
  if (later?.submitted_at) {
    await trx
      .updateTable("follow_up")
      .set({ closed_at: later.submitted_at, closed_how: "next_quiz" })
      .where("participant_id", "=", p.id)
      .execute();
    return;
  }
  await notify(trx, {
    personIds: [personId],
    kind: "retest",
    title: "现场测验未通过，请按期复测",
    body: `${topics.length ? `薄弱知识点：${topics.join("、")}。` : ""}请先补学${course ? "指定课程" : "相关知识"}，在 ${due} 前完成复测。`,
    link: "/me",
    dedupeKey: `retest:${p.id}`,
    createdBy: p.created_by,
  });
}
