import { notFound } from "../../lib/http";
import { idParam } from "../../lib/validation";
import { authorize } from "../auth/session.server";
import type { Action, Actor } from "../auth/policy";
import { inspectionResource } from "./inspections.server";
import { quizById } from "./quiz.server";

/** An inspection is an act on its enterprise: `inspect` to run it, `view` to read its record. */
export async function authorizedInspection(actor: Actor, rawId: string | undefined, action: Action) {
  const id = idParam.safeParse(rawId);
  const inspection = id.success ? await inspectionResource(id.data) : undefined;
  if (!inspection) notFound("该检查记录不存在。");
  authorize(actor, action, {
    type: "inspection",
    enterpriseId: inspection.enterprise_id,
    regionPath: inspection.region_path,
  });
  return inspection;
}

export async function authorizedQuiz(actor: Actor, rawId: string | undefined, action: Action) {
  const id = idParam.safeParse(rawId);
  const quiz = id.success ? await quizById(id.data) : undefined;
  if (!quiz) notFound("该测验不存在。");
  authorize(actor, action, { type: "inspection", enterpriseId: quiz.enterprise_id, regionPath: quiz.region_path });
  return quiz;
}
