import { sql, type Transaction } from "kysely";
import { fromLocalInput, toLocalInput } from "../../lib/calendar";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { refuse, refuseFields, type Refusal } from "../../lib/result";
import { recordAudit } from "../audit/audit.server";
import type { Actor, Scope } from "../auth/policy";
import { hashIdNumber } from "../org/id-hash.server";
import { idNumberProblem } from "../org/identifiers";
import { seatLabels, STARTED_MESSAGE } from "./rules";
import type { RoomInput, SessionInput, SiteInput } from "./schema";
import type { ExamSession } from "./sessions.server";
import { regionalStaff } from "../auth/staff.server";
import type { Database } from "../../../db/types";

/**
 * Planning of exam sites 考试点: sites, rooms with numbered seats, sessions of an exam template at a room, their
 * roster and proctors. Every write is audited; a session that has started is no longer edited (STARTED_MESSAGE).
 * Authorization (the policy's `exam_site`) is the caller's: the routes authorize before calling.
 */

export async function siteById(id: number) {
  return db
    .selectFrom("exam_site")
    .innerJoin("region", "region.id", "exam_site.region_id")
    .selectAll("exam_site")
    .select("region.name as region_name")
    .where("exam_site.id", "=", id)
    .executeTakeFirst();
}
export type ExamSite = NonNullable<Awaited<ReturnType<typeof siteById>>>;

/** Sites of a region subtree (an index range on (region_path, id)), with their rooms and seats counted. */
export async function listSites(scope: Scope) {
  if (scope.kind !== "all" && scope.kind !== "region") return [];
  let q = db
    .selectFrom("exam_site")
    .innerJoin("region", "region.id", "exam_site.region_id")
    .select([
      "exam_site.id",
      "exam_site.name",
      "exam_site.address",
      "region.name as region_name",
      (eb) =>
        eb
          .selectFrom("exam_room")
          .select(sql<number>`COUNT(*)`.as("n"))
          .whereRef("exam_room.site_id", "=", "exam_site.id")
          .as("rooms"),
      (eb) =>
        eb
          .selectFrom("exam_seat")
          .innerJoin("exam_room", "exam_room.id", "exam_seat.room_id")
          .select(sql<number>`COUNT(*)`.as("n"))
          .whereRef("exam_room.site_id", "=", "exam_site.id")
          .as("seats"),
    ])
    .orderBy("exam_site.region_path")
    .orderBy("exam_site.id")
    .limit(200);
  if (scope.kind === "region") q = q.where("exam_site.region_path", "like", `${scope.path}%`);
  return (await q.execute()).map((s) => ({ ...s, rooms: Number(s.rooms), seats: Number(s.seats) }));
}

export async function createSite(
  actor: Actor,
  input: SiteInput,
  region: { id: number; path: string },
  ip: string,
): Promise<{ ok: true; id: number }> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto("exam_site")
      .values({ name: input.name, address: input.address, region_id: region.id, region_path: region.path })
      .executeTakeFirstOrThrow();
    const id = Number(r.insertId);
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "exam_site.created",
      entityType: "exam_site",
      entityId: id,
      after: { ...input },
      ip,
    });
    return { ok: true as const, id };
  });
}

/**
 * Rename, re-address or move a site to another region of the actor's. Its sessions not yet started move with it (they
 * are planned by the site's region); a move is refused while one of them is running.
 */
