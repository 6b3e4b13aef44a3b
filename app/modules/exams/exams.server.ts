import { sql } from "kysely";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import type { Post } from "../../../db/types";
import { createAttempt } from "./paper.server";
import type { PaperRule } from "./draw";
import { DrawError } from "./draw.server";
import { itemStatistics, scoreHistogram } from "./grading";
import type { ExamInput, TemplateInput } from "./schema";

const parseRules = (json: string) => JSON.parse(json) as PaperRule[];

/** Templates an enterprise may use: the shared ones (enterprise_id NULL) and its own. */
export async function templatesFor(enterpriseId: number | null, purpose: "exam" | "quiz" = "exam") {
  let q = db
    .selectFrom("exam_template")
    .selectAll()
    .where("active", "=", 1)
    .where("purpose", "=", purpose)
    .orderBy("id");
  q =
    enterpriseId === null
      ? q
      : q.where((eb) => eb.or([eb("enterprise_id", "is", null), eb("enterprise_id", "=", enterpriseId)]));
  return (await q.execute()).map((t) => ({ ...t, rules: parseRules(t.rules) }));
}

export async function getTemplate(id: number) {
  const t = await db.selectFrom("exam_template").selectAll().where("id", "=", id).executeTakeFirst();
  return t ? { ...t, rules: parseRules(t.rules) } : undefined;
}

export async function saveTemplate(
  actor: Actor,
  id: number | null,
  enterpriseId: number | null,
  input: TemplateInput,
  ip: string,
) {
  const values = {
    name: input.name,
    rules: JSON.stringify(input.rules),
    time_limit_minutes: input.timeLimitMinutes,
    pass_mark: input.passMark,
    attempts_allowed: input.attemptsAllowed,
    shuffle_options: input.shuffleOptions ? 1 : 0,
    show_answers: input.showAnswers,
    multiple_scoring: input.multipleScoring,
    leave_limit: input.leaveLimit,
  };
  return db.transaction().execute(async (trx) => {
    if (id === null) {
      const res = await trx
        .insertInto("exam_template")
        .values({ ...values, enterprise_id: enterpriseId, created_by: actor.userId })
        .executeTakeFirstOrThrow();
      const newId = Number(res.insertId);
      await recordAudit(trx, {
        actorUserId: actor.userId,
        action: "exam_template.created",
        entityType: "exam_template",
        entityId: newId,
        after: values,
        ip,
      });
      return newId;
    }
    const before = await trx
      .selectFrom("exam_template")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await trx.updateTable("exam_template").set(values).where("id", "=", id).execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "exam_template.updated",
      entityType: "exam_template",
      entityId: id,
      before,
      after: values,
      ip,
    });
    return id;
  });
}

export async function createExam(actor: Actor, enterpriseId: number, input: ExamInput, ip: string) {
  const template = await getTemplate(input.templateId);
  if (
    !template ||
    (template.enterprise_id !== null && template.enterprise_id !== enterpriseId) ||
    template.purpose !== "exam"
  ) {
    return { ok: false as const, field: "templateId", message: "所选试卷不存在" };
  }
  const values = {
    template_id: template.id,
    enterprise_id: enterpriseId,
    title: input.title,
    posts: input.posts.join(","),
    opens_at: new Date(`${input.opensAt}:00+08:00`),
    closes_at: new Date(`${input.closesAt}:00+08:00`),
    created_by: actor.userId,
  };
  const id = await db.transaction().execute(async (trx) => {
    const res = await trx.insertInto("exam").values(values).executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "exam.created",
      entityType: "exam",
      entityId: Number(res.insertId),
      after: values,
      ip,
    });
    return Number(res.insertId);
  });
  return { ok: true as const, id };
}

export async function examResource(id: number) {
  return db
    .selectFrom("exam")
    .innerJoin("enterprise", "enterprise.id", "exam.enterprise_id")
    .select(["exam.id", "exam.enterprise_id", "enterprise.region_path"])
    .where("exam.id", "=", id)
    .executeTakeFirst();
}

