import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, Link } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { readForm, refused } from "~/lib/forms.server";
import { idParam } from "~/lib/validation.server";
import { can } from "~/modules/auth/policy";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { trainingEnterprise } from "~/modules/courses/access.server";
import { createExam, enterpriseExams, examsForPerson, templatesFor } from "~/modules/exams/exams.server";
import { ExamInput } from "~/modules/exams/schema.server";
import { POST_LABELS, POSTS } from "~/modules/org/labels";
import { enterpriseResource } from "~/modules/org/people.server";

export const meta: MetaFunction = () => [{ title: "考试 · 安训" }];

const fmt = (d: Date | string) =>
  new Date(d).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }).slice(0, -3);

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const url = new URL(request.url);
  const mine = actor.personId ? await examsForPerson(actor.personId) : null;
  let manage = null;
  const enterpriseId =
    idParam
      .optional()
      .catch(undefined)
      .parse(url.searchParams.get("enterpriseId") ?? undefined) ?? actor.enterpriseId;
  if (enterpriseId) {
    const resource = await enterpriseResource(enterpriseId);
    if (
      resource &&
      can(actor, "view", { type: "training", enterpriseId: resource.id, regionPath: resource.regionPath })
    ) {
      const canCreate = can(actor, "create", {
        type: "training",
        enterpriseId: resource.id,
        regionPath: resource.regionPath,
      });
      manage = {
        enterpriseId: resource.id,
        canCreate,
        exams: await enterpriseExams(resource.id),
        templates: canCreate ? (await templatesFor(resource.id)).map((t) => ({ id: t.id, name: t.name })) : [],
      };
    }
  }
  return { mine, manage };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const enterprise = await trainingEnterprise(actor, new URL(request.url), "create");
  const form = await readForm(request, ExamInput);
  if (!form.ok) return form.response;
  const saved = await createExam(actor, enterprise.id, form.data, clientIp(request));
  if (!saved.ok) return refused(saved, form.values);
  throw redirect(`/exams?enterpriseId=${enterprise.id}&created=${saved.id}`);
}

export default function Exams() {
  const { mine, manage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>考试</h1>
      {mine ? (
        <section aria-labelledby="mine">
          <h2 id="mine">我的考试</h2>
          {mine.length === 0 ? <p className="muted">目前没有面向您的考试。</p> : null}
          {mine.map((e) => (
            <article key={e.id} className="card">
              <h3>{e.title}</h3>
              <p className="small muted">
                {fmt(e.opens_at)} 至 {fmt(e.closes_at)} · 限时 {e.time_limit_minutes} 分钟 · {e.pass_mark} 分及格 · 可考{" "}
                {e.attempts_allowed} 次
              </p>
              {e.attempts.map((a) => (
                <p key={a.id} className="small">
                  第 {a.no} 次：
                  {a.submitted ? (
                    <>
                      <Link to={`/attempts/${a.id}/review`}>{a.score} 分</Link>{" "}
                      {a.passed ? <span className="badge ok">合格</span> : <span className="badge bad">不合格</span>}
                    </>
                  ) : (
                    "进行中"
                  )}
                </p>
              ))}
              <div className="actions">
                {e.openAttemptId ? (
                  <Link className="button" to={`/attempts/${e.openAttemptId}`}>
                    继续答题
                  </Link>
                ) : null}
                {e.canStart ? (
                  <Link className="button" to={`/exams/${e.id}/start`}>
                    {e.attempts.length ? "再考一次" : "开始考试"}
                  </Link>
                ) : null}
                {e.state === "upcoming" ? <span className="badge">未开始</span> : null}
                {e.state === "closed" ? <span className="badge">已结束</span> : null}
              </div>
            </article>
          ))}
        </section>
      ) : null}
      {manage ? (
        <section aria-labelledby="manage">
          <h2 id="manage">本企业的考试</h2>
          <div className="actions">
            <Link className="button secondary" to="/exam-templates">
              试卷模板与统计
            </Link>
            <Link className="button secondary" to="/questions">
              题库
            </Link>
          </div>
          <div className="table-wrap">
            <table className="responsive">
              <thead>
                <tr>
                  <th>考试</th>
                  <th>时间</th>
                  <th>岗位</th>
                  <th>参考 / 合格</th>
                </tr>
              </thead>
              <tbody>
                {manage.exams.map((e) => (
                  <tr key={e.id}>
                    <td data-label="考试">
                      <Link to={`/exams/${e.id}/roster`}>{e.title}</Link>
                      {e.makeup_of ? <span className="badge warn">补考</span> : null}
                      <div className="small muted">
                        {e.template_name} · <Link to={`/exams/${e.id}/roster`}>名单与成绩</Link>
                      </div>
                    </td>
                    <td data-label="时间" className="small">
                      {fmt(e.opens_at)} 至 {fmt(e.closes_at)}
                    </td>
                    <td data-label="岗位" className="small">
                      {e.posts
                        .split(",")
                        .map((p) => POST_LABELS[p as keyof typeof POST_LABELS])
                        .join("、")}
                    </td>
                    <td data-label="参考/合格">
                      {Number(e.takers)} / {Number(e.passers)}{" "}
                      <Link className="small" to={`/exam-templates/${e.template_id}/stats`}>
                        统计
                      </Link>
                    </td>
                  </tr>
                ))}
                {manage.exams.length === 0 ? (
                  <tr>
                    <td colSpan={4} className="muted">
                      还没有考试。
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
          {manage.canCreate ? (
            <section className="card">
              <h3>发布考试</h3>
              <Form method="post" className="stack" noValidate>
                <FormError message={result?.formError} />
                <Field name="title" label="考试名称" errors={result?.fieldErrors} required />
                <Field name="templateId" label="试卷" errors={result?.fieldErrors} required>
                  {(a) => (
                    <select {...a}>
                      <option value="">请选择</option>
                      {manage.templates.map((t) => (
                        <option key={t.id} value={t.id}>
                          {t.name}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <fieldset className="field">
                  <legend>
                    <strong>参考岗位</strong>
                  </legend>
                  {POSTS.map((p) => (
                    <label key={p} className="choice">
                      <input type="checkbox" name="posts" value={p} defaultChecked /> {POST_LABELS[p]}
                    </label>
                  ))}
                  {result?.fieldErrors?.posts ? (
                    <div className="error" role="alert">
                      {result.fieldErrors.posts}
                    </div>
                  ) : null}
                </fieldset>
                <Field
                  name="opensAt"
                  label="开始时间（北京时间）"
                  type="datetime-local"
                  errors={result?.fieldErrors}
                  required
                />
                <Field
                  name="closesAt"
                  label="结束时间（北京时间）"
                  type="datetime-local"
                  errors={result?.fieldErrors}
                  required
                />
                <button type="submit">发布</button>
              </Form>
            </section>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
