import { randomBytes } from "node:crypto";
import { sql, type Transaction } from "kysely";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { env } from "../../lib/env.server";
import type { Database, StudyState } from "../../../db/types";
import { recordAudit } from "../audit/audit.server";
import { countedSeconds, lessonRequiredSeconds, minReadingSeconds, nextCheckinAt } from "./rules";
import type { StudyRuleInput } from "./study-schema";

/**
 * Active study (学时 as AQ 8011-2023 defines them). The server counts a person's time on one lesson at a time: a
 * study session per open window, of which only the person's newest counts (`study_active`); time counts only while
 * the page says it is visible, and stops at each random check-in (继续学习) until it is answered. Every change is
 * kept as a `study_event`: the person's training archive.
 */

export interface StudyRule {
  onlineMinutesPerHour: number;
  offlineMinutesPerHour: number;
  checkinMinSeconds: number;
  checkinMaxSeconds: number;
  checkinAnswerSeconds: number;
  basis: string;
}

/** The rule of the region nearest to the enterprise (a region row overrides its ancestors; "/" is the default). */
export async function studyRuleFor(regionPath: string): Promise<StudyRule> {
  const prefixes = ["/"];
  for (const part of regionPath.split("/").filter(Boolean)) prefixes.push(`${prefixes[prefixes.length - 1]}${part}/`);
  const r = await db
    .selectFrom("study_rule")
    .selectAll()
    .where("region_path", "in", prefixes)
    .orderBy(sql`LENGTH(region_path)`, "desc")
    .limit(1)
    .executeTakeFirstOrThrow();
  return {
    onlineMinutesPerHour: Number(r.online_minutes_per_hour),
    offlineMinutesPerHour: Number(r.offline_minutes_per_hour),
    checkinMinSeconds: r.checkin_min_seconds,
    checkinMaxSeconds: r.checkin_max_seconds,
    checkinAnswerSeconds: r.checkin_answer_seconds,
    basis: r.basis,
  };
}

export interface StudyLesson {
  id: number;
  course_id: number;
  chars: number;
  hours: number;
}

/** Seconds of study the lesson needs under the person's rule. */
export async function requiredSecondsFor(lesson: StudyLesson, rule: StudyRule) {
  const total = await db
    .selectFrom("lesson")
    .select(sql<number>`COALESCE(SUM(chars), 0)`.as("chars"))
    .where("course_id", "=", lesson.course_id)
    .where("active", "=", 1)
    .executeTakeFirstOrThrow();
  return lessonRequiredSeconds({
    courseHours: Number(lesson.hours),
    minutesPerHour: rule.onlineMinutesPerHour,
    lessonChars: lesson.chars,
    courseChars: Number(total.chars),
    readingSeconds: minReadingSeconds(lesson.chars, env().READING_CHARS_PER_MINUTE, env().LESSON_MIN_SECONDS),
  });
}

export type StudyView = {
  sessionId: number;
  state: StudyState;
  /** Seconds counted on this lesson so far (all sessions). */
  counted: number;
  needed: number;
  checkin: { nonce: string; deadline: string } | null;
};

type Trx = Transaction<Database>;

async function event(
  trx: Trx,
  s: { id: number; person_id: number },
  kind: string,
  activeSeconds: number,
  detail: string | null = null,
  at = now(),
) {
  await trx
    .insertInto("study_event")
    .values({ session_id: s.id, person_id: s.person_id, at, kind, active_seconds: activeSeconds, detail })
    .execute();
}

async function lessonSeconds(trx: Trx, personId: number, lessonId: number) {
  const p = await trx
    .selectFrom("lesson_progress")
    .select("seconds_spent")
    .where("person_id", "=", personId)
    .where("lesson_id", "=", lessonId)
    .executeTakeFirst();
  return p?.seconds_spent ?? 0;
}

async function addToLesson(trx: Trx, personId: number, lessonId: number, seconds: number) {
  await sql`INSERT INTO lesson_progress (person_id, lesson_id, seconds_spent, last_seen_at) VALUES (${personId}, ${lessonId}, ${seconds}, ${now()})
    ON DUPLICATE KEY UPDATE seconds_spent = seconds_spent + IF(completed_at IS NULL, VALUES(seconds_spent), 0), last_seen_at = VALUES(last_seen_at)`.execute(
    trx,
  );
}