/** Exams of an enterprise, newest first, with how many took and passed them. */
export async function enterpriseExams(enterpriseId: number) {
  return db
    .selectFrom("exam")
    .innerJoin("exam_template", "exam_template.id", "exam.template_id")
    .leftJoin("attempt", (j) => j.onRef("attempt.exam_id", "=", "exam.id").on("attempt.submitted_at", "is not", null))
    .select([
      "exam.id",
      "exam.title",
      "exam.posts",
      "exam.opens_at",
      "exam.closes_at",
      "exam.template_id",
      "exam.makeup_of",
      "exam_template.name as template_name",
      sql<number>`COUNT(DISTINCT attempt.person_id)`.as("takers"),
      sql<number>`COUNT(DISTINCT CASE WHEN attempt.passed = 1 THEN attempt.person_id END)`.as("passers"),
    ])
    .where("exam.enterprise_id", "=", enterpriseId)
    .groupBy([
      "exam.id",
      "exam.title",
      "exam.posts",
      "exam.opens_at",
      "exam.closes_at",
      "exam.template_id",
      "exam.makeup_of",
      "exam_template.name",
    ])
    .orderBy("exam.id", "desc")
    .limit(100)
    .execute();
}

/** The exams a person may take (their enterprise, their post, not closed) with their attempts. */
export async function examsForPerson(personId: number) {
  const person = await db
    .selectFrom("person")
    .select(["enterprise_id", "post"])
    .where("id", "=", personId)
    .executeTakeFirstOrThrow();
  const exams = await db
    .selectFrom("exam")
    .innerJoin("exam_template", "exam_template.id", "exam.template_id")
    .select([
      "exam.id",
      "exam.title",
      "exam.posts",
      "exam.opens_at",
      "exam.closes_at",
      "exam.makeup_of",
      "exam_template.time_limit_minutes",
      "exam_template.attempts_allowed",
      "exam_template.pass_mark",
    ])
    .where("exam.enterprise_id", "=", person.enterprise_id)
    .where("exam.closes_at", ">", sql<Date>`DATE_SUB(UTC_TIMESTAMP(), INTERVAL 30 DAY)`)
    .orderBy("exam.closes_at")
    .execute();
  // A 补考 window is meant only for the people named for it.
  const named = new Set(
    (await db.selectFrom("exam_person").select("exam_id").where("person_id", "=", personId).execute()).map(
      (r) => r.exam_id,
    ),
  );
  const mine = exams.filter((e) => (e.makeup_of === null ? e.posts.split(",").includes(person.post) : named.has(e.id)));
  const attempts = mine.length
    ? await db
        .selectFrom("attempt")
        .select(["id", "exam_id", "attempt_no", "submitted_at", "deadline_at", "score", "passed"])
        .where("person_id", "=", personId)
        .where(
          "exam_id",
          "in",
          mine.map((e) => e.id),
        )
        .orderBy("attempt_no")
        .execute()
    : [];
  const t = now();
  return mine.map((e) => {
    const own = attempts.filter((a) => a.exam_id === e.id);
    const open = own.find((a) => !a.submitted_at && a.deadline_at > t);
    return {
      ...e,
      state: t < e.opens_at ? ("upcoming" as const) : t >= e.closes_at ? ("closed" as const) : ("open" as const),
      attempts: own.map((a) => ({
        id: a.id,
        no: a.attempt_no,
        submitted: Boolean(a.submitted_at),
        score: a.score === null ? null : Number(a.score),
        passed: Boolean(a.passed),
      })),
      openAttemptId: open?.id ?? null,
      canStart: !open && own.length < e.attempts_allowed && t >= e.opens_at && t < e.closes_at,
    };
  });
}

export type StartResult = { ok: true; attemptId: number } | { ok: false; status: 403 | 409 | 422; message: string };

