import { type Result, refuse } from "~/lib/result";
import { createHash, randomBytes } from "node:crypto";
import type { Transaction } from "kysely";
import type { Database } from "../../../db/types";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import type { Photo } from "../../lib/photo.server";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import { notify } from "../notifications/notify.server";
import { assemblyResult, tapOutcome, type TapIntent } from "./rules";

export const deviceHash = (secret: string) => createHash("sha256").update(secret).digest("hex");
export const newDeviceSecret = () => randomBytes(16).toString("hex");

/**
 * Start a call-out of a team in the caller's transaction: one personal link per active member (a bearer token bound to
 * the first phone that uses it), and an inbox notice for every member who is a person (accounts read it; the channels
 * helper sends it by SMS/WeChat). Members who are no person get their link through the board's list of links.
 */
export async function startCalloutIn(
  trx: Transaction<Database>,
  team: {
    id: number;
    name: string;
    region_path: string;
    standard_minutes: number;
    required_strength: number;
    first_n: number;
  },
  organizerUserId: string,
  spotCheckId: number | null,
  message: string,
  at: Date,
) {
  const res = await trx
    .insertInto("callout")
    .values({
      team_id: team.id,
      region_path: team.region_path,
      spot_check_id: spotCheckId,
      organizer_user_id: organizerUserId,
      standard_minutes: team.standard_minutes,
      required_strength: team.required_strength,
      first_n: team.first_n,
      message,
      started_at: at,
    })
    .executeTakeFirstOrThrow();
  const calloutId = Number(res.insertId);
  const members = await trx
    .selectFrom("rescue_member")
    .select(["id", "person_id"])
    .where("team_id", "=", team.id)
    .where("active", "=", 1)
    .orderBy("id")
    .execute();
  const rows = members.map((m) => ({
    callout_id: calloutId,
    member_id: m.id,
    token: randomBytes(16).toString("hex"),
    person_id: m.person_id,
  }));
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto("callout_member")
      .values(rows.slice(i, i + 500).map(({ person_id: _, ...r }) => r))
      .execute();
  }
  for (const r of rows) {
    if (r.person_id === null) continue;
    await notify(trx, {
      personIds: [r.person_id],
      kind: "callout",
      title: `拉动集结：${team.name}`,
      body: `${message} 请立即点“收到”，到达集结点后点“到达”。`,
      link: `/callout/${r.token}`,
      dedupeKey: `callout:${calloutId}`,
      createdBy: organizerUserId,
    });
  }
  await recordAudit(trx, {
    actorUserId: organizerUserId,
    action: "callout.start",
    entityType: "callout",
    entityId: calloutId,
    after: { teamId: team.id, spotCheckId, members: rows.length },
    ip: null,
  });
  return calloutId;
}

export async function calloutRow(id: number) {
  return db
    .selectFrom("callout")
    .innerJoin("rescue_team", "rescue_team.id", "callout.team_id")
    .selectAll("callout")
    .select(["rescue_team.name as team_name", "rescue_team.kind as team_kind", "rescue_team.enterprise_id"])
    .where("callout.id", "=", id)
    .executeTakeFirst();
}
export type CalloutRow = NonNullable<Awaited<ReturnType<typeof calloutRow>>>;

