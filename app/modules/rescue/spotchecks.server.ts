import { type Refusal, refuse, refuseFields } from "~/lib/result";
import { can, listScope } from "../auth/policy";
import { addDays, dayOf } from "../../lib/calendar";
import { db } from "../../lib/db.server";
import { now } from "../../lib/clock.server";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import { startSpotCheckDrill } from "../drills/spotcheck.server";
import { startCalloutIn } from "./callouts.server";
import { DRAW_ALGORITHM, drawSchedule, newSeed } from "./draw.server";
import { scheduleRevealed, spotVisibility, spotWindowProblems, type SpotRole, type SpotVisibility } from "./rules";
import { regionalStaff } from "../auth/staff.server";
import { targetParts, type SpotCheckInput } from "./schema";

async function checkRow(id: number) {
  return db
    .selectFrom("spot_check")
    .leftJoin("rescue_team", "rescue_team.id", "spot_check.team_id")
    .leftJoin("enterprise", "enterprise.id", "spot_check.enterprise_id")
    .selectAll("spot_check")
    .select([
      "rescue_team.name as team_name",
      "rescue_team.enterprise_id as team_enterprise_id",
      "enterprise.name as enterprise_name",
    ])
    .where("spot_check.id", "=", id)
    .executeTakeFirst();
}
export type CheckRow = NonNullable<Awaited<ReturnType<typeof checkRow>>>;

/** Is the actor one of the target's people: a member of the team (as a person), or an account of the target's enterprise? */
async function isTarget(
  actor: Actor,
  c: Pick<CheckRow, "team_id" | "enterprise_id" | "team_enterprise_id">,
): Promise<boolean> {
  const enterpriseId = c.enterprise_id ?? c.team_enterprise_id;
  if (enterpriseId !== null && actor.enterpriseId === enterpriseId) return true;
  if (c.team_id !== null && actor.personId !== null) {
    const m = await db
      .selectFrom("rescue_member")
      .select("id")
      .where("team_id", "=", c.team_id)
      .where("person_id", "=", actor.personId)
      .executeTakeFirst();
    if (m) return true;
  }
  return false;
}

export async function spotRoleOf(actor: Actor, c: CheckRow): Promise<SpotRole> {
  if (c.organizer_user_id === actor.userId) return "organizer";
  if (await isTarget(actor, c)) return "target";
  if (can(actor, "view", { type: "region", path: c.region_path })) return "regional";
  return "none";
}

export async function spotAccess(actor: Actor, id: number) {
  const check = await checkRow(id);
  if (!check) return undefined;
  const role = await spotRoleOf(actor, check);
  const visibility = spotVisibility({ status: check.status, scheduled: check.schedule_id !== null }, role);
  return {
    check,
    role,
    visibility,
    resource: { type: "spot_check" as const, regionPath: check.region_path, spotRole: role, visibility },
  };
}

/** What leaves the server: a check seen as a window carries no target, title, scenario or time. */
export function projectCheck(c: CheckRow, visibility: Exclude<SpotVisibility, "hidden">) {
  const base = {
    id: c.id,
    status: c.status,
    visibility,
    scheduled: c.schedule_id !== null,
    windowStart: c.window_start.toISOString(),
    windowEnd: c.window_end.toISOString(),
  };
  if (visibility === "window")
    return {
      ...base,
      title: c.schedule_id !== null ? "随机抽查（目标和时间在开始前保密）" : "双盲抽查（时间窗内择机开展）",
    };
  return {
    ...base,
    title: c.title,
    scenario: c.scenario,
    targetKind: c.target_kind,
    teamId: c.team_id,
    enterpriseId: c.enterprise_id,
    targetName: c.team_name ?? c.enterprise_name ?? "",
    plannedAt: c.planned_at.toISOString(),
    startedAt: c.started_at?.toISOString() ?? null,
    endedAt: c.ended_at?.toISOString() ?? null,
    outcome: c.outcome,
    findings: c.findings,
    scheduleId: c.schedule_id,
  };
}
export type CheckView = ReturnType<typeof projectCheck>;

/** The target of a new spot check, with its region, or undefined. */
export async function targetOf(kind: "team" | "enterprise", id: number) {
  if (kind === "team") {
    const t = await db
      .selectFrom("rescue_team")
      .select(["id", "region_path", "name"])
      .where("id", "=", id)
      .where("active", "=", 1)
      .executeTakeFirst();
    return t ? { regionPath: t.region_path, name: t.name } : undefined;
  }
  const e = await db
    .selectFrom("enterprise")
    .select(["id", "region_path", "name"])
    .where("id", "=", id)
    .executeTakeFirst();
  return e ? { regionPath: e.region_path, name: e.name } : undefined;
}

