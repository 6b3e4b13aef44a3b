import type { ActionFunctionArgs } from "@remix-run/node";
import { answerTarget, readAnswerRequest, storeAnswer } from "~/modules/exams/answers.server";
import { participantOf } from "~/modules/inspections/participant.server";
import { quizForParticipant } from "~/modules/inspections/quiz.server";

const json = (body: unknown, status = 200) => Response.json(body, { status });

/** Autosave for quiz participants: the participant cookie must name the attempt the answer is for. */
export async function action({ request, params }: ActionFunctionArgs) {
  const quiz = await quizForParticipant(params.token ?? "");
  if (!quiz) return json({ ok: false, message: "测验不存在" }, 404);
  const p = await participantOf(request, quiz.id);
  if (!p?.attempt_id) return json({ ok: false, message: "请先加入测验" }, 403);
  const input = await readAnswerRequest(request);
  if (!input.ok) return input.response;
  const target = await answerTarget(p.attempt_id, input.position);
  if (!target) return json({ ok: false, message: "该题不存在" }, 404);
  const saved = await storeAnswer(target, input.answer, input.seq);
  if (!saved.ok) return json({ ok: false, message: saved.message }, saved.status);
  return json({ ok: true });
}