export async function updateSite(
  actor: Actor,
  site: ExamSite,
  input: SiteInput,
  region: { id: number; path: string },
  ip: string,
): Promise<{ ok: true } | Refusal> {
  return db.transaction().execute(async (trx) => {
    if (region.id !== site.region_id) {
      const live = await trx
        .selectFrom("exam_session")
        .select("id")
        .where("site_id", "=", site.id)
        .where("status", "in", ["running", "paused"])
        .executeTakeFirst();
      if (live)
        return refuseFields({ regionId: "有正在进行的考试" }, 409, "该考试点有正在进行的考试，不能改变所在区域。");
      await trx
        .updateTable("exam_session")
        .set({ region_path: region.path })
        .where("site_id", "=", site.id)
        .where("status", "=", "scheduled")
        .execute();
    }
    await trx
      .updateTable("exam_site")
      .set({
        name: input.name,
        address: input.address,
        region_id: region.id,
        region_path: region.path,
        updated_by: actor.userId,
        updated_at: now(),
      })
      .where("id", "=", site.id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "exam_site.updated",
      entityType: "exam_site",
      entityId: site.id,
      before: { name: site.name, address: site.address, regionId: site.region_id },
      after: { ...input },
      ip,
    });
    return { ok: true as const };
  });
}

/** The rooms of a site with their seats (labels in order) and whether a session is running in them now. */
export async function roomsOf(siteId: number) {
  const rooms = await db
    .selectFrom("exam_room")
    .select(["id", "name", "camera"])
    .where("site_id", "=", siteId)
    .orderBy("id")
    .execute();
  const seats = rooms.length
    ? await db
        .selectFrom("exam_seat")
        .select(["room_id", "label"])
        .where(
          "room_id",
          "in",
          rooms.map((r) => r.id),
        )
        .orderBy("id")
        .execute()
    : [];
  return rooms.map((r) => {
    const labels = seats.filter((s) => s.room_id === r.id).map((s) => s.label);
    return { id: r.id, name: r.name, camera: Boolean(r.camera), seats: labels.length, labels };
  });
}

/** A new room with `seats` numbered seats (prefix + two or three digits: A01 … A40). */
export async function addRoom(actor: Actor, site: ExamSite, input: RoomInput, ip: string) {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto("exam_room")
      .values({ site_id: site.id, name: input.name, camera: input.camera ? 1 : 0 })
      .executeTakeFirstOrThrow();
    const roomId = Number(r.insertId);
    const labels = seatLabels(input.prefix, 0, input.seats);
    await trx
      .insertInto("exam_seat")
      .values(labels.map((label) => ({ room_id: roomId, label })))
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "exam_room.created",
      entityType: "exam_room",
      entityId: roomId,
      after: { siteId: site.id, ...input, labels: [labels[0], labels[labels.length - 1]] },
      ip,
    });
    return { ok: true as const, id: roomId };
  });
}

/**
 * Rename a room, switch its camera, or add seats (numbered on from the last). Seats are never taken away: a roster
 * may have sat in them. Refused while a session in the room is running (the proctor works with the room as it is).
 */
export async function updateRoom(
  actor: Actor,
  site: ExamSite,
  roomId: number,
  input: RoomInput,
  ip: string,
): Promise<{ ok: true; added: number } | Refusal> {
  return db.transaction().execute(async (trx) => {
    const room = await trx
      .selectFrom("exam_room")
      .select(["id", "name", "camera"])
      .where("id", "=", roomId)
      .where("site_id", "=", site.id)
      .forUpdate()
      .executeTakeFirst();
    if (!room) return refuse(404, "该考场不属于这个考试点。");
    const live = await trx
      .selectFrom("exam_session")
      .select("id")
      .where("room_id", "=", room.id)
      .where("status", "in", ["running", "paused"])
      .executeTakeFirst();
    if (live) return refuse(409, "该考场正在考试，考试结束后才能修改考场。");
    const labels = (
      await trx.selectFrom("exam_seat").select("label").where("room_id", "=", room.id).orderBy("id").execute()
    ).map((s) => s.label);
    if (input.seats < labels.length)
      return refuseFields(
        { seats: `不能少于现有的 ${labels.length} 个` },
        422,
        `座位只能增加，不能减少（现有 ${labels.length} 个座位，可能已有考生坐过）。`,
      );
    const prefix = /^[A-Z]*/.exec(labels[0] ?? "")?.[0] ?? input.prefix;
    const added = seatLabels(prefix, labels.length, input.seats - labels.length).filter((l) => !labels.includes(l));
    if (added.length)
      await trx
        .insertInto("exam_seat")
        .values(added.map((label) => ({ room_id: room.id, label })))
        .execute();
    await trx
      .updateTable("exam_room")
      .set({ name: input.name, camera: input.camera ? 1 : 0, updated_by: actor.userId, updated_at: now() })
      .where("id", "=", room.id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "exam_room.updated",
      entityType: "exam_room",
      entityId: room.id,
      before: { name: room.name, camera: Boolean(room.camera), seats: labels.length },
      after: { name: input.name, camera: input.camera, seats: labels.length + added.length, added },
      ip,
    });
    return { ok: true as const, added: added.length };
  });
}

