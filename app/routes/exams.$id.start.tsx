import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { httpError, notFound } from "~/lib/http";
import { idParam } from "~/lib/validation";
import { authorize, requireActor } from "~/modules/auth/session.server";
import { requirePerson } from "~/modules/exams/access.server";
import { examResource, startExamAttempt } from "~/modules/exams/exams.server";

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const personId = requirePerson(actor);
  const id = idParam.safeParse(params.id);
  const exam = id.success ? await examResource(id.data) : undefined;
  if (!exam) notFound("该考试不存在。");
  // Taking an exam is answering one's own attempt at it.
  authorize(actor, "update", { type: "attempt", personId, enterpriseId: exam.enterprise_id, regionPath: exam.region_path });
  const started = await startExamAttempt(personId, exam.id);
  if (!started.ok) httpError(started.status, started.message);
  throw redirect(`/attempts/${started.attemptId}`);
}

export function loader() {
  notFound();
}
