import { refuseFields, type Refusal } from "~/lib/result";
import { sql } from "kysely";
import { now } from "../../lib/clock.server";
import { toLocalInput } from "../../lib/calendar";
import { db } from "../../lib/db.server";
import { httpError } from "../../lib/http";
import type { DrillState, Post } from "../../../db/types";
import { recordAudit } from "../audit/audit.server";
import { can, type Actor } from "../auth/policy";
import { drillEvaluatorAccounts } from "../auth/staff.server";
import { MODE_LABELS, STATE_LABELS } from "./labels";
import { markPlanDrilled } from "./plans.server";
import {
  closeProblems,
  drillVisibility,
  OPEN_RECTIFICATION,
  windowProblems,
  type DrillRole,
  type DrillVisibility,
} from "./rules";
import type { DrillInput } from "./schema";
import { dayOf } from "../../lib/calendar";
import { notify } from "../notifications/notify.server";

export type DrillRow = NonNullable<Awaited<ReturnType<typeof drillRow>>>;

async function drillRow(id: number) {
  return db
    .selectFrom("drill")
    .innerJoin("enterprise", "enterprise.id", "drill.enterprise_id")
    .leftJoin("emergency_plan", "emergency_plan.id", "drill.plan_id")
    .selectAll("drill")
    .select([
      "enterprise.name as enterprise_name",
      "emergency_plan.title as plan_title",
      "emergency_plan.type as plan_type",
    ])
    .where("drill.id", "=", id)
    .executeTakeFirst();
}

/** Each listed drill's role for this actor: organizer by the drill, evaluator by account, participant by person. */
async function rolesOf(
  actor: Actor,
  drills: { id: number; organizer_user_id: string }[],
): Promise<Map<number, DrillRole>> {
  const roles = new Map<number, DrillRole>(
    drills.map((d) => [d.id, d.organizer_user_id === actor.userId ? "organizer" : "none"]),
  );
  const ids = drills.filter((d) => roles.get(d.id) === "none").map((d) => d.id);
  if (ids.length) {
    const rows = await db
      .selectFrom("drill_member")
      .select(["drill_id", "role"])
      .where("drill_id", "in", ids)
      .where((eb) =>
        eb.or([eb("user_id", "=", actor.userId), ...(actor.personId ? [eb("person_id", "=", actor.personId)] : [])]),
      )
      .execute();
    // One account may be named twice; the role that sees and does the most wins.
    const rank: Record<DrillRole, number> = { none: 0, participant: 1, evaluator: 2, controller: 3, organizer: 4 };
    for (const r of rows)
      if (rank[r.role as DrillRole] > rank[roles.get(r.drill_id)!]) roles.set(r.drill_id, r.role as DrillRole);
  }
  return roles;
}

const visibilityFor = (
  actor: Actor,
  d: { mode: DrillRow["mode"]; announce_window: number; status: DrillState; enterprise_id: number },
  role: DrillRole,
) =>
  drillVisibility(
    { mode: d.mode, announceWindow: d.announce_window === 1, status: d.status },
    role,
    actor.enterpriseId === d.enterprise_id,
  );

/** The drill with this actor's role in it and what that role may see; the caller authorizes. */
export async function drillAccess(actor: Actor, id: number) {
  const drill = await drillRow(id);
  if (!drill) return undefined;
  const role = (await rolesOf(actor, [drill])).get(drill.id)!;
  const visibility = visibilityFor(actor, drill, role);
  return {
    drill,
    role,
    visibility,
    resource: {
      type: "drill" as const,
      enterpriseId: drill.enterprise_id,
      regionPath: drill.region_path,
      drillRole: role,
      visibility,
    },
  };
}

/**
 * What of a drill may leave the server for this visibility. Sealed fields are left out, not blanked in the UI:
 * a double-blind drill shown as a window carries no title, plan, scenario, injects, objectives or exact start.
 */