/** Exam templates a session may use: the shared exam templates (not an enterprise's own, not quizzes). */
export async function sessionTemplates() {
  return db
    .selectFrom("exam_template")
    .select(["id", "name", "time_limit_minutes", "pass_mark"])
    .where("enterprise_id", "is", null)
    .where("purpose", "=", "exam")
    .orderBy("id")
    .execute();
}

export async function sessionsOfSite(siteId: number) {
  return db
    .selectFrom("exam_session")
    .innerJoin("exam_room", "exam_room.id", "exam_session.room_id")
    .select([
      "exam_session.id",
      "exam_session.title",
      "exam_session.scheduled_at",
      "exam_session.minutes",
      "exam_session.status",
      "exam_room.name as room_name",
      (eb) =>
        eb
          .selectFrom("exam_roster")
          .select(sql<number>`COUNT(*)`.as("n"))
          .whereRef("exam_roster.session_id", "=", "exam_session.id")
          .where("exam_roster.removed_at", "is", null)
          .as("roster"),
    ])
    .where("exam_session.site_id", "=", siteId)
    .orderBy("exam_session.scheduled_at", "desc")
    .limit(100)
    .execute();
}

async function checkSessionInput(site: { id: number }, input: SessionInput) {
  const [room, template] = await Promise.all([
    db
      .selectFrom("exam_room")
      .select(["id"])
      .where("id", "=", input.roomId)
      .where("site_id", "=", site.id)
      .executeTakeFirst(),
    db
      .selectFrom("exam_template")
      .select(["id"])
      .where("id", "=", input.templateId)
      .where("enterprise_id", "is", null)
      .where("purpose", "=", "exam")
      .executeTakeFirst(),
  ]);
  const errors: Record<string, string> = {};
  if (!room) errors.roomId = "请选择本考试点的考场";
  if (!template) errors.templateId = "请选择考试用的试卷模板";
  const at = fromLocalInput(input.scheduledAt);
  if (!at) errors.scheduledAt = "开考时间无效";
  return { errors, at };
}

/** Schedule a session of an exam template in a room of the site (its region is the site's). */
export async function scheduleSession(
  actor: Actor,
  site: ExamSite,
  input: SessionInput,
  ip: string,
): Promise<{ ok: true; id: number } | Refusal> {
  const { errors, at } = await checkSessionInput(site, input);
  if (Object.keys(errors).length || !at) return refuseFields(errors);
  if (at < now()) return refuseFields({ scheduledAt: "开考时间不能早于现在" }, 422, "开考时间不能早于现在。");
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto("exam_session")
      .values({
        site_id: site.id,
        room_id: input.roomId,
        template_id: input.templateId,
        title: input.title,
        region_path: site.region_path,
        scheduled_at: at,
        minutes: input.minutes,
        created_by: actor.userId,
      })
      .executeTakeFirstOrThrow();
    const id = Number(r.insertId);
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "exam_session.scheduled",
      entityType: "exam_session",
      entityId: id,
      after: { siteId: site.id, ...input },
      ip,
    });
    return { ok: true as const, id };
  });
}