/** Start (or resume) the person's attempt at an exam, checking window, post, and attempts left. */
export async function startExamAttempt(personId: number, examId: number): Promise<StartResult> {
  const person = await db
    .selectFrom("person")
    .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
    .select(["person.enterprise_id", "person.post", "person.active", "enterprise.industry_code"])
    .where("person.id", "=", personId)
    .executeTakeFirstOrThrow();
  const exam = await db
    .selectFrom("exam")
    .innerJoin("exam_template", "exam_template.id", "exam.template_id")
    .select([
      "exam.id",
      "exam.enterprise_id",
      "exam.posts",
      "exam.opens_at",
      "exam.closes_at",
      "exam.makeup_of",
      "exam_template.id as template_id",
      "exam_template.rules",
      "exam_template.time_limit_minutes",
      "exam_template.attempts_allowed",
      "exam_template.shuffle_options",
    ])
    .where("exam.id", "=", examId)
    .executeTakeFirst();
  if (
    !exam ||
    exam.enterprise_id !== person.enterprise_id ||
    (exam.makeup_of === null && !exam.posts.split(",").includes(person.post))
  ) {
    return { ok: false, status: 403, message: "这场考试不面向您的岗位。" };
  }
  if (
    exam.makeup_of !== null &&
    !(await db
      .selectFrom("exam_person")
      .select("person_id")
      .where("exam_id", "=", examId)
      .where("person_id", "=", personId)
      .executeTakeFirst())
  ) {
    return { ok: false, status: 403, message: "这场补考不面向您。" };
  }
  const t = now();
  if (t < exam.opens_at) return { ok: false, status: 409, message: "考试尚未开始。" };
  if (t >= exam.closes_at) return { ok: false, status: 409, message: "考试已结束。" };
  const own = await db
    .selectFrom("attempt")
    .select(["id", "attempt_no", "submitted_at", "deadline_at"])
    .where("exam_id", "=", examId)
    .where("person_id", "=", personId)
    .orderBy("attempt_no")
    .execute();
  const open = own.find((a) => !a.submitted_at && a.deadline_at > t);
  if (open) return { ok: true, attemptId: open.id };
  if (own.length >= exam.attempts_allowed)
    return { ok: false, status: 409, message: `本场考试最多可考 ${exam.attempts_allowed} 次，您已用完。` };
  try {
    const id = await createAttempt({
      templateId: exam.template_id,
      examId,
      personId,
      attemptNo: own.length + 1,
      rules: JSON.parse(exam.rules) as PaperRule[],
      examinee: { post: person.post as Post, industry: person.industry_code, enterpriseId: person.enterprise_id },
      timeLimitMinutes: exam.time_limit_minutes,
      shuffleOptions: Boolean(exam.shuffle_options),
      latestEnd: exam.closes_at,
    });
    return { ok: true, attemptId: id };
  } catch (e) {
    if (e instanceof DrawError)
      return { ok: false, status: 422, message: `无法组卷：${e.message}。请联系培训管理员调整试卷。` };
    // Two taps on "start" at once: the unique key lets one attempt through; resume it.
    if ((e as { code?: string }).code === "ER_DUP_ENTRY") {
      const again = await db
        .selectFrom("attempt")
        .select("id")
        .where("exam_id", "=", examId)
        .where("person_id", "=", personId)
        .where("attempt_no", "=", own.length + 1)
        .executeTakeFirst();
      if (again) return { ok: true, attemptId: again.id };
    }
    throw e;
  }
}

