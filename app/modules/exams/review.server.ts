/** The graded paper as its examinee sees it afterwards, with answers and explanations only when they may be shown. */
import { sql } from "kysely";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import type { QuestionType } from "../../../db/types";
import { displayOptions } from "./paper.server";
import { questionType } from "./question-types";

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
  const shown = (ans: string | null, order: string, type: QuestionType) =>
    ans === null ? null : questionType(type).toShown(ans, order);
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
