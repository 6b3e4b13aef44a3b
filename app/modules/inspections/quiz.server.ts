import { createHash, randomBytes, randomInt } from "node:crypto";
import { sql } from "kysely";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { refuse, type Refusal } from "../../lib/result";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import { createAttempt } from "../exams/paper.server";
import { finalizeAttempt } from "../exams/grading.server";
import type { PaperRule } from "../exams/draw";
import { DrawError } from "../exams/draw.server";
import { syncParticipantFollowUp } from "./follow-up.server";
import { holdsCategory } from "../certification/certificates.server";
import { hashIdNumber } from "../org/id-hash.server";
import { maskIdNumber } from "../org/identifiers";
import { POSTS } from "../org/labels";
import type { Database, Post } from "../../../db/types";
import type { Transaction } from "kysely";
import type { QuizPlan, QuizPlanInput } from "./schema";
import type { Photo } from "../../lib/photo.server";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export const JOIN_PHOTO_MISSING = "本次测验要求加入时拍照：请用手机拍一张本人正面照片后再开始答题。";

/** The templates an admin maintains for on-site quizzes, one per post (name ends with the post's label). */
export async function quizTemplates() {
  const rows = await db
    .selectFrom("exam_template")
    .select(["id", "name", "rules", "time_limit_minutes", "pass_mark"])
    .where("purpose", "=", "quiz")
    .where("active", "=", 1)
    .where("enterprise_id", "is", null)
    .orderBy("id")
    .execute();
  const byPost: Partial<Record<Post, (typeof rows)[number]>> = {};
  for (const r of rows) {
    const post = (JSON.parse(r.rules) as PaperRule[])[0]?.post;
    if (post && post !== "examinee" && post !== "any" && !byPost[post]) byPost[post] = r;
  }
  return byPost;
}

export async function createQuiz(actor: Actor, inspectionId: number, input: QuizPlanInput, ip: string) {
  const inspection = await db
    .selectFrom("inspection")
    .innerJoin("enterprise", "enterprise.id", "inspection.enterprise_id")
    .select(["inspection.id", "inspection.enterprise_id", "inspection.region_path", "enterprise.industry_code"])
    .where("inspection.id", "=", inspectionId)
    .executeTakeFirstOrThrow();
  const templates = await quizTemplates();
  const plan: QuizPlan = {};
  for (const post of POSTS) {
    if (input[post] > 0) {
      const t = templates[post];
      if (!t) return refuse(422, "管理员尚未设置该岗位的逢查必考试卷");
      plan[post] = {
        count: input[post],
        templateId: t.id,
        ...(post === "special_operator" && input.specialCategory ? { category: input.specialCategory } : {}),
      };
    }
  }
  const id = await db.transaction().execute(async (trx) => {
    // A fresh random code; the unique key makes a collision retry.
    for (let tries = 0; ; tries++) {
      try {
        const res = await trx
          .insertInto("onsite_quiz")
          .values({
            inspection_id: inspection.id,
            enterprise_id: inspection.enterprise_id,
            region_path: inspection.region_path,
            industry_code: inspection.industry_code,
            token: randomBytes(18).toString("base64url"),
            join_code: String(randomInt(0, 1_000_000)).padStart(6, "0"),
            plan: JSON.stringify(plan),
            expires_at: new Date(now().getTime() + input.minutes * 60_000),
            created_by: actor.userId,
            photo_at_join: input.photoAtJoin ? 1 : 0,
          })
          .executeTakeFirstOrThrow();
        return Number(res.insertId);
      } catch (e) {
        if ((e as { code?: string }).code !== "ER_DUP_ENTRY" || tries > 5) throw e;
      }
    }
  });
  await recordAudit(db, {
    actorUserId: actor.userId,
    action: "onsite_quiz.created",
    entityType: "onsite_quiz",
    entityId: id,
    after: { inspectionId, plan, photoAtJoin: input.photoAtJoin },
    ip,
  });
  return { ok: true as const, id };
}

