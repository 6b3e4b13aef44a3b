import { createHmac, timingSafeEqual } from "node:crypto";
import { sql } from "kysely";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { env } from "../../lib/env.server";
import type { Post, QuestionType } from "../../../db/types";
import { locate, type PaperRule } from "./draw";
import { cryptoRandom, rulePools } from "./draw.server";
import { QUESTION_TYPE_NAMES, questionType } from "./question-types";

/**
 * A practice question as the page gets it: no answer, and a `token` that names this draw. Grading takes the token,
 * never a question id, so practice answers only what the server drew for this person (docs/decisions/0013).
 */
export interface PracticeQuestion {
  token: string;
  type: QuestionType;
  topic: string;
  stem: string;
  options: string[];
}

const TOKEN_HOURS = 12;
const tokenKey = () => createHmac("sha256", env().ID_HASH_KEY).update("anxun-practice-token").digest();
const sign = (personId: number, questionId: number, versionId: number, exp: number) =>
  createHmac("sha256", tokenKey()).update(`practice|${personId}|${questionId}|${versionId}|${exp}`).digest("base64url");

function issueToken(personId: number, questionId: number, versionId: number): string {
  const exp = Math.floor(now().getTime() / 1000) + TOKEN_HOURS * 3600;
  return `${questionId}.${versionId}.${exp}.${sign(personId, questionId, versionId, exp)}`;
}

