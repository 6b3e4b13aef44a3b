import { type Refusal, refuse } from "~/lib/result";
import { db } from "../../lib/db.server";
import { now, todayIso } from "../../lib/clock.server";
import { addMonths } from "../../lib/calendar";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import { planDrillStatus } from "../drills/rules";
import { DEFAULT_FORMS } from "./forms";
import { gradeSheet, type EvaluationFormDefinition } from "./rules";

export async function townRegion(id: number) {
  return db
    .selectFrom("region")
    .select(["id", "name", "path", "level"])
    .where("id", "=", id)
    .where("active", "=", 1)
    .executeTakeFirst();
}

export async function saveTownPlan(
  actor: Actor,
  town: { id: number; path: string },
  input: { type: "comprehensive" | "evacuation"; title: string; issuedOn: string; intervalMonths: number },
  ip: string,
) {
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .insertInto("town_plan")
      .values({
        region_id: town.id,
        region_path: town.path,
        type: input.type,
        title: input.title,
        issued_on: input.issuedOn,
        interval_months: input.intervalMonths,
        due_on: addMonths(input.issuedOn, input.intervalMonths),
        created_by: actor.userId,
      })
      .executeTakeFirstOrThrow();
    const id = Number(res.insertId);
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "town_plan.create",
      entityType: "town_plan",
      entityId: id,
      after: input,
      ip,
    });
    return id;
  });
}

/**
 * Towns (level town) of a region with their plans and drill status: the town plan coverage 乡镇综合应急预案编制率 is
 * towns with an active comprehensive plan over all towns.
 */
export async function townCoverage(regionPath: string) {
  const today = todayIso();
  const [towns, plans] = await Promise.all([
    db
      .selectFrom("region")
      .select(["id", "name", "path"])
      .where("level", "=", "town")
      .where("active", "=", 1)
      .where("path", "like", `${regionPath}%`)
      .orderBy("path")
      .limit(2000)
      .execute(),
    db
      .selectFrom("town_plan")
      .selectAll()
      .where("region_path", "like", `${regionPath}%`)
      .where("active", "=", 1)
      .orderBy("id")
      .limit(5000)
      .execute(),
  ]);
  const rows = towns.map((t) => {
    const own = plans
      .filter((p) => p.region_id === t.id)
      .map((p) => ({
        id: p.id,
        type: p.type,
        title: p.title,
        issuedOn: p.issued_on,
        intervalMonths: p.interval_months,
        lastDrilledOn: p.last_drilled_on,
        ...planDrillStatus({ lastDrilledOn: p.last_drilled_on, issuedOn: p.issued_on }, p.interval_months, today),
      }));
    return {
      id: t.id,
      name: t.name,
      plans: own,
      hasComprehensive: own.some((p) => p.type === "comprehensive"),
      hasEvacuation: own.some((p) => p.type === "evacuation"),
    };
  });
  const covered = rows.filter((r) => r.hasComprehensive).length;
  return { towns: rows, covered, total: rows.length, rate: rows.length ? covered / rows.length : null };
}

export async function townPlan(id: number) {
  return db
    .selectFrom("town_plan")
    .innerJoin("region", "region.id", "town_plan.region_id")
    .selectAll("town_plan")
    .select("region.name as town_name")
    .where("town_plan.id", "=", id)
    .executeTakeFirst();
}

export async function planTownDrill(
  actor: Actor,
  plan: { id: number; region_path: string },
  input: { title: string; plannedStart: Date; expectedPeople: number },
  ip: string,
) {
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .insertInto("town_drill")
      .values({
        plan_id: plan.id,
        region_path: plan.region_path,
        organizer_user_id: actor.userId,
        title: input.title,
        planned_start: input.plannedStart,
        expected_people: input.expectedPeople,
      })
      .executeTakeFirstOrThrow();
    const id = Number(res.insertId);
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "town_drill.plan",
      entityType: "town_drill",
      entityId: id,
      after: input,
      ip,
    });
    return id;
  });
}

export async function townDrill(id: number) {
  return db
    .selectFrom("town_drill")
    .innerJoin("town_plan", "town_plan.id", "town_drill.plan_id")
    .innerJoin("region", "region.id", "town_plan.region_id")
    .selectAll("town_drill")
    .select(["town_plan.title as plan_title", "town_plan.type as plan_type", "region.name as town_name"])
    .where("town_drill.id", "=", id)
    .executeTakeFirst();
}
export type TownDrillRow = NonNullable<Awaited<ReturnType<typeof townDrill>>>;

