import { notFound } from "../../lib/http";
import { idParam } from "../../lib/validation";
import type { Action, Actor } from "../auth/policy";
import { authorize } from "../auth/session.server";
import { sessionById, sessionResource } from "./sessions.server";
import { siteById } from "./sites.server";

/** The session of a route, authorized for the action (update = acting as its proctor). */
export async function authorizedSession(actor: Actor, id: string | undefined, action: Action) {
  const parsed = idParam.safeParse(id);
  const session = parsed.success ? await sessionById(parsed.data) : undefined;
  if (!session) notFound("考场不存在。");
  const resource = await sessionResource(actor, session);
  authorize(actor, action, resource);
  return { session, proctor: resource.proctor };
}

/** The site of a route, authorized for the action on the policy's `exam_site` (planning). */
export async function authorizedSite(actor: Actor, id: string | undefined, action: Action) {
  const parsed = idParam.safeParse(id);
  const site = parsed.success ? await siteById(parsed.data) : undefined;
  if (!site) notFound("考试点不存在。");
  authorize(actor, action, { type: "exam_site", regionPath: site.region_path });
  return site;
}

/** A session for its planning page: planning is the site's region's (the policy's `exam_site`), not the proctors'. */
export async function authorizedPlan(actor: Actor, id: string | undefined, action: Action) {
  const parsed = idParam.safeParse(id);
  const session = parsed.success ? await sessionById(parsed.data) : undefined;
  if (!session) notFound("考场不存在。");
  authorize(actor, action, { type: "exam_site", regionPath: session.region_path });
  return session;
}