export type PlanResult = { ok: true; id: number } | Refusal;

/** Plan a sealed spot check; the caller has checked the regulator may plan one for this target's region. */
export async function planSpotCheck(
  actor: Actor,
  target: { regionPath: string },
  input: SpotCheckInput,
  ip: string,
): Promise<PlanResult> {
  const { kind, id: targetId } = targetParts(input.target);
  const problems = spotWindowProblems({ start: input.windowStart, end: input.windowEnd, at: input.plannedAt }, now());
  if (kind === "enterprise" && input.evaluators.length) {
    const covering = await regionalStaff({ covering: target.regionPath }, { except: actor.userId });
    const ok = new Set(covering.map((u) => u.id));
    if (input.evaluators.some((u) => !ok.has(u)))
      problems.evaluators = "所选评估人员不是负责该企业所在区域的监管或执法人员";
  }
  if (Object.keys(problems).length) return refuseFields(problems);
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .insertInto("spot_check")
      .values({
        organizer_user_id: actor.userId,
        schedule_id: null,
        target_kind: kind,
        team_id: kind === "team" ? targetId : null,
        enterprise_id: kind === "enterprise" ? targetId : null,
        region_path: target.regionPath,
        title: input.title,
        scenario: input.scenario,
        window_start: input.windowStart,
        window_end: input.windowEnd,
        planned_at: input.plannedAt,
      })
      .executeTakeFirstOrThrow();
    const id = Number(res.insertId);
    const evaluators = kind === "enterprise" ? [...new Set(input.evaluators)].filter((u) => u !== actor.userId) : [];
    if (evaluators.length)
      await trx
        .insertInto("spot_check_evaluator")
        .values(evaluators.map((userId) => ({ spot_check_id: id, user_id: userId })))
        .execute();
    // The audit log is a page too: the sealed target, scenario and time stay out of it until the start.
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "spot_check.plan",
      entityType: "spot_check",
      entityId: id,
      after: { windowStart: input.windowStart, windowEnd: input.windowEnd },
      ip,
    });
    return { ok: true as const, id };
  });
}

/**
 * Start a planned check (by its organizer, or by the system at its sealed time when `actor` is null). A team's check
 * starts a call-out of the team in the same transaction. Starting twice changes nothing.
 */
export async function startSpotCheck(actor: Actor | null, id: number, ip: string | null): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const c = await trx
      .selectFrom("spot_check")
      .selectAll()
      .where("id", "=", id)
      .where("status", "=", "planned")
      .forUpdate()
      .executeTakeFirst();
    if (!c) return false;
    const at = now();
    await trx.updateTable("spot_check").set({ status: "running", started_at: at }).where("id", "=", id).execute();
    if (c.team_id !== null) {
      const team = await trx
        .selectFrom("rescue_team")
        .selectAll()
        .where("id", "=", c.team_id)
        .executeTakeFirstOrThrow();
      await startCalloutIn(trx, team, c.organizer_user_id, c.id, `${c.title}：${c.scenario}`.slice(0, 255), at);
    }
    // An enterprise's check starts the enterprise's own double-blind drill, from this moment visible to its people.
    if (c.enterprise_id !== null) await startSpotCheckDrill(trx, { ...c, enterprise_id: c.enterprise_id }, at);
    await recordAudit(trx, {
      actorUserId: actor?.userId ?? null,
      action: "spot_check.start",
      entityType: "spot_check",
      entityId: id,
      after: {
        targetKind: c.target_kind,
        teamId: c.team_id,
        enterpriseId: c.enterprise_id,
        title: c.title,
        scenario: c.scenario,
        plannedAt: c.planned_at,
      },
      ip,
    });
    return true;
  });
}

/** Start every check whose sealed time has come (the background job calls this; pages only read, issue 18). */
export async function startDueSpotChecks(limit = 50): Promise<number> {
  const due = await db
    .selectFrom("spot_check")
    .select("id")
    .where("status", "=", "planned")
    .where("planned_at", "<=", now())
    .orderBy("planned_at")
    .limit(limit)
    .execute();
  let started = 0;
  for (const d of due) if (await startSpotCheck(null, d.id, null)) started++;
  return started;
}