export function project(
  d:
    | DrillRow
    | (Omit<DrillRow, "scenario" | "objectives" | "summary"> &
        Partial<Pick<DrillRow, "scenario" | "objectives" | "summary">>),
  visibility: Exclude<DrillVisibility, "hidden">,
) {
  const base = {
    id: d.id,
    enterpriseId: d.enterprise_id,
    enterpriseName: d.enterprise_name,
    mode: d.mode,
    status: d.status,
    visibility,
    windowStart: d.window_start.toISOString(),
    windowEnd: d.window_end.toISOString(),
  };
  if (visibility === "window") return { ...base, title: `${MODE_LABELS[d.mode]}（时间窗内择机开展）` };
  const schedule = {
    ...base,
    title: d.title,
    form: d.form,
    planId: d.plan_id,
    planTitle: d.plan_title,
    planType: d.plan_type,
    spotCheckId: d.spot_check_id,
    evaluationForm: d.evaluation_form,
    teams: d.teams,
    startedAt: d.started_at?.toISOString() ?? null,
    endedAt: d.ended_at?.toISOString() ?? null,
    closedAt: d.closed_at?.toISOString() ?? null,
  };
  if (visibility === "schedule") return schedule;
  return {
    ...schedule,
    plannedStart: d.planned_start?.toISOString() ?? null,
    objectives: d.objectives ?? "",
    scenario: d.scenario ?? "",
    summary: d.summary ?? null,
    announceWindow: d.announce_window === 1,
  };
}
export type DrillView = ReturnType<typeof project>;

export async function drillMembers(drillId: number) {
  const [accounts, participants] = await Promise.all([
    db
      .selectFrom("drill_member")
      .innerJoin("user", "user.id", "drill_member.user_id")
      .select(["user.id", "user.display_name", "user.role", "drill_member.role as drill_role"])
      .where("drill_member.drill_id", "=", drillId)
      .where("drill_member.role", "in", ["evaluator", "controller"])
      .orderBy("drill_member.id")
      .execute(),
    db
      .selectFrom("drill_member")
      .innerJoin("person", "person.id", "drill_member.person_id")
      .select(["person.id", "person.name", "person.post"])
      .where("drill_member.drill_id", "=", drillId)
      .where("drill_member.role", "=", "participant")
      .orderBy("drill_member.id")
      .limit(500)
      .execute(),
  ]);
  const evaluators = accounts.filter((a) => a.drill_role === "evaluator").map(({ drill_role: _, ...a }) => a);
  const controllers = accounts.filter((a) => a.drill_role === "controller").map(({ drill_role: _, ...a }) => a);
  return { evaluators, controllers, participants };
}

/** Scenario injects with the moment each was (or will be) released: by hand, or `offset` minutes after the start. */
export async function injectsOf(drill: { id: number; started_at: Date | null }, all: boolean) {
  const rows = await db
    .selectFrom("drill_inject")
    .selectAll()
    .where("drill_id", "=", drill.id)
    .orderBy("seq")
    .execute();
  const t = now().getTime();
  const withRelease = rows.map((i) => {
    const scheduled =
      drill.started_at && i.offset_minutes !== null
        ? new Date(drill.started_at.getTime() + i.offset_minutes * 60_000)
        : null;
    const releasedAt = i.released_at ?? (scheduled && scheduled.getTime() <= t ? scheduled : null);
    return {
      id: i.id,
      seq: i.seq,
      title: i.title,
      body: i.body,
      offsetMinutes: i.offset_minutes,
      releasedAt: releasedAt?.toISOString() ?? null,
    };
  });
  // Participants see an inject once it is released; organizer and evaluators see the whole script.
  return all ? withRelease : withRelease.filter((i) => i.releasedAt !== null);
}

export type PlanDrillResult = { ok: true; id: number } | Refusal;

/**
 * Plan a drill (`drillId` null) or change a planned one. The organizer's choices are checked against the
 * enterprise's people and eligible evaluators; the window against the clock and the enterprise's other drills,
 * under a lock on the enterprise so two overlapping plans cannot both pass.
 */