export async function quizById(id: number) {
  return db
    .selectFrom("onsite_quiz")
    .innerJoin("enterprise", "enterprise.id", "onsite_quiz.enterprise_id")
    .select([
      "onsite_quiz.id",
      "onsite_quiz.inspection_id",
      "onsite_quiz.enterprise_id",
      "onsite_quiz.region_path",
      "onsite_quiz.industry_code",
      "onsite_quiz.token",
      "onsite_quiz.join_code",
      "onsite_quiz.plan",
      "onsite_quiz.expires_at",
      "onsite_quiz.closed_at",
      "onsite_quiz.created_at",
      "enterprise.name as enterprise_name",
      "onsite_quiz.close_requested_at",
      "onsite_quiz.unfinished",
      "onsite_quiz.unknown_limit",
      "onsite_quiz.unknown_closed",
      "onsite_quiz.photo_at_join",
    ])
    .where("onsite_quiz.id", "=", id)
    .executeTakeFirst();
}

export async function quizByToken(token: string) {
  const row = await db.selectFrom("onsite_quiz").select("id").where("token", "=", token).executeTakeFirst();
  return row ? quizById(row.id) : undefined;
}

export async function quizByCode(code: string) {
  return db
    .selectFrom("onsite_quiz")
    .select(["token", "expires_at", "closed_at"])
    .where("join_code", "=", code)
    .executeTakeFirst();
}

/** Open to joins: not expired, and nobody pressed 结束测验 (papers started before may still be in their grace period). */
export const quizOpen = (q: { expires_at: Date; closed_at: Date | null }) => !q.closed_at && now() < q.expires_at;

/** Names compared as people write them: spaces and the middle dot of transliterated names do not count. */
export const sameName = (a: string, b: string) => a.replace(/[\s·•.]/g, "") === b.replace(/[\s·•.]/g, "");

export type JoinResult = { ok: true; participantId: number; secret: string } | Refusal;

/**
 * Identify someone at the quiz and give them their own paper for their post. People on file are matched by
 * ID number within the enterprise (or by their account); anyone else is recorded as not on file, flagged
 * for the inspector. One attempt per person per quiz (unique key on the ID number hash).
 */
