import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { useActionData, useLoaderData } from "@remix-run/react";
import { notFound } from "~/lib/http";
import { readFields } from "~/lib/forms.server";
import { handIn } from "~/modules/exams/grading.server";
import { paperForTaking } from "~/modules/exams/paper.server";
import { Paper } from "~/modules/exams/ui/paper";
import { participantOf } from "~/modules/inspections/participant.server";
import { quizForParticipant } from "~/modules/inspections/quiz.server";

export const meta: MetaFunction = () => [{ title: "现场测验 · 安训" }];

/** The participant cookie for this quiz is the authorization: it names one participant and their attempt. */
async function participant(request: Request, token: string | undefined) {
  const quiz = await quizForParticipant(token ?? "");
  if (!quiz) notFound("测验不存在，请重新扫码。");
  const p = await participantOf(request, quiz.id);
  if (!p?.attempt_id) throw redirect(`/q/${quiz.token}`);
  return { quiz, p: { ...p, attempt_id: p.attempt_id } };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { quiz, p } = await participant(request, params.token);
  const paper = await paperForTaking(p.attempt_id);
  if (paper.submitted) throw redirect(`/q/${quiz.token}/result`);
  return { paper, token: quiz.token };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { quiz, p } = await participant(request, params.token);
  const handed = await handIn(p.attempt_id, p.person_id, await readFields(request));
  if (!handed.ok)
    return data({ handInError: handed.message, reviewUrl: `/q/${quiz.token}/result` }, { status: handed.status });
  throw redirect(`/q/${quiz.token}/result`);
}

export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  actionResult && typeof actionResult === "object" && "handInError" in actionResult ? false : defaultShouldRevalidate;

export default function QuizPaper() {
  const { paper, token } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  return (
    <Paper
      paper={paper}
      saveUrl={`/q/${token}/answers`}
      leaveUrl={`/q/${token}/leave`}
      swScope="/q/"
      refused={refused ?? null}
    />
  );
}
