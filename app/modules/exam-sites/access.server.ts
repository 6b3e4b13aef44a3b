import { notFound } from "../../lib/http";
import { idParam } from "../../lib/validation";
import type { Action, Actor } from "../auth/policy";
import { authorize } from "../auth/session.server";
import { sessionById, sessionResource } from "./sessions.server";

/** The session of a route, authorized for the action (update = acting as its proctor). */
export async function authorizedSession(actor: Actor, id: string | undefined, action: Action) {
  const parsed = idParam.safeParse(id);
  const session = parsed.success ? await sessionById(parsed.data) : undefined;
  if (!session) notFound("考场不存在。");
  const resource = await sessionResource(actor, session);
  authorize(actor, action, resource);
  return { session, proctor: resource.proctor };
}
