import { keepsRegionalRecords } from "../auth/policy";
import { db } from "../../lib/db.server";
import { forbidden, notFound } from "../../lib/http";
import { idParam } from "../../lib/validation";
import type { Action, Actor } from "../auth/policy";
import { authorize } from "../auth/session.server";
import { syncJob } from "./sync.server";

/** The region a sync is for, after the policy: regulators of it (or above it) only. */
export async function authorizedSyncRegion(actor: Actor, rawId: string | number | null | undefined, action: Action) {
  if (!keepsRegionalRecords(actor)) forbidden("只有监管部门可以按区域同步证书数据。");
  const id = idParam.safeParse(rawId);
  const region = id.success
    ? await db.selectFrom("region").select(["id", "path", "name"]).where("id", "=", id.data).executeTakeFirst()
    : undefined;
  if (!region) notFound("该区域不存在。");
  authorize(actor, action, { type: "cert_sync", regionPath: region.path });
  return region;
}

/** A sync job, readable by regulators over its region. */
export async function authorizedSyncJob(actor: Actor, rawId: string | undefined) {
  const id = idParam.safeParse(rawId);
  const job = id.success ? await syncJob(id.data) : undefined;
  if (!job) notFound("该同步任务不存在。");
  authorize(actor, "view", { type: "cert_sync", regionPath: job.region_path });
  return job;
}

/** The region a regulator's sync page starts at: their own. */
export async function homeRegionOf(actor: Actor) {
  if (actor.regionPath) {
    const id = Number(actor.regionPath.split("/").filter(Boolean).pop());
    return db.selectFrom("region").select(["id", "path", "name"]).where("id", "=", id).executeTakeFirst();
  }
  return db
    .selectFrom("region")
    .select(["id", "path", "name"])
    .where("parent_id", "is", null)
    .orderBy("id")
    .executeTakeFirst();
}