/** The person's row in `study_active`, locked: every change to a person's study goes through it, one at a time. */
async function lockPerson(trx: Trx, personId: number) {
  const locked = () =>
    trx
      .selectFrom("study_active")
      .select("session_id")
      .where("person_id", "=", personId)
      .forUpdate()
      .executeTakeFirst();
  // Lock first: an INSERT IGNORE on an existing row would take a shared lock that two requests then both upgrade.
  const row =
    (await locked()) ??
    (await sql`INSERT IGNORE INTO study_active (person_id, session_id) VALUES (${personId}, 0)`.execute(trx),
    await locked());
  return row!.session_id;
}

/** A new window on a lesson: it becomes the one that counts, and the window that counted before is paused. */
export async function startStudy(
  personId: number,
  lesson: StudyLesson,
  rule: StudyRule,
  client: { userAgent: string | null; ip: string | null },
): Promise<StudyView> {
  return db.transaction().execute(async (trx) => {
    const previous = Number(await lockPerson(trx, personId));
    const at = now();
    if (previous) {
      const old = await trx
        .selectFrom("study_session")
        .select(["id", "person_id", "state", "active_seconds"])
        .where("id", "=", previous)
        .forUpdate()
        .executeTakeFirst();
      if (old && old.state !== "ended" && old.state !== "elsewhere") {
        await settle(trx, previous, at);
        await trx
          .updateTable("study_session")
          .set({ state: "elsewhere", last_counted_at: null, checkin_nonce: null, checkin_deadline: null })
          .where("id", "=", previous)
          .execute();
        await event(trx, old, "elsewhere", old.active_seconds, "在其他窗口或设备开始学习，本窗口暂停计时", at);
      }
    }
    const res = await trx
      .insertInto("study_session")
      .values({
        person_id: personId,
        lesson_id: lesson.id,
        course_id: lesson.course_id,
        state: "counting",
        started_at: at,
        last_counted_at: at,
        checkin_at: nextCheckinAt(at, rule.checkinMinSeconds, rule.checkinMaxSeconds),
        user_agent: client.userAgent?.slice(0, 255) ?? null,
        ip: client.ip?.slice(0, 64) ?? null,
      })
      .executeTakeFirstOrThrow();
    const id = Number(res.insertId);
    await trx.updateTable("study_active").set({ session_id: id }).where("person_id", "=", personId).execute();
    await event(trx, { id, person_id: personId }, "start", 0, null, at);
    await addToLesson(trx, personId, lesson.id, 0);
    return {
      sessionId: id,
      state: "counting" as const,
      counted: await lessonSeconds(trx, personId, lesson.id),
      needed: await requiredSecondsFor(lesson, rule),
      checkin: null,
    };
  });
}

/** Add the time since the last count to the session and the lesson (capped, and only up to a due check-in). */
async function settle(trx: Trx, sessionId: number, at: Date) {
  const s = await trx
    .selectFrom("study_session")
    .select(["id", "person_id", "lesson_id", "state", "last_counted_at", "checkin_at", "active_seconds"])
    .where("id", "=", sessionId)
    .executeTakeFirstOrThrow();
  if (s.state !== "counting") return s;
  const cap = env().HEARTBEAT_CAP_SECONDS;
  const add = countedSeconds(s.last_counted_at, at, s.checkin_at, cap);
  // Keep the fraction of a second not yet counted, unless the gap was cut short by the cap.
  const last = s.last_counted_at && add < cap ? new Date(s.last_counted_at.getTime() + add * 1000) : at;
  await trx
    .updateTable("study_session")
    .set({ active_seconds: s.active_seconds + add, last_counted_at: last })
    .where("id", "=", sessionId)
    .execute();
  if (add) await addToLesson(trx, s.person_id, s.lesson_id, add);
  return { ...s, active_seconds: s.active_seconds + add, last_counted_at: last };
}

export type StudySignal = "beat" | "hidden" | "visible";

export type StudyRefusal = { ok: false; status: 404 | 409; message: string };

/**
 * A signal from the page: a heartbeat while visible, or the page being hidden or shown again. The server counts, and
 * moves the session to a check-in when one is due, or to "missed" when a check-in went unanswered.
 */