export async function saveDrill(
  actor: Actor,
  plan: { id: number; enterprise_id: number; region_path: string; industry_code: string },
  drillId: number | null,
  input: DrillInput,
  ip: string,
): Promise<PlanDrillResult> {
  const enterprise = { id: plan.enterprise_id, regionPath: plan.region_path };
  // A post chosen as a whole (all 特种作业人员 …) stands for the enterprise's active people of that post now.
  if (input.participantPosts.length) {
    let q = db
      .selectFrom("person")
      .select("id")
      .where("enterprise_id", "=", plan.enterprise_id)
      .where("active", "=", 1);
    if (!input.participantPosts.includes("all")) q = q.where("post", "in", input.participantPosts as Post[]);
    const byPost = await q.limit(5000).execute();
    input = { ...input, participants: [...new Set([...input.participants, ...byPost.map((p) => p.id)])] };
  }
  const [evaluators, people] = await Promise.all([
    drillEvaluatorAccounts(enterprise, actor.userId),
    input.participants.length
      ? db
          .selectFrom("person")
          .select("id")
          .where("enterprise_id", "=", plan.enterprise_id)
          .where("active", "=", 1)
          .where("id", "in", input.participants)
          .execute()
      : [],
  ]);
  const fieldErrors: Record<string, string> = {};
  const eligible = new Set(evaluators.map((e) => e.id));
  if (input.evaluators.includes(actor.userId)) fieldErrors.evaluators = "组织者不能同时担任评估人员";
  else if (input.evaluators.some((id) => !eligible.has(id)))
    fieldErrors.evaluators = "所选评估人员不是本企业或属地监管部门的账号";
  if (input.controllers.includes(actor.userId)) fieldErrors.controllers = "组织者本身即可记录，无需再选为导调人员";
  else if (input.controllers.some((id) => !eligible.has(id)))
    fieldErrors.controllers = "所选导调人员不是本企业或属地监管部门的账号";
  else if (input.controllers.some((id) => input.evaluators.includes(id)))
    fieldErrors.controllers = "同一人不能既是导调人员又是评估人员";
  if (people.length !== new Set(input.participants).size) fieldErrors.participants = "所选参演人员不属于本企业";
  if (Object.keys(fieldErrors).length) return refuseFields(fieldErrors);

  return db.transaction().execute(async (trx) => {
    await trx.selectFrom("enterprise").select("id").where("id", "=", plan.enterprise_id).forUpdate().execute();
    if (drillId) {
      const current = await trx
        .selectFrom("drill")
        .select("status")
        .where("id", "=", drillId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (current.status !== "planned") httpError(409, "演练已开始，计划不能再修改。");
    }
    let others = trx
      .selectFrom("drill")
      .select(["window_start", "window_end"])
      .where("enterprise_id", "=", plan.enterprise_id)
      .where("status", "in", ["planned", "running"])
      .where("window_start", "<", input.windowEnd)
      .where("window_end", ">", input.windowStart);
    if (drillId) others = others.where("id", "!=", drillId);
    const problems = windowProblems(
      { start: input.windowStart, end: input.windowEnd, plannedStart: input.plannedStart ?? null },
      now(),
      (await others.execute()).map((o) => ({ start: o.window_start, end: o.window_end })),
    );
    if (Object.keys(problems).length) return refuseFields(problems);
    const values = {
      title: input.title,
      form: input.form,
      evaluation_form: input.evaluationForm,
      mode: input.mode,
      announce_window: input.announceWindow || input.mode !== "double_blind" ? 1 : 0,
      window_start: input.windowStart,
      window_end: input.windowEnd,
      planned_start: input.plannedStart ?? null,
      objectives: input.objectives,
      scenario: input.scenario,
      teams: input.teams ?? null,
    };
    let id = drillId;
    if (id) {
      await trx.updateTable("drill").set(values).where("id", "=", id).execute();
      await trx.deleteFrom("drill_member").where("drill_id", "=", id).execute();
      await trx.deleteFrom("drill_inject").where("drill_id", "=", id).execute();
    } else {
      const res = await trx
        .insertInto("drill")
        .values({
          ...values,
          plan_id: plan.id,
          enterprise_id: plan.enterprise_id,
          region_path: plan.region_path,
          industry_code: plan.industry_code,
          organizer_user_id: actor.userId,
        })
        .executeTakeFirstOrThrow();
      id = Number(res.insertId);
    }
    const members = [
      ...[...new Set(input.evaluators)].map((userId) => ({
        drill_id: id!,
        role: "evaluator" as const,
        user_id: userId,
        person_id: null,
      })),
      ...[...new Set(input.controllers)].map((userId) => ({
        drill_id: id!,
        role: "controller" as const,
        user_id: userId,
        person_id: null,
      })),
      ...[...new Set(input.participants)].map((personId) => ({
        drill_id: id!,
        role: "participant" as const,
        user_id: null,
        person_id: personId,
      })),
    ];
    await trx.insertInto("drill_member").values(members).execute();
    if (input.injects.length) {
      await trx
        .insertInto("drill_inject")
        .values(
          input.injects.map((i, n) => ({
            drill_id: id!,
            seq: n + 1,
            title: i.title,
            body: i.body,
            offset_minutes: i.offsetMinutes ?? null,
          })),
        )
        .execute();
    }
    // Members hear of their task without the sealed content (no title, scenario or start); participants of an
    // unannounced double-blind drill hear nothing, as the drill page tells them nothing.
    const window = `演练时间窗：${dayOf(input.windowStart)} 至 ${dayOf(input.windowEnd)}。`;
    await notify(trx, {
      userIds: [...new Set([...input.evaluators, ...input.controllers])],
      kind: "drill_task",
      title: "您被指定为应急演练的评估或导调人员",
      body: window,
      link: `/drills/${id}`,
      dedupeKey: `drill-member:${id}`,
      createdBy: actor.userId,
    });
    if (values.announce_window) {
      await notify(trx, {
        personIds: [...new Set(input.participants)],
        kind: "drill_task",
        title: "您被安排参加应急演练",
        body: window,
        link: `/drills/${id}`,
        dedupeKey: `drill-member:${id}`,
        createdBy: actor.userId,
      });
    }
    // The audit row leaves the sealed content out: the audit log is not a way around the secrecy rule.
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: drillId ? "drill.replanned" : "drill.planned",
      entityType: "drill",
      entityId: id,
      after: {
        planId: plan.id,
        mode: input.mode,
        form: input.form,
        evaluationForm: input.evaluationForm,
        windowStart: input.windowStart,
        windowEnd: input.windowEnd,
        evaluators: input.evaluators.length,
        participants: input.participants.length,
        injects: input.injects.length,
      },
      ip,
    });
    return { ok: true as const, id };
  });
}