export async function endSpotCheck(
  actor: Actor,
  id: number,
  input: { outcome: "pass" | "fail"; findings: string; dueOn?: string },
  ip: string,
) {
  return db.transaction().execute(async (trx) => {
    const c = await trx
      .selectFrom("spot_check")
      .selectAll()
      .where("id", "=", id)
      .where("status", "=", "running")
      .forUpdate()
      .executeTakeFirst();
    if (!c) return refuse(409, "抽查未在进行中，不能结束。");
    const at = now();
    await trx
      .updateTable("spot_check")
      .set({ status: "ended", ended_at: at, outcome: input.outcome, findings: input.findings || null })
      .where("id", "=", id)
      .execute();
    await trx
      .updateTable("callout")
      .set({ ended_at: at })
      .where("spot_check_id", "=", id)
      .where("ended_at", "is", null)
      .execute();
    // Each line of the findings becomes a rectification item for the target.
    const lines = input.findings
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(0, 50);
    if (lines.length) {
      const dueOn = input.dueOn ?? addDays(dayOf(at), 30);
      await trx
        .insertInto("rescue_finding")
        .values(
          lines.map((description) => ({
            spot_check_id: id,
            town_drill_id: null,
            region_path: c.region_path,
            description: description.slice(0, 1000),
            due_on: dueOn,
            raised_by: actor.userId,
          })),
        )
        .execute();
    }
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "spot_check.end",
      entityType: "spot_check",
      entityId: id,
      after: { outcome: input.outcome, findings: lines.length },
      ip,
    });
    return { ok: true as const };
  });
}

/** Spot checks an actor may list, each projected for them; hidden ones are left out. Keyset-paged by id (newest first). */
export async function listSpotChecks(actor: Actor, opts: { beforeId?: number; limit: number }) {
  let q = db
    .selectFrom("spot_check")
    .leftJoin("rescue_team", "rescue_team.id", "spot_check.team_id")
    .leftJoin("enterprise", "enterprise.id", "spot_check.enterprise_id")
    .selectAll("spot_check")
    .select([
      "rescue_team.name as team_name",
      "rescue_team.enterprise_id as team_enterprise_id",
      "enterprise.name as enterprise_name",
    ])
    .orderBy("spot_check.id", "desc")
    .limit(opts.limit + 1);
  const scope = listScope(actor);
  if (scope.kind === "region") q = q.where("spot_check.region_path", "like", `${scope.path}%`);
  else if (scope.kind === "enterprise") {
    // A target's officer sees its checks once they started, never before.
    q = q
      .where("spot_check.status", "!=", "planned")
      .where((eb) =>
        eb.or([
          eb("spot_check.enterprise_id", "=", actor.enterpriseId ?? -1),
          eb("rescue_team.enterprise_id", "=", actor.enterpriseId ?? -1),
        ]),
      );
  } else if (scope.kind !== "all") return { rows: [], hasMore: false };
  if (opts.beforeId) q = q.where("spot_check.id", "<", opts.beforeId);
  const rows = await q.execute();
  const out: CheckView[] = [];
  for (const c of rows.slice(0, opts.limit)) {
    const visibility = spotVisibility(
      { status: c.status, scheduled: c.schedule_id !== null },
      await spotRoleOf(actor, c),
    );
    if (visibility !== "hidden") out.push(projectCheck(c, visibility));
  }
  return { rows: out, hasMore: rows.length > opts.limit };
}

/**
 * A sealed random schedule: Anxun draws `count` teams of the pool and a time for each inside the period from a fresh
 * seed, records the seed and the inputs, and plans one check per draw. Nobody sees a drawn target or time before
 * it starts; the seed is shown once all have started, so anyone can recompute the draw.
 */