export async function studySignal(
  personId: number,
  sessionId: number,
  signal: StudySignal,
  lesson: StudyLesson,
  rule: StudyRule,
): Promise<StudyView | StudyRefusal> {
  return db.transaction().execute(async (trx) => {
    const active = Number(await lockPerson(trx, personId));
    const found = await trx
      .selectFrom("study_session")
      .select(["id", "person_id", "lesson_id"])
      .where("id", "=", sessionId)
      .forUpdate()
      .executeTakeFirst();
    if (!found || found.person_id !== personId || found.lesson_id !== lesson.id)
      return { ok: false as const, status: 404 as const, message: "学习记录不存在，请刷新页面。" };
    const at = now();
    let s = await settle(trx, sessionId, at);
    if (active !== sessionId && s.state !== "elsewhere" && s.state !== "ended") {
      // Another window took over while this one was not looking (should not happen: startStudy pauses it), be safe.
      await trx
        .updateTable("study_session")
        .set({ state: "elsewhere", last_counted_at: null })
        .where("id", "=", sessionId)
        .execute();
      s = { ...s, state: "elsewhere" };
    }
    let state: StudyState = s.state;
    const set = async (
      next: StudyState,
      values: Record<string, unknown>,
      kind: string,
      detail: string | null = null,
    ) => {
      await trx
        .updateTable("study_session")
        .set({ state: next, ...values })
        .where("id", "=", sessionId)
        .execute();
      await event(trx, s, kind, s.active_seconds, detail, at);
      state = next;
    };
    if (state === "counting" && at >= s.checkin_at) {
      const deadline = new Date(at.getTime() + rule.checkinAnswerSeconds * 1000);
      await set(
        "checkin",
        { last_counted_at: null, checkin_nonce: randomBytes(8).toString("hex"), checkin_deadline: deadline },
        "checkin_prompt",
      );
    } else if (state === "checkin") {
      const row = await trx
        .selectFrom("study_session")
        .select("checkin_deadline")
        .where("id", "=", sessionId)
        .executeTakeFirstOrThrow();
      if (row.checkin_deadline && at > row.checkin_deadline)
        await set("missed", { checkin_nonce: null, checkin_deadline: null }, "checkin_missed");
    } else if (signal === "hidden" && state === "counting") {
      await set("hidden", { last_counted_at: null }, "hidden");
    } else if (signal === "visible" && state === "hidden") {
      // Check-ins are spaced by time on the page: the time it was hidden moves the next one on.
      const hidden = await trx
        .selectFrom("study_event")
        .select("at")
        .where("session_id", "=", sessionId)
        .where("kind", "=", "hidden")
        .orderBy("id", "desc")
        .limit(1)
        .executeTakeFirst();
      const away = hidden ? Math.max(0, at.getTime() - hidden.at.getTime()) : 0;
      await set("counting", { last_counted_at: at, checkin_at: new Date(s.checkin_at.getTime() + away) }, "visible");
    }
    return view(trx, sessionId, lesson, rule);
  });
}

async function view(trx: Trx, sessionId: number, lesson: StudyLesson, rule: StudyRule): Promise<StudyView> {
  const s = await trx
    .selectFrom("study_session")
    .select(["id", "person_id", "state", "checkin_nonce", "checkin_deadline"])
    .where("id", "=", sessionId)
    .executeTakeFirstOrThrow();
  return {
    sessionId,
    state: s.state,
    counted: await lessonSeconds(trx, s.person_id, lesson.id),
    needed: await requiredSecondsFor(lesson, rule),
    checkin:
      s.state === "checkin" && s.checkin_nonce && s.checkin_deadline
        ? { nonce: s.checkin_nonce, deadline: s.checkin_deadline.toISOString() }
        : null,
  };
}

