import type { ActionFunctionArgs } from "@remix-run/node";
import { readFormData } from "~/lib/forms.server";
import { getActor } from "~/modules/auth/session.server";
import { autosaveAnswer } from "~/modules/exams/autosave.server";

/**
 * Autosave of one answer (fetch from the exam page; the hot path). The production server answers this path
 * itself before Remix (scripts/server.js) with the same module function; this route serves it everywhere else.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  let fields: unknown;
  try {
    fields = Object.fromEntries(await readFormData(request, { maxBytes: 16 * 1024 }));
  } catch {
    return Response.json({ ok: false, message: "提交的内容无法读取" }, { status: 400 });
  }
  const reply = await autosaveAnswer(await getActor(request), params.id, fields);
  return Response.json(reply.body, { status: reply.status });
}
