import type { ActionFunctionArgs } from "@remix-run/node";
import { answerTarget, readAnswerRequest, storeAnswer } from "~/modules/exams/answers.server";
import { retestCookieOf } from "~/modules/inspections/participant.server";
import { holderOf, retestLinkByToken } from "~/modules/inspections/retest-links.server";

const json = (body: unknown, status = 200) => Response.json(body, { status });

/** Autosave for a re-test by link: the link's cookie must name the attempt the answer is for. */
export async function action({ request, params }: ActionFunctionArgs) {
  const link = await retestLinkByToken(params.token ?? "");
  if (!link) return json({ ok: false, message: "复测链接无效" }, 404);
  if (!holderOf(link, retestCookieOf(request, link.id)) || !link.attempt_id)
    return json({ ok: false, message: "请先核对身份" }, 403);
  const input = await readAnswerRequest(request);
  if (!input.ok) return input.response;
  const target = await answerTarget(link.attempt_id, input.position);
  if (!target) return json({ ok: false, message: "该题不存在" }, 404);
  const saved = await storeAnswer(target, input.answer, input.seq);
  if (!saved.ok) return json({ ok: false, message: saved.message }, saved.status);
  return json({ ok: true });
}
