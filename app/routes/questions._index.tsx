import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageParamsOf } from "~/lib/paging";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams, Link } from "@remix-run/react";
import { Pager } from "~/components/form";
import { readForm } from "~/lib/forms.server";
import { z } from "~/lib/validation";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { ownBankOf } from "~/modules/auth/policy";
import { authorizeOwnBank, authorizeQuestionOwner, bankOwners, mayEditQuestions } from "~/modules/exams/access.server";
import { topics } from "~/modules/exams/draw.server";
import { createQuestion, listQuestions } from "~/modules/exams/questions.server";
import { QuestionForm as QuestionFormSchema, QuestionTypeSchema } from "~/modules/exams/schema";
import { TYPE_LABELS } from "~/modules/exams/labels";
import { QuestionForm } from "~/modules/exams/ui/question-form";
import { QuestionText } from "~/modules/exams/ui/question-text";

export const meta: MetaFunction = () => [{ title: "题库 · 安训" }];

const Query = z.object({
  topic: z.string().max(64).optional().catch(undefined),
  type: QuestionTypeSchema.optional().catch(undefined),
  q: z.string().trim().max(50).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  // The bank holds the answers: never for workers (or any account without a staff role).
  authorizeQuestionOwner(actor, 0, "view");
  const url = new URL(request.url);
  const query = Query.parse(Object.fromEntries(url.searchParams));
  const owners = bankOwners(actor);
  const [page, topicList] = await Promise.all([listQuestions({ ...query, owners }, pageParamsOf(url)), topics(owners)]);
  return { ...page, topics: topicList, canAdd: mayEditQuestions(actor, ownBankOf(actor)) };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const owner = authorizeOwnBank(actor);
  const form = await readForm(request, QuestionFormSchema);
  if (!form.ok) return form.response;
  const id = await createQuestion(actor, owner, form.data, clientIp(request));
  throw redirect(`/questions/${id}?saved=1`);
}

export default function Questions() {
  const { rows, next, prev, topics: topicList, canAdd } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  return (
    <>
      <h1>题库</h1>
      <div className="actions">
        {canAdd ? (
          <Link className="button" to="/questions/import">
            导入题目
          </Link>
        ) : null}
        <a className="button secondary" href={`/questions/export?${search.toString()}`}>
          导出题目
        </a>
      </div>
      <Form method="get" className="filters" role="search">
        <select name="topic" aria-label="知识点" defaultValue={search.get("topic") ?? ""}>
          <option value="">全部知识点</option>
          {topicList.map((t) => (
            <option key={t.topic} value={t.topic}>
              {t.topic}（{t.count}）
            </option>
          ))}
        </select>
        <select name="type" aria-label="题型" defaultValue={search.get("type") ?? ""}>
          <option value="">全部题型</option>
          {Object.entries(TYPE_LABELS).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
        <input name="q" aria-label="题干关键词" placeholder="题干关键词" defaultValue={search.get("q") ?? ""} />
        <button type="submit">查询</button>
      </Form>
      <div className="table-wrap">
        <table className="responsive">
          <thead>
            <tr>
              <th>题干</th>
              <th>题型</th>
              <th>知识点</th>
              <th>难度</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((q) => (
              <tr key={q.id}>
                <td data-label="题干">
                  <Link to={`/questions/${q.id}`}>
                    <QuestionText text={q.stem} inline max={60} />
                  </Link>
                  {q.owner_enterprise_id ? <span className="badge"> 本企业</span> : null}
                  {q.version > 1 ? <span className="small muted"> v{q.version}</span> : null}
                </td>
                <td data-label="题型">{TYPE_LABELS[q.type]}</td>
                <td data-label="知识点">{q.topic}</td>
                <td data-label="难度">{q.difficulty}</td>
              </tr>
            ))}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={4} className="muted">
                  没有符合条件的题目。
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <Pager next={next} prev={prev} search={search} />
      {canAdd ? (
        <details className="card" open={Boolean(result)}>
          <summary>添加一道题</summary>
          <QuestionForm errors={result?.fieldErrors} formError={result?.formError} submitLabel="添加" />
        </details>
      ) : null}
    </>
  );
}
