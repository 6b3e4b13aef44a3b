import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { readFields } from "~/lib/forms.server";
import { handIn } from "~/modules/exams/grading.server";
import { paperForTaking } from "~/modules/exams/paper.server";
import { Paper } from "~/modules/exams/ui/paper";
import { retestHolder } from "~/modules/inspections/participant.server";

export const meta: MetaFunction = () => [{ title: "复测 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { attemptId } = await retestHolder(request, params.token);
  const paper = await paperForTaking(attemptId);
  if (paper.submitted) throw redirect(`/r/${params.token}/result`);
  return { paper, token: params.token! };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { link, attemptId } = await retestHolder(request, params.token);
  const handed = await handIn(attemptId, link.person_id, await readFields(request));
  if (!handed.ok)
    return data({ handInError: handed.message, reviewUrl: `/r/${params.token}/result` }, { status: handed.status });
  throw redirect(`/r/${params.token}/result`);
}

export default function RetestPaper() {
  const { paper, token } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  return (
    <Paper
      paper={paper}
      saveUrl={`/r/${token}/answers`}
      leaveUrl={`/r/${token}/leave`}
      swScope="/r/"
      refused={refused ?? null}
    />
  );
}
