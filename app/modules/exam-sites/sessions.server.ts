import { createHash, randomBytes } from "node:crypto";
import { sql } from "kysely";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { refuse, type Refusal } from "../../lib/result";
import { recordAudit } from "../audit/audit.server";
import type { Actor, Resource, Scope } from "../auth/policy";
import { createAttempt } from "../exams/paper.server";
import { finalizeAttempt } from "../exams/grading.server";
import type { PaperRule } from "../exams/draw";
import { DrawError } from "../exams/draw.server";
import { hashIdNumber } from "../org/id-hash.server";
import { idNumberProblem } from "../org/identifiers";
import type { Post } from "../../../db/types";
import {
  extendedDeadline,
  IDENTITY_LABELS,
  imageType,
  photoFlag,
  remainingMs,
  resumedDeadline,
  seatStatus,
  SEAT_STATUS_LABELS,
} from "./rules";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export async function sessionById(id: number) {
  return db
    .selectFrom("exam_session")
    .innerJoin("exam_site", "exam_site.id", "exam_session.site_id")
    .innerJoin("exam_room", "exam_room.id", "exam_session.room_id")
    .innerJoin("exam_template", "exam_template.id", "exam_session.template_id")
    .selectAll("exam_session")
    .select([
      "exam_site.name as site_name",
      "exam_site.address",
      "exam_room.name as room_name",
      "exam_room.camera",
      "exam_template.pass_mark",
      "exam_template.name as template_name",
    ])
    .where("exam_session.id", "=", id)
    .executeTakeFirst();
}
export type ExamSession = NonNullable<Awaited<ReturnType<typeof sessionById>>>;

/** The session as a policy resource, with whether this actor is one of its assigned proctors. */
export async function sessionResource(
  actor: Actor,
  s: Pick<ExamSession, "id" | "region_path">,
): Promise<Extract<Resource, { type: "exam_session" }>> {
  const p = await db
    .selectFrom("exam_session_proctor")
    .select("user_id")
    .where("session_id", "=", s.id)
    .where("user_id", "=", actor.userId)
    .executeTakeFirst();
  return { type: "exam_session", regionPath: s.region_path, proctor: Boolean(p) };
}

/** Sessions the actor proctors, and (for regulators) those of their region; newest first. */
export async function listSessions(actor: Actor, scope: Scope) {
  const base = () =>
    db
      .selectFrom("exam_session")
      .innerJoin("exam_site", "exam_site.id", "exam_session.site_id")
      .innerJoin("exam_room", "exam_room.id", "exam_session.room_id")
      .select([
        "exam_session.id",
        "exam_session.title",
        "exam_session.scheduled_at",
        "exam_session.minutes",
        "exam_session.status",
        "exam_site.name as site_name",
        "exam_room.name as room_name",
      ])
      .orderBy("exam_session.scheduled_at", "desc")
      .limit(100);
  const own = await base()
    .innerJoin("exam_session_proctor", "exam_session_proctor.session_id", "exam_session.id")
    .where("exam_session_proctor.user_id", "=", actor.userId)
    .execute();
  const regional =
    scope.kind === "all"
      ? await base().execute()
      : scope.kind === "region"
        ? await base().where("exam_session.region_path", "like", `${scope.path}%`).execute()
        : [];
  const mine = new Set(own.map((s) => s.id));
  return [
    ...own.map((s) => ({ ...s, proctor: true })),
    ...regional.filter((s) => !mine.has(s.id)).map((s) => ({ ...s, proctor: false })),
  ];
}

async function examineeOf(personId: number) {
  return db
    .selectFrom("person")
    .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
    .select(["person.id", "person.post", "person.enterprise_id", "enterprise.industry_code"])
    .where("person.id", "=", personId)
    .executeTakeFirstOrThrow();
}

async function newAttempt(session: ExamSession, personId: number, extraMinutes: number) {
  const t = await db
    .selectFrom("exam_template")
    .selectAll()
    .where("id", "=", session.template_id)
    .executeTakeFirstOrThrow();
  const p = await examineeOf(personId);
  return createAttempt({
    templateId: t.id,
    examId: null,
    personId,
    attemptNo: 1,
    rules: JSON.parse(t.rules) as PaperRule[],
    examinee: { post: p.post as Post, industry: p.industry_code, enterpriseId: p.enterprise_id },
    timeLimitMinutes: session.minutes + extraMinutes,
    shuffleOptions: Boolean(t.shuffle_options),
  });
}