/** 继续学习: the answer to a check-in, in time; counting resumes and the next check-in is drawn. */
export async function answerCheckin(
  personId: number,
  sessionId: number,
  nonce: string,
  lesson: StudyLesson,
  rule: StudyRule,
  photo: { contentType: string; bytes: Buffer } | null,
): Promise<StudyView | StudyRefusal> {
  return db.transaction().execute(async (trx) => {
    await lockPerson(trx, personId);
    const s = await trx
      .selectFrom("study_session")
      .select(["id", "person_id", "lesson_id", "state", "checkin_nonce", "checkin_deadline", "active_seconds"])
      .where("id", "=", sessionId)
      .forUpdate()
      .executeTakeFirst();
    if (!s || s.person_id !== personId || s.lesson_id !== lesson.id)
      return { ok: false as const, status: 404 as const, message: "学习记录不存在，请刷新页面。" };
    const at = now();
    if (s.state !== "checkin" || s.checkin_nonce !== nonce)
      return { ok: false as const, status: 409 as const, message: "当前没有待确认的学习签到，请刷新页面。" };
    if (s.checkin_deadline && at > s.checkin_deadline) {
      return {
        ok: false as const,
        status: 409 as const,
        message: `签到已超时（须在 ${rule.checkinAnswerSeconds} 秒内确认），这段时间不计入学时。请点击"继续学习"重新开始计时。`,
      };
    }
    const waited = s.checkin_deadline
      ? Math.round((rule.checkinAnswerSeconds * 1000 - (s.checkin_deadline.getTime() - at.getTime())) / 1000)
      : 0;
    await trx
      .updateTable("study_session")
      .set({
        state: "counting",
        last_counted_at: at,
        checkin_nonce: null,
        checkin_deadline: null,
        checkin_at: nextCheckinAt(at, rule.checkinMinSeconds, rule.checkinMaxSeconds),
      })
      .where("id", "=", sessionId)
      .execute();
    await event(trx, s, "checkin_ok", s.active_seconds, `${waited} 秒后确认${photo ? "，已拍照" : ""}`, at);
    if (photo)
      await trx
        .insertInto("study_photo")
        .values({ session_id: sessionId, content_type: photo.contentType, bytes: photo.bytes, taken_at: at })
        .execute();
    return view(trx, sessionId, lesson, rule);
  });
}

/** After a missed check-in: the learner starts counting again in the same window. */
export async function resumeStudy(
  personId: number,
  sessionId: number,
  lesson: StudyLesson,
  rule: StudyRule,
): Promise<StudyView | StudyRefusal> {
  return db.transaction().execute(async (trx) => {
    const active = Number(await lockPerson(trx, personId));
    const s = await trx
      .selectFrom("study_session")
      .select(["id", "person_id", "lesson_id", "state", "active_seconds"])
      .where("id", "=", sessionId)
      .forUpdate()
      .executeTakeFirst();
    if (!s || s.person_id !== personId || s.lesson_id !== lesson.id)
      return { ok: false as const, status: 404 as const, message: "学习记录不存在，请刷新页面。" };
    if (active !== sessionId || s.state === "elsewhere" || s.state === "ended")
      return { ok: false as const, status: 409 as const, message: "本窗口的学习已结束，请刷新页面重新开始。" };
    if (s.state === "missed" || s.state === "hidden") {
      const at = now();
      await trx
        .updateTable("study_session")
        .set({
          state: "counting",
          last_counted_at: at,
          checkin_at: nextCheckinAt(at, rule.checkinMinSeconds, rule.checkinMaxSeconds),
        })
        .where("id", "=", sessionId)
        .execute();
      await event(trx, s, "resume", s.active_seconds, null, at);
    }
    return view(trx, sessionId, lesson, rule);
  });
}

/** Count the last gap and close the session (lesson completed). */
export async function endStudy(trx: Trx, personId: number, lessonId: number) {
  const active = await trx
    .selectFrom("study_active")
    .select("session_id")
    .where("person_id", "=", personId)
    .forUpdate()
    .executeTakeFirst();
  if (!active?.session_id) return;
  const s = await trx
    .selectFrom("study_session")
    .select(["id", "person_id", "lesson_id", "state"])
    .where("id", "=", active.session_id)
    .forUpdate()
    .executeTakeFirst();
  if (!s || s.lesson_id !== lessonId || s.state === "ended") return;
  const at = now();
  const settled = await settle(trx, s.id, at);
  await trx
    .updateTable("study_session")
    .set({ state: "ended", ended_at: at, last_counted_at: null })
    .where("id", "=", s.id)
    .execute();
  await event(trx, s, "end", settled.active_seconds, "本课完成", at);
}

/** Count the active session's last gap before a completion check, in its own short transaction. */
export async function settleActive(personId: number, lessonId: number) {
  await db.transaction().execute(async (trx) => {
    const active = Number(await lockPerson(trx, personId));
    if (!active) return;
    const s = await trx
      .selectFrom("study_session")
      .select(["lesson_id", "state"])
      .where("id", "=", active)
      .forUpdate()
      .executeTakeFirst();
    if (s && s.lesson_id === lessonId && s.state === "counting") await settle(trx, active, now());
  });
}

