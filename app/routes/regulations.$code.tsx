import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { todayIso } from "~/lib/clock.server";
import { notFound } from "~/lib/http";
import { z } from "~/lib/validation";
import { authorize, requireActor } from "~/modules/auth/session.server";
import { KIND_LABELS, type RegulationKind } from "~/modules/regulations/citations";
import { regulationPage } from "~/modules/regulations/regulations.server";
import { entryStatus, STATUS_LABELS } from "~/modules/regulations/rules";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `《${data.regulation.name}》` : "法规"} · 法规库 · 安训` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  authorize(actor, "view", { type: "regulation" });
  const code = z
    .string()
    .regex(/^[a-z0-9-]{2,64}$/)
    .safeParse(params.code);
  const page = code.success ? await regulationPage(actor, code.data) : undefined;
  if (!page) notFound("法规库中没有这一条目。");
  return { ...page, status: entryStatus(page.regulation, todayIso()) };
}

export default function RegulationEntry() {
  const {
    regulation: r,
    status,
    supersedes,
    supersededBy,
    articles,
    courses,
    lessons,
    questions,
    questionCount,
    showsQuestions,
  } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="small">
        <Link to="/regulations">法规库</Link>
      </p>
      <h1>《{r.name}》</h1>
      <dl className="facts">
        <dt>类别</dt>
        <dd>{KIND_LABELS[r.kind as RegulationKind] ?? r.kind}</dd>
        <dt>文号 / 标准号</dt>
        <dd>{r.number ?? "—"}</dd>
        <dt>发布机关</dt>
        <dd>{r.issuer}</dd>
        <dt>公布日期</dt>
        <dd>{r.issued_on ?? "—"}</dd>
        <dt>施行日期</dt>
        <dd>{r.effective_on ?? "—"}</dd>
        {r.repealed_on ? (
          <>
            <dt>废止日期</dt>
            <dd>{r.repealed_on}</dd>
          </>
        ) : null}
        <dt>现行版本</dt>
        <dd>{r.version}</dd>
        <dt>状态</dt>
        <dd data-testid="regulation-status">{STATUS_LABELS[status]}</dd>
        {r.article_count ? (
          <>
            <dt>条文数</dt>
            <dd>{r.article_count} 条</dd>
          </>
        ) : null}
        {supersededBy ? (
          <>
            <dt>被取代</dt>
            <dd>
              <Link to={`/regulations/${supersededBy.code}`}>
                《{supersededBy.name}》{supersededBy.number ? `（${supersededBy.number}）` : ""}
              </Link>
            </dd>
          </>
        ) : null}
        {supersedes.length ? (
          <>
            <dt>取代</dt>
            <dd>
              {supersedes.map((s) => (
                <Link key={s.code} to={`/regulations/${s.code}`}>
                  《{s.name}》{s.number ? `（${s.number}）` : ""}{" "}
                </Link>
              ))}
            </dd>
          </>
        ) : null}
      </dl>
      {r.note ? (
        <aside className="box box-warning" role="note">
          <div className="box-title">说明</div>
          {r.note}
        </aside>
      ) : null}
      {articles.length ? (
        <section>
          <h2>被引用的条款</h2>
          <ul>
            {articles.map((a) => (
              <li key={a.label} id={a.label}>
                <strong>{a.label}</strong>
                {a.gist ? `：${a.gist}` : ""}
                {a.citedBy ? <span className="small muted">（被引用 {a.citedBy} 次）</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section>
        <h2>引用它的课程和课时</h2>
        {courses.length + lessons.length === 0 ? (
          <p className="muted">没有课程引用。</p>
        ) : (
          <ul>
            {courses.map((c) => (
              <li key={c.slug}>
                <Link to={`/courses/${c.slug}`}>课程《{c.title}》</Link>
                {c.review_pending ? <strong className="small"> 待复核</strong> : null}
              </li>
            ))}
            {lessons.map((l) => (
              <li key={`${l.course_slug}/${l.slug}`}>
                <Link to={`/courses/${l.course_slug}/${l.slug}`}>
                  《{l.course_title}》· {l.title}
                </Link>
                {l.review_pending ? <strong className="small"> 待复核</strong> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      {showsQuestions ? (
        <section>
          <h2>引用它的题目（{questionCount}）</h2>
          <ul>
            {questions.map((q) => (
              <li key={q.id}>
                <Link to={`/questions/${q.id}`}>{q.external_id}</Link> {q.stem}
                {q.review_pending ? <strong className="small"> 待复核</strong> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
