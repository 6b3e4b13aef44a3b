import { sql, type Transaction } from "kysely";
import { db } from "../../lib/db.server";
import type { Database } from "../../../db/types";
import { recordAudit } from "../audit/audit.server";
import { notify } from "../notifications/notify.server";
import { evaluationResults } from "./evaluation.server";
import { enterpriseOfficerIds } from "../auth/staff.server";
import { rectificationsOfDrill } from "./rectifications.server";

/** The window of a spot check's drill: from its start, this many hours. */
const SPOT_CHECK_DRILL_HOURS = 4;

/** What the drill of a spot check sets out to test (its scenario is the check's sealed one). */
const SPOT_CHECK_OBJECTIVES = "监管部门双盲抽查：检验企业接警、信息报告、先期处置、人员疏散和清点等应急响应能力。";

/**
 * The enterprise side of a regulator's spot check 双盲抽查 of an enterprise (decision 0028): when the check starts,
 * in its transaction, the enterprise gets a running double-blind drill — the check's title and sealed scenario, the
 * check's organizer as organizer, the accounts the check names as evaluators, the enterprise's officers as
 * controllers (they log their response) and its active people as participants. Before the start there is no drill,
 * so nobody of the enterprise can see one; a second start finds the drill (one per check, a unique key) and adds none.
 */
export async function startSpotCheckDrill(
  trx: Transaction<Database>,
  check: {
    id: number;
    organizer_user_id: string;
    enterprise_id: number;
    title: string;
    scenario: string;
    window_start: Date;
    window_end: Date;
    planned_at: Date;
  },
  at: Date,
): Promise<number> {
  const existing = await trx.selectFrom("drill").select("id").where("spot_check_id", "=", check.id).executeTakeFirst();
  if (existing) return existing.id;
  const enterprise = await trx
    .selectFrom("enterprise")
    .select(["id", "region_path", "industry_code"])
    .where("id", "=", check.enterprise_id)
    .executeTakeFirstOrThrow();
  // The enterprise's comprehensive plan when it has one (the response a check tests), else its newest plan, else none.
  const plan = await trx
    .selectFrom("emergency_plan")
    .select("id")
    .where("enterprise_id", "=", enterprise.id)
    .where("active", "=", 1)
    .orderBy(sql`type = 'comprehensive'`, "desc")
    .orderBy("id", "desc")
    .executeTakeFirst();
  const res = await trx
    .insertInto("drill")
    .values({
      plan_id: plan?.id ?? null,
      enterprise_id: enterprise.id,
      region_path: enterprise.region_path,
      industry_code: enterprise.industry_code,
      organizer_user_id: check.organizer_user_id,
      title: check.title,
      form: "live",
      mode: "double_blind",
      announce_window: 0,
      // The drill happens now: its window is the start and the hours after it (not the check's sealed window, which
      // would keep the enterprise from planning its own drills for weeks).
      window_start: at,
      window_end: new Date(at.getTime() + SPOT_CHECK_DRILL_HOURS * 3600_000),
      planned_start: check.planned_at,
      objectives: SPOT_CHECK_OBJECTIVES,
      scenario: check.scenario,
      teams: "全体在岗人员",
      status: "running",
      started_at: at,
      spot_check_id: check.id,
    })
    .executeTakeFirstOrThrow();
  const drillId = Number(res.insertId);
  const [evaluators, officers, people] = await Promise.all([
    trx
      .selectFrom("spot_check_evaluator")
      .select("user_id")
      .where("spot_check_id", "=", check.id)
      .where("user_id", "!=", check.organizer_user_id)
      .execute(),
    enterpriseOfficerIds(enterprise.id, trx),
    trx
      .selectFrom("person")
      .select("id")
      .where("enterprise_id", "=", enterprise.id)
      .where("active", "=", 1)
      .limit(5000)
      .execute(),
  ]);
  const evaluatorIds = evaluators.map((e) => e.user_id);
  const controllerIds = officers.filter((id) => !evaluatorIds.includes(id));
  const members = [
    ...evaluatorIds.map((userId) => ({
      drill_id: drillId,
      role: "evaluator" as const,
      user_id: userId,
      person_id: null,
    })),
    ...controllerIds.map((userId) => ({
      drill_id: drillId,
      role: "controller" as const,
      user_id: userId,
      person_id: null,
    })),
    ...people.map((p) => ({ drill_id: drillId, role: "participant" as const, user_id: null, person_id: p.id })),
  ];
  for (let i = 0; i < members.length; i += 500)
    await trx
      .insertInto("drill_member")
      .values(members.slice(i, i + 500))
      .execute();
  await notify(trx, {
    userIds: [...evaluatorIds, ...controllerIds],
    personIds: people.map((p) => p.id),
    kind: "drill_task",
    title: "监管部门双盲抽查演练已开始",
    body: `${check.title}：请按应急预案处置，并记录演练过程。`,
    link: `/drills/${drillId}`,
    dedupeKey: `drill-member:${drillId}`,
    createdBy: check.organizer_user_id,
  });
  await recordAudit(trx, {
    actorUserId: null,
    action: "drill.spot_check_started",
    entityType: "drill",
    entityId: drillId,
    after: {
      spotCheckId: check.id,
      enterpriseId: enterprise.id,
      planId: plan?.id ?? null,
      evaluators: evaluatorIds.length,
      controllers: controllerIds.length,
      participants: people.length,
    },
    ip: null,
  });
  return drillId;
}

/** The drill a spot check started, with its evaluation and rectification items, for the spot check's page. */
export async function drillOfSpotCheck(checkId: number) {
  const drill = await db
    .selectFrom("drill")
    .select(["id", "status", "evaluation_form", "title"])
    .where("spot_check_id", "=", checkId)
    .executeTakeFirst();
  if (!drill) return null;
  const [results, items] = await Promise.all([evaluationResults(drill), rectificationsOfDrill(drill.id)]);
  return { id: drill.id, status: drill.status, title: drill.title, results, items };
}
