import { refuse, type Refusal } from "~/lib/result";
import { sql } from "kysely";
import { db } from "../../lib/db.server";
import { todayIso } from "../../lib/clock.server";
import { addDays, addMonths } from "../../lib/calendar";
import { recordAudit } from "../audit/audit.server";
import type { Actor, Scope } from "../auth/policy";
import { idNumberColumns } from "../org/id-hash.server";
import { holdingRate, RESCUER_CERT } from "./rules";
import type { MemberInput, TeamInput } from "./schema";

export async function teamRow(id: number) {
  return db
    .selectFrom("rescue_team")
    .innerJoin("region", "region.id", "rescue_team.region_id")
    .leftJoin("enterprise", "enterprise.id", "rescue_team.enterprise_id")
    .selectAll("rescue_team")
    .select(["region.name as region_name", "enterprise.name as enterprise_name"])
    .where("rescue_team.id", "=", id)
    .executeTakeFirst();
}
export type TeamRow = NonNullable<Awaited<ReturnType<typeof teamRow>>>;

export const teamResource = (t: { region_path: string; enterprise_id: number | null }) => ({
  type: "rescue_team" as const,
  regionPath: t.region_path,
  enterpriseId: t.enterprise_id,
});

/** Teams a scope may see, keyset-paged by id. */
export async function listTeams(scope: Scope, opts: { afterId?: number; limit: number; kind?: string }) {
  let q = db
    .selectFrom("rescue_team")
    .innerJoin("region", "region.id", "rescue_team.region_id")
    .select([
      "rescue_team.id",
      "rescue_team.name",
      "rescue_team.kind",
      "rescue_team.region_path",
      "region.name as region_name",
      "rescue_team.standard_minutes",
      "rescue_team.required_strength",
      (eb) =>
        eb
          .selectFrom("rescue_member")
          .whereRef("rescue_member.team_id", "=", "rescue_team.id")
          .where("rescue_member.active", "=", 1)
          .select((e) => e.fn.countAll<number>().as("n"))
          .as("members"),
    ])
    .where("rescue_team.active", "=", 1)
    .orderBy("rescue_team.id")
    .limit(opts.limit + 1);
  if (scope.kind === "region") q = q.where("rescue_team.region_path", "like", `${scope.path}%`);
  else if (scope.kind === "enterprise") q = q.where("rescue_team.enterprise_id", "=", scope.enterpriseId);
  else if (scope.kind !== "all") return { rows: [], hasMore: false };
  if (opts.afterId) q = q.where("rescue_team.id", ">", opts.afterId);
  if (opts.kind) q = q.where("rescue_team.kind", "=", opts.kind as never);
  const rows = await q.execute();
  return {
    rows: rows.slice(0, opts.limit).map((r) => ({ ...r, members: Number(r.members) })),
    hasMore: rows.length > opts.limit,
  };
}

export type SaveResult = { ok: true; id: number } | Refusal;

export async function saveTeam(
  actor: Actor,
  region: { id: number; path: string },
  teamId: number | null,
  input: TeamInput,
  ip: string,
): Promise<SaveResult> {
  if (input.firstN > input.requiredStrength) return refuse(422, "先遣人数不能多于应到人数", "firstN");
  const values = {
    name: input.name,
    kind: input.kind,
    region_id: region.id,
    region_path: region.path,
    equipment: input.equipment,
    standard_minutes: input.standardMinutes,
    required_strength: input.requiredStrength,
    first_n: input.firstN,
  };
  return db.transaction().execute(async (trx) => {
    let id = teamId;
    if (id === null) {
      const res = await trx
        .insertInto("rescue_team")
        .values({ ...values, created_by: actor.userId })
        .executeTakeFirstOrThrow();
      id = Number(res.insertId);
    } else {
      await trx.updateTable("rescue_team").set(values).where("id", "=", id).execute();
      // Members carry the team's region for the holding-rate ranges.
      await trx.updateTable("rescue_member").set({ region_path: region.path }).where("team_id", "=", id).execute();
    }
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: teamId === null ? "rescue_team.create" : "rescue_team.update",
      entityType: "rescue_team",
      entityId: id,
      after: values,
      ip,
    });
    return { ok: true as const, id };
  });
}

