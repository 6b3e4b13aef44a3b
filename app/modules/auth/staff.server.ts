import { sql } from "kysely";
import { db } from "../../lib/db.server";

/**
 * Active regulator and inspector accounts of a region, for pickers (spot-check evaluators, proctors). Roles are
 * known here, in the auth module, and nowhere else. `covering`: accounts whose region contains that path (the
 * target's region or one above it); `under`: accounts of that region's subtree.
 */
export async function regionalStaff(
  where: { covering: string } | { under: string },
  { inspectorsOnly = false, except = null as string | null, limit = 300 } = {},
) {
  let q = db
    .selectFrom("user")
    .innerJoin("region", "region.id", "user.region_id")
    .select(["user.id", "user.display_name", "user.role", "region.name as region_name"])
    .where("user.active", "=", 1)
    .where("user.role", "in", inspectorsOnly ? ["inspector"] : ["inspector", "regulator"]);
  q =
    "covering" in where
      ? q.where(sql<boolean>`${where.covering} LIKE CONCAT(region.path, '%')`)
      : q.where("region.path", "like", `${where.under}%`);
  if (except) q = q.where("user.id", "!=", except);
  return q.orderBy("user.display_name").limit(limit).execute();
}

/** Active enterprise-officer accounts of an enterprise (they log a drill a spot check starts there). */
export async function enterpriseOfficerIds(enterpriseId: number, executor = db) {
  const rows = await executor
    .selectFrom("user")
    .select("id")
    .where("enterprise_id", "=", enterpriseId)
    .where("role", "=", "enterprise_officer")
    .where("active", "=", 1)
    .execute();
  return rows.map((r) => r.id);
}
