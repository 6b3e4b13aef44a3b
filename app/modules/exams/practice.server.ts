import { sql } from "kysely";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import type { Post, QuestionType } from "../../../db/types";
import { locate, type PaperRule } from "./draw";
import { cryptoRandom, rulePools } from "./draw.server";

export interface PracticeQuestion { questionId: number; type: QuestionType; topic: string; stem: string; options: string[] }

async function asPractice(questionId: number): Promise<PracticeQuestion | null> {
  const q = await db.selectFrom("question").innerJoin("question_version", "question_version.id", "question.current_version_id")
    .select(["question.id", "question.type", "question.topic", "question_version.stem", "question_version.options"])
    .where("question.id", "=", questionId).where("question.active", "=", 1).executeTakeFirst();
  return q ? { questionId: q.id, type: q.type, topic: q.topic, stem: q.stem, options: JSON.parse(q.options) as string[] } : null;
}

async function examineeOf(personId: number) {
  const p = await db.selectFrom("person").innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
    .select(["person.post", "person.enterprise_id", "enterprise.industry_code"]).where("person.id", "=", personId).executeTakeFirstOrThrow();
  return { post: p.post as Post, industry: p.industry_code, enterpriseId: p.enterprise_id };
}

/** One random question for the person's post and industry, of any type, from a topic or the whole bank. */
export async function nextTopicQuestion(personId: number, topic: string | null): Promise<PracticeQuestion | null> {
  const who = await examineeOf(personId);
  const pools = [];
  for (const type of ["single", "multiple", "judge"] as const) {
    const rule: PaperRule = { type, count: 1, topic, minDifficulty: 1, maxDifficulty: 5, post: "examinee", industry: "enterprise", points: 1 };
    pools.push(...(await rulePools(rule, who)));
  }
  const total = pools.reduce((s, p) => s + p.n, 0);
  if (total === 0) return null;
  const slot = locate(Math.floor(cryptoRandom() * total), pools);
  const row = await db.selectFrom("question_pool").select("question_id").where("pool_key", "=", slot.key).where("seq", "=", slot.seq).executeTakeFirst();
  return row ? asPractice(row.question_id) : null;
}

/** A question from the person's wrong-answer book (not yet mastered), most recent mistakes more often. */
export async function nextWrongQuestion(personId: number): Promise<PracticeQuestion | null> {
  const rows = await db.selectFrom("wrong_answer").select("question_id").where("person_id", "=", personId).where("mastered_at", "is", null)
    .orderBy("last_wrong_at", "desc").limit(20).execute();
  if (rows.length === 0) return null;
  return asPractice(rows[Math.floor(cryptoRandom() * rows.length)].question_id);
}

export async function wrongBook(personId: number) {
  const rows = await db.selectFrom("wrong_answer").innerJoin("question", "question.id", "wrong_answer.question_id")
    .innerJoin("question_version", "question_version.id", "question.current_version_id")
    .select(["question.id", "question.topic", "question_version.stem", "wrong_answer.wrong_count", "wrong_answer.last_wrong_at"])
    .where("wrong_answer.person_id", "=", personId).where("wrong_answer.mastered_at", "is", null)
    .orderBy("wrong_answer.last_wrong_at", "desc").limit(200).execute();
  return rows;
}

/** Grade a practice answer at once; a wrong one goes into the book, a right one from the book is mastered. */
export async function checkPractice(personId: number, questionId: number, answer: string) {
  const q = await db.selectFrom("question").innerJoin("question_version", "question_version.id", "question.current_version_id")
    .select(["question.type", "question.course_slug", "question.lesson_slug", "question_version.answer", "question_version.explanation", "question_version.regulation"])
    .where("question.id", "=", questionId).where("question.active", "=", 1).executeTakeFirst();
  if (!q) return null;
  const given = q.type === "judge" ? answer : [...answer].sort().join("");
  const correct = given === q.answer;
  const t = now();
  if (correct) {
    await db.updateTable("wrong_answer").set({ mastered_at: t }).where("person_id", "=", personId).where("question_id", "=", questionId).execute();
  } else {
    await sql`INSERT INTO wrong_answer (person_id, question_id, wrong_count, last_wrong_at) VALUES (${personId}, ${questionId}, 1, ${t})
      ON DUPLICATE KEY UPDATE wrong_count = wrong_count + 1, last_wrong_at = VALUES(last_wrong_at), mastered_at = NULL`.execute(db);
  }
  return {
    correct, answer: q.answer, explanation: q.explanation, regulation: q.regulation,
    lesson: q.course_slug ? `/courses/${q.course_slug}${q.lesson_slug ? `/${q.lesson_slug}` : ""}` : null,
  };
}
