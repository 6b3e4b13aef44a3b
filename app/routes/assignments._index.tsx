import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, Link } from "@remix-run/react";
import { useState } from "react";
import { Field, FormError } from "~/components/form";
import { readForm, refused } from "~/lib/forms.server";
import { can } from "~/modules/auth/policy";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { trainingEnterprise } from "~/modules/courses/access.server";
import { createAssignment, enterpriseAssignments } from "~/modules/courses/assignments.server";
import { catalogCourseOptions } from "~/modules/courses/progress.server";
import { AssignmentInput } from "~/modules/courses/training-schema";
import { POST_LABELS, POSTS } from "~/modules/org/labels";
import { activePeopleOf } from "~/modules/org/people.server";

export const meta: MetaFunction = () => [{ title: "培训任务 · 安训" }];

const TARGET_LABELS = {
  everyone: "全体人员",
  post: "按岗位",
  person: "指定人员",
  new_hires: "新入职员工（岗前培训）",
} as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const enterprise = await trainingEnterprise(actor, new URL(request.url), "view");
  const canCreate = can(actor, "create", {
    type: "training",
    enterpriseId: enterprise.id,
    regionPath: enterprise.regionPath,
  });
  const [assignments, courses, people] = await Promise.all([
    enterpriseAssignments(enterprise.id),
    canCreate ? catalogCourseOptions() : Promise.resolve([]),
    canCreate ? activePeopleOf(enterprise.id) : Promise.resolve([]),
  ]);
  return {
    enterpriseId: enterprise.id,
    canCreate,
    courses,
    people,
    assignments: assignments.map(({ people: _p, ...a }) => a),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const enterprise = await trainingEnterprise(actor, new URL(request.url), "create");
  const form = await readForm(request, AssignmentInput);
  if (!form.ok) return form.response;
  const saved = await createAssignment(actor, enterprise.id, form.data, clientIp(request));
  if (!saved.ok) return refused(saved, form.values);
  throw redirect(`/assignments/${saved.id}`);
}

export default function Assignments() {
  const { enterpriseId, canCreate, courses, people, assignments } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [target, setTarget] = useState<string>((result?.values?.target as string) ?? "everyone");
  const errors = result?.fieldErrors;
  return (
    <>
      <h1>培训任务</h1>
      <div className="actions">
        <a className="button secondary" href={`/assignments/export?enterpriseId=${enterpriseId}`} download>
          导出完成情况（Excel）
        </a>
      </div>
      <div className="table-wrap">
        <table className="responsive">
          <thead>
            <tr>
              <th>课程</th>
              <th>对象</th>
              <th>截止</th>
              <th>完成</th>
              <th>逾期</th>
            </tr>
          </thead>
          <tbody>
            {assignments.map((a) => (
              <tr key={a.id}>
                <td data-label="课程">
                  <Link to={`/assignments/${a.id}`}>{a.title}</Link>
                </td>
                <td data-label="对象">
                  {TARGET_LABELS[a.target]}
                  {a.targetPost ? `：${POST_LABELS[a.targetPost]}` : ""}
                </td>
                <td data-label="截止">{a.dueOn ?? `入职后 ${a.dueDays} 天内`}</td>
                <td data-label="完成">
                  {a.completed}/{a.assigned}
                </td>
                <td data-label="逾期">{a.overdue ? <span className="badge bad">{a.overdue}</span> : 0}</td>
              </tr>
            ))}
            {assignments.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  还没有培训任务。
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {canCreate ? (
        <section className="card">
          <h2>布置培训任务</h2>
          <Form method="post" className="stack" noValidate>
            <FormError message={result?.formError} />
            <Field name="courseId" label="课程" errors={errors} required>
              {(a) => (
                <select {...a} defaultValue={(result?.values?.courseId as string) ?? ""}>
                  <option value="">请选择</option>
                  {courses.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.title}（{c.hours} 学时）
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field name="target" label="分配给" errors={errors} required>
              {(a) => (
                <select {...a} value={target} onChange={(e) => setTarget(e.target.value)}>
                  {Object.entries(TARGET_LABELS).map(([k, v]) => (
                    <option key={k} value={k}>
                      {v}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {target === "post" ? (
              <Field name="targetPost" label="岗位" errors={errors} required>
                {(a) => (
                  <select {...a}>
                    <option value="">请选择</option>
                    {POSTS.map((p) => (
                      <option key={p} value={p}>
                        {POST_LABELS[p]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : null}
            {target === "person" ? (
              <Field name="targetPersonId" label="人员" errors={errors} required>
                {(a) => (
                  <select {...a}>
                    <option value="">请选择</option>
                    {people.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}（{POST_LABELS[p.post]}）
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : null}
            {target === "new_hires" ? (
              <Field
                name="dueDays"
                label="入职后几天内完成"
                errors={errors}
                required
                inputMode="numeric"
                defaultValue="30"
              />
            ) : (
              <Field name="dueOn" label="截止日期" type="date" errors={errors} required />
            )}
            <button type="submit">布置</button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
