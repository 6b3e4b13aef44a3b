import { notFound } from "../../lib/http";
import { idParam } from "../../lib/validation";
import type { Action, Actor } from "../auth/policy";
import { authorize } from "../auth/session.server";
import { contestById, contestByToken } from "./contests.server";

/** The contest of a staff route, authorized for the action. */
export async function authorizedContest(actor: Actor, id: string | undefined, action: Action) {
  const parsed = idParam.safeParse(id);
  const contest = parsed.success ? await contestById(parsed.data) : undefined;
  if (!contest) notFound("竞赛不存在。");
  authorize(actor, action, { type: "contest", regionPath: contest.region_path });
  return contest;
}

/** The contest of a public /c/<token> page. */
export async function publicContest(token: string | undefined) {
  const contest = await contestByToken(token ?? "");
  if (!contest) notFound("竞赛不存在，请重新扫码。");
  return contest;
}