/** Pass rate, score distribution, and per-question facility and discrimination of a template's attempts. */
export async function templateStatistics(templateId: number, enterpriseId: number | null) {
  let attempts = db
    .selectFrom("attempt")
    .select(["attempt.id", "attempt.score", "attempt.passed"])
    .where("attempt.template_id", "=", templateId)
    .where("attempt.submitted_at", "is not", null)
    .where("attempt.mock", "=", 0);
  if (enterpriseId !== null)
    attempts = attempts
      .innerJoin("person", "person.id", "attempt.person_id")
      .where("person.enterprise_id", "=", enterpriseId);
  const rows = await attempts.execute();
  const scores = new Map(rows.map((r) => [r.id, Number(r.score)]));
  const items = rows.length
    ? await db
        .selectFrom("attempt_item")
        .innerJoin("question", "question.id", "attempt_item.question_id")
        .innerJoin("question_version", "question_version.id", "attempt_item.question_version_id")
        .select([
          "attempt_item.attempt_id",
          "attempt_item.question_id",
          "attempt_item.points",
          "attempt_item.earned",
          "question.topic",
          "question.type",
          "question_version.stem",
        ])
        .where(
          "attempt_item.attempt_id",
          "in",
          rows.map((r) => r.id),
        )
        .execute()
    : [];
  const byQuestion = new Map<
    number,
    { stem: string; topic: string; type: string; rows: { attemptScore: number; earnedShare: number }[] }
  >();
  for (const it of items) {
    const q = byQuestion.get(it.question_id) ?? { stem: it.stem, topic: it.topic, type: it.type, rows: [] };
    q.rows.push({ attemptScore: scores.get(it.attempt_id)!, earnedShare: Number(it.earned ?? 0) / Number(it.points) });
    byQuestion.set(it.question_id, q);
  }
  const questions = [...byQuestion.entries()]
    .map(([id, q]) => ({ id, stem: q.stem, topic: q.topic, type: q.type, ...itemStatistics(q.rows) }))
    .sort((a, b) => (a.facility ?? 1) - (b.facility ?? 1));
  return {
    attempts: rows.length,
    passRate: rows.length ? rows.filter((r) => r.passed).length / rows.length : null,
    histogram: scoreHistogram(rows.map((r) => Number(r.score))),
    questions,
  };
}

/** A person's graded exams and on-site quizzes, newest first (for their page). */
export async function resultsOf(personId: number) {
  return db
    .selectFrom("attempt")
    .innerJoin("exam_template", "exam_template.id", "attempt.template_id")
    .leftJoin("exam", "exam.id", "attempt.exam_id")
    .select([
      "attempt.id",
      "attempt.submitted_at",
      "attempt.score",
      "attempt.passed",
      sql<string>`COALESCE(exam.title, exam_template.name)`.as("title"),
    ])
    .where("attempt.person_id", "=", personId)
    .where("attempt.submitted_at", "is not", null)
    .where("attempt.mock", "=", 0)
    .orderBy("attempt.submitted_at", "desc")
    .limit(30)
    .execute();
}

/**
 * 考试须知: what the examinee should know before starting (time, questions, pass mark, attempts left, 切屏 rule) and
 * whether they may start now. Reading it changes nothing; the attempt starts only with the confirmed POST.
 */
export async function examNotice(personId: number, examId: number) {
  const exam = await db
    .selectFrom("exam")
    .innerJoin("exam_template", "exam_template.id", "exam.template_id")
    .select([
      "exam.id",
      "exam.title",
      "exam.opens_at",
      "exam.closes_at",
      "exam.posts",
      "exam.enterprise_id",
      "exam_template.rules",
      "exam_template.time_limit_minutes",
      "exam_template.pass_mark",
      "exam_template.attempts_allowed",
      "exam_template.show_answers",
      "exam_template.leave_limit",
      "exam_template.multiple_scoring",
    ])
    .where("exam.id", "=", examId)
    .executeTakeFirst();
  if (!exam) return undefined;
  const mine = (await examsForPerson(personId)).find((e) => e.id === examId);
  const rules = parseRules(exam.rules);
  const t = now();
  const closesIn = Math.max(0, Math.floor((exam.closes_at.getTime() - t.getTime()) / 60_000));
  return {
    id: exam.id,
    title: exam.title,
    opensAt: exam.opens_at.toISOString(),
    closesAt: exam.closes_at.toISOString(),
    timeLimitMinutes: exam.time_limit_minutes,
    /** The paper ends at the exam's close when that comes first. */
    effectiveMinutes: Math.min(exam.time_limit_minutes, closesIn),
    questions: rules.reduce((s, r) => s + r.count, 0),
    byType: rules.map((r) => ({ type: r.type, count: r.count, points: r.points })),
    totalPoints: rules.reduce((s, r) => s + r.count * r.points, 0),
    passMark: exam.pass_mark,
    attemptsAllowed: exam.attempts_allowed,
    attemptsUsed: mine?.attempts.length ?? 0,
    showAnswers: exam.show_answers,
    multipleScoring: exam.multiple_scoring,
    leaveLimit: exam.leave_limit,
    openAttemptId: mine?.openAttemptId ?? null,
    canStart: mine?.canStart ?? false,
    state: mine?.state ?? ("closed" as const),
    forMe: Boolean(mine),
  };
}