/** What the planning form shows when a planned drill is changed: the stored drill as form values. */
export async function drillFormValues(drill: DrillRow) {
  const [members, injects] = await Promise.all([
    db.selectFrom("drill_member").select(["role", "user_id", "person_id"]).where("drill_id", "=", drill.id).execute(),
    db
      .selectFrom("drill_inject")
      .select(["title", "body", "offset_minutes"])
      .where("drill_id", "=", drill.id)
      .orderBy("seq")
      .execute(),
  ]);
  const values: Record<string, string | string[]> = {
    title: drill.title,
    form: drill.form,
    evaluationForm: drill.evaluation_form,
    mode: drill.mode,
    ...(drill.announce_window ? { announceWindow: "1" } : {}),
    windowStart: toLocalInput(drill.window_start),
    windowEnd: toLocalInput(drill.window_end),
    plannedStart: drill.planned_start ? toLocalInput(drill.planned_start) : "",
    objectives: drill.objectives,
    scenario: drill.scenario,
    teams: drill.teams ?? "",
    participants: members.filter((m) => m.role === "participant").map((m) => String(m.person_id)),
    evaluators: members.filter((m) => m.role === "evaluator").map((m) => m.user_id!),
    controllers: members.filter((m) => m.role === "controller").map((m) => m.user_id!),
  };
  injects.forEach((i, n) => {
    values[`injects.${n}.title`] = i.title;
    values[`injects.${n}.body`] = i.body;
    values[`injects.${n}.offsetMinutes`] = i.offset_minutes === null ? "" : String(i.offset_minutes);
  });
  return values;
}