export async function joinQuiz(
  quizId: number,
  who: { actor: Actor | null; name?: string; idNumber?: string; post?: string; photo?: Photo | null },
): Promise<JoinResult> {
  const quiz = (await quizById(quizId))!;
  if (!quizOpen(quiz)) return refuse(410, "本次测验已结束或二维码已过期，请联系检查人员。");
  // The inspector asked for a photo at join: no photo, no paper (it is kept with the participant as evidence of who sat).
  if (quiz.photo_at_join && !who.photo) return refuse(422, JOIN_PHOTO_MISSING, "photo");
  let person: { id: number; name: string; post: Post; id_number_hash: string; id_number_masked: string } | undefined;
  if (who.actor?.personId) {
    const own = await db
      .selectFrom("person")
      .select(["id", "name", "post", "enterprise_id", "id_number_hash", "id_number_masked"])
      .where("id", "=", who.actor.personId)
      .executeTakeFirst();
    person = own && own.enterprise_id === quiz.enterprise_id ? own : undefined;
    if (!person) return refuse(403, "您的账号属于其他企业，不能参加本企业的测验。");
  } else {
    if (!who.name || !who.idNumber) return refuse(422, "请填写姓名和身份证号码", "name");
    const hash = hashIdNumber(who.idNumber);
    person = await db
      .selectFrom("person")
      .select(["id", "name", "post", "id_number_hash", "id_number_masked"])
      .where("enterprise_id", "=", quiz.enterprise_id)
      .where("id_number_hash", "=", hash)
      .where("active", "=", 1)
      .executeTakeFirst();
    if (!person && !who.post)
      return refuse(
        422,
        "本企业名册中没有这个身份证号码：请核对号码，或选择您的岗位后继续（将登记为名册外人员）。",
        "post",
      );
    if (!person) {
      // People not on file are flagged and limited per quiz, so a leaked link cannot fill the slots with invented people.
      if (quiz.unknown_closed)
        return refuse(403, "检查人员已关闭名册外人员加入，请核对身份证号码或联系检查人员。", "idNumber");
      const unknown = await db
        .selectFrom("quiz_participant")
        .select(sql<number>`COUNT(*)`.as("n"))
        .where("quiz_id", "=", quizId)
        .where("on_file", "=", 0)
        .executeTakeFirstOrThrow();
      if (Number(unknown.n) >= quiz.unknown_limit)
        return refuse(409, `名册外人员已达本次测验上限（${quiz.unknown_limit} 人），请联系检查人员。`, "idNumber");
    }
  }
  const post = (person?.post ?? who.post) as Post;
  const plan = JSON.parse(quiz.plan) as QuizPlan;
  const slot = plan[post];
  if (!slot) return refuse(403, "本次测验不面向您的岗位。");
  // Special operators of one category: someone on file must hold a certificate of that category.
  if (slot.category && person && !(await holdsCategory(person.id, slot.category))) {
    return refuse(403, `本次测验面向「${slot.category}」的特种作业人员，您的名下没有该类别的特种作业操作证。`);
  }
  const joined = await db
    .selectFrom("quiz_participant")
    .select(sql<number>`COUNT(*)`.as("n"))
    .where("quiz_id", "=", quizId)
    .where("post", "=", post)
    .executeTakeFirstOrThrow();
  if (Number(joined.n) >= slot.count) return refuse(409, "本次测验该岗位的名额已满，请联系检查人员。");
  const template = await db
    .selectFrom("exam_template")
    .selectAll()
    .where("id", "=", slot.templateId)
    .executeTakeFirstOrThrow();
  const secret = randomBytes(24).toString("base64url");
  const idHash = person?.id_number_hash ?? hashIdNumber(who.idNumber!);
  // A typed name that is not the roster's name makes the result doubtful until the inspector confirms or voids it.
  const mismatch = Boolean(person && who.name && !sameName(who.name, person.name));
  try {
    const participantId = await db.transaction().execute(async (trx) => {
      const res = await trx
        .insertInto("quiz_participant")
        .values({
          quiz_id: quizId,
          person_id: person?.id ?? null,
          name: person?.name ?? who.name!,
          id_number_hash: idHash,
          id_number_masked: person?.id_number_masked ?? maskIdNumber(who.idNumber!),
          post,
          on_file: person ? 1 : 0,
          name_mismatch: mismatch ? 1 : 0,
          typed_name: who.name ?? null,
          identity: mismatch ? "doubtful" : "ok",
          secret_hash: sha256(secret),
        })
        .executeTakeFirstOrThrow();
      const attemptId = await createAttempt(
        {
          templateId: template.id,
          examId: null,
          personId: person?.id ?? null,
          attemptNo: 1,
          rules: JSON.parse(template.rules) as PaperRule[],
          examinee: { post, industry: quiz.industry_code, enterpriseId: quiz.enterprise_id },
          timeLimitMinutes: template.time_limit_minutes,
          shuffleOptions: Boolean(template.shuffle_options),
        },
        undefined,
        trx,
      );
      await trx
        .updateTable("quiz_participant")
        .set({ attempt_id: attemptId })
        .where("id", "=", Number(res.insertId))
        .execute();
      if (quiz.photo_at_join && who.photo) {
        await trx
          .insertInto("quiz_participant_photo")
          .values({
            participant_id: Number(res.insertId),
            quiz_id: quizId,
            content_type: who.photo.contentType,
            bytes: who.photo.bytes,
            taken_at: now(),
          })
          .execute();
      }
      return Number(res.insertId);
    });
    return { ok: true, participantId, secret };
  } catch (e) {
    if ((e as { code?: string }).code === "ER_DUP_ENTRY") return refuse(409, "您已参加过本次测验，每人只能作答一次。");
    if (e instanceof DrawError) return refuse(422, `题库不足，无法组卷：${e.message}`);
    throw e;
  }
}

