import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { httpError, notFound } from "~/lib/http";
import { idParam } from "~/lib/validation";
import { authorize, requireActor } from "~/modules/auth/session.server";
import { followUpResource } from "~/modules/inspections/inspections.server";
import { startRetest } from "~/modules/inspections/quiz.server";

/** Self-service re-test: only the person of the follow-up answers it (an attempt of their own). */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const id = idParam.safeParse(params.id);
  const f = id.success ? await followUpResource(id.data) : undefined;
  if (!f) notFound("该整改事项不存在。");
  authorize(actor, "update", { type: "attempt", personId: f.person_id });
  const started = await startRetest(f.id);
  if (!started.ok) httpError(started.status, started.message);
  throw redirect(`/attempts/${started.attemptId}`);
}

export function loader() {
  notFound();
}