/** The board: every member's first acknowledgement and arrival, and the assembly result so far. */
export async function calloutBoard(c: CalloutRow) {
  const rows = await db
    .selectFrom("callout_member")
    .innerJoin("rescue_member", "rescue_member.id", "callout_member.member_id")
    .select([
      "callout_member.id",
      "callout_member.member_id",
      "rescue_member.name",
      "rescue_member.core",
      "rescue_member.person_id",
      "callout_member.acked_at",
      "callout_member.arrived_at",
      "callout_member.taps",
      "callout_member.latitude",
      "callout_member.longitude",
      "callout_member.photo_type",
    ])
    .where("callout_member.callout_id", "=", c.id)
    .orderBy("callout_member.id")
    .execute();
  const result = assemblyResult(
    {
      startedAt: c.started_at,
      standardMinutes: c.standard_minutes,
      requiredStrength: c.required_strength,
      firstN: c.first_n,
    },
    rows.map((r) => ({
      memberId: r.member_id,
      name: r.name,
      core: r.core === 1,
      ackedAt: r.acked_at,
      arrivedAt: r.arrived_at,
    })),
  );
  const start = c.started_at.getTime();
  const secs = (d: Date | null) => (d ? Math.round((d.getTime() - start) / 1000) : null);
  return {
    id: c.id,
    teamName: c.team_name,
    message: c.message,
    startedAt: c.started_at.toISOString(),
    endedAt: c.ended_at?.toISOString() ?? null,
    standardMinutes: c.standard_minutes,
    requiredStrength: c.required_strength,
    firstN: c.first_n,
    total: rows.length,
    result,
    members: rows.map((r) => ({
      id: r.id,
      name: r.name,
      core: r.core === 1,
      ackedAt: r.acked_at?.toISOString() ?? null,
      arrivedAt: r.arrived_at?.toISOString() ?? null,
      ackSeconds: secs(r.acked_at),
      arriveSeconds: secs(r.arrived_at),
      hasLocation: r.latitude !== null,
      hasPhoto: r.photo_type !== null,
      hasAccount: r.person_id !== null,
    })),
  };
}
export type CalloutBoard = Awaited<ReturnType<typeof calloutBoard>>;

/** Links of members the system cannot notify (no person): the organizer sends them (SMS by the channels helper). */
export async function calloutLinks(calloutId: number) {
  return db
    .selectFrom("callout_member")
    .innerJoin("rescue_member", "rescue_member.id", "callout_member.member_id")
    .select([
      "callout_member.id",
      "rescue_member.name",
      "rescue_member.phone",
      "callout_member.token",
      "rescue_member.person_id",
    ])
    .where("callout_member.callout_id", "=", calloutId)
    .orderBy("callout_member.id")
    .execute();
}

export async function endCallout(actor: Actor, calloutId: number, ip: string) {
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable("callout")
      .set({ ended_at: now() })
      .where("id", "=", calloutId)
      .where("ended_at", "is", null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return;
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "callout.end",
      entityType: "callout",
      entityId: calloutId,
      ip,
    });
  });
}

/** What the member's phone page shows for a link (no other member's data). */
export async function linkView(token: string) {
  if (!/^[0-9a-f]{32}$/.test(token)) return undefined;
  const row = await db
    .selectFrom("callout_member")
    .innerJoin("callout", "callout.id", "callout_member.callout_id")
    .innerJoin("rescue_team", "rescue_team.id", "callout.team_id")
    .innerJoin("rescue_member", "rescue_member.id", "callout_member.member_id")
    .select([
      "callout_member.id",
      "callout_member.device_hash",
      "callout_member.acked_at",
      "callout_member.arrived_at",
      "callout.message",
      "callout.started_at",
      "callout.ended_at",
      "callout.standard_minutes",
      "rescue_team.name as team_name",
      "rescue_member.name",
    ])
    .where("callout_member.token", "=", token)
    .executeTakeFirst();
  return row;
}

export type TapResult =
  | { ok: true; changed: boolean; ackedAt: Date | null; arrivedAt: Date | null }
  | { ok: false; status: 404 | 409; message: string };

/**
 * A member's tap. Refused, with nothing changed: an unknown link; a link already bound to another phone; an arrival
 * before the acknowledgement; a tap after the end. A repeated tap changes nothing but the tap count.
 */