/** The session, locked, if it has not started; otherwise the refusal every plan edit gives. */
async function lockedScheduled(trx: Transaction<Database>, id: number) {
  const s = await trx
    .selectFrom("exam_session")
    .select(["id", "status", "room_id", "title", "scheduled_at", "minutes", "template_id", "site_id"])
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return s.status === "scheduled" ? s : null;
}

/** Change a session's title, room, template, time or length: only before it starts. */
export async function updateSession(
  actor: Actor,
  session: ExamSession,
  input: SessionInput,
  ip: string,
): Promise<{ ok: true } | Refusal> {
  const { errors, at } = await checkSessionInput({ id: session.site_id }, input);
  if (Object.keys(errors).length || !at) return refuseFields(errors);
  return db.transaction().execute(async (trx) => {
    const s = await lockedScheduled(trx, session.id);
    if (!s) return refuse(409, STARTED_MESSAGE);
    if (input.roomId !== s.room_id) {
      const seated = await trx
        .selectFrom("exam_roster")
        .select("id")
        .where("session_id", "=", s.id)
        .where("seat_id", "is not", null)
        .executeTakeFirst();
      if (seated) return refuseFields({ roomId: "已有考生签到入座" }, 409, "已有考生签到入座，不能再更换考场。");
    }
    await trx
      .updateTable("exam_session")
      .set({
        title: input.title,
        room_id: input.roomId,
        template_id: input.templateId,
        scheduled_at: at,
        minutes: input.minutes,
        updated_by: actor.userId,
        updated_at: now(),
      })
      .where("id", "=", s.id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "exam_session.updated",
      entityType: "exam_session",
      entityId: s.id,
      before: {
        title: s.title,
        roomId: s.room_id,
        templateId: s.template_id,
        scheduledAt: toLocalInput(s.scheduled_at),
        minutes: s.minutes,
      },
      after: { ...input },
      ip,
    });
    return { ok: true as const };
  });
}

/** The roster and proctors of a session for its planning page. */
export async function planOf(session: ExamSession) {
  const [roster, proctors, seats] = await Promise.all([
    db
      .selectFrom("exam_roster")
      .innerJoin("person", "person.id", "exam_roster.person_id")
      .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
      .select([
        "exam_roster.id",
        "exam_roster.person_id",
        "exam_roster.checked_in_at",
        "person.name",
        "person.id_number_masked",
        "enterprise.name as enterprise_name",
      ])
      .where("exam_roster.session_id", "=", session.id)
      .where("exam_roster.removed_at", "is", null)
      .orderBy("exam_roster.id")
      .execute(),
    db
      .selectFrom("exam_session_proctor")
      .innerJoin("user", "user.id", "exam_session_proctor.user_id")
      .select(["user.id", "user.display_name"])
      .where("exam_session_proctor.session_id", "=", session.id)
      .execute(),
    db
      .selectFrom("exam_seat")
      .select(sql<number>`COUNT(*)`.as("n"))
      .where("room_id", "=", session.room_id)
      .executeTakeFirstOrThrow(),
  ]);
  return { roster, proctors, seats: Number(seats.n) };
}

/** Inspector accounts whose region covers the site: who may be assigned to proctor its sessions. */
export async function proctorOptions(regionPath: string) {
  return regionalStaff({ covering: regionPath }, { inspectorsOnly: true, limit: 200 });
}

/** People of the actor's region (or everyone's for the admin) by name, for adding to a roster; 30 at most. */
export async function searchPeople(scope: Scope, q: string) {
  const name = q.trim();
  if (!name || (scope.kind !== "all" && scope.kind !== "region")) return [];
  let query = db
    .selectFrom("person")
    .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
    .select(["person.id", "person.name", "person.id_number_masked", "enterprise.name as enterprise_name"])
    .where("person.active", "=", 1)
    .where("person.name", "like", `${name.replace(/[%_\\]/g, "\\$&")}%`)
    .orderBy("person.name")
    .orderBy("person.id")
    .limit(30);
  if (scope.kind === "region") query = query.where("enterprise.region_path", "like", `${scope.path}%`);
  return query.execute();
}

