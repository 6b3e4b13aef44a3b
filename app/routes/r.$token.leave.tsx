import type { ActionFunctionArgs } from "@remix-run/node";
import { readFields, SMALL_FORM_BYTES } from "~/lib/forms.server";
import { reportLeave } from "~/modules/exams/leave.server";
import { retestHolder } from "~/modules/inspections/participant.server";

/** 切屏 report from a re-test taken by link: the link's holder cookie names the attempt. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { link, attemptId } = await retestHolder(request, params.token);
  const reply = await reportLeave(attemptId, link.person_id, await readFields(request, { maxBytes: SMALL_FORM_BYTES }));
  return Response.json(reply.body, { status: reply.status });
}
