import { redirect } from "@remix-run/node";
import { db } from "../../lib/db.server";
import { forbidden, notFound } from "../../lib/http";
import { idParam, z } from "../../lib/validation";
import { certificateAlerts } from "./rates.server";
import { authorize } from "../auth/session.server";
import { listScope, type Actor } from "../auth/policy";
import { enterpriseResource } from "../org/people.server";

/** Where an actor's certification view starts: their enterprise, or their region (the whole tree for admins). */
export async function certificationHome(actor: Actor): Promise<never> {
  const scope = listScope(actor);
  if (scope.kind === "enterprise") throw redirect(`/certification/enterprise/${scope.enterpriseId}`);
  if (scope.kind === "region") throw redirect(`/certification/region/${scope.path.split("/").filter(Boolean).pop()}`);
  if (scope.kind === "all") {
    const root = await db
      .selectFrom("region")
      .select("id")
      .where("parent_id", "is", null)
      .orderBy("id")
      .executeTakeFirst();
    if (root) throw redirect(`/certification/region/${root.id}`);
  }
  forbidden("持证率统计仅供企业培训管理员和监管部门使用。");
}

export async function authorizedRegion(actor: Actor, rawId: string | undefined) {
  const id = idParam.safeParse(rawId);
  const region = id.success
    ? await db.selectFrom("region").select(["id", "path"]).where("id", "=", id.data).executeTakeFirst()
    : undefined;
  if (!region) notFound("该区域不存在。");
  authorize(actor, "view", { type: "region", path: region.path });
  return region;
}

/** Certification of an enterprise is its training record: officers of it, regulators over it, admins. */
export async function authorizedEnterprise(
  actor: Actor,
  rawId: string | undefined | number,
  action: "view" | "create" = "view",
) {
  const id = idParam.safeParse(rawId);
  const enterprise = id.success ? await enterpriseResource(id.data) : null;
  if (!enterprise) notFound("该企业不存在。");
  authorize(actor, action, { type: "training", enterpriseId: enterprise.id, regionPath: enterprise.regionPath });
  return enterprise;
}

const Query = z.object({
  window: z.enum(["90", "30", "overdue"]).catch("90"),
  enterpriseId: z.coerce.number().int().positive().optional().catch(undefined),
  regionId: z.coerce.number().int().positive().optional().catch(undefined),
});

/** Alerts of one enterprise or one region subtree, each checked against the policy. */
export async function alertsFor(actor: Actor, url: URL) {
  const q = Query.parse(Object.fromEntries(url.searchParams));
  if (q.enterpriseId) {
    const e = await authorizedEnterprise(actor, q.enterpriseId);
    return { q, rows: await certificateAlerts({ enterpriseId: e.id }, q.window) };
  }
  if (q.regionId) {
    const r = await authorizedRegion(actor, String(q.regionId));
    return { q, rows: await certificateAlerts({ regionPath: r.path }, q.window) };
  }
  return certificationHome(actor);
}