export async function addMember(
  actor: Actor,
  team: { id: number; region_path: string },
  input: MemberInput,
  ip: string,
): Promise<SaveResult> {
  const ids = idNumberColumns(input.idNumber);
  const taken = await db
    .selectFrom("rescue_member")
    .select("id")
    .where("team_id", "=", team.id)
    .where("id_number_hash", "=", ids.id_number_hash)
    .executeTakeFirst();
  if (taken) return refuse(422, "该身份证号码的队员已在本队伍中", "idNumber");
  // A member who is also a person of an enterprise is linked to them, so an account of theirs reads the call-out notice.
  const person = await db
    .selectFrom("person")
    .select("id")
    .where("id_number_hash", "=", ids.id_number_hash)
    .where("active", "=", 1)
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .insertInto("rescue_member")
      .values({
        team_id: team.id,
        region_path: team.region_path,
        name: input.name,
        phone: input.phone,
        ...ids,
        person_id: person?.id ?? null,
        core: input.core ? 1 : 0,
      })
      .executeTakeFirstOrThrow();
    const id = Number(res.insertId);
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "rescue_member.create",
      entityType: "rescue_member",
      entityId: id,
      after: { teamId: team.id, name: input.name, idNumber: ids.id_number_masked, core: input.core },
      ip,
    });
    return { ok: true as const, id };
  });
}

export async function setMemberActive(actor: Actor, teamId: number, memberId: number, active: boolean, ip: string) {
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable("rescue_member")
      .set({ active: active ? 1 : 0 })
      .where("id", "=", memberId)
      .where("team_id", "=", teamId)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return;
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: active ? "rescue_member.reactivate" : "rescue_member.deactivate",
      entityType: "rescue_member",
      entityId: memberId,
      ip,
    });
  });
}

export const certKinds = () => db.selectFrom("rescue_cert_kind").selectAll().orderBy("code").execute();

/** Add a certificate; its expiry follows its kind's validity (data). */
export async function addCert(
  actor: Actor,
  teamId: number,
  input: { memberId: number; kind: string; number: string; issuedOn: string },
  ip: string,
): Promise<SaveResult> {
  const [member, kind] = await Promise.all([
    db
      .selectFrom("rescue_member")
      .select("id")
      .where("id", "=", input.memberId)
      .where("team_id", "=", teamId)
      .executeTakeFirst(),
    db.selectFrom("rescue_cert_kind").selectAll().where("code", "=", input.kind).executeTakeFirst(),
  ]);
  if (!member) return refuse(422, "该队员不在本队伍中", "memberId");
  if (!kind) return refuse(422, "请选择证书类型", "kind");
  if (input.issuedOn > todayIso()) return refuse(422, "发证日期不能晚于今天", "issuedOn");
  // Valid through the day before the same date `validity_months` later.
  const expiresOn = kind.validity_months === null ? null : addDays(addMonths(input.issuedOn, kind.validity_months), -1);
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .insertInto("rescue_cert")
      .values({
        member_id: member.id,
        kind: kind.code,
        number: input.number,
        issued_on: input.issuedOn,
        expires_on: expiresOn,
        created_by: actor.userId,
      })
      .executeTakeFirstOrThrow();
    const id = Number(res.insertId);
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "rescue_cert.create",
      entityType: "rescue_cert",
      entityId: id,
      after: { ...input },
      ip,
    });
    return { ok: true as const, id };
  });
}

export async function voidCert(actor: Actor, teamId: number, certId: number, reason: string, ip: string) {
  await db.transaction().execute(async (trx) => {
    const cert = await trx
      .selectFrom("rescue_cert")
      .innerJoin("rescue_member", "rescue_member.id", "rescue_cert.member_id")
      .select("rescue_cert.id")
      .where("rescue_cert.id", "=", certId)
      .where("rescue_member.team_id", "=", teamId)
      .where("rescue_cert.voided_at", "is", null)
      .forUpdate()
      .executeTakeFirst();
    if (!cert) return;
    await trx
      .updateTable("rescue_cert")
      .set({ voided_at: new Date(), void_reason: reason })
      .where("id", "=", certId)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "rescue_cert.void",
      entityType: "rescue_cert",
      entityId: certId,
      after: { reason },
      ip,
    });
  });
}

