import { regionRootOf } from "../auth/policy";
import { notFound } from "../../lib/http";
import { z } from "../../lib/validation";
import type { Actor } from "../auth/policy";
import { authorize } from "../auth/session.server";
import { cockpit, cockpitRoot } from "./cockpit.server";
import { KPIS } from "./labels";

export const CockpitQuery = z.object({
  regionId: z.coerce.number().int().positive().optional().catch(undefined),
  kpi: z.enum(KPIS).catch("cert"),
});

/** The cockpit of the named region (or the actor's own), after asking the policy whether they may read that region. */
export async function cockpitFor(actor: Actor, url: URL) {
  const query = CockpitQuery.parse(Object.fromEntries(url.searchParams));
  const region = query.regionId
    ? await import("../../lib/db.server").then(({ db }) =>
        db
          .selectFrom("region")
          .select(["id", "name", "path", "level"])
          .where("id", "=", query.regionId!)
          .executeTakeFirst(),
      )
    : await cockpitRoot(regionRootOf(actor));
  if (!region) notFound("该区域不存在。");
  authorize(actor, "view", { type: "region", path: region.path });
  return cockpit(region, query.kpi);
}
