import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { reviewOf } from "~/modules/exams/review.server";
import { retestHolder } from "~/modules/inspections/participant.server";

export const meta: MetaFunction = () => [{ title: "复测成绩 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { attemptId } = await retestHolder(request, params.token);
  const review = await reviewOf(attemptId);
  if (!review.submitted) throw redirect(`/r/${params.token}/paper`);
  return { score: review.score, passed: review.passed, passMark: review.passMark };
}

export default function RetestResult() {
  const r = useLoaderData<typeof loader>();
  return (
    <div className="card login">
      <h1>复测成绩</h1>
      <div className="stat" data-testid="score">
        {r.score}
      </div>
      <p>
        {r.passed ? <span className="badge ok">合格</span> : <span className="badge bad">不合格</span>} {r.passMark}{" "}
        分及格
      </p>
      <p className="small">
        {r.passed ? "复测通过，本次整改已完成。" : "复测未通过。请继续补学，并联系企业安全培训管理员领取新的复测链接。"}
      </p>
    </div>
  );
}
