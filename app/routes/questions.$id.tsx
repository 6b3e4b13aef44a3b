import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams, Link } from "@remix-run/react";
import { notFound } from "~/lib/http";
import { readForm, readFormData } from "~/lib/forms.server";
import { idParam } from "~/lib/validation";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizeQuestionOwner, mayEditQuestions } from "~/modules/exams/access.server";
import { editQuestion, getQuestion, questionVersions, toggleQuestion } from "~/modules/exams/questions.server";
import { QuestionForm as QuestionFormSchema } from "~/modules/exams/schema";
import { answerText, TYPE_LABELS } from "~/modules/exams/question-types";
import { QuestionForm } from "~/modules/exams/ui/question-form";
import { industryName, POST_LABELS } from "~/modules/org/labels";
import { dayOf } from "~/lib/calendar";
import { legalBasis } from "~/modules/regulations/regulations.server";
import { LegalBasis } from "~/modules/regulations/ui/legal-basis";
import { QuestionText } from "~/modules/exams/ui/question-text";

export const meta: MetaFunction = () => [{ title: "题目 · 安训" }];

async function load(request: Request, rawId: string | undefined, action: "view" | "update") {
  const actor = await requireActor(request);
  const id = idParam.safeParse(rawId);
  const q = id.success ? await getQuestion(id.data) : undefined;
  if (!q) notFound("该题目不存在。");
  authorizeQuestionOwner(actor, q.owner_enterprise_id, action);
  return { actor, q };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, q } = await load(request, params.id, "view");
  return {
    q,
    versions: await questionVersions(q.id),
    canEdit: mayEditQuestions(actor, q.owner_enterprise_id),
    basis: await legalBasis(q.regulation),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, q } = await load(request, params.id, "update");
  const intent = (await readFormData(request.clone())).get("intent");
  if (intent === "deactivate" || intent === "reactivate") {
    await toggleQuestion(actor, q.id, intent === "reactivate", clientIp(request));
    throw redirect(`/questions/${q.id}`);
  }
  const form = await readForm(request, QuestionFormSchema);
  if (!form.ok) return form.response;
  await editQuestion(actor, q.id, form.data, clientIp(request));
  throw redirect(`/questions/${q.id}?saved=1`);
}

export default function QuestionPage() {
  const { q, versions, canEdit, basis } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  return (
    <>
      <h1>
        {TYPE_LABELS[q.type]}题 · {q.topic}
      </h1>
      {search.get("saved") ? (
        <div className="notice" role="status">
          已保存。{q.timesDrawn ? "已被抽中过的旧版本仍保留给对应答卷。" : ""}
        </div>
      ) : null}
      <section className="card">
        <p className="question-stem">
          <QuestionText text={q.stem} />
        </p>
        {q.options.length ? (
          <ol type="A">
            {q.options.map((o, i) => (
              <li key={i}>
                <QuestionText text={o} />
              </li>
            ))}
          </ol>
        ) : null}
        <p>
          答案：<strong>{answerText(q.type, q.answer)}</strong>
        </p>
        {q.explanation ? (
          <p className="small">
            解析：
            <QuestionText text={q.explanation} />
          </p>
        ) : null}
        <LegalBasis parts={basis} />
        {q.review_pending ? (
          <p className="small">
            <strong>待复核</strong>：所依据的法规已修改或废止，见 <Link to="/regulations/review">待复核内容</Link>。
          </p>
        ) : null}
        <p className="small muted">
          难度 {q.difficulty} · 岗位：{q.posts.map((p) => POST_LABELS[p as keyof typeof POST_LABELS]).join("、")} ·
          行业：{q.industries.length ? q.industries.map(industryName).join("、") : "全部"}· 编号 {q.external_id} · 第{" "}
          {q.version} 版 · 被抽中 {q.timesDrawn} 次{q.active ? "" : " · 已停用"}
        </p>
        {q.course_slug ? (
          <p className="small">
            <Link to={`/courses/${q.course_slug}${q.lesson_slug ? `/${q.lesson_slug}` : ""}`}>相关课程</Link>
          </p>
        ) : null}
      </section>
      {canEdit ? (
        <section className="card">
          <h2>修改</h2>
          <p className="hint">修改题干、选项或答案会生成新版本；已考过的答卷仍按原版本评分和回顾。</p>
          <QuestionForm q={q} errors={result?.fieldErrors} formError={result?.formError} submitLabel="保存修改" />
          <Form method="post" className="actions">
            {q.active ? (
              <button type="submit" name="intent" value="deactivate" className="danger">
                停用此题
              </button>
            ) : (
              <button type="submit" name="intent" value="reactivate" className="secondary">
                恢复此题
              </button>
            )}
          </Form>
        </section>
      ) : null}
      {versions.length > 1 ? (
        <section className="card">
          <h2>版本</h2>
          <ul>
            {versions.map((v) => (
              <li key={v.id}>
                第 {v.version} 版 · {dayOf(v.created_at)} · 答案 {v.answer}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