/**
 * Check a person in by ID number at a seat of this session's room: binds them to the seat and gives the seat
 * terminal its secret link. A seat of another room, a taken seat or someone not on the roster is refused.
 */
export async function checkIn(
  actor: Actor,
  session: ExamSession,
  input: { idNumber: string; seatId: number; photo?: Buffer | null },
  ip: string,
): Promise<{ ok: true; rosterId: number; seatSecret: string } | Refusal> {
  if (session.status === "ended") return refuse(409, "本场考试已结束，不能再签到。");
  const problem = idNumberProblem(input.idNumber);
  if (problem) return refuse(422, problem, "idNumber");
  const seat = await db
    .selectFrom("exam_seat")
    .select(["id", "room_id", "label"])
    .where("id", "=", input.seatId)
    .executeTakeFirst();
  if (!seat || seat.room_id !== session.room_id)
    return refuse(422, "该座位不属于本场考试的考场，请选择本考场的座位。", "seatId");
  const hash = hashIdNumber(input.idNumber);
  const row = await db
    .selectFrom("exam_roster")
    .innerJoin("person", "person.id", "exam_roster.person_id")
    .select([
      "exam_roster.id",
      "exam_roster.seat_id",
      "exam_roster.checked_in_at",
      "exam_roster.voided_at",
      "exam_roster.person_id",
      "person.name",
    ])
    .where("exam_roster.session_id", "=", session.id)
    .where("exam_roster.removed_at", "is", null)
    .where("person.id_number_hash", "=", hash)
    .executeTakeFirst();
  if (!row) return refuse(422, "该身份证号码不在本场考试的考生名单中。", "idNumber");
  if (row.voided_at) return refuse(409, "该考生本场考试已被作废，不能再签到。");
  if (row.checked_in_at) return refuse(409, `${row.name} 已签到，不能重复签到。`);
  if (session.camera && !input.photo) return refuse(422, "本考场开启了摄像头，签到时须拍摄考生照片。", "photo");
  const seatSecret = randomBytes(18).toString("base64url");
  // A late arrival in a running session gets their paper at once (their own full time).
  let attemptId: number | null = null;
  if (session.status === "running" || session.status === "paused") {
    try {
      attemptId = await newAttempt(session, row.person_id, 0);
    } catch (e) {
      if (e instanceof DrawError) return refuse(422, `题库不足，无法组卷：${e.message}`);
      throw e;
    }
  }
  try {
    await db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable("exam_roster")
        .set({
          seat_id: seat.id,
          checked_in_at: now(),
          checked_in_by: actor.userId,
          photo: input.photo ?? null,
          photo_type: input.photo ? imageType(input.photo) : null,
          seat_secret_hash: sha256(seatSecret),
          attempt_id: attemptId,
        })
        .where("id", "=", row.id)
        .where("checked_in_at", "is", null)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw Object.assign(new Error("already"), { code: "ER_DUP_ENTRY" });
      if (attemptId && session.status === "paused")
        await trx.updateTable("attempt").set({ paused_at: session.paused_at }).where("id", "=", attemptId).execute();
      await recordAudit(trx, {
        actorUserId: actor.userId,
        action: "exam_session.check_in",
        entityType: "exam_roster",
        entityId: row.id,
        after: { seat: seat.label, attemptId },
        ip,
      });
    });
  } catch (e) {
    if ((e as { code?: string }).code === "ER_DUP_ENTRY")
      return refuse(409, `座位 ${seat.label} 已有考生，请选择其他座位。`, "seatId");
    throw e;
  }
  return { ok: true, rosterId: row.id, seatSecret };
}

/** Start the session: every checked-in examinee gets a random paper with the session's time (plus any extension). */
export async function startSession(actor: Actor, session: ExamSession, ip: string): Promise<{ ok: true } | Refusal> {
  if (session.status !== "scheduled") return refuse(409, "本场考试已经开始或已结束。");
  const rows = await db
    .selectFrom("exam_roster")
    .select(["id", "person_id", "extra_minutes"])
    .where("session_id", "=", session.id)
    .where("checked_in_at", "is not", null)
    .where("voided_at", "is", null)
    .where("removed_at", "is", null)
    .where("attempt_id", "is", null)
    .execute();
  const claimed = await db
    .updateTable("exam_session")
    .set({ status: "running", started_at: now() })
    .where("id", "=", session.id)
    .where("status", "=", "scheduled")
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return refuse(409, "本场考试已经开始或已结束。");
  for (const r of rows) {
    const attemptId = await newAttempt(session, r.person_id, r.extra_minutes);
    await db
      .updateTable("exam_roster")
      .set({ attempt_id: attemptId })
      .where("id", "=", r.id)
      .where("attempt_id", "is", null)
      .execute();
  }
  await recordAudit(db, {
    actorUserId: actor.userId,
    action: "exam_session.started",
    entityType: "exam_session",
    entityId: session.id,
    after: { papers: rows.length },
    ip,
  });
  return { ok: true };
}