/** Move a drill from one state to the next; a repeated click finds it moved already and changes nothing. */
async function transition(
  actor: Actor,
  drillId: number,
  from: DrillState[],
  to: DrillState,
  set: Record<string, Date>,
  ip: string,
) {
  return db.transaction().execute(async (trx) => {
    const d = await trx
      .selectFrom("drill")
      .select(["status", "plan_id", "started_at", "window_start", "window_end"])
      .where("id", "=", drillId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (d.status === to) return { changed: false, outsideWindow: false };
    if (!from.includes(d.status)) httpError(409, `演练当前状态为“${STATE_LABELS[d.status]}”，不能进行此操作。`);
    // The one actual start is the moment 开始演练 was pressed; starting outside the announced window is allowed but said.
    const outsideWindow = to === "running" && (set.started_at < d.window_start || set.started_at > d.window_end);
    await trx
      .updateTable("drill")
      .set({ status: to, ...set })
      .where("id", "=", drillId)
      .execute();
    if (to === "ended" && d.plan_id !== null) await markPlanDrilled(trx, d.plan_id, dayOf(d.started_at ?? now()));
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: `drill.${to}`,
      entityType: "drill",
      entityId: drillId,
      before: { status: d.status },
      after: { status: to, ...(to === "running" ? { startedAt: set.started_at, outsideWindow } : {}) },
      ip,
    });
    return { changed: true, outsideWindow };
  });
}

export const startDrill = (actor: Actor, id: number, ip: string) =>
  transition(actor, id, ["planned"], "running", { started_at: now() }, ip);
export const endDrill = (actor: Actor, id: number, ip: string) =>
  transition(actor, id, ["running"], "ended", { ended_at: now() }, ip);
export const cancelDrill = (actor: Actor, id: number, ip: string) =>
  transition(actor, id, ["planned"], "cancelled", {}, ip);

/** Close a drill: only once it has ended, every evaluator has submitted, and every rectification is closed or accepted. */
export async function closeDrill(actor: Actor, id: number, summary: string | undefined, ip: string): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const d = await trx
      .selectFrom("drill")
      .select(["status"])
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (d.status === "closed") return [];
    const [evaluators, sheets, open] = await Promise.all([
      trx
        .selectFrom("drill_member")
        .select(sql<number>`COUNT(*)`.as("n"))
        .where("drill_id", "=", id)
        .where("role", "=", "evaluator")
        .executeTakeFirstOrThrow(),
      trx
        .selectFrom("evaluation_sheet")
        .select(sql<number>`COUNT(*)`.as("n"))
        .where("drill_id", "=", id)
        .where("submitted_at", "is not", null)
        .executeTakeFirstOrThrow(),
      trx
        .selectFrom("rectification")
        .select(sql<number>`COUNT(*)`.as("n"))
        .where("drill_id", "=", id)
        .where("status", "in", OPEN_RECTIFICATION)
        .executeTakeFirstOrThrow(),
    ]);
    const problems = closeProblems({
      status: d.status,
      evaluators: Number(evaluators.n),
      sheetsSubmitted: Number(sheets.n),
      openItems: Number(open.n),
    });
    if (problems.length) return problems;
    await trx
      .updateTable("drill")
      .set({ status: "closed", closed_at: now(), summary: summary ?? null })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "drill.closed",
      entityType: "drill",
      entityId: id,
      before: { status: d.status },
      after: { status: "closed" },
      ip,
    });
    return [];
  });
}

export async function releaseInject(actor: Actor, drillId: number, injectId: number, ip: string) {
  await db.transaction().execute(async (trx) => {
    const d = await trx
      .selectFrom("drill")
      .select("status")
      .where("id", "=", drillId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (d.status !== "running") httpError(409, "只能在演练进行中发布情景注入。");
    const res = await trx
      .updateTable("drill_inject")
      .set({ released_at: now() })
      .where("id", "=", injectId)
      .where("drill_id", "=", drillId)
      .where("released_at", "is", null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) > 0)
      await recordAudit(trx, {
        actorUserId: actor.userId,
        action: "drill.inject_released",
        entityType: "drill",
        entityId: drillId,
        after: { injectId },
        ip,
      });
  });
}

const listColumns = [
  "drill.id",
  "drill.plan_id",
  "drill.enterprise_id",
  "drill.region_path",
  "drill.organizer_user_id",
  "drill.title",
  "drill.form",
  "drill.mode",
  "drill.announce_window",
  "drill.window_start",
  "drill.window_end",
  "drill.planned_start",
  "drill.teams",
  "drill.status",
  "drill.started_at",
  "drill.ended_at",
  "drill.closed_at",
  "drill.industry_code",
  "drill.created_at",
  "drill.evaluation_form",
  "drill.spot_check_id",
  "enterprise.name as enterprise_name",
  "emergency_plan.title as plan_title",
  "emergency_plan.type as plan_type",
] as const;

