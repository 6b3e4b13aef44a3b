import type { ActionFunctionArgs } from "@remix-run/node";
import { idParam } from "~/lib/validation";
import { authorize, requireActor } from "~/modules/auth/session.server";
import { requirePerson } from "~/modules/exams/access.server";
import { answerTarget, readAnswerRequest, storeAnswer } from "~/modules/exams/attempts.server";

const json = (body: unknown, status = 200) => Response.json(body, { status });

/**
 * Autosave of one answer (fetch from the exam page; the hot path). JSON in and out; the page queues and
 * retries. One read finds the attempt's owner and the item; answering is allowed only to that person.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  requirePerson(actor);
  const id = idParam.safeParse(params.id);
  const input = await readAnswerRequest(request);
  if (!input.ok) return input.response;
  const target = id.success ? await answerTarget(id.data, input.position) : undefined;
  if (!target) return json({ ok: false, message: "该题不存在" }, 404);
  authorize(actor, "update", { type: "attempt", personId: target.person_id });
  const saved = await storeAnswer(target, input.answer, input.seq);
  if (!saved.ok) return json({ ok: false, message: saved.message }, saved.status);
  return json({ ok: true, position: input.position, seq: input.seq });
}
