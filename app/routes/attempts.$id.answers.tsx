import type { ActionFunctionArgs } from "@remix-run/node";
import { idParam, parseInput } from "~/lib/validation";
import { authorize, requireActor } from "~/modules/auth/session.server";
import { requirePerson } from "~/modules/exams/access.server";
import { answerTarget, storeAnswer } from "~/modules/exams/attempts.server";
import { SaveAnswerInput } from "~/modules/exams/schema";

const json = (body: unknown, status = 200) => Response.json(body, { status });

/**
 * Autosave of one answer (fetch from the exam page; the hot path). JSON in and out; the page queues and
 * retries. One read finds the attempt's owner and the item; answering is allowed only to that person.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  requirePerson(actor);
  const id = idParam.safeParse(params.id);
  let body: unknown;
  try {
    body = Object.fromEntries(await request.formData());
  } catch {
    return json({ ok: false, message: "提交的内容无法读取" }, 400);
  }
  const input = parseInput(SaveAnswerInput, body);
  if (!input.ok) return json({ ok: false, message: Object.values(input.fieldErrors)[0] }, 422);
  const target = id.success ? await answerTarget(id.data, input.data.position) : undefined;
  if (!target) return json({ ok: false, message: "该题不存在" }, 404);
  authorize(actor, "update", { type: "attempt", personId: target.person_id });
  const saved = await storeAnswer(target, input.data.answer, input.data.seq);
  if (!saved.ok) return json({ ok: false, message: saved.message }, saved.status);
  return json({ ok: true, position: input.data.position, seq: input.data.seq });
}
