import { forbidden, notFound } from "../../lib/http";
import { idParam } from "../../lib/validation";
import { authorize } from "../auth/session.server";
import type { Actor } from "../auth/policy";
import { attemptOwner } from "./attempts.server";

/** The attempt named in the URL, after asking the policy whether this actor may see or answer it. */
export async function authorizedAttempt(actor: Actor, rawId: string | undefined, action: "view" | "update") {
  const id = idParam.safeParse(rawId);
  const a = id.success ? await attemptOwner(id.data) : undefined;
  if (!a || a.enterprise_id === null || a.region_path === null) notFound("该答卷不存在。");
  authorize(actor, action, { type: "attempt", personId: a.person_id, enterpriseId: a.enterprise_id, regionPath: a.region_path });
  return a;
}

export function requirePerson(actor: Actor): number {
  if (!actor.personId) forbidden("您的账号没有关联人员档案，不能参加考试。");
  return actor.personId;
}
