import { forbidden, httpError, notFound } from "../../lib/http";
import { idParam } from "../../lib/validation";
import { authorize } from "../auth/session.server";
import { listScope, type Action, type Actor } from "../auth/policy";
import { enterpriseResource } from "../org/people.server";
import { complianceQueryOf, complianceRegion } from "./compliance.server";
import { drillAccess } from "./drills.server";
import { planResource } from "./plans.server";
import { rectificationRow } from "./rectifications.server";
import type { DrillRole, DrillVisibility } from "./rules";

/**
 * A drill the actor may act on. A drill hidden from this actor (an unannounced double-blind drill of their own
 * enterprise) is "not found", so not even its existence leaks.
 */
export async function authorizedDrill(actor: Actor, rawId: string | undefined, action: Action) {
  const id = idParam.safeParse(rawId);
  const access = id.success ? await drillAccess(actor, id.data) : undefined;
  if (!access || access.visibility === "hidden") notFound("该演练不存在。");
  authorize(actor, action, access.resource);
  return access as typeof access & { visibility: Exclude<DrillVisibility, "hidden"> };
}

/**
 * A drill whose files (方案/脚本, 任务卡) the actor may read or, with "update", add: the files are sealed exactly
 * like the drill's sealed content, so before a double-blind or unscripted drill starts only those who see that
 * content (organizer, controllers, evaluators) get them.
 */
export async function authorizedDrillFiles(actor: Actor, rawId: string | undefined, action: "view" | "update") {
  const access = await authorizedDrill(actor, rawId, action);
  if (access.visibility !== "full") forbidden("演练方案和任务卡在演练开始前保密，仅组织者和评估人员可见。");
  return access;
}

export async function authorizedPlan(actor: Actor, rawId: string | undefined, action: Action) {
  const id = idParam.safeParse(rawId);
  const plan = id.success ? await planResource(id.data) : undefined;
  if (!plan) notFound("该应急预案不存在。");
  authorize(actor, action, { type: "emergency_plan", enterpriseId: plan.enterprise_id, regionPath: plan.region_path });
  return plan;
}

export async function authorizedRectification(actor: Actor, rawId: string | undefined, action: Action) {
  const id = idParam.safeParse(rawId);
  const item = id.success ? await rectificationRow(id.data) : undefined;
  if (!item) notFound("该整改项不存在。");
  let drillRole: DrillRole = item.organizer_user_id === actor.userId ? "organizer" : "none";
  if (drillRole === "none") {
    const access = await drillAccess(actor, item.drill_id);
    drillRole = access?.role ?? "none";
  }
  const resource = {
    type: "rectification" as const,
    enterpriseId: item.enterprise_id,
    regionPath: item.region_path,
    ownerPersonId: item.owner_person_id,
    drillRole,
    submittedBy: item.submitted_by,
  };
  authorize(actor, action, resource);
  return { item, drillRole, resource };
}

/** The region whose drill compliance is asked for (`?region=`, else the actor's own), if the actor may read it. */
export async function authorizedComplianceRegion(actor: Actor, url: URL) {
  const query = complianceQueryOf(url);
  const region = await complianceRegion(actor, query.region);
  if (!region) {
    if (query.region !== undefined) notFound("该区域不存在。");
    forbidden("应急演练合规统计仅供监管部门和执法检查人员使用。");
  }
  authorize(actor, "view", { type: "region", path: region.path });
  return { region };
}

/**
 * Whose drills a list page shows: the enterprise of `?enterpriseId=` (or the actor's own), if the actor may read its
 * plans; else the actor's region subtree (everything for the admin); else none (a worker without an enterprise).
 */
export async function authorizedDrillScope(
  actor: Actor,
  url: URL,
): Promise<
  { kind: "enterprise"; id: number; regionPath: string } | { kind: "region"; path: string } | { kind: "none" }
> {
  const param = url.searchParams.get("enterpriseId");
  const parsed = param ? idParam.safeParse(param) : null;
  if (parsed && !parsed.success) httpError(400, "企业编号无效。");
  const enterpriseId = parsed?.data ?? actor.enterpriseId;
  if (enterpriseId) {
    const enterprise = await enterpriseResource(enterpriseId);
    if (!enterprise) notFound("该企业不存在。");
    authorize(actor, "view", { type: "emergency_plan", enterpriseId, regionPath: enterprise.regionPath });
    return { kind: "enterprise", id: enterpriseId, regionPath: enterprise.regionPath };
  }
  const scope = listScope(actor);
  if (scope.kind === "all") return { kind: "region", path: "/" };
  if (scope.kind === "region") {
    authorize(actor, "view", { type: "region", path: scope.path });
    return { kind: "region", path: scope.path };
  }
  return { kind: "none" };
}