/** SQL: the member holds a valid certificate of `kind` today. */
const holds = (
  kind: string,
  day: string,
) => sql<number>`EXISTS (SELECT 1 FROM rescue_cert c WHERE c.member_id = rescue_member.id AND c.kind = ${kind}
  AND c.voided_at IS NULL AND (c.expires_on IS NULL OR c.expires_on >= ${day}))`;

/** A team's members with their certificates. */
export async function teamMembers(teamId: number) {
  const members = await db
    .selectFrom("rescue_member")
    .select([
      "id",
      "name",
      "phone",
      "id_number_masked",
      "core",
      "active",
      "person_id",
      holds(RESCUER_CERT, todayIso()).as("holds_rescuer"),
    ])
    .where("team_id", "=", teamId)
    .orderBy("core", "desc")
    .orderBy("id")
    .limit(2000)
    .execute();
  const certs = members.length
    ? await db
        .selectFrom("rescue_cert")
        .innerJoin("rescue_cert_kind", "rescue_cert_kind.code", "rescue_cert.kind")
        .select([
          "rescue_cert.id",
          "rescue_cert.member_id",
          "rescue_cert.kind",
          "rescue_cert_kind.name as kind_name",
          "rescue_cert.number",
          "rescue_cert.issued_on",
          "rescue_cert.expires_on",
          "rescue_cert.voided_at",
        ])
        .where(
          "rescue_cert.member_id",
          "in",
          members.map((m) => m.id),
        )
        .orderBy("rescue_cert.id")
        .execute()
    : [];
  const today = todayIso();
  return members.map((m) => ({
    ...m,
    core: m.core === 1,
    active: m.active === 1,
    holdsRescuer: Number(m.holds_rescuer) === 1,
    certs: certs
      .filter((c) => c.member_id === m.id)
      .map((c) => ({ ...c, voided: c.voided_at !== null, expired: c.expires_on !== null && c.expires_on < today })),
  }));
}

export async function rescuerTarget(): Promise<number> {
  const row = await db
    .selectFrom("rescue_cert_kind")
    .select("target_rate")
    .where("code", "=", RESCUER_CERT)
    .executeTakeFirst();
  return row?.target_rate ? Number(row.target_rate) : 0.9;
}

/**
 * The 救护员证 holding rate of active core members in a region, split by child region and by team (decision 0025):
 * one grouped range scan of the region's members.
 */
export async function rescuerRate(region: { id: number; path: string }) {
  const day = todayIso();
  const [children, byTeam] = await Promise.all([
    db
      .selectFrom("region")
      .select(["id", "name", "path", "level"])
      .where("parent_id", "=", region.id)
      .where("active", "=", 1)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("rescue_member")
      .innerJoin("rescue_team", "rescue_team.id", "rescue_member.team_id")
      .select([
        "rescue_team.id",
        "rescue_team.name",
        "rescue_team.kind",
        "rescue_team.region_path",
        (eb) => eb.fn.countAll<number>().as("core"),
        sql<number>`SUM(${holds(RESCUER_CERT, day)})`.as("holders"),
      ])
      .where("rescue_member.region_path", "like", `${region.path}%`)
      .where("rescue_member.core", "=", 1)
      .where("rescue_member.active", "=", 1)
      .where("rescue_team.active", "=", 1)
      .groupBy(["rescue_team.id", "rescue_team.name", "rescue_team.kind", "rescue_team.region_path"])
      .orderBy("rescue_team.id")
      .execute(),
  ]);
  const teams = byTeam.map((t) => ({
    id: t.id,
    name: t.name,
    kind: t.kind,
    regionPath: t.region_path,
    core: Number(t.core),
    holders: Number(t.holders ?? 0),
    rate: holdingRate(Number(t.holders ?? 0), Number(t.core)),
  }));
  const sum = (ts: typeof teams) => ({
    core: ts.reduce((s, t) => s + t.core, 0),
    holders: ts.reduce((s, t) => s + t.holders, 0),
  });
  const total = sum(teams);
  const regions = children.map((c) => {
    const s = sum(teams.filter((t) => t.regionPath.startsWith(c.path)));
    return { id: c.id, name: c.name, ...s, rate: holdingRate(s.holders, s.core) };
  });
  return { ...total, rate: holdingRate(total.holders, total.core), regions, teams, target: await rescuerTarget() };
}