/** Project a list for this actor: hidden drills are dropped, the rest show what the actor's role may see. */
async function projectList(actor: Actor, rows: Omit<DrillRow, "scenario" | "objectives" | "summary">[]) {
  const roles = await rolesOf(actor, rows);
  return rows.flatMap((d) => {
    const role = roles.get(d.id)!;
    const visibility = visibilityFor(actor, d, role);
    const resource = {
      type: "drill" as const,
      enterpriseId: d.enterprise_id,
      regionPath: d.region_path,
      drillRole: role,
      visibility,
    };
    return visibility === "hidden" || !can(actor, "view", resource) ? [] : [{ ...project(d, visibility), role }];
  });
}

/**
 * Drills whose window meets [from, to): of one enterprise or of a region subtree (the calendar). A month of a
 * city is capped; the region calendar says so when it is.
 */
export async function drillsBetween(
  actor: Actor,
  where: { enterpriseId: number } | { regionPath: string },
  from: Date,
  to: Date,
  limit = 500,
) {
  let q = db
    .selectFrom("drill")
    .innerJoin("enterprise", "enterprise.id", "drill.enterprise_id")
    .leftJoin("emergency_plan", "emergency_plan.id", "drill.plan_id")
    .select([...listColumns])
    .where("drill.window_start", "<", to)
    .where("drill.window_start", ">=", new Date(from.getTime() - 31 * 86400_000))
    .where("drill.window_end", ">", from)
    .where("drill.status", "!=", "cancelled");
  q =
    "enterpriseId" in where
      ? q.where("drill.enterprise_id", "=", where.enterpriseId)
      : q.where("drill.region_path", "like", `${where.regionPath}%`);
  const rows = await q
    .orderBy("drill.window_start")
    .limit(limit + 1)
    .execute();
  return { drills: await projectList(actor, rows.slice(0, limit)), truncated: rows.length > limit };
}

/**
 * Drills this actor organizes, evaluates or takes part in, newest first (every home page asks): three short index
 * reads (drill_organizer, drill_member_user, drill_member_person) in one statement for the newest ids, then those drills by key.
 */
export async function myDrills(actor: Actor, limit = 50) {
  // One round trip for the three index reads (each part keeps its own ORDER BY … LIMIT).
  const byPerson = actor.personId
    ? sql`UNION ALL (SELECT drill_id AS id FROM drill_member WHERE person_id = ${actor.personId} ORDER BY drill_id DESC LIMIT ${limit})`
    : sql``;
  const found = await sql<{
    id: number;
  }>`(SELECT id FROM drill WHERE organizer_user_id = ${actor.userId} ORDER BY window_start DESC LIMIT ${limit})
    UNION ALL (SELECT drill_id AS id FROM drill_member WHERE user_id = ${actor.userId} ORDER BY drill_id DESC LIMIT ${limit}) ${byPerson}`.execute(
    db,
  );
  const ids = [...new Set(found.rows.map((r) => Number(r.id)))];
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("drill")
    .innerJoin("enterprise", "enterprise.id", "drill.enterprise_id")
    .leftJoin("emergency_plan", "emergency_plan.id", "drill.plan_id")
    .select([...listColumns])
    .where("drill.id", "in", ids)
    .where("drill.status", "!=", "cancelled")
    .orderBy("drill.window_start", "desc")
    .limit(limit)
    .execute();
  return projectList(actor, rows);
}

/** Drills of one plan (the plan page), for those who may read the plan. */
export async function drillsOfPlan(actor: Actor, planId: number) {
  const rows = await db
    .selectFrom("drill")
    .innerJoin("enterprise", "enterprise.id", "drill.enterprise_id")
    .leftJoin("emergency_plan", "emergency_plan.id", "drill.plan_id")
    .select([...listColumns])
    .where("drill.plan_id", "=", planId)
    .orderBy("drill.window_start", "desc")
    .limit(100)
    .execute();
  return projectList(actor, rows);
}