async function rosterRow(session: ExamSession, rosterId: number) {
  return db
    .selectFrom("exam_roster")
    .leftJoin("attempt", "attempt.id", "exam_roster.attempt_id")
    .innerJoin("person", "person.id", "exam_roster.person_id")
    .select([
      "exam_roster.id",
      "exam_roster.attempt_id",
      "exam_roster.extra_minutes",
      "exam_roster.voided_at",
      "person.name",
      "attempt.deadline_at",
      "attempt.submitted_at",
      "attempt.paused_at",
    ])
    .where("exam_roster.id", "=", rosterId)
    .where("exam_roster.session_id", "=", session.id)
    .executeTakeFirst();
}

/** Give one examinee more time, with a reason (audited). Before the start, the minutes wait for their paper. */
export async function extendTime(
  actor: Actor,
  session: ExamSession,
  input: { rosterId: number; minutes: number; reason: string },
  ip: string,
): Promise<{ ok: true; deadline: Date | null } | Refusal> {
  const r = await rosterRow(session, input.rosterId);
  if (!r) return refuse(404, "本场考试没有这名考生。");
  if (r.voided_at) return refuse(409, "该考生的考试已作废，不能延时。");
  if (r.submitted_at) return refuse(409, "该考生已交卷，不能延时。");
  return db.transaction().execute(async (trx) => {
    let deadline: Date | null = null;
    if (r.attempt_id) {
      const a = await trx
        .selectFrom("attempt")
        .select(["deadline_at", "submitted_at"])
        .where("id", "=", r.attempt_id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (a.submitted_at) return refuse(409, "该考生已交卷，不能延时。");
      deadline = extendedDeadline(a.deadline_at, input.minutes);
      await trx.updateTable("attempt").set({ deadline_at: deadline }).where("id", "=", r.attempt_id).execute();
    }
    await trx
      .updateTable("exam_roster")
      .set({ extra_minutes: sql`extra_minutes + ${input.minutes}` })
      .where("id", "=", r.id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "exam_session.extended",
      entityType: "exam_roster",
      entityId: r.id,
      before: { deadline: r.deadline_at?.toISOString() ?? null },
      after: { minutes: input.minutes, reason: input.reason, deadline: deadline?.toISOString() ?? null },
      ip,
    });
    return { ok: true as const, deadline };
  });
}

/** Pause the whole session (e.g. a power cut): every open paper's clock stops; no answer is taken meanwhile. */
export async function pauseSession(
  actor: Actor,
  session: ExamSession,
  reason: string,
  ip: string,
): Promise<{ ok: true } | Refusal> {
  return db.transaction().execute(async (trx) => {
    const s = await trx
      .selectFrom("exam_session")
      .select(["status"])
      .where("id", "=", session.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (s.status !== "running")
      return refuse(409, s.status === "paused" ? "本场考试已经暂停。" : "只有进行中的考试可以暂停。");
    const at = now();
    await trx
      .updateTable("exam_session")
      .set({ status: "paused", paused_at: at })
      .where("id", "=", session.id)
      .execute();
    await sql`UPDATE attempt a JOIN exam_roster r ON r.attempt_id = a.id SET a.paused_at = ${at}
      WHERE r.session_id = ${session.id} AND a.submitted_at IS NULL AND a.paused_at IS NULL`.execute(trx);
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "exam_session.paused",
      entityType: "exam_session",
      entityId: session.id,
      after: { reason, at: at.toISOString() },
      ip,
    });
    return { ok: true as const };
  });
}

