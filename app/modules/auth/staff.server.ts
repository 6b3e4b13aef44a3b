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

/**
 * Accounts that may evaluate or direct a drill of an enterprise, for the drill form's pickers and its check: the
 * enterprise's own officers and workers, and the regulators and inspectors of its region or a region above it; never
 * the organizer (`except`). Staff first by role, then by name.
 */
export async function drillEvaluatorAccounts(enterprise: { id: number; regionPath: string }, except: string) {
  const regionIds = enterprise.regionPath.split("/").filter(Boolean).map(Number);
  return db
    .selectFrom("user")
    .leftJoin("region", "region.id", "user.region_id")
    .select(["user.id", "user.display_name", "user.role", "user.username"])
    .where("user.active", "=", 1)
    .where("user.id", "!=", except)
    .where((eb) =>
      eb.or([
        eb.and([eb("user.enterprise_id", "=", enterprise.id), eb("user.role", "in", ["enterprise_officer", "worker"])]),
        eb.and([eb("user.role", "in", ["inspector", "regulator"]), eb("user.region_id", "in", regionIds)]),
      ]),
    )
    .orderBy("user.role")
    .orderBy("user.display_name")
    .limit(300)
    .execute();
}