export async function createSchedule(
  actor: Actor,
  regionPath: string,
  input: { title: string; kind?: string; count: number; periodStart: Date; periodEnd: Date },
  ip: string,
): Promise<PlanResult> {
  const problems = spotWindowProblems({ start: input.periodStart, end: input.periodEnd, at: null }, now());
  if (Object.keys(problems).length)
    return refuseFields({ periodStart: problems.windowStart, periodEnd: problems.windowEnd } as Record<string, string>);
  let pq = db
    .selectFrom("rescue_team")
    .select("id")
    .where("region_path", "like", `${regionPath}%`)
    .where("active", "=", 1)
    .orderBy("id")
    .limit(5000);
  if (input.kind && input.kind !== "all") pq = pq.where("kind", "=", input.kind as never);
  const pool = (await pq.execute()).map((t) => t.id);
  if (pool.length === 0) return refuseFields({ kind: "辖区内没有符合条件的救援队伍" });
  if (input.count > pool.length) return refuseFields({ count: `辖区内只有 ${pool.length} 支符合条件的队伍` });
  const seed = newSeed();
  const draws = drawSchedule({
    seed,
    pool,
    count: input.count,
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
  });
  const teams = new Map(
    (
      await db
        .selectFrom("rescue_team")
        .select(["id", "region_path"])
        .where(
          "id",
          "in",
          draws.map((d) => d.targetId),
        )
        .execute()
    ).map((t) => [t.id, t.region_path]),
  );
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .insertInto("spot_schedule")
      .values({
        organizer_user_id: actor.userId,
        region_path: regionPath,
        title: input.title,
        pool_json: JSON.stringify(pool),
        draw_count: input.count,
        period_start: input.periodStart,
        period_end: input.periodEnd,
        seed,
        algorithm: DRAW_ALGORITHM,
      })
      .executeTakeFirstOrThrow();
    const id = Number(res.insertId);
    await trx
      .insertInto("spot_check")
      .values(
        draws.map((d) => ({
          organizer_user_id: actor.userId,
          schedule_id: id,
          target_kind: "team" as const,
          team_id: d.targetId,
          enterprise_id: null,
          region_path: teams.get(d.targetId)!,
          title: "随机拉动集结抽查",
          scenario: "接到集结命令后，全体队员按集结标准携装备到达集结点。",
          window_start: input.periodStart,
          window_end: input.periodEnd,
          planned_at: d.at,
        })),
      )
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "spot_schedule.create",
      entityType: "spot_schedule",
      entityId: id,
      after: {
        title: input.title,
        pool: pool.length,
        count: input.count,
        periodStart: input.periodStart,
        periodEnd: input.periodEnd,
      },
      ip,
    });
    return { ok: true as const, id };
  });
}

export async function scheduleRow(id: number) {
  return db.selectFrom("spot_schedule").selectAll().where("id", "=", id).executeTakeFirst();
}

/** A schedule as its organizer (or regional staff) sees it: started checks in full, the rest as a count; the seed and a recomputation once all started. */
export async function scheduleView(actor: Actor, s: NonNullable<Awaited<ReturnType<typeof scheduleRow>>>) {
  const ids = (
    await db.selectFrom("spot_check").select("id").where("schedule_id", "=", s.id).orderBy("id").execute()
  ).map((r) => r.id);
  const checks: CheckRow[] = [];
  for (const id of ids) checks.push((await checkRow(id))!);
  const started = checks.filter((c) => c.status !== "planned");
  const revealed = scheduleRevealed(checks);
  let audit: { seed: string; pool: number[]; matches: boolean } | null = null;
  if (revealed) {
    const pool = JSON.parse(s.pool_json) as number[];
    const again = drawSchedule({
      seed: s.seed,
      pool,
      count: s.draw_count,
      periodStart: s.period_start,
      periodEnd: s.period_end,
    });
    const stored = [...checks].sort(
      (a, b) => a.planned_at.getTime() - b.planned_at.getTime() || a.team_id! - b.team_id!,
    );
    const matches =
      again.length === stored.length &&
      again.every((d, i) => d.targetId === stored[i].team_id && d.at.getTime() === stored[i].planned_at.getTime());
    audit = { seed: s.seed, pool, matches };
  }
  return {
    id: s.id,
    title: s.title,
    count: s.draw_count,
    poolSize: (JSON.parse(s.pool_json) as number[]).length,
    algorithm: s.algorithm,
    periodStart: s.period_start.toISOString(),
    periodEnd: s.period_end.toISOString(),
    pending: checks.length - started.length,
    started: started.map((c) => projectCheck(c, "full")),
    audit,
    mine: s.organizer_user_id === actor.userId,
  };
}

export async function listSchedules(regionPath: string) {
  return db
    .selectFrom("spot_schedule")
    .select(["id", "title", "draw_count", "period_start", "period_end"])
    .where("region_path", "like", `${regionPath}%`)
    .orderBy("id", "desc")
    .limit(50)
    .execute();
}