const EVENT_LABELS: Record<string, string> = {
  start: "开始学习",
  hidden: "离开页面",
  visible: "回到页面",
  checkin_prompt: "弹出学习签到",
  checkin_ok: "确认继续学习",
  checkin_missed: "签到超时，暂停计时",
  resume: "重新开始计时",
  elsewhere: "在其他窗口学习，暂停",
  end: "完成本课",
};
export const studyEventLabel = (kind: string) => EVENT_LABELS[kind] ?? kind;

/** The training archive 一人一档 of one person: study sessions with their events, newest first (one page). */
export async function studyArchive(personId: number, before: number | null, pageSize = 30) {
  let q = db
    .selectFrom("study_session")
    .innerJoin("lesson", "lesson.id", "study_session.lesson_id")
    .innerJoin("course", "course.id", "study_session.course_id")
    .select([
      "study_session.id",
      "study_session.state",
      "study_session.started_at",
      "study_session.ended_at",
      "study_session.active_seconds",
      "study_session.user_agent",
      "study_session.ip",
      "lesson.title as lesson_title",
      "course.title as course_title",
    ])
    .where("study_session.person_id", "=", personId)
    .orderBy("study_session.id", "desc")
    .limit(pageSize + 1);
  if (before) q = q.where("study_session.id", "<", before);
  const rows = await q.execute();
  const sessions = rows.slice(0, pageSize);
  const ids = sessions.map((s) => s.id);
  const [events, photos] = ids.length
    ? await Promise.all([
        db
          .selectFrom("study_event")
          .select(["session_id", "at", "kind", "active_seconds", "detail"])
          .where("session_id", "in", ids)
          .orderBy("id")
          .execute(),
        db
          .selectFrom("study_photo")
          .select(["id", "session_id", "taken_at"])
          .where("session_id", "in", ids)
          .orderBy("id")
          .execute(),
      ])
    : [[], []];
  return {
    sessions: sessions.map((s) => ({
      id: s.id,
      course: s.course_title,
      lesson: s.lesson_title,
      state: s.state,
      startedAt: s.started_at.toISOString(),
      endedAt: s.ended_at?.toISOString() ?? null,
      activeSeconds: s.active_seconds,
      device: s.user_agent,
      ip: s.ip,
      events: events
        .filter((e) => e.session_id === s.id)
        .map((e) => ({
          at: e.at.toISOString(),
          kind: e.kind,
          label: studyEventLabel(e.kind),
          activeSeconds: e.active_seconds,
          detail: e.detail,
        })),
      photos: photos.filter((p) => p.session_id === s.id).map((p) => ({ id: p.id, at: p.taken_at.toISOString() })),
    })),
    nextBefore: rows.length > pageSize ? sessions[sessions.length - 1].id : null,
  };
}

export async function studyPhoto(personId: number, photoId: number) {
  return db
    .selectFrom("study_photo")
    .innerJoin("study_session", "study_session.id", "study_photo.session_id")
    .select(["study_photo.content_type", "study_photo.bytes"])
    .where("study_photo.id", "=", photoId)
    .where("study_session.person_id", "=", personId)
    .executeTakeFirst();
}

/** Every 学时 rule row ("/" is the default; a region's row applies to its subtree). */
export async function studyRules() {
  return db.selectFrom("study_rule").selectAll().orderBy("region_path").execute();
}

/** Set (or replace) the rule of a region, or of "/" for the default; audited with what it was before. */
export async function saveStudyRule(actor: { userId: string }, regionPath: string, input: StudyRuleInput, ip: string) {
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("study_rule")
      .selectAll()
      .where("region_path", "=", regionPath)
      .forUpdate()
      .executeTakeFirst();
    const values = {
      online_minutes_per_hour: input.onlineMinutesPerHour,
      offline_minutes_per_hour: input.offlineMinutesPerHour,
      checkin_min_seconds: input.checkinMinMinutes * 60,
      checkin_max_seconds: input.checkinMaxMinutes * 60,
      checkin_answer_seconds: input.checkinAnswerSeconds,
      basis: input.basis,
      updated_by: actor.userId,
    };
    if (before)
      await trx
        .updateTable("study_rule")
        .set({ ...values, updated_at: now() })
        .where("region_path", "=", regionPath)
        .execute();
    else
      await trx
        .insertInto("study_rule")
        .values({ region_path: regionPath, ...values })
        .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "study_rule.saved",
      entityType: "study_rule",
      entityId: regionPath,
      before: before ?? undefined,
      after: values,
      ip,
    });
  });
}