/** Templates a person may sit a 模拟考试 of: the exam templates of their enterprise and the shared ones. */
export async function mockTemplates(personId: number) {
  const person = await db
    .selectFrom("person")
    .select(["enterprise_id"])
    .where("id", "=", personId)
    .executeTakeFirstOrThrow();
  return (await templatesFor(person.enterprise_id, "exam")).map((t) => ({
    id: t.id,
    name: t.name,
    questions: t.rules.reduce((s, r) => s + r.count, 0),
    minutes: t.time_limit_minutes,
    passMark: t.pass_mark,
  }));
}

/**
 * Start (or resume) a 模拟考试: a paper drawn from an exam template like a real one, timed the same, but marked
 * `mock`: it is no sitting of any exam (attempts left, results and statistics ignore it), and its answers are shown
 * only after it is handed in.
 */
export async function startMockExam(personId: number, templateId: number): Promise<StartResult> {
  const person = await db
    .selectFrom("person")
    .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
    .select(["person.enterprise_id", "person.post", "enterprise.industry_code"])
    .where("person.id", "=", personId)
    .executeTakeFirstOrThrow();
  const template = await getTemplate(templateId);
  if (
    !template ||
    !template.active ||
    template.purpose !== "exam" ||
    (template.enterprise_id !== null && template.enterprise_id !== person.enterprise_id)
  ) {
    return { ok: false, status: 403, message: "该试卷不能用于模拟考试。" };
  }
  const t = now();
  const open = await db
    .selectFrom("attempt")
    .select("id")
    .where("person_id", "=", personId)
    .where("mock", "=", 1)
    .where("template_id", "=", templateId)
    .where("submitted_at", "is", null)
    .where("deadline_at", ">", t)
    .orderBy("id", "desc")
    .executeTakeFirst();
  if (open) return { ok: true, attemptId: open.id };
  try {
    const id = await createAttempt({
      templateId,
      examId: null,
      personId,
      attemptNo: 1,
      rules: template.rules,
      examinee: { post: person.post as Post, industry: person.industry_code, enterpriseId: person.enterprise_id },
      timeLimitMinutes: template.time_limit_minutes,
      shuffleOptions: Boolean(template.shuffle_options),
      mock: true,
    });
    return { ok: true, attemptId: id };
  } catch (e) {
    if (e instanceof DrawError) return { ok: false, status: 422, message: `无法组卷：${e.message}。` };
    throw e;
  }
}

/** The person's 模拟考试 papers, newest first. */
export async function mockAttempts(personId: number) {
  return db
    .selectFrom("attempt")
    .innerJoin("exam_template", "exam_template.id", "attempt.template_id")
    .select([
      "attempt.id",
      "attempt.started_at",
      "attempt.submitted_at",
      "attempt.deadline_at",
      "attempt.score",
      "attempt.passed",
      "exam_template.name",
    ])
    .where("attempt.person_id", "=", personId)
    .where("attempt.mock", "=", 1)
    .orderBy("attempt.id", "desc")
    .limit(10)
    .execute();
}

/** Every submitted exam and quiz paper of a person, newest first, for the training archive (bounded). */
export async function attemptsOfPerson(personId: number, limit = 2000) {
  return db
    .selectFrom("attempt")
    .innerJoin("exam_template", "exam_template.id", "attempt.template_id")
    .leftJoin("exam", "exam.id", "attempt.exam_id")
    .select([
      "attempt.id",
      "attempt.started_at",
      "attempt.submitted_at",
      "attempt.score",
      "attempt.passed",
      "attempt.closed_by",
      "exam_template.purpose",
      sql<string>`COALESCE(exam.title, exam_template.name)`.as("title"),
    ])
    .where("attempt.person_id", "=", personId)
    .where("attempt.submitted_at", "is not", null)
    .orderBy("attempt.id", "desc")
    .limit(limit)
    .execute();
}
