import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData, Link } from "@remix-run/react";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedAttempt } from "~/modules/exams/access.server";
import { reviewOf } from "~/modules/exams/review.server";
import { registryIndex } from "~/modules/regulations/regulations.server";
import { basisLinks } from "~/modules/regulations/citations";
import { LegalBasis } from "~/modules/regulations/ui/legal-basis";
import { QuestionReview } from "~/modules/exams/ui/question-review";

export const meta: MetaFunction = () => [{ title: "成绩 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const attempt = await authorizedAttempt(actor, params.id, "view");
  const review = await reviewOf(attempt.id);
  if (!review.submitted) throw redirect(`/attempts/${attempt.id}`);
  // The legal basis is shown with the explanation (only when answers are revealed), linked to the registry.
  const index = review.items.some((it) => "regulation" in it && it.regulation) ? await registryIndex() : null;
  return {
    ...review,
    attemptId: attempt.id,
    items: review.items.map((it) => ({
      ...it,
      basis: index && "regulation" in it ? basisLinks(it.regulation ?? null, index) : [],
    })),
  };
}

export default function Review() {
  const r = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{r.title}</h1>
      <section className="card">
        <div className="stat" data-testid="score">
          {r.score}
        </div>
        <div className="stat-label">分（满分 100，{r.passMark} 分及格）</div>
        <p>
          {r.passed ? <span className="badge ok">合格</span> : <span className="badge bad">不合格</span>}
          {r.closedBy === "deadline" ? (
            <span className="muted small"> 考试时间到，已按已保存的答案自动交卷。</span>
          ) : null}
          {r.closedBy === "leave_limit" ? (
            <span className="muted small" data-testid="closed-by-leaves">
              {" "}
              切屏次数超过上限，已按已保存的答案自动交卷。
            </span>
          ) : null}
        </p>
        {!r.reveal ? <p className="muted">{r.withheld ?? "本次考试的答案和解析将在考试结束后公布。"}</p> : null}
      </section>
      {r.items.map((it) => (
        <QuestionReview key={it.position} item={it}>
          <LegalBasis parts={it.basis} />
          {"lesson" in it && it.lesson ? (
            <p className="small">
              <a href={it.lesson}>去课程复习</a>
            </p>
          ) : null}
        </QuestionReview>
      ))}
      <p>
        <a href={`/documents/transcript/${r.attemptId}`} download>
          下载成绩单（PDF）
        </a>
        　<Link to="/exams">返回考试列表</Link>
      </p>
    </>
  );
}