/** The participant whose browser holds this secret, for this quiz. */
export async function participantBySecret(quizId: number, cookieValue: string | undefined) {
  const m = /^(\d+)\.([A-Za-z0-9_-]{20,64})$/.exec(cookieValue ?? "");
  if (!m) return undefined;
  const p = await db
    .selectFrom("quiz_participant")
    .select(["id", "quiz_id", "person_id", "name", "post", "attempt_id", "secret_hash"])
    .where("id", "=", Number(m[1]))
    .executeTakeFirst();
  return p && p.quiz_id === quizId && p.secret_hash === sha256(m[2]) ? p : undefined;
}

/** Everything the inspector's board shows, straight from the database (any app process can serve it). */
export async function quizBoard(quizId: number) {
  const participants = await db
    .selectFrom("quiz_participant")
    .leftJoin("attempt", "attempt.id", "quiz_participant.attempt_id")
    .select([
      "quiz_participant.id",
      "quiz_participant.name",
      "quiz_participant.post",
      "quiz_participant.on_file",
      "quiz_participant.name_mismatch",
      "quiz_participant.id_number_masked",
      "quiz_participant.joined_at",
      "quiz_participant.typed_name",
      "quiz_participant.identity",
      "quiz_participant.identity_reason",
      "attempt.id as attempt_id",
      "attempt.submitted_at",
      "attempt.score",
      "attempt.passed",
      "attempt.deadline_at",
      "attempt.closed_by",
    ])
    .where("quiz_participant.quiz_id", "=", quizId)
    .orderBy("quiz_participant.id")
    .execute();
  const photos = new Set(await participantsWithPhoto(quizId));
  const attemptIds = participants.map((p) => p.attempt_id).filter((x): x is number => x !== null);
  const [answered, totals] = attemptIds.length
    ? await Promise.all([
        db
          .selectFrom("attempt_answer")
          .select(["attempt_id", sql<number>`COUNT(*)`.as("n")])
          .where("attempt_id", "in", attemptIds)
          .groupBy("attempt_id")
          .execute(),
        db
          .selectFrom("attempt_item")
          .select(["attempt_id", sql<number>`COUNT(*)`.as("n")])
          .where("attempt_id", "in", attemptIds)
          .groupBy("attempt_id")
          .execute(),
      ])
    : [[], []];
  const a = new Map(answered.map((r) => [r.attempt_id, Number(r.n)]));
  const t = new Map(totals.map((r) => [r.attempt_id, Number(r.n)]));
  return participants.map((p) => ({
    id: p.id,
    name: p.name,
    typedName: p.typed_name,
    post: p.post,
    onFile: Boolean(p.on_file),
    nameMismatch: Boolean(p.name_mismatch),
    idNumberMasked: p.id_number_masked,
    identity: p.identity,
    identityReason: p.identity_reason,
    joinedAt: p.joined_at.toISOString(),
    photo: photos.has(p.id),
    answered: p.attempt_id ? (a.get(p.attempt_id) ?? 0) : 0,
    total: p.attempt_id ? (t.get(p.attempt_id) ?? 0) : 0,
    submitted: Boolean(p.submitted_at),
    incomplete: p.closed_by === "incomplete",
    deadline: p.deadline_at?.toISOString() ?? null,
    score: p.score === null ? null : Number(p.score),
    passed: p.passed === null ? null : Boolean(p.passed),
  }));
}

export { COUNTED_IDENTITIES, FOLLOW_UP_DAYS } from "./follow-up.server";

