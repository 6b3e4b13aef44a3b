import type { ActionFunctionArgs } from "@remix-run/node";
import { readFields, SMALL_FORM_BYTES } from "~/lib/forms.server";
import { reportLeave } from "~/modules/exams/leave.server";
import { participantOf } from "~/modules/inspections/participant.server";
import { quizForParticipant } from "~/modules/inspections/quiz.server";

/** 切屏 report from the on-site quiz paper: the participant cookie names the attempt. */
export async function action({ request, params }: ActionFunctionArgs) {
  const quiz = await quizForParticipant(params.token ?? "");
  if (!quiz) return Response.json({ ok: false, message: "测验不存在" }, { status: 404 });
  const p = await participantOf(request, quiz.id);
  if (!p?.attempt_id) return Response.json({ ok: false, message: "请先加入测验" }, { status: 403 });
  const reply = await reportLeave(p.attempt_id, p.person_id, await readFields(request, { maxBytes: SMALL_FORM_BYTES }));
  return Response.json(reply.body, { status: reply.status });
}
