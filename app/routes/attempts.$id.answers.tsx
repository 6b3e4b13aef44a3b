import type { ActionFunctionArgs } from "@remix-run/node";
import { parseInput } from "~/lib/validation";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedAttempt, requirePerson } from "~/modules/exams/access.server";
import { saveAnswer } from "~/modules/exams/attempts.server";
import { SaveAnswerInput } from "~/modules/exams/schema";

/** Autosave of one answer (fetch from the exam page). JSON in and out; the page queues and retries. */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const personId = requirePerson(actor);
  const attempt = await authorizedAttempt(actor, params.id, "update");
  let body: unknown;
  try {
    body = Object.fromEntries(await request.formData());
  } catch {
    return Response.json({ ok: false, message: "提交的内容无法读取" }, { status: 400 });
  }
  const input = parseInput(SaveAnswerInput, body);
  if (!input.ok) return Response.json({ ok: false, message: Object.values(input.fieldErrors)[0] }, { status: 422 });
  const saved = await saveAnswer(attempt.id, personId, input.data.position, input.data.answer, input.data.seq);
  if (!saved.ok) return Response.json({ ok: false, message: saved.message }, { status: saved.status });
  return Response.json({ ok: true, position: input.data.position, seq: input.data.seq });
}
