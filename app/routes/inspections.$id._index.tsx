import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, Link } from "@remix-run/react";
import { FormError } from "~/components/form";
import { readForm, refused } from "~/lib/forms.server";
import { can } from "~/modules/auth/policy";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedInspection } from "~/modules/inspections/access.server";
import { enterpriseProfile, getInspection, inspectionSummary } from "~/modules/inspections/inspections.server";
import { createQuiz, quizTemplates, quizzesOfInspection } from "~/modules/inspections/quiz.server";
import { QuizPlanInput } from "~/modules/inspections/schema";
import { EnterpriseProfile } from "~/modules/inspections/ui/profile";
import { POST_LABELS, POSTS } from "~/modules/org/labels";
import { CATEGORIES } from "~/modules/certification/catalogue";

export const meta: MetaFunction = () => [{ title: "检查记录 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const resource = await authorizedInspection(actor, params.id, "view");
  const [inspection, profile, summary, quizzes, templates] = await Promise.all([
    getInspection(resource.id),
    enterpriseProfile(resource.enterprise_id),
    inspectionSummary(resource.id),
    quizzesOfInspection(resource.id),
    quizTemplates(),
  ]);
  return {
    inspection: inspection!,
    profile,
    summary,
    quizzes,
    defaults: Object.fromEntries(
      POSTS.map((p) => [
        p,
        templates[p] ? { minutes: templates[p]!.time_limit_minutes, passMark: templates[p]!.pass_mark } : null,
      ]),
    ),
    canInspect: can(actor, "inspect", {
      type: "inspection",
      enterpriseId: resource.enterprise_id,
      regionPath: resource.region_path,
    }),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const inspection = await authorizedInspection(actor, params.id, "inspect");
  const form = await readForm(request, QuizPlanInput);
  if (!form.ok) return form.response;
  const created = await createQuiz(actor, inspection.id, form.data, clientIp(request));
  if (!created.ok) return refused(created, form.values);
  throw redirect(`/quizzes/${created.id}`);
}

export default function InspectionPage() {
  const { inspection: i, profile, summary, quizzes, defaults, canInspect } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>检查：{i.enterprise_name}</h1>
      <p className="small muted">
        {i.inspected_on} · {i.inspectors}
        {i.place ? ` · ${i.place}` : ""} · <a href={`/inspections/${i.id}/print`}>打印检查结果</a> ·{" "}
        <a href={`/documents/inspection/${i.id}`} download>
          下载结果单（PDF）
        </a>
      </p>
      {canInspect ? (
        <section className="card" aria-labelledby="issue">
          <h2 id="issue">逢查必考：发起现场测验</h2>
          <Form method="post" className="stack" noValidate>
            <FormError message={result?.formError} />
            <p className="hint">
              填写每个岗位参加测验的人数（不参加填 0）。题目按岗位和企业行业从题库随机抽取，每人一份。
            </p>
            <div className="grid">
              {POSTS.map((p) => (
                <label key={p} className="field">
                  <span>
                    {POST_LABELS[p]}
                    {defaults[p] ? (
                      <span className="small muted">
                        （{defaults[p]!.minutes} 分钟，{defaults[p]!.passMark} 分及格）
                      </span>
                    ) : null}
                  </span>
                  <input
                    name={p}
                    inputMode="numeric"
                    defaultValue={p === "principal" || p === "safety_manager" ? 1 : p === "worker" ? 3 : 0}
                    aria-label={`${POST_LABELS[p]}人数`}
                  />
                </label>
              ))}
            </div>
            {result?.fieldErrors?.worker ? (
              <div className="error" role="alert">
                {result.fieldErrors.worker}
              </div>
            ) : null}
            <label className="field">
              <span>特种作业人员的作业类别</span>
              <select name="specialCategory" defaultValue="" aria-label="特种作业类别">
                <option value="">不限类别</option>
                {CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            {result?.fieldErrors?.specialCategory ? (
              <div className="error" role="alert">
                {result.fieldErrors.specialCategory}
              </div>
            ) : null}
            <label className="choice">
              <input type="checkbox" name="photoAtJoin" value="1" />{" "}
              加入时拍照：参测人员用手机拍一张本人照片，显示在实时结果和结果单上，供核对身份
            </label>
            <label className="field">
              <span>二维码有效时间（分钟）</span>
              <input name="minutes" inputMode="numeric" defaultValue={60} />
            </label>
            <button type="submit">生成测验二维码</button>
          </Form>
        </section>
      ) : null}
      {quizzes.length ? (
        <section className="card">
          <h2>本次检查的测验</h2>
          <ul>
            {quizzes.map((q) => (
              <li key={q.id}>
                <Link to={`/quizzes/${q.id}`}>测验码 {q.join_code}</Link> {q.closed_at ? "（已结束）" : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="card" aria-labelledby="result">
        <h2 id="result">测验结果</h2>
        <p>
          参加 {summary.people.length} 人，合格率{" "}
          <strong data-testid="inspection-pass-rate">
            {summary.passRate === null ? "—" : `${Math.round(summary.passRate * 100)}%`}
          </strong>
        </p>
        <ul className="small">
          {Object.entries(summary.byPost).map(([post, v]) => (
            <li key={post}>
              {POST_LABELS[post as keyof typeof POST_LABELS]}：{v.people} 人，合格 {v.passed} 人
            </li>
          ))}
        </ul>
        {summary.weakestTopics.length ? (
          <p className="small">
            薄弱知识点：{summary.weakestTopics.map((t) => `${t.topic}（${Math.round(t.rate * 100)}%）`).join("、")}
          </p>
        ) : null}
      </section>
      <section className="card">
        <h2>企业概况</h2>
        <EnterpriseProfile p={profile} />
      </section>
    </>
  );
}