/** The question and version a token names, when it was issued to this person and has not expired. */
export function readToken(personId: number, token: string): { questionId: number; versionId: number } | null {
  const m = /^(\d{1,10})\.(\d{1,10})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const [questionId, versionId, exp] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const expected = Buffer.from(sign(personId, questionId, versionId, exp));
  const given = Buffer.from(m[4]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (exp * 1000 < now().getTime()) return null;
  return { questionId, versionId };
}

/**
 * Whether this person may practise a question: it is active, in the shared bank or their own enterprise's, and on
 * none of their papers of an exam still running (an unsubmitted attempt, or an exam that has not closed).
 */
const runningPaperItems = (personId: number) =>
  db
    .selectFrom("attempt")
    .innerJoin("attempt_item", "attempt_item.attempt_id", "attempt.id")
    .leftJoin("exam", "exam.id", "attempt.exam_id")
    .select("attempt_item.question_id")
    .where("attempt.person_id", "=", personId)
    .where((eb) => eb.or([eb("attempt.submitted_at", "is", null), eb("exam.closes_at", ">", now())]));

async function practisable(personId: number, enterpriseId: number, questionId: number): Promise<boolean> {
  const q = await db
    .selectFrom("question")
    .select(["owner_enterprise_id", "active"])
    .where("id", "=", questionId)
    .executeTakeFirst();
  if (!q || !q.active || (q.owner_enterprise_id !== 0 && q.owner_enterprise_id !== enterpriseId)) return false;
  const onPaper = await runningPaperItems(personId)
    .where("attempt_item.question_id", "=", questionId)
    .limit(1)
    .executeTakeFirst();
  return !onPaper;
}

async function asPractice(personId: number, questionId: number): Promise<PracticeQuestion | null> {
  const q = await db
    .selectFrom("question")
    .innerJoin("question_version", "question_version.id", "question.current_version_id")
    .select([
      "question.id",
      "question.type",
      "question.topic",
      "question_version.id as version_id",
      "question_version.stem",
      "question_version.options",
    ])
    .where("question.id", "=", questionId)
    .where("question.active", "=", 1)
    .executeTakeFirst();
  return q
    ? {
        token: issueToken(personId, q.id, q.version_id),
        type: q.type,
        topic: q.topic,
        stem: q.stem,
        options: JSON.parse(q.options) as string[],
      }
    : null;
}

/** Draws made until one is practisable: a question on a running exam paper is skipped (a handful at most). */
const DRAW_TRIES = 8;

async function examineeOf(personId: number) {
  const p = await db
    .selectFrom("person")
    .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
    .select(["person.post", "person.enterprise_id", "enterprise.industry_code"])
    .where("person.id", "=", personId)
    .executeTakeFirstOrThrow();
  return { post: p.post as Post, industry: p.industry_code, enterpriseId: p.enterprise_id };
}

/** One random question for the person's post and industry, of any type, from a topic or the whole bank. */
export async function nextTopicQuestion(personId: number, topic: string | null): Promise<PracticeQuestion | null> {
  const who = await examineeOf(personId);
  const pools = [];
  for (const type of QUESTION_TYPE_NAMES) {
    const rule: PaperRule = {
      type,
      count: 1,
      topic,
      minDifficulty: 1,
      maxDifficulty: 5,
      post: "examinee",
      industry: "enterprise",
      points: 1,
    };
    pools.push(...(await rulePools(rule, who)));
  }
  const total = pools.reduce((s, p) => s + p.n, 0);
  if (total === 0) return null;
  for (let i = 0; i < DRAW_TRIES; i++) {
    const slot = locate(Math.floor(cryptoRandom() * total), pools);
    const row = await db
      .selectFrom("question_pool")
      .select("question_id")
      .where("pool_key", "=", slot.key)
      .where("seq", "=", slot.seq)
      .executeTakeFirst();
    if (row && (await practisable(personId, who.enterpriseId, row.question_id)))
      return asPractice(personId, row.question_id);
  }
  return null;
}

/** A question from the person's wrong-answer book (not yet mastered), most recent mistakes more often. */
export async function nextWrongQuestion(personId: number): Promise<PracticeQuestion | null> {
  // Mistakes made on a paper of a running exam wait until it closes.
  const rows = await db
    .selectFrom("wrong_answer")
    .select("wrong_answer.question_id")
    .where("wrong_answer.person_id", "=", personId)
    .where("wrong_answer.mastered_at", "is", null)
    .where((eb) => eb("wrong_answer.question_id", "not in", runningPaperItems(personId)))
    .orderBy("wrong_answer.last_wrong_at", "desc")
    .limit(20)
    .execute();
  if (rows.length === 0) return null;
  const who = await examineeOf(personId);
  for (let i = 0; i < DRAW_TRIES; i++) {
    const questionId = rows[Math.floor(cryptoRandom() * rows.length)].question_id;
    if (await practisable(personId, who.enterpriseId, questionId)) return asPractice(personId, questionId);
  }
  return null;
}

export async function wrongBook(personId: number) {
  const rows = await db
    .selectFrom("wrong_answer")
    .innerJoin("question", "question.id", "wrong_answer.question_id")
    .innerJoin("question_version", "question_version.id", "question.current_version_id")
    .select([
      "question.id",
      "question.topic",
      "question_version.stem",
      "wrong_answer.wrong_count",
      "wrong_answer.last_wrong_at",
    ])
    .where("wrong_answer.person_id", "=", personId)
    .where("wrong_answer.mastered_at", "is", null)
    .orderBy("wrong_answer.last_wrong_at", "desc")
    .limit(200)
    .execute();
  return rows;
}

export type PracticeCheck =
  | {
      ok: true;
      question: Omit<PracticeQuestion, "token">;
      correct: boolean;
      answer: string;
      explanation: string | null;
      regulation: string | null;
      lesson: string | null;
    }
  | { ok: false; status: 404 | 409 | 422; message: string };

/**
 * Grade a practice answer at once, for the draw its token names; a wrong one goes into the book, a right one from the
 * book is mastered. The answer and explanation come back only for a question the server drew for this person and
 * they may still practise.
 */
export async function checkPractice(personId: number, token: string, answer: string): Promise<PracticeCheck> {
  const drawn = readToken(personId, token);
  if (!drawn) return { ok: false, status: 422, message: "练习题已失效，请点击「下一题」重新抽题。" };
  const questionId = drawn.questionId;
  const who = await examineeOf(personId);
  if (!(await practisable(personId, who.enterpriseId, questionId))) {
    return { ok: false, status: 409, message: "该题目前不能练习（已停用或在您进行中的考试里），请点击「下一题」。" };
  }
  const q = await db
    .selectFrom("question")
    .innerJoin("question_version", "question_version.question_id", "question.id")
    .select([
      "question.type",
      "question.topic",
      "question.course_slug",
      "question.lesson_slug",
      "question_version.stem",
      "question_version.options",
      "question_version.answer",
      "question_version.explanation",
      "question_version.regulation",
    ])
    .where("question.id", "=", questionId)
    .where("question_version.id", "=", drawn.versionId)
    .executeTakeFirst();
  if (!q) return { ok: false, status: 404, message: "该题目已停用，请点击「下一题」。" };
  const given = questionType(q.type).canonical(answer);
  const correct = given === q.answer;
  const t = now();
  if (correct) {
    await db
      .updateTable("wrong_answer")
      .set({ mastered_at: t })
      .where("person_id", "=", personId)
      .where("question_id", "=", questionId)
      .execute();
  } else {
    await sql`INSERT INTO wrong_answer (person_id, question_id, wrong_count, last_wrong_at) VALUES (${personId}, ${questionId}, 1, ${t})
      ON DUPLICATE KEY UPDATE wrong_count = wrong_count + 1, last_wrong_at = VALUES(last_wrong_at), mastered_at = NULL`.execute(
      db,
    );
  }
  return {
    ok: true,
    question: { type: q.type, topic: q.topic, stem: q.stem, options: JSON.parse(q.options) as string[] },
    correct,
    answer: q.answer,
    explanation: q.explanation,
    regulation: q.regulation,
    lesson: q.course_slug ? `/courses/${q.course_slug}${q.lesson_slug ? `/${q.lesson_slug}` : ""}` : null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// 顺序练习, 收藏, wrong-answer entries and 模拟考试 (phone-exam; docs/decisions/0021). Everything here is the
// person's own: every function takes the person id of the actor and reads or writes only that person's rows.

/** Whether a question suits this person (their post, their enterprise's industry or all industries). */
const suits = (q: { posts: string; industries: string }, who: { post: string; industry: string }) =>
  q.posts.split(",").includes(who.post) && (q.industries === "" || q.industries.split(",").includes(who.industry));

const SEQUENCE_SCAN = 50;

/**
 * 顺序练习: the next question of a topic after the person's remembered position (question ids in order, the shared bank
 * and their enterprise's), skipping questions not for their post or on a running paper; from the start again after
 * the last. `index`/`total` say where they are.
 */
export async function nextSequenceQuestion(
  personId: number,
  topic: string,
): Promise<{ question: PracticeQuestion; index: number; total: number; restarted: boolean } | null> {
  const who = await examineeOf(personId);
  const owners = [0, who.enterpriseId];
  const position = await db
    .selectFrom("practice_position")
    .select("question_id")
    .where("person_id", "=", personId)
    .where("topic", "=", topic)
    .executeTakeFirst();
  const scan = async (after: number) => {
    let cursor = after;
    for (let round = 0; round < 20; round++) {
      const rows = await db
        .selectFrom("question")
        .select(["id", "posts", "industries"])
        .where("owner_enterprise_id", "in", owners)
        .where("topic", "=", topic)
        .where("active", "=", 1)
        .where("id", ">", cursor)
        .orderBy("id")
        .limit(SEQUENCE_SCAN)
        .execute();
      for (const row of rows)
        if (suits(row, who) && (await practisable(personId, who.enterpriseId, row.id))) return row.id;
      if (rows.length < SEQUENCE_SCAN) return null;
      cursor = rows[rows.length - 1].id;
    }
    return null;
  };
  let restarted = false;
  let id = await scan(position?.question_id ?? 0);
  if (id === null && position) {
    id = await scan(0);
    restarted = true;
  }
  if (id === null) return null;
  const counts = await db
    .selectFrom("question")
    .select([sql<number>`COUNT(*)`.as("total"), sql<number>`SUM(id <= ${id})`.as("upto")])
    .where("owner_enterprise_id", "in", owners)
    .where("topic", "=", topic)
    .where("active", "=", 1)
    .executeTakeFirstOrThrow();
  const question = await asPractice(personId, id);
  return question ? { question, index: Number(counts.upto), total: Number(counts.total), restarted } : null;
}

/** Remember that the person answered this question in 顺序练习 of its topic (only a question their token names). */
export async function rememberSequence(personId: number, token: string) {
  const drawn = readToken(personId, token);
  if (!drawn) return;
  const q = await db.selectFrom("question").select(["topic"]).where("id", "=", drawn.questionId).executeTakeFirst();
  if (!q) return;
  await sql`INSERT INTO practice_position (person_id, topic, question_id, updated_at) VALUES (${personId}, ${q.topic}, ${drawn.questionId}, ${now()})
    ON DUPLICATE KEY UPDATE question_id = VALUES(question_id), updated_at = VALUES(updated_at)`.execute(db);
}

/** Where the person is in each topic's 顺序练习 (topic → question id answered last). */
export async function sequencePositions(personId: number) {
  const rows = await db
    .selectFrom("practice_position")
    .select(["topic", "question_id"])
    .where("person_id", "=", personId)
    .limit(500)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.topic, r.question_id]));
}