/** Papers of the quiz still being answered. */
export async function answeringCount(quizId: number) {
  const r = await db
    .selectFrom("quiz_participant")
    .innerJoin("attempt", "attempt.id", "quiz_participant.attempt_id")
    .select(sql<number>`COUNT(*)`.as("n"))
    .where("quiz_participant.quiz_id", "=", quizId)
    .where("attempt.submitted_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export type CloseChoice = {
  unfinished: "incomplete" | "grade";
  graceSeconds: number;
  confirmedAnswering: number | null;
};

/**
 * 结束测验: joins stop at once; people still answering get a grace period to hand in, after which their papers close
 * as 未完成 (no score, no follow-up) or, if the inspector chose so, are graded with what they saved. With papers
 * open, the inspector must confirm the number still answering (it changes nothing otherwise).
 */
export async function closeQuiz(
  actor: Actor,
  quizId: number,
  choice: CloseChoice,
  ip: string,
): Promise<{ ok: true } | (Refusal & { answering: number })> {
  const result = await db.transaction().execute(async (trx) => {
    const q = await trx
      .selectFrom("onsite_quiz")
      .select(["closed_at"])
      .where("id", "=", quizId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (q.closed_at) return { ...refuse(409, "测验已经结束。"), answering: 0 };
    const open = await trx
      .selectFrom("quiz_participant")
      .innerJoin("attempt", "attempt.id", "quiz_participant.attempt_id")
      .select("attempt.id")
      .where("quiz_participant.quiz_id", "=", quizId)
      .where("attempt.submitted_at", "is", null)
      .forUpdate()
      .execute();
    if (open.length && choice.confirmedAnswering !== open.length) {
      return {
        ...refuse(
          409,
          `还有 ${open.length} 人正在答题。请确认后再结束：他们有 ${choice.graceSeconds} 秒时间交卷，之后${choice.unfinished === "grade" ? "按已保存的答案评分" : "记为未完成（不计成绩）"}。`,
        ),
        answering: open.length,
      };
    }
    const at = now();
    const end = new Date(at.getTime() + (open.length ? choice.graceSeconds * 1000 : 0));
    await trx
      .updateTable("onsite_quiz")
      .set({ closed_at: end, close_requested_at: at, close_requested_by: actor.userId, unfinished: choice.unfinished })
      .where("id", "=", quizId)
      .execute();
    if (open.length) {
      await trx
        .updateTable("attempt")
        .set({ deadline_at: sql`LEAST(deadline_at, ${end})`, at_deadline: choice.unfinished })
        .where(
          "id",
          "in",
          open.map((a) => a.id),
        )
        .execute();
    }
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "onsite_quiz.closed",
      entityType: "onsite_quiz",
      entityId: quizId,
      after: {
        answering: open.length,
        graceSeconds: open.length ? choice.graceSeconds : 0,
        unfinished: choice.unfinished,
      },
      ip,
    });
    return { ok: true as const, closeNow: choice.graceSeconds === 0 ? open.map((a) => a.id) : null };
  });
  // Without a grace period the papers close now; otherwise the deadline job closes them when it ends.
  if (result.ok && result.closeNow) {
    // Grading opens or closes each one's follow-up in its own transaction (follow-up.server.ts).
    for (const id of result.closeNow) await finalizeAttempt(id, "deadline");
  }
  return result.ok ? { ok: true } : result;
}

/** The inspector confirms a doubtful identity, or voids a result (with a reason); both are audited. */
export async function resolveIdentity(
  actor: Actor,
  quizId: number,
  participantId: number,
  decision: "confirm" | "void",
  reason: string | undefined,
  ip: string,
) {
  return db.transaction().execute(async (trx) => {
    const p = await trx
      .selectFrom("quiz_participant")
      .select(["id", "identity", "name", "typed_name"])
      .where("id", "=", participantId)
      .where("quiz_id", "=", quizId)
      .forUpdate()
      .executeTakeFirst();
    if (!p) return refuse(404, "该参测人员不存在。");
    if (p.identity === "voided") return refuse(409, "该成绩已作废。");
    if (decision === "confirm" && p.identity !== "doubtful") return refuse(409, "该人员身份无疑问，无需确认。");
    const identity = decision === "confirm" ? "confirmed" : "voided";
    await trx
      .updateTable("quiz_participant")
      .set({ identity, identity_by: actor.userId, identity_at: now(), identity_reason: reason ?? null })
      .where("id", "=", p.id)
      .execute();
    // A voided result orders nothing: its follow-up, if one was opened, closes as voided. A confirmed one now counts.
    if (identity === "voided") {
      await trx
        .updateTable("follow_up")
        .set({ closed_at: now(), closed_how: "voided" })
        .where("participant_id", "=", p.id)
        .where("closed_at", "is", null)
        .execute();
    } else {
      await syncParticipantFollowUp(trx, p.id);
    }
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: `quiz_participant.${decision === "confirm" ? "identity_confirmed" : "voided"}`,
      entityType: "quiz_participant",
      entityId: p.id,
      before: { identity: p.identity },
      after: { identity, reason, rosterName: p.name, typedName: p.typed_name },
      ip,
    });
    return { ok: true as const };
  });
}

