import { z } from "../../lib/validation";
import { httpError, notFound } from "../../lib/http";
import { authorize } from "../auth/session.server";
import type { Action, Actor } from "../auth/policy";
import { enterpriseResource } from "../org/people.server";

/**
 * Which enterprise's training a page is about: the officer's own, or the one named by ?enterpriseId= for
 * admins and regulators; then ask the policy.
 */
export async function trainingEnterprise(actor: Actor, url: URL, action: Action) {
  const named = z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .catch(undefined)
    .parse(url.searchParams.get("enterpriseId") ?? undefined);
  const id = named ?? actor.enterpriseId;
  if (!id) httpError(400, "请先选择企业。");
  const enterprise = await enterpriseResource(id);
  if (!enterprise) notFound("该企业不存在。");
  authorize(actor, action, { type: "training", enterpriseId: enterprise.id, regionPath: enterprise.regionPath });
  return enterprise;
}