/** Resume: every paused paper's deadline moves by the time it was paused, in the same transaction. */
export async function resumeSession(
  actor: Actor,
  session: ExamSession,
  ip: string,
): Promise<{ ok: true; pausedMs: number } | Refusal> {
  return db.transaction().execute(async (trx) => {
    const s = await trx
      .selectFrom("exam_session")
      .select(["status", "paused_at"])
      .where("id", "=", session.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (s.status !== "paused" || !s.paused_at) return refuse(409, "本场考试没有暂停。");
    const at = now();
    const papers = await trx
      .selectFrom("attempt")
      .innerJoin("exam_roster", "exam_roster.attempt_id", "attempt.id")
      .select(["attempt.id", "attempt.deadline_at", "attempt.paused_at"])
      .where("exam_roster.session_id", "=", session.id)
      .where("attempt.paused_at", "is not", null)
      .forUpdate()
      .execute();
    for (const p of papers) {
      await trx
        .updateTable("attempt")
        .set({ deadline_at: resumedDeadline(p.deadline_at, p.paused_at!, at), paused_at: null })
        .where("id", "=", p.id)
        .execute();
    }
    const pausedMs = at.getTime() - s.paused_at.getTime();
    await trx
      .updateTable("exam_session")
      .set({ status: "running", paused_at: null, paused_ms: sql`paused_ms + ${pausedMs}` })
      .where("id", "=", session.id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "exam_session.resumed",
      entityType: "exam_session",
      entityId: session.id,
      after: { pausedMs, papers: papers.length },
      ip,
    });
    return { ok: true as const, pausedMs };
  });
}

/** Void an examinee's attempt for cheating: the paper is closed as it stands and marked void on the roster (kept, audited). */
export async function voidAttempt(
  actor: Actor,
  session: ExamSession,
  input: { rosterId: number; reason: string },
  ip: string,
): Promise<{ ok: true } | Refusal> {
  const r = await rosterRow(session, input.rosterId);
  if (!r) return refuse(404, "本场考试没有这名考生。");
  if (r.voided_at) return refuse(409, "该考生的考试已经作废。");
  if (r.attempt_id) {
    await db
      .updateTable("attempt")
      .set({ paused_at: null })
      .where("id", "=", r.attempt_id)
      .where("submitted_at", "is", null)
      .execute();
    await finalizeAttempt(r.attempt_id, "inspector");
  }
  const done = await db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("exam_roster")
      .set({ voided_at: now(), voided_by: actor.userId, void_reason: input.reason })
      .where("id", "=", r.id)
      .where("voided_at", "is", null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return false;
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "exam_session.voided",
      entityType: "exam_roster",
      entityId: r.id,
      after: { reason: input.reason, attemptId: r.attempt_id },
      ip,
    });
    return true;
  });
  return done ? { ok: true } : refuse(409, "该考生的考试已经作废。");
}

/** End the session: papers still open are graded with what was saved. */
export async function endSession(actor: Actor, session: ExamSession, ip: string): Promise<{ ok: true } | Refusal> {
  if (session.status === "ended" || session.status === "scheduled")
    return refuse(409, session.status === "ended" ? "本场考试已经结束。" : "考试尚未开始。");
  const open = await db
    .selectFrom("attempt")
    .innerJoin("exam_roster", "exam_roster.attempt_id", "attempt.id")
    .select("attempt.id")
    .where("exam_roster.session_id", "=", session.id)
    .where("attempt.submitted_at", "is", null)
    .execute();
  for (const a of open) {
    await db.updateTable("attempt").set({ paused_at: null }).where("id", "=", a.id).execute();
    await finalizeAttempt(a.id, "inspector");
  }
  await db
    .updateTable("exam_session")
    .set({ status: "ended", ended_at: now(), paused_at: null })
    .where("id", "=", session.id)
    .execute();
  await recordAudit(db, {
    actorUserId: actor.userId,
    action: "exam_session.ended",
    entityType: "exam_session",
    entityId: session.id,
    after: { closed: open.length },
    ip,
  });
  return { ok: true };
}