type RosterResult = { ok: true; added: number; notFound: string[]; invalid: string[] } | Refusal;

/** Add people (already matched to the actor's region) to the roster: re-adding a removed one puts them back. */
async function addPeople(actor: Actor, session: ExamSession, personIds: number[], ip: string, via: string) {
  return db.transaction().execute(async (trx) => {
    const s = await lockedScheduled(trx, session.id);
    if (!s) return refuse(409, STARTED_MESSAGE);
    const rows = await trx
      .selectFrom("exam_roster")
      .select(["id", "person_id", "removed_at"])
      .where("session_id", "=", s.id)
      .execute();
    const seats = Number(
      (
        await trx
          .selectFrom("exam_seat")
          .select(sql<number>`COUNT(*)`.as("n"))
          .where("room_id", "=", s.room_id)
          .executeTakeFirstOrThrow()
      ).n,
    );
    const byPerson = new Map(rows.map((r) => [r.person_id, r]));
    const fresh = personIds.filter((id) => !byPerson.has(id));
    const back = personIds.map((id) => byPerson.get(id)).filter((r) => r?.removed_at) as typeof rows;
    const total = rows.filter((r) => !r.removed_at).length + fresh.length + back.length;
    if (total > seats)
      return refuse(
        409,
        `考生名单不能超过考场的 ${seats} 个座位（加入后将有 ${total} 人）。请换更大的考场或分场安排。`,
      );
    if (fresh.length)
      await trx
        .insertInto("exam_roster")
        .values(fresh.map((person_id) => ({ session_id: s.id, person_id })))
        .execute();
    for (const r of back)
      await trx.updateTable("exam_roster").set({ removed_at: null, removed_by: null }).where("id", "=", r.id).execute();
    const added = fresh.length + back.length;
    if (added)
      await recordAudit(trx, {
        actorUserId: actor.userId,
        action: "exam_session.roster_added",
        entityType: "exam_session",
        entityId: s.id,
        after: { personIds: [...fresh, ...back.map((r) => r.person_id)], via },
        ip,
      });
    return { ok: true as const, added };
  });
}

/** Add by a list of ID numbers: each is checked, matched by its hash to a person of the actor's region. */
export async function addRosterByIdNumbers(
  actor: Actor,
  session: ExamSession,
  scope: Scope,
  idNumbers: string[],
  ip: string,
): Promise<RosterResult> {
  if (idNumbers.length > 500) return refuseFields({ idNumbers: "一次最多添加 500 人" }, 422, "一次最多添加 500 人。");
  const invalid = idNumbers.filter((n) => idNumberProblem(n) !== null);
  const valid = idNumbers.filter((n) => idNumberProblem(n) === null);
  const hashes = new Map(valid.map((n) => [hashIdNumber(n), n]));
  let q = db
    .selectFrom("person")
    .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
    .select(["person.id", "person.id_number_hash"])
    .where("person.active", "=", 1);
  if (scope.kind === "region") q = q.where("enterprise.region_path", "like", `${scope.path}%`);
  else if (scope.kind !== "all") return refuse(422, "您不能添加考生。");
  const found = hashes.size ? await q.where("person.id_number_hash", "in", [...hashes.keys()]).execute() : [];
  const foundHashes = new Set(found.map((p) => p.id_number_hash));
  const notFound = [...hashes].filter(([h]) => !foundHashes.has(h)).map(([, n]) => maskId(n));
  if (!found.length)
    return refuseFields(
      { idNumbers: [...invalid.map(maskId), ...notFound].slice(0, 10).join("、") + " 无效或不在册" },
      422,
      "没有找到可以添加的人员：号码无效或不是本辖区在册人员。",
    );
  const r = await addPeople(
    actor,
    session,
    found.map((p) => p.id),
    ip,
    "id_numbers",
  );
  return r.ok ? { ...r, notFound, invalid: invalid.map(maskId) } : r;
}