/** 收藏 or un-收藏 a question (by its practice token: only a question drawn for this person). */
export async function setFavorite(
  personId: number,
  token: string,
  on: boolean,
): Promise<{ ok: true } | { ok: false; status: 404 | 422; message: string }> {
  const drawn = readToken(personId, token);
  if (!drawn) return { ok: false, status: 422, message: "练习题已失效，请重新打开。" };
  const who = await examineeOf(personId);
  const q = await db
    .selectFrom("question")
    .select(["owner_enterprise_id", "active"])
    .where("id", "=", drawn.questionId)
    .executeTakeFirst();
  if (!q || !q.active || (q.owner_enterprise_id !== 0 && q.owner_enterprise_id !== who.enterpriseId))
    return { ok: false, status: 404, message: "该题不存在。" };
  if (on) {
    await sql`INSERT IGNORE INTO question_favorite (person_id, question_id, created_at) VALUES (${personId}, ${drawn.questionId}, ${now()})`.execute(
      db,
    );
  } else {
    await db
      .deleteFrom("question_favorite")
      .where("person_id", "=", personId)
      .where("question_id", "=", drawn.questionId)
      .execute();
  }
  return { ok: true };
}

export async function isFavorite(personId: number, token: string): Promise<boolean> {
  const drawn = readToken(personId, token);
  if (!drawn) return false;
  return Boolean(
    await db
      .selectFrom("question_favorite")
      .select("question_id")
      .where("person_id", "=", personId)
      .where("question_id", "=", drawn.questionId)
      .executeTakeFirst(),
  );
}

