import { refuse, type Refusal } from "~/lib/result";
import { sql, type Kysely, type Transaction } from "kysely";
import { db } from "../../lib/db.server";
import type { Database } from "../../../db/types";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import { now, todayIso } from "../../lib/clock.server";
import { addMonths, planDrillStatus, requiredIntervalMonths } from "./rules";
import type { PlanInput } from "./schema";

export async function planResource(id: number) {
  return db
    .selectFrom("emergency_plan")
    .select(["id", "enterprise_id", "region_path", "industry_code", "active", "interval_months", "type", "title"])
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function getPlan(id: number) {
  const plan = await db
    .selectFrom("emergency_plan")
    .innerJoin("enterprise", "enterprise.id", "emergency_plan.enterprise_id")
    .selectAll("emergency_plan")
    .select("enterprise.name as enterprise_name")
    .where("emergency_plan.id", "=", id)
    .executeTakeFirst();
  return plan ? withStatus(plan) : undefined;
}

function withStatus<P extends { last_drilled_on: string | null; issued_on: string; interval_months: number }>(p: P) {
  return {
    ...p,
    drill: planDrillStatus({ lastDrilledOn: p.last_drilled_on, issuedOn: p.issued_on }, p.interval_months, todayIso()),
  };
}

/** An enterprise's active plans with their computed drill status, most urgent first. */
export async function plansOf(enterpriseId: number) {
  const rows = await db
    .selectFrom("emergency_plan")
    .select(["id", "type", "title", "issued_on", "interval_months", "last_drilled_on", "due_on"])
    .where("enterprise_id", "=", enterpriseId)
    .where("active", "=", 1)
    .orderBy("due_on")
    .limit(500)
    .execute();
  return rows.map(withStatus);
}

/** The drill interval of a plan: the rule's (MEM order No. 2 Art. 33), or a shorter one the enterprise chose. */
function intervalFor(
  input: PlanInput,
  industryCode: string,
): { ok: true; months: number } | { ok: false; message: string } {
  const required = requiredIntervalMonths(input.type, industryCode);
  const months = input.intervalMonths ?? required;
  if (months > required) return { ok: false, message: `按规定该类预案至少每 ${required} 个月演练一次，周期不能更长` };
  return { ok: true, months };
}

export type PlanSaveResult = { ok: true; id: number } | Refusal;

export async function savePlan(
  actor: Actor,
  enterprise: { id: number; regionPath: string },
  id: number | null,
  input: PlanInput,
  ip: string,
): Promise<PlanSaveResult> {
  const industry = await db
    .selectFrom("enterprise")
    .select("industry_code")
    .where("id", "=", enterprise.id)
    .executeTakeFirstOrThrow();
  const interval = intervalFor(input, industry.industry_code);
  if (!interval.ok) return refuse(422, interval.message, "intervalMonths");
  return db.transaction().execute(async (trx) => {
    const before = id
      ? await trx.selectFrom("emergency_plan").selectAll().where("id", "=", id).forUpdate().executeTakeFirstOrThrow()
      : null;
    const lastDrilledOn = before?.last_drilled_on ?? null;
    const values = {
      type: input.type,
      title: input.title,
      scenarios: input.scenarios,
      response_roles: input.responseRoles,
      issued_on: input.issuedOn,
      interval_months: interval.months,
      due_on: addMonths(lastDrilledOn ?? input.issuedOn, interval.months),
    };
    let planId = id;
    if (before) {
      await trx
        .updateTable("emergency_plan")
        .set({ ...values, updated_at: now() })
        .where("id", "=", before.id)
        .execute();
    } else {
      const res = await trx
        .insertInto("emergency_plan")
        .values({
          ...values,
          enterprise_id: enterprise.id,
          region_path: enterprise.regionPath,
          industry_code: industry.industry_code,
          created_by: actor.userId,
        })
        .executeTakeFirstOrThrow();
      planId = Number(res.insertId);
    }
    await refreshEnterpriseDrillDue(trx, enterprise.id);
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: before ? "plan.updated" : "plan.created",
      entityType: "emergency_plan",
      entityId: planId!,
      before: before ?? undefined,
      after: values,
      ip,
    });
    return { ok: true as const, id: planId! };
  });
}

export async function retirePlan(actor: Actor, id: number, ip: string) {
  await db.transaction().execute(async (trx) => {
    const plan = await trx
      .selectFrom("emergency_plan")
      .select("enterprise_id")
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await trx.updateTable("emergency_plan").set({ active: 0, updated_at: now() }).where("id", "=", id).execute();
    await refreshEnterpriseDrillDue(trx, plan.enterprise_id);
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "plan.retired",
      entityType: "emergency_plan",
      entityId: id,
      ip,
    });
  });
}

/** A drill of the plan ended on `drilledOn`: the plan's clock restarts from it (never moves backwards). */
export async function markPlanDrilled(trx: Transaction<Database>, planId: number, drilledOn: string) {
  const plan = await trx
    .selectFrom("emergency_plan")
    .select(["last_drilled_on", "interval_months", "enterprise_id"])
    .where("id", "=", planId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (plan.last_drilled_on && plan.last_drilled_on >= drilledOn) return;
  await trx
    .updateTable("emergency_plan")
    .set({ last_drilled_on: drilledOn, due_on: addMonths(drilledOn, plan.interval_months) })
    .where("id", "=", planId)
    .execute();
  await refreshEnterpriseDrillDue(trx, plan.enterprise_id);
}

/** Keep `enterprise.drill_due_on` (earliest due date of its active plans) in step, in the plan change's transaction. */
export async function refreshEnterpriseDrillDue(trx: Transaction<Database>, enterpriseId: number) {
  await sql`UPDATE enterprise SET drill_due_on = (SELECT MIN(due_on) FROM emergency_plan WHERE enterprise_id = ${enterpriseId} AND active = 1)
    WHERE id = ${enterpriseId}`.execute(trx);
}

/** Recompute every enterprise's earliest plan due date (after bulk loads: the demo seed, benchmarks). */
export async function rebuildDrillDue(db: Kysely<Database>) {
  await sql`UPDATE enterprise e LEFT JOIN (SELECT enterprise_id, MIN(due_on) AS due FROM emergency_plan WHERE active = 1 GROUP BY enterprise_id) p
    ON p.enterprise_id = e.id SET e.drill_due_on = p.due`.execute(db);
}

/** An enterprise moved region or changed industry: its plans, drills and items follow, so regional figures stay right. */
export async function followEnterpriseMove(
  trx: Transaction<Database>,
  enterpriseId: number,
  regionPath: string,
  industryCode: string,
) {
  await trx
    .updateTable("emergency_plan")
    .set({ region_path: regionPath, industry_code: industryCode })
    .where("enterprise_id", "=", enterpriseId)
    .execute();
  await trx
    .updateTable("drill")
    .set({ region_path: regionPath, industry_code: industryCode })
    .where("enterprise_id", "=", enterpriseId)
    .execute();
  await trx
    .updateTable("rectification")
    .set({ region_path: regionPath })
    .where("enterprise_id", "=", enterpriseId)
    .execute();
}
