import { notFound } from "../../lib/http";
import { idParam } from "../../lib/validation";
import type { Action, Actor } from "../auth/policy";
import { authorize } from "../auth/session.server";
import { rosterExam } from "./roster.server";

/** The exam named in the URL, after asking the policy about its enterprise's training (officer: own; regulator: region). */
export async function authorizedRosterExam(actor: Actor, rawId: string | undefined, action: Action) {
  const id = idParam.safeParse(rawId);
  const exam = id.success ? await rosterExam(id.data) : undefined;
  if (!exam) notFound("该考试不存在。");
  authorize(actor, action, { type: "training", enterpriseId: exam.enterprise_id, regionPath: exam.region_path });
  return exam;
}
