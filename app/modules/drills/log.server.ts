import { refuse, type Refusal } from "~/lib/result";
import type { Transaction } from "kysely";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { httpError } from "../../lib/http";
import { recordAudit } from "../audit/audit.server";
import type { Database } from "../../../db/types";
import type { Actor } from "../auth/policy";
import type { Photo } from "../../lib/photo.server";
import { eventTimeProblem, responseTimes, type Milestone } from "./rules";
import type { EventInput } from "./schema";

export async function storePhoto(
  trx: Transaction<Database>,
  actor: Actor,
  drillId: number,
  photo: Photo,
  link: { eventId?: number; rectificationId?: number },
) {
  await trx
    .insertInto("drill_photo")
    .values({
      drill_id: drillId,
      event_id: link.eventId ?? null,
      rectification_id: link.rectificationId ?? null,
      content_type: photo.contentType,
      bytes: photo.bytes,
      uploaded_by: actor.userId,
    })
    .execute();
}

/** The same milestone tapped again within this many seconds (a double tap, two phones at once) is one entry. */
export const SAME_MILESTONE_SECONDS = 10;

/** Log one event of a running (or just ended) drill; a closed drill's log is final. */
export async function logEvent(
  actor: Actor,
  drillId: number,
  input: EventInput,
  photo: Photo | null,
): Promise<{ ok: true; duplicate: boolean } | Refusal> {
  return db.transaction().execute(async (trx) => {
    const d = await trx
      .selectFrom("drill")
      .select(["status", "started_at"])
      .where("id", "=", drillId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (d.status === "planned") httpError(409, "演练尚未开始，不能记录。");
    if (d.status === "closed" || d.status === "cancelled") httpError(409, "演练已关闭，记录不能再增加。");
    const at = input.at ?? now();
    const problem = eventTimeProblem(at, now(), d.started_at!);
    if (problem) return refuse(422, problem, "at");
    if (input.milestone && !input.note && !photo) {
      // Under the drill's row lock, so two simultaneous taps cannot both pass this check.
      const near = await trx
        .selectFrom("drill_event")
        .select("id")
        .where("drill_id", "=", drillId)
        .where("milestone", "=", input.milestone)
        .where("voided_at", "is", null)
        .where("at", ">=", new Date(at.getTime() - SAME_MILESTONE_SECONDS * 1000))
        .where("at", "<=", new Date(at.getTime() + SAME_MILESTONE_SECONDS * 1000))
        .executeTakeFirst();
      if (near) return { ok: true as const, duplicate: true };
    }
    const res = await trx
      .insertInto("drill_event")
      .values({
        drill_id: drillId,
        milestone: input.milestone ?? null,
        note: input.note ?? null,
        at,
        logged_by: actor.userId,
        logged_by_name: actor.displayName,
      })
      .executeTakeFirstOrThrow();
    if (photo) await storePhoto(trx, actor, drillId, photo, { eventId: Number(res.insertId) });
    return { ok: true as const, duplicate: false };
  });
}

/** Void a log entry with a reason (its author or the organizer); the entry stays, struck through, out of the response times. */
export async function voidEvent(
  actor: Actor,
  drillId: number,
  eventId: number,
  reason: string,
  isOrganizer: boolean,
  ip: string,
) {
  return db.transaction().execute(async (trx) => {
    const d = await trx
      .selectFrom("drill")
      .select("status")
      .where("id", "=", drillId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (d.status === "closed" || d.status === "cancelled") httpError(409, "演练已关闭，记录不能再更改。");
    const e = await trx
      .selectFrom("drill_event")
      .select(["id", "logged_by", "voided_at", "milestone", "note", "at"])
      .where("id", "=", eventId)
      .where("drill_id", "=", drillId)
      .executeTakeFirst();
    if (!e) return refuse(422, "该记录不存在。");
    if (e.voided_at) return refuse(422, "该记录已作废。");
    if (!isOrganizer && e.logged_by !== actor.userId) return refuse(422, "只有记录人或演练组织者可以作废该记录。");
    await trx
      .updateTable("drill_event")
      .set({ voided_at: now(), voided_by: actor.userId, void_reason: reason })
      .where("id", "=", eventId)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "drill_event.voided",
      entityType: "drill",
      entityId: drillId,
      before: { eventId, milestone: e.milestone, note: e.note, at: e.at },
      after: { reason },
      ip,
    });
    return { ok: true as const };
  });
}

/** The drill's log, oldest first, with its photos' ids, and the response times it gives. */
export async function drillLog(drillId: number) {
  const [events, photos] = await Promise.all([
    db
      .selectFrom("drill_event")
      .leftJoin("user as voider", "voider.id", "drill_event.voided_by")
      .select([
        "drill_event.id",
        "drill_event.milestone",
        "drill_event.note",
        "drill_event.at",
        "drill_event.created_at",
        "drill_event.logged_by",
        "drill_event.logged_by_name",
        "drill_event.voided_at",
        "drill_event.void_reason",
        "voider.display_name as voided_by_name",
      ])
      .where("drill_id", "=", drillId)
      .orderBy("at")
      .orderBy("id")
      .limit(2000)
      .execute(),
    db
      .selectFrom("drill_photo")
      .select(["id", "event_id"])
      .where("drill_id", "=", drillId)
      .where("event_id", "is not", null)
      .execute(),
  ]);
  const photosOf = new Map<number, number[]>();
  for (const p of photos) photosOf.set(Number(p.event_id), [...(photosOf.get(Number(p.event_id)) ?? []), p.id]);
  return {
    events: events.map((e) => ({
      id: Number(e.id),
      milestone: e.milestone as Milestone | null,
      note: e.note,
      at: e.at.toISOString(),
      loggedAt: e.created_at.toISOString(),
      by: e.logged_by_name,
      byUserId: e.logged_by,
      photos: photosOf.get(Number(e.id)) ?? [],
      voided: e.voided_at
        ? { at: e.voided_at.toISOString(), by: e.voided_by_name ?? "", reason: e.void_reason ?? "" }
        : null,
    })),
    times: responseTimes(
      events.filter((e) => !e.voided_at).map((e) => ({ milestone: e.milestone as Milestone | null, at: e.at })),
    ),
  };
}

export async function photoOfDrill(drillId: number, photoId: number) {
  return db
    .selectFrom("drill_photo")
    .select(["content_type", "bytes", "rectification_id"])
    .where("id", "=", photoId)
    .where("drill_id", "=", drillId)
    .executeTakeFirst();
}

/** A stored photo as an HTTP answer (shared with study check-ins and quiz joins). */
export { photoResponse } from "../../lib/photo.server";
