import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { useActionData, useLoaderData } from "@remix-run/react";
import { readFields } from "~/lib/forms.server";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedAttempt, requirePerson } from "~/modules/exams/access.server";
import { handIn } from "~/modules/exams/grading.server";
import { paperForTaking } from "~/modules/exams/paper.server";
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
  const handed = await handIn(attempt.id, personId, await readFields(request));
  if (!handed.ok)
    return data(
      { handInError: handed.message, reviewUrl: `/attempts/${attempt.id}/review` },
      { status: handed.status },
    );
  throw redirect(`/attempts/${attempt.id}/review`);
}

// A refused hand-in keeps its message on screen (the loader would only redirect to the review).
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  actionResult && typeof actionResult === "object" && "handInError" in actionResult ? false : defaultShouldRevalidate;

export default function TakeExam() {
  const paper = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  return (
    <Paper
      paper={paper}
      saveUrl={`/attempts/${paper.id}/answers`}
      leaveUrl={`/attempts/${paper.id}/leave`}
      swScope="/attempts/"
      refused={refused ?? null}
    />
  );
}