/** The person's 收藏, newest first (stems only: answers come when they practise or open an entry). */
export async function favorites(personId: number, limit = 200) {
  return db
    .selectFrom("question_favorite")
    .innerJoin("question", "question.id", "question_favorite.question_id")
    .innerJoin("question_version", "question_version.id", "question.current_version_id")
    .select(["question.id", "question.topic", "question_version.stem", "question_favorite.created_at"])
    .where("question_favorite.person_id", "=", personId)
    .where("question.active", "=", 1)
    .orderBy("question_favorite.created_at", "desc")
    .limit(limit)
    .execute();
}

/** One question of the person's wrong-answer book or 收藏, drawn for them to practise again (else null). */
export async function practiseOwnEntry(personId: number, questionId: number): Promise<PracticeQuestion | null> {
  const [wrong, fav] = await Promise.all([
    db
      .selectFrom("wrong_answer")
      .select("question_id")
      .where("person_id", "=", personId)
      .where("question_id", "=", questionId)
      .executeTakeFirst(),
    db
      .selectFrom("question_favorite")
      .select("question_id")
      .where("person_id", "=", personId)
      .where("question_id", "=", questionId)
      .executeTakeFirst(),
  ]);
  if (!wrong && !fav) return null;
  const who = await examineeOf(personId);
  if (!(await practisable(personId, who.enterpriseId, questionId))) return null;
  return asPractice(personId, questionId);
}