export async function townDrillsOf(regionPath: string) {
  return db
    .selectFrom("town_drill")
    .innerJoin("town_plan", "town_plan.id", "town_drill.plan_id")
    .innerJoin("region", "region.id", "town_plan.region_id")
    .select([
      "town_drill.id",
      "town_drill.title",
      "town_drill.status",
      "town_drill.planned_start",
      "town_drill.people_moved",
      "town_drill.started_at",
      "town_drill.ended_at",
      "region.name as town_name",
    ])
    .where("town_drill.region_path", "like", `${regionPath}%`)
    .orderBy("town_drill.id", "desc")
    .limit(50)
    .execute();
}

/** Start, or end with the people moved; ending marks the plan drilled (its next due date follows). */
export async function advanceTownDrill(
  actor: Actor,
  id: number,
  step: { kind: "start" } | { kind: "end"; peopleMoved: number },
  ip: string,
) {
  return db.transaction().execute(async (trx) => {
    const d = await trx.selectFrom("town_drill").selectAll().where("id", "=", id).forUpdate().executeTakeFirstOrThrow();
    const at = now();
    if (step.kind === "start") {
      if (d.status !== "planned") return refuse(409, "演练已开始。");
      await trx.updateTable("town_drill").set({ status: "running", started_at: at }).where("id", "=", id).execute();
    } else {
      if (d.status !== "running") return refuse(409, "演练未在进行中。");
      await trx
        .updateTable("town_drill")
        .set({ status: "ended", ended_at: at, people_moved: step.peopleMoved })
        .where("id", "=", id)
        .execute();
      const day = todayIso();
      const plan = await trx
        .selectFrom("town_plan")
        .select(["interval_months"])
        .where("id", "=", d.plan_id)
        .executeTakeFirstOrThrow();
      await trx
        .updateTable("town_plan")
        .set({ last_drilled_on: day, due_on: addMonths(day, plan.interval_months) })
        .where("id", "=", d.plan_id)
        .execute();
    }
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: `town_drill.${step.kind}`,
      entityType: "town_drill",
      entityId: id,
      after: step,
      ip,
    });
    return { ok: true as const };
  });
}

/** An evaluation form by code: the table's row when one is stored, else the shipped default (read only: no GET writes). */
export async function evaluationForm(
  code: string,
): Promise<{ code: string; name: string; definition: EvaluationFormDefinition } | undefined> {
  const row = await db.selectFrom("evaluation_form").selectAll().where("code", "=", code).executeTakeFirst();
  if (row) return { code: row.code, name: row.name, definition: JSON.parse(row.definition_json) };
  const shipped = DEFAULT_FORMS[code];
  return shipped ? { code, name: shipped.name, definition: shipped.definition } : undefined;
}

export async function submitEvaluation(
  actor: Actor,
  drill: { id: number },
  form: { code: string; definition: EvaluationFormDefinition },
  scores: Record<string, number>,
  comment: string,
  ip: string,
): Promise<{ ok: true } | Refusal> {
  const graded = gradeSheet(form.definition, scores);
  if (!graded.ok) return refuse(422, "请为每项指标填写 0 到满分之间的分数", `scores.${graded.code}`);
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("town_drill_evaluation")
      .select("id")
      .where("drill_id", "=", drill.id)
      .where("evaluator_user_id", "=", actor.userId)
      .executeTakeFirst();
    if (existing) return refuse(422, "您已提交过本次演练的评估表，评估表提交后不能修改。", "comment");
    const res = await trx
      .insertInto("town_drill_evaluation")
      .values({
        drill_id: drill.id,
        evaluator_user_id: actor.userId,
        form_code: form.code,
        scores_json: JSON.stringify(scores),
        total: graded.total.toFixed(2),
        grade: graded.grade,
        comment,
        submitted_at: now(),
      })
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "town_drill.evaluate",
      entityType: "town_drill_evaluation",
      entityId: Number(res.insertId),
      after: { drillId: drill.id, total: graded.total, grade: graded.grade },
      ip,
    });
    return { ok: true as const };
  });
}

export async function evaluationsOf(drillId: number) {
  return db
    .selectFrom("town_drill_evaluation")
    .innerJoin("user", "user.id", "town_drill_evaluation.evaluator_user_id")
    .select([
      "town_drill_evaluation.id",
      "user.display_name",
      "town_drill_evaluation.form_code",
      "town_drill_evaluation.scores_json",
      "town_drill_evaluation.total",
      "town_drill_evaluation.grade",
      "town_drill_evaluation.comment",
      "town_drill_evaluation.submitted_at",
      "town_drill_evaluation.evaluator_user_id",
    ])
    .where("drill_id", "=", drillId)
    .orderBy("town_drill_evaluation.id")
    .execute();
}
