import type { ActionFunctionArgs } from "@remix-run/node";
import { readFields, SMALL_FORM_BYTES } from "~/lib/forms.server";
import { reportLeave } from "~/modules/exams/leave.server";
import { seatBySecret } from "~/modules/exam-sites/sessions.server";

/** 切屏 report from a seat terminal at an exam site: the seat's secret link names the attempt (shown to the proctor). */
export async function action({ request, params }: ActionFunctionArgs) {
  const s = await seatBySecret(params.secret ?? "");
  if (!s?.attempt_id || s.voided_at)
    return Response.json({ ok: false, message: "座位链接无效或考试未开始" }, { status: 404 });
  const reply = await reportLeave(s.attempt_id, s.person_id, await readFields(request, { maxBytes: SMALL_FORM_BYTES }));
  return Response.json(reply.body, { status: reply.status });
}
