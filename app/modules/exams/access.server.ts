import { forbidden, notFound } from "../../lib/http";
import { idParam } from "../../lib/validation";
import { authorize } from "../auth/session.server";
import { can, ownBankOf, type Actor, type Resource } from "../auth/policy";
import { attemptOwner } from "./paper.server";
import { enterpriseResource } from "../org/people.server";

/** The attempt named in the URL, after asking the policy whether this actor may see or answer it. */
export async function authorizedAttempt(actor: Actor, rawId: string | undefined, action: "view" | "update") {
  const id = idParam.safeParse(rawId);
  const a = id.success ? await attemptOwner(id.data) : undefined;
  if (!a || a.enterprise_id === null || a.region_path === null) notFound("该答卷不存在。");
  authorize(actor, action, {
    type: "attempt",
    personId: a.person_id,
    enterpriseId: a.enterprise_id,
    regionPath: a.region_path,
  });
  return a;
}

export function requirePerson(actor: Actor): number {
  if (!actor.personId) forbidden("您的账号没有关联人员档案，不能参加考试。");
  return actor.personId;
}

/** A template as the policy sees it: shared (reference data) or an enterprise's own (its training). */
async function templateResource(template: { enterprise_id: number | null }): Promise<Resource> {
  if (template.enterprise_id === null) return { type: "exam_template", enterpriseId: null };
  const enterprise = await enterpriseResource(template.enterprise_id);
  if (!enterprise) notFound();
  return { type: "exam_template", enterpriseId: enterprise.id, regionPath: enterprise.regionPath };
}

export async function authorizeTemplate(
  actor: Actor,
  template: { enterprise_id: number | null },
  action: "view" | "create" | "update",
) {
  authorize(actor, action, await templateResource(template));
}

export async function mayUseTemplate(
  actor: Actor,
  template: { enterprise_id: number | null },
  action: "view" | "update",
) {
  return can(actor, action, await templateResource(template));
}

/** The bank a question belongs to, through the policy (owner 0 = the shared bank). */
export function authorizeQuestionOwner(actor: Actor, owner: number, action: "view" | "update") {
  authorize(actor, action, { type: "question_bank", owner });
}

export const mayEditQuestions = (actor: Actor, owner: number | null) =>
  owner !== null && can(actor, "update", { type: "question_bank", owner });

/** The bank this actor adds to or imports into, after asking the policy; refused for everyone else. */
export function authorizeOwnBank(actor: Actor): number {
  const owner = ownBankOf(actor);
  if (owner === null) forbidden("您的角色不能向题库添加题目。");
  authorizeQuestionOwner(actor, owner, "update");
  return owner;
}

/** Whose questions this actor works with: the shared bank plus their enterprise's own. */
export function bankOwners(actor: Actor): number[] {
  return actor.enterpriseId ? [0, actor.enterpriseId] : [0];
}