export async function tap(
  token: string,
  intent: TapIntent,
  deviceSecret: string | null,
  extra: { latitude?: number; longitude?: number; photo?: Photo | null } = {},
): Promise<TapResult> {
  if (!/^[0-9a-f]{32}$/.test(token))
    return { ok: false, status: 404, message: "链接无效，请使用短信或通知中的完整链接。" };
  if (!deviceSecret)
    return { ok: false, status: 409, message: "请在收到链接的手机浏览器中打开（需允许 Cookie），再点按钮。" };
  const device = deviceHash(deviceSecret);
  return db.transaction().execute(async (trx): Promise<TapResult> => {
    // Lock the member's row only: a join locked under FOR UPDATE would lock the call-out's row too, and every tap of
    // a 500-member team would queue behind the others.
    const member = await trx
      .selectFrom("callout_member")
      .select(["id", "callout_id", "device_hash", "acked_at", "arrived_at"])
      .where("token", "=", token)
      .forUpdate()
      .executeTakeFirst();
    if (!member) return { ok: false, status: 404, message: "链接无效，请使用短信或通知中的完整链接。" };
    const callout = await trx
      .selectFrom("callout")
      .select("ended_at")
      .where("id", "=", member.callout_id)
      .executeTakeFirstOrThrow();
    const row = { ...member, ended_at: callout.ended_at };
    if (row.device_hash !== null && row.device_hash !== device) {
      return {
        ok: false,
        status: 409,
        message: "此链接已在另一部手机上使用过。集结链接每人一个、只能在一部手机上使用，请用您本人收到的链接。",
      };
    }
    const outcome = tapOutcome({ ackedAt: row.acked_at, arrivedAt: row.arrived_at }, intent, row.ended_at === null);
    if (!outcome.ok) return { ok: false, status: 409, message: outcome.message };
    const at = now();
    const set: Record<string, unknown> = { device_hash: device };
    if (outcome.changes && intent === "ack") set.acked_at = at;
    if (outcome.changes && intent === "arrive") {
      set.arrived_at = at;
      if (extra.latitude !== undefined && extra.longitude !== undefined)
        Object.assign(set, { latitude: extra.latitude.toFixed(6), longitude: extra.longitude.toFixed(6) });
      if (extra.photo) Object.assign(set, { photo_type: extra.photo.contentType, photo: extra.photo.bytes });
    }
    await trx
      .updateTable("callout_member")
      .set((eb) => ({ ...set, taps: eb("taps", "+", 1) }) as never)
      .where("id", "=", row.id)
      .execute();
    return {
      ok: true,
      changed: outcome.changes,
      ackedAt: intent === "ack" && outcome.changes ? at : row.acked_at,
      arrivedAt: intent === "arrive" && outcome.changes ? at : row.arrived_at,
    };
  });
}

export async function arrivalPhoto(calloutId: number, rowId: number) {
  return db
    .selectFrom("callout_member")
    .select(["photo", "photo_type"])
    .where("id", "=", rowId)
    .where("callout_id", "=", calloutId)
    .where("photo", "is not", null)
    .executeTakeFirst();
}

/** The call-out a spot check of a team started, if any. */
export async function calloutOfSpotCheck(spotCheckId: number) {
  return db.selectFrom("callout").select("id").where("spot_check_id", "=", spotCheckId).executeTakeFirst();
}

/** Call-outs of a team, newest first. */
export async function calloutsOfTeam(teamId: number) {
  return db
    .selectFrom("callout")
    .select(["id", "started_at", "ended_at", "spot_check_id", "message"])
    .where("team_id", "=", teamId)
    .orderBy("id", "desc")
    .limit(50)
    .execute();
}

/** A call-out the regulator starts now (not sealed): refused for a team without active members. */
export async function startCallout(
  actor: Actor,
  team: {
    id: number;
    name: string;
    region_path: string;
    standard_minutes: number;
    required_strength: number;
    first_n: number;
  },
  message: string,
): Promise<Result<{ id: number }>> {
  const any = await db
    .selectFrom("rescue_member")
    .select("id")
    .where("team_id", "=", team.id)
    .where("active", "=", 1)
    .limit(1)
    .executeTakeFirst();
  if (!any) return refuse(409, "该队伍还没有在册队员，不能发起拉动集结。");
  const id = await db.transaction().execute((trx) => startCalloutIn(trx, team, actor.userId, null, message, now()));
  return { ok: true, id };
}
