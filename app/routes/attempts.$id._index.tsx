import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { readFields } from "~/lib/forms.server";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedAttempt, requirePerson } from "~/modules/exams/access.server";
import { handIn, paperForTaking } from "~/modules/exams/attempts.server";
import { Paper } from "~/modules/exams/ui/paper";

export const meta: MetaFunction = () => [{ title: "考试 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  requirePerson(actor);
  const attempt = await authorizedAttempt(actor, params.id, "update");
  const paper = await paperForTaking(attempt.id);
  if (paper.submitted) throw redirect(`/attempts/${attempt.id}/review`);
  return paper;
}

/** Hand in: the answers in the form (what the page shows) are saved first, then the attempt is graded once. */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const personId = requirePerson(actor);
  const attempt = await authorizedAttempt(actor, params.id, "update");
  await handIn(attempt.id, personId, await readFields(request));
  throw redirect(`/attempts/${attempt.id}/review`);
}

export default function TakeExam() {
  const paper = useLoaderData<typeof loader>();
  return <Paper paper={paper} saveUrl={`/attempts/${paper.id}/answers`} />;
}
