import { db } from "../../lib/db.server";
import { forbidden, notFound } from "../../lib/http";
import { idParam } from "../../lib/validation";
import type { Action, Actor } from "../auth/policy";
import { listScope } from "../auth/policy";
import { authorize } from "../auth/session.server";
import { getRegion } from "../org/regions.server";
import { unitRow } from "./units.server";

/** An enforcement unit the actor may act on (policy resource `enforcement_unit`, decision 0029). */
export async function authorizedUnit(actor: Actor, rawId: string | undefined, action: Action) {
  const id = idParam.safeParse(rawId);
  const unit = id.success ? await unitRow(id.data) : undefined;
  if (!unit) notFound("该执法单位不存在。");
  authorize(actor, action, { type: "enforcement_unit", regionPath: unit.region_path });
  return unit;
}

/** The region a rate page is about: ?region=, else the actor's own (the city's root for the admin). */
export async function authorizedEnforcementRegion(actor: Actor, url: URL) {
  const raw = url.searchParams.get("region");
  let regionId: number | null = null;
  if (raw) {
    const id = idParam.safeParse(raw);
    if (!id.success) notFound("该区域不存在。");
    regionId = id.data;
  } else {
    const scope = listScope(actor);
    const own =
      scope.kind === "all"
        ? await db.selectFrom("region").select("id").where("parent_id", "is", null).orderBy("id").executeTakeFirst()
        : scope.kind === "region"
          ? await db.selectFrom("region").select("id").where("path", "=", scope.path).executeTakeFirst()
          : undefined;
    if (!own) forbidden("执法人员培训和执法证统计仅供监管部门培训管理员使用。");
    regionId = own.id;
  }
  const region = await getRegion(regionId);
  if (!region) notFound("该区域不存在。");
  authorize(actor, "view", { type: "enforcement_unit", regionPath: region.path });
  return region;
}