/** The proctor console: every seat of the room with who sits there and how far they are; plus the roster not seated. */
export async function consoleOf(session: ExamSession) {
  const [seats, roster] = await Promise.all([
    db
      .selectFrom("exam_seat")
      .select(["id", "label"])
      .where("room_id", "=", session.room_id)
      .orderBy("label")
      .execute(),
    db
      .selectFrom("exam_roster")
      .innerJoin("person", "person.id", "exam_roster.person_id")
      .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
      .leftJoin("attempt", "attempt.id", "exam_roster.attempt_id")
      .select([
        "exam_roster.id",
        "exam_roster.seat_id",
        "exam_roster.checked_in_at",
        "exam_roster.extra_minutes",
        "exam_roster.voided_at",
        "exam_roster.void_reason",
        "exam_roster.attempt_id",
        "person.name",
        "person.id_number_masked",
        "enterprise.name as enterprise_name",
        "attempt.deadline_at",
        "attempt.submitted_at",
        "attempt.paused_at",
        "attempt.score",
        "attempt.passed",
        sql<number | null>`(exam_roster.photo IS NOT NULL)`.as("has_photo"),
        "exam_roster.identity",
        "exam_roster.identity_note",
        (eb) =>
          eb
            .selectFrom("exam_seat_photo")
            .select(sql<number>`MAX(id)`.as("m"))
            .whereRef("exam_seat_photo.roster_id", "=", "exam_roster.id")
            .as("seat_photo_id"),
      ])
      .where("exam_roster.session_id", "=", session.id)
      .where("exam_roster.removed_at", "is", null)
      .orderBy("exam_roster.id")
      .execute(),
  ]);
  const ids = roster.map((r) => r.attempt_id).filter((x): x is number => x !== null);
  const [answered, totals] = ids.length
    ? await Promise.all([
        db
          .selectFrom("attempt_answer")
          .select(["attempt_id", sql<number>`COUNT(*)`.as("n")])
          .where("attempt_id", "in", ids)
          .groupBy("attempt_id")
          .execute(),
        db
          .selectFrom("attempt_item")
          .select(["attempt_id", sql<number>`COUNT(*)`.as("n")])
          .where("attempt_id", "in", ids)
          .groupBy("attempt_id")
          .execute(),
      ])
    : [[], []];
  const a = new Map(answered.map((r) => [r.attempt_id, Number(r.n)]));
  const t = new Map(totals.map((r) => [r.attempt_id, Number(r.n)]));
  const at = now();
  const people = roster.map((r) => {
    const status = seatStatus({
      checkedIn: Boolean(r.checked_in_at),
      voided: Boolean(r.voided_at),
      attempt:
        r.attempt_id && r.deadline_at ? { submitted: Boolean(r.submitted_at), paused: Boolean(r.paused_at) } : null,
    });
    return {
      id: r.id,
      seatId: r.seat_id,
      name: r.name,
      idMasked: r.id_number_masked,
      enterprise: r.enterprise_name,
      status,
      statusLabel: SEAT_STATUS_LABELS[status],
      answered: r.attempt_id ? (a.get(r.attempt_id) ?? 0) : 0,
      total: r.attempt_id ? (t.get(r.attempt_id) ?? 0) : 0,
      extraMinutes: r.extra_minutes,
      deadline: r.deadline_at?.toISOString() ?? null,
      remainingSeconds:
        r.deadline_at && !r.submitted_at ? Math.floor(remainingMs(r.deadline_at, r.paused_at, at) / 1000) : null,
      score: r.score === null ? null : Number(r.score),
      passed: r.passed === null ? null : Boolean(r.passed),
      voidReason: r.void_reason,
      photo: Boolean(r.has_photo),
      seatPhotoId: r.seat_photo_id === null ? null : Number(r.seat_photo_id),
      identity: r.identity,
      identityLabel: IDENTITY_LABELS[r.identity],
      identityNote: r.identity_note,
      flag: photoFlag({
        camera: Boolean(session.camera),
        checkedIn: Boolean(r.checked_in_at),
        checkInPhoto: Boolean(r.has_photo),
        seatPhoto: r.seat_photo_id !== null,
        started: Boolean(r.attempt_id),
        identity: r.identity,
      }),
      checkedInAt: r.checked_in_at?.toISOString() ?? null,
    };
  });
  const bySeat = new Map(people.filter((p) => p.seatId).map((p) => [p.seatId!, p]));
  return {
    status: session.status,
    pausedAt: session.paused_at?.toISOString() ?? null,
    seats: seats.map((s) => ({ id: s.id, label: s.label, person: bySeat.get(s.id) ?? null })),
    waiting: people.filter((p) => !p.seatId),
    people,
  };
}