/** A random question from the person's 收藏. */
export async function nextFavoriteQuestion(personId: number): Promise<PracticeQuestion | null> {
  const rows = await db
    .selectFrom("question_favorite")
    .select("question_id")
    .where("person_id", "=", personId)
    .where((eb) => eb("question_id", "not in", runningPaperItems(personId)))
    .orderBy("created_at", "desc")
    .limit(200)
    .execute();
  if (!rows.length) return null;
  const who = await examineeOf(personId);
  for (let i = 0; i < DRAW_TRIES; i++) {
    const questionId = rows[Math.floor(cryptoRandom() * rows.length)].question_id;
    if (await practisable(personId, who.enterpriseId, questionId)) return asPractice(personId, questionId);
  }
  return null;
}

export type WrongEntry =
  | {
      ok: true;
      id: number;
      type: QuestionType;
      topic: string;
      stem: string;
      options: string[];
      answer: string;
      explanation: string | null;
      regulation: string | null;
      lesson: string | null;
      wrongCount: number;
      lastWrongAt: string;
      mastered: boolean;
      favorite: boolean;
    }
  | { ok: false; status: 404 | 409; message: string };

/**
 * A wrong-answer book entry opened with its answer and explanation: only the person's own entry, and not while the
 * question is on a paper of theirs still running (the practice guard of decision 0013).
 */
export async function wrongEntry(personId: number, questionId: number): Promise<WrongEntry> {
  const row = await db
    .selectFrom("wrong_answer")
    .innerJoin("question", "question.id", "wrong_answer.question_id")
    .innerJoin("question_version", "question_version.id", "question.current_version_id")
    .select([
      "question.id",
      "question.type",
      "question.topic",
      "question.course_slug",
      "question.lesson_slug",
      "question_version.stem",
      "question_version.options",
      "question_version.answer",
      "question_version.explanation",
      "question_version.regulation",
      "wrong_answer.wrong_count",
      "wrong_answer.last_wrong_at",
      "wrong_answer.mastered_at",
    ])
    .where("wrong_answer.person_id", "=", personId)
    .where("wrong_answer.question_id", "=", questionId)
    .executeTakeFirst();
  if (!row) return { ok: false, status: 404, message: "错题本里没有这道题。" };
  const who = await examineeOf(personId);
  if (!(await practisable(personId, who.enterpriseId, questionId))) {
    return { ok: false, status: 409, message: "这道题在您进行中的考试里，考试结束后才能查看答案和解析。" };
  }
  const fav = await db
    .selectFrom("question_favorite")
    .select("question_id")
    .where("person_id", "=", personId)
    .where("question_id", "=", questionId)
    .executeTakeFirst();
  return {
    ok: true,
    id: row.id,
    type: row.type,
    topic: row.topic,
    stem: row.stem,
    options: JSON.parse(row.options) as string[],
    answer: row.answer,
    explanation: row.explanation,
    regulation: row.regulation,
    lesson: row.course_slug ? `/courses/${row.course_slug}${row.lesson_slug ? `/${row.lesson_slug}` : ""}` : null,
    wrongCount: row.wrong_count,
    lastWrongAt: row.last_wrong_at.toISOString(),
    mastered: row.mastered_at !== null,
    favorite: Boolean(fav),
  };
}
