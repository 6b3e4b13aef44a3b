import type { ActionFunctionArgs } from "@remix-run/node";
import { answerTarget, readAnswerRequest, storeAnswer } from "~/modules/exams/answers.server";
import { seatBySecret } from "~/modules/exam-sites/sessions.server";

const json = (body: unknown, status = 200) => Response.json(body, { status });

/** Autosave from a seat terminal: the seat's secret names the attempt; paused or voided papers take no answer. */
export async function action({ request, params }: ActionFunctionArgs) {
  const s = await seatBySecret(params.secret ?? "");
  if (!s?.attempt_id || s.voided_at) return json({ ok: false, message: "该座位没有进行中的试卷" }, 403);
  const input = await readAnswerRequest(request);
  if (!input.ok) return input.response;
  const target = await answerTarget(s.attempt_id, input.position);
  if (!target) return json({ ok: false, message: "该题不存在" }, 404);
  const saved = await storeAnswer(target, input.answer, input.seq);
  if (!saved.ok) return json({ ok: false, message: saved.message }, saved.status);
  return json({ ok: true });
}
