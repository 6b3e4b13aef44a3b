import type { ActionFunctionArgs } from "@remix-run/node";
import { readFields, SMALL_FORM_BYTES } from "~/lib/forms.server";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedAttempt, requirePerson } from "~/modules/exams/access.server";
import { reportLeave } from "~/modules/exams/leave.server";

/** 切屏 report from the exam page (docs/decisions/0021): only the attempt's own person answers it. */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const personId = requirePerson(actor);
  const attempt = await authorizedAttempt(actor, params.id, "update");
  const reply = await reportLeave(attempt.id, personId, await readFields(request, { maxBytes: SMALL_FORM_BYTES }));
  return Response.json(reply.body, { status: reply.status });
}
