import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { notFound } from "~/lib/http";
import { reviewOf } from "~/modules/exams/review.server";
import { participantOf } from "~/modules/inspections/participant.server";
import { quizForParticipant } from "~/modules/inspections/quiz.server";
import { QuestionReview } from "~/modules/exams/ui/question-review";

export const meta: MetaFunction = () => [{ title: "测验成绩 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const quiz = await quizForParticipant(params.token ?? "");
  if (!quiz) notFound("测验不存在。");
  const p = await participantOf(request, quiz.id);
  if (!p?.attempt_id) throw redirect(`/q/${quiz.token}`);
  const review = await reviewOf(p.attempt_id);
  if (!review.submitted) throw redirect(`/q/${quiz.token}/paper`);
  return { review, name: p.name, onFile: p.person_id !== null };
}

export default function QuizResult() {
  const { review: r, name } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{name}，您的成绩</h1>
      <section className="card">
        <div className="stat" data-testid="score">
          {r.score}
        </div>
        <p>
          {r.passed ? <span className="badge ok">合格</span> : <span className="badge bad">不合格</span>} {r.passMark}{" "}
          分及格
        </p>
        {!r.passed ? <p className="small">不合格人员将由企业安排针对性培训，并在规定期限内复测。</p> : null}
      </section>
      {r.items.map((it) => (
        <QuestionReview key={it.position} item={it} />
      ))}
    </>
  );
}