/** The inspector stops (or allows again) joins of people not on file. */
export async function setUnknownJoins(actor: Actor, quizId: number, closed: boolean, ip: string) {
  await db
    .updateTable("onsite_quiz")
    .set({ unknown_closed: closed ? 1 : 0 })
    .where("id", "=", quizId)
    .execute();
  await recordAudit(db, {
    actorUserId: actor.userId,
    action: closed ? "onsite_quiz.unknown_closed" : "onsite_quiz.unknown_opened",
    entityType: "onsite_quiz",
    entityId: quizId,
    ip,
  });
}

/**
 * Start (or resume) the self-service re-test of a follow-up: a fresh paper on the quiz template of the post. With a
 * transaction, the paper is drawn in it (a one-time link claims itself and starts the paper together).
 */
export async function startRetest(followUpId: number, trx?: Transaction<Database>) {
  const q = trx ?? db;
  const f = await q
    .selectFrom("follow_up")
    .innerJoin("enterprise", "enterprise.id", "follow_up.enterprise_id")
    .leftJoin("attempt", "attempt.id", "follow_up.retest_attempt_id")
    .select([
      "follow_up.id",
      "follow_up.person_id",
      "follow_up.post",
      "follow_up.enterprise_id",
      "follow_up.closed_at",
      "enterprise.industry_code",
      "attempt.id as attempt_id",
      "attempt.submitted_at",
      "attempt.passed",
    ])
    .where("follow_up.id", "=", followUpId)
    .executeTakeFirstOrThrow();
  if (f.closed_at) return refuse(409, "该整改已关闭。");
  if (f.attempt_id && !f.submitted_at) return { ok: true as const, attemptId: f.attempt_id };
  const template = (await quizTemplates())[f.post];
  if (!template) return refuse(409, "管理员尚未设置该岗位的试卷。");
  const previous = await q
    .selectFrom("attempt")
    .select(sql<number>`COUNT(*)`.as("n"))
    .where("person_id", "=", f.person_id)
    .where("template_id", "=", template.id)
    .executeTakeFirstOrThrow();
  const attemptId = await createAttempt(
    {
      templateId: template.id,
      examId: null,
      personId: f.person_id,
      attemptNo: Number(previous.n) + 1,
      rules: JSON.parse(template.rules) as PaperRule[],
      examinee: { post: f.post, industry: f.industry_code, enterpriseId: f.enterprise_id },
      timeLimitMinutes: template.time_limit_minutes,
      shuffleOptions: true,
    },
    undefined,
    trx,
  );
  await q.updateTable("follow_up").set({ retest_attempt_id: attemptId }).where("id", "=", f.id).execute();
  return { ok: true as const, attemptId };
}

export async function quizzesOfInspection(inspectionId: number) {
  return db
    .selectFrom("onsite_quiz")
    .select(["id", "join_code", "created_at", "expires_at", "closed_at"])
    .where("inspection_id", "=", inspectionId)
    .orderBy("id")
    .execute();
}

/** What a participant's pages show about the quiz: nothing beyond the enterprise and whether it is open. */
export async function quizForParticipant(token: string) {
  if (!/^[A-Za-z0-9_-]{24}$/.test(token)) return undefined;
  return quizByToken(token);
}

/** Participants of a quiz who left a photo at join (index range on quiz_id; the bytes are not read). */
export async function participantsWithPhoto(quizId: number) {
  const rows = await db
    .selectFrom("quiz_participant_photo")
    .select("participant_id")
    .where("quiz_id", "=", quizId)
    .execute();
  return rows.map((r) => r.participant_id);
}

/** The photo a participant took at join, for the authorized photo route only. */
export async function joinPhoto(quizId: number, participantId: number) {
  return db
    .selectFrom("quiz_participant_photo")
    .select(["content_type", "bytes"])
    .where("participant_id", "=", participantId)
    .where("quiz_id", "=", quizId)
    .executeTakeFirst();
}
