import { forbidden, notFound } from "../../lib/http";
import { idParam } from "../../lib/validation";
import type { Action, Actor } from "../auth/policy";
import { listScope } from "../auth/policy";
import { authorize } from "../auth/session.server";
import { getRegion } from "../org/regions.server";
import { calloutRow } from "./callouts.server";
import { spotAccess } from "./spotchecks.server";
import { teamResource, teamRow } from "./teams.server";
import { townDrill, townPlan } from "./towns.server";

export async function authorizedTeam(actor: Actor, rawId: string | undefined, action: Action) {
  const id = idParam.safeParse(rawId);
  const team = id.success ? await teamRow(id.data) : undefined;
  if (!team) notFound("该救援队伍不存在。");
  authorize(actor, action, teamResource(team));
  return team;
}

/**
 * A spot check the actor may act on; a check hidden from them is "not found", so not even its existence leaks. A check
 * whose sealed time has come is started by the background job (`runJobs`), never by a page's GET (issue 18).
 */
export async function authorizedSpotCheck(actor: Actor, rawId: string | undefined, action: Action) {
  const id = idParam.safeParse(rawId);
  const access = id.success ? await spotAccess(actor, id.data) : undefined;
  if (!access || access.visibility === "hidden") notFound("该抽查不存在或尚未开始。");
  authorize(actor, action, access.resource);
  return access as typeof access & { visibility: "full" | "window" };
}

/** A call-out goes with its team: viewing its board is viewing the team, running it is keeping the team. */
export async function authorizedCallout(actor: Actor, rawId: string | undefined, action: Action) {
  const id = idParam.safeParse(rawId);
  const callout = id.success ? await calloutRow(id.data) : undefined;
  if (!callout) notFound("该拉动集结不存在。");
  authorize(actor, action, {
    type: "rescue_team",
    regionPath: callout.region_path,
    enterpriseId: callout.enterprise_id,
  });
  return callout;
}

/** The region a rescue page is about (`?region=`, else the actor's own). */
export async function authorizedRescueRegion(actor: Actor, url: URL) {
  const raw = url.searchParams.get("region");
  const scope = listScope(actor);
  let regionId: number | null = null;
  if (raw) {
    const id = idParam.safeParse(raw);
    if (!id.success) notFound("该区域不存在。");
    regionId = id.data;
  }
  if (regionId === null) {
    if (scope.kind === "all") {
      const { db } = await import("../../lib/db.server");
      const root = await db
        .selectFrom("region")
        .select("id")
        .where("parent_id", "is", null)
        .orderBy("id")
        .limit(1)
        .executeTakeFirst();
      if (!root) notFound("尚未设置区域。");
      regionId = root.id;
    } else if (scope.kind === "region") {
      const { db } = await import("../../lib/db.server");
      const own = await db.selectFrom("region").select("id").where("path", "=", scope.path).executeTakeFirst();
      if (!own) notFound("该区域不存在。");
      regionId = own.id;
    } else forbidden("应急救援队伍统计仅供监管部门和执法检查人员使用。");
  }
  const region = await getRegion(regionId);
  if (!region) notFound("该区域不存在。");
  authorize(actor, "view", { type: "region", path: region.path });
  return region;
}

export async function authorizedTownPlan(actor: Actor, rawId: string | undefined, action: Action) {
  const id = idParam.safeParse(rawId);
  const plan = id.success ? await townPlan(id.data) : undefined;
  if (!plan) notFound("该乡镇预案不存在。");
  authorize(actor, action, { type: "town_drill", regionPath: plan.region_path, organizerUserId: null });
  return plan;
}

export async function authorizedTownDrill(actor: Actor, rawId: string | undefined, action: Action) {
  const id = idParam.safeParse(rawId);
  const drill = id.success ? await townDrill(id.data) : undefined;
  if (!drill) notFound("该乡镇演练不存在。");
  authorize(actor, action, {
    type: "town_drill",
    regionPath: drill.region_path,
    organizerUserId: drill.organizer_user_id,
  });
  return drill;
}