/** The examinee's seat terminal: the roster row whose secret link the seat computer opened. */
export async function seatBySecret(secret: string) {
  if (!/^[A-Za-z0-9_-]{20,40}$/.test(secret)) return undefined;
  return db
    .selectFrom("exam_roster")
    .innerJoin("exam_session", "exam_session.id", "exam_roster.session_id")
    .innerJoin("exam_room", "exam_room.id", "exam_session.room_id")
    .innerJoin("person", "person.id", "exam_roster.person_id")
    .select([
      "exam_roster.id",
      "exam_roster.attempt_id",
      "exam_roster.person_id",
      "exam_roster.voided_at",
      "exam_roster.session_id",
      "exam_session.status",
      "exam_session.title",
      "exam_room.camera",
      "person.name",
      (eb) =>
        eb
          .selectFrom("exam_seat_photo")
          .select(sql<number>`COUNT(*)`.as("n"))
          .whereRef("exam_seat_photo.roster_id", "=", "exam_roster.id")
          .as("seat_photos"),
    ])
    .where("exam_roster.seat_secret_hash", "=", sha256(secret))
    .executeTakeFirst();
}

/**
 * A photo of a roster row of this session (proctors only): the check-in photo, or one the seat terminal took
 * (`seatPhotoId`). Null when there is none.
 */
export async function rosterPhoto(
  session: ExamSession,
  rosterId: number,
  seatPhotoId: number | null = null,
): Promise<{ bytes: Buffer; type: string } | null> {
  if (seatPhotoId === null) {
    const r = await db
      .selectFrom("exam_roster")
      .select(["photo", "photo_type"])
      .where("id", "=", rosterId)
      .where("session_id", "=", session.id)
      .executeTakeFirst();
    return r?.photo ? { bytes: r.photo, type: r.photo_type ?? imageType(r.photo) ?? "image/jpeg" } : null;
  }
  const p = await db
    .selectFrom("exam_seat_photo")
    .innerJoin("exam_roster", "exam_roster.id", "exam_seat_photo.roster_id")
    .select(["exam_seat_photo.bytes", "exam_seat_photo.content_type"])
    .where("exam_seat_photo.id", "=", seatPhotoId)
    .where("exam_roster.id", "=", rosterId)
    .where("exam_roster.session_id", "=", session.id)
    .executeTakeFirst();
  return p ? { bytes: p.bytes, type: p.content_type } : null;
}

/** The seat terminal's photo where the room's camera is on (the seat's secret link is the authorization). */
export async function addSeatPhoto(
  seat: NonNullable<Awaited<ReturnType<typeof seatBySecret>>>,
  bytes: Buffer,
  ip: string,
): Promise<{ ok: true } | Refusal> {
  if (!seat.camera) return refuse(409, "本考场未开启摄像头，座位端不拍照。");
  if (seat.voided_at) return refuse(409, "本场考试已被作废。");
  if (seat.status === "ended") return refuse(409, "本场考试已结束。");
  if (Number(seat.seat_photos) >= MAX_SEAT_PHOTOS) return refuse(409, `每个座位最多保存 ${MAX_SEAT_PHOTOS} 张照片。`);
  const type = imageType(bytes);
  if (!type) return refuse(422, "照片须为 JPEG 或 PNG 图片。");
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto("exam_seat_photo")
      .values({ roster_id: seat.id, content_type: type, bytes, taken_at: now() })
      .executeTakeFirst();
    await recordAudit(trx, {
      actorUserId: null,
      action: "exam_session.seat_photo",
      entityType: "exam_roster",
      entityId: seat.id,
      after: { photoId: Number(r.insertId), bytes: bytes.length },
      ip,
    });
  });
  return { ok: true };
}
export const MAX_SEAT_PHOTOS = 20;

/** The proctor's check of an examinee's photos: 核验通过 (ok) or 存疑 (doubtful, with a note); audited. */
export async function markIdentity(
  actor: Actor,
  session: ExamSession,
  input: { rosterId: number; verdict: "ok" | "doubtful"; note?: string },
  ip: string,
): Promise<{ ok: true } | Refusal> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .selectFrom("exam_roster")
      .select(["id", "identity", "identity_note", "checked_in_at"])
      .where("id", "=", input.rosterId)
      .where("session_id", "=", session.id)
      .where("removed_at", "is", null)
      .forUpdate()
      .executeTakeFirst();
    if (!r) return refuse(404, "本场考试没有这名考生。");
    if (!r.checked_in_at) return refuse(409, "该考生尚未签到，没有可核验的照片。");
    await trx
      .updateTable("exam_roster")
      .set({
        identity: input.verdict,
        identity_by: actor.userId,
        identity_at: now(),
        identity_note: input.note || null,
      })
      .where("id", "=", r.id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "exam_session.identity",
      entityType: "exam_roster",
      entityId: r.id,
      before: { identity: r.identity, note: r.identity_note },
      after: { identity: input.verdict, note: input.note || null },
      ip,
    });
    return { ok: true as const };
  });
}