const maskId = (n: string) => (n.length > 8 ? `${n.slice(0, 4)}**********${n.slice(-4)}` : "****");

/** Add chosen people of the actor's region (the people list on the planning page). */
export async function addRosterPeople(
  actor: Actor,
  session: ExamSession,
  scope: Scope,
  personIds: number[],
  ip: string,
): Promise<RosterResult> {
  let q = db
    .selectFrom("person")
    .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
    .select("person.id")
    .where("person.id", "in", personIds)
    .where("person.active", "=", 1);
  if (scope.kind === "region") q = q.where("enterprise.region_path", "like", `${scope.path}%`);
  else if (scope.kind !== "all") return refuse(422, "您不能添加考生。");
  const found = (await q.execute()).map((p) => p.id);
  if (found.length !== new Set(personIds).size) return refuse(422, "所选人员中有不在您辖区内的人员。");
  const r = await addPeople(actor, session, found, ip, "people_list");
  return r.ok ? { ...r, notFound: [], invalid: [] } : r;
}

/** Take someone off the roster before the start (kept as removed, audited). */
export async function removeFromRoster(
  actor: Actor,
  session: ExamSession,
  rosterId: number,
  ip: string,
): Promise<{ ok: true } | Refusal> {
  return db.transaction().execute(async (trx) => {
    const s = await lockedScheduled(trx, session.id);
    if (!s) return refuse(409, STARTED_MESSAGE);
    const r = await trx
      .selectFrom("exam_roster")
      .select(["id", "person_id", "checked_in_at"])
      .where("id", "=", rosterId)
      .where("session_id", "=", s.id)
      .where("removed_at", "is", null)
      .executeTakeFirst();
    if (!r) return refuse(404, "名单中没有这名考生。");
    if (r.checked_in_at) return refuse(409, "该考生已签到入座，不能移出名单。");
    await trx
      .updateTable("exam_roster")
      .set({ removed_at: now(), removed_by: actor.userId })
      .where("id", "=", r.id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "exam_session.roster_removed",
      entityType: "exam_roster",
      entityId: r.id,
      after: { sessionId: s.id, personId: r.person_id },
      ip,
    });
    return { ok: true as const };
  });
}

/** Set the session's proctors to these inspector accounts (each must cover the site's region). */
export async function setProctors(
  actor: Actor,
  session: ExamSession,
  userIds: string[],
  ip: string,
): Promise<{ ok: true } | Refusal> {
  const allowed = new Set((await proctorOptions(session.region_path)).map((u) => u.id));
  const wanted = [...new Set(userIds)];
  if (wanted.some((u) => !allowed.has(u)))
    return refuseFields({ userId: "含有不可指定的账号" }, 422, "监考人员须为考试点所在辖区的执法检查人员账号。");
  if (!wanted.length) return refuseFields({ userId: "请至少指定一名监考人员" }, 422, "请至少指定一名监考人员。");
  return db.transaction().execute(async (trx) => {
    const s = await lockedScheduled(trx, session.id);
    if (!s) return refuse(409, STARTED_MESSAGE);
    const before = (
      await trx.selectFrom("exam_session_proctor").select("user_id").where("session_id", "=", s.id).execute()
    ).map((p) => p.user_id);
    const gone = before.filter((u) => !wanted.includes(u));
    const added = wanted.filter((u) => !before.includes(u));
    if (gone.length)
      await trx
        .deleteFrom("exam_session_proctor")
        .where("session_id", "=", s.id)
        .where("user_id", "in", gone)
        .execute();
    if (added.length)
      await trx
        .insertInto("exam_session_proctor")
        .values(added.map((user_id) => ({ session_id: s.id, user_id })))
        .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "exam_session.proctors",
      entityType: "exam_session",
      entityId: s.id,
      before: { proctors: before },
      after: { proctors: wanted },
      ip,
    });
    return { ok: true as const };
  });
}
