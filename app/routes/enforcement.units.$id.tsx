import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { Field, FormError } from "~/components/form";
import { invalid, readFields, refused } from "~/lib/forms.server";
import { parseInput } from "~/lib/validation.server";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { can } from "~/modules/auth/policy";
import { createAssignment, enterpriseAssignments } from "~/modules/courses/assignments.server";
import { catalogCourseOptions } from "~/modules/courses/progress.server";
import { AssignmentInput } from "~/modules/courses/training-schema";
import { authorizedUnit } from "~/modules/enforcement/access.server";
import { UNIT_LEVEL_LABELS } from "~/modules/enforcement/rules";
import { EnforcementCertInput, UnitIntent } from "~/modules/enforcement/schema.server";
import { addEnforcementCertificate, certKind, unitPeople } from "~/modules/enforcement/units.server";
import { HoldingBadge, pct, rateOf, TargetBadge } from "~/modules/enforcement/ui/parts";
import { createExam, enterpriseExams, templatesFor } from "~/modules/exams/exams.server";
import { ExamInput } from "~/modules/exams/schema.server";
import { POSTS } from "~/modules/org/labels";
import { holds } from "~/modules/enforcement/rules";

export const meta: MetaFunction = () => [{ title: "执法单位 · 安训" }];

const fmt = (d: Date | string) =>
  new Date(d).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }).slice(0, -3);

const TARGET_LABELS = { everyone: "本单位全体人员", person: "指定人员", new_hires: "新入职人员（岗前培训）" } as const;

/** One enforcement unit: its people with their 执法证 and 学时, and their training tasks and exams (decision 0029). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const unit = await authorizedUnit(actor, params.id, "view");
  const resource = { type: "enforcement_unit" as const, regionPath: unit.region_path };
  const canAssign = can(actor, "create", resource);
  const canCertify = can(actor, "update", resource);
  const [people, kind, assignments, exams, courses, templates] = await Promise.all([
    unitPeople(unit),
    certKind(),
    enterpriseAssignments(unit.id),
    enterpriseExams(unit.id),
    canAssign ? catalogCourseOptions() : Promise.resolve([]),
    canAssign ? templatesFor(unit.id) : Promise.resolve([]),
  ]);
  return {
    unit: { id: unit.id, name: unit.name, level: unit.level, regionId: unit.region_id, regionName: unit.region_name },
    kind: { name: kind.name, target: kind.target_rate, validityMonths: kind.validity_months, basis: kind.basis },
    people: people.map((p) => ({
      id: p.id,
      name: p.name,
      idMasked: p.id_number_masked,
      state: p.state,
      number: p.cert?.number ?? null,
      validUntil: p.cert?.valid_until ?? null,
      hours: p.hours,
    })),
    assignments: assignments.map(({ people: _p, ...a }) => a),
    exams: exams.map((e) => ({
      id: e.id,
      title: e.title,
      opens_at: e.opens_at,
      closes_at: e.closes_at,
      takers: Number(e.takers),
      passers: Number(e.passers),
    })),
    courses,
    templates: templates.map((t) => ({ id: t.id, name: t.name })),
    canAssign,
    canCertify,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const values = await readFields(request);
  const intent = UnitIntent.safeParse(values.intent);
  if (!intent.success) return invalid({}, "无法识别的操作。", values);
  // Training tasks and exams are `create`; registering a 执法证 is `update` (policy resource enforcement_unit).
  const unit = await authorizedUnit(actor, params.id, intent.data === "certificate" ? "update" : "create");
  const ip = clientIp(request);
  const fail = (p: { fieldErrors: Record<string, string>; formError?: string }) =>
    invalid(p.fieldErrors, p.formError ?? "请更正标出的内容后再提交。", values);
  switch (intent.data) {
    case "assign": {
      const p = parseInput(AssignmentInput, values);
      if (!p.ok) return fail(p);
      if (p.data.target === "post") return invalid({ target: "请选择分配对象" }, "请选择分配对象", values);
      const r = await createAssignment(actor, unit.id, p.data, ip);
      if (!r.ok) return refused(r, values);
      return { ok: true as const, intent: intent.data, done: "培训任务已布置，相关人员已收到站内信。" };
    }
    case "exam": {
      // Everyone of a unit sits its exams, whatever post their record carries.
      const p = parseInput(ExamInput, { ...values, posts: [...POSTS] });
      if (!p.ok) return fail(p);
      const r = await createExam(actor, unit.id, p.data, ip);
      if (!r.ok) return refused(r, values);
      return { ok: true as const, intent: intent.data, done: "考试已发布。" };
    }
    case "certificate": {
      const p = parseInput(EnforcementCertInput, values);
      if (!p.ok) return fail(p);
      const r = await addEnforcementCertificate(actor, unit, p.data, ip);
      if (!r.ok) return refused(r, values);
      return { ok: true as const, intent: intent.data, done: "执法证已登记。" };
    }
  }
}

export default function Unit() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && "fieldErrors" in result ? result : null;
  const errorsFor = (intent: string) => (failed && failed.values?.intent === intent ? failed.fieldErrors : undefined);
  const formErrorFor = (intent: string) => (failed && failed.values?.intent === intent ? failed.formError : undefined);
  const [target, setTarget] = useState<string>("everyone");
  const holding = d.people.filter((p) => holds(p.state)).length;
  const rate = rateOf(holding, d.people.length);
  return (
    <>
      <h1>{d.unit.name}</h1>
      <p className="small muted">
        {UNIT_LEVEL_LABELS[d.unit.level]} · {d.unit.regionName} ·{" "}
        <Link to={`/enforcement?region=${d.unit.regionId}`}>返回{d.unit.regionName}持证统计</Link>
      </p>
      {result && "done" in result ? (
        <p className="notice" role="status">
          {result.done}
        </p>
      ) : null}
      <section className="card">
        <div className="grid">
          <div>
            <div className="stat-label">{d.kind.name}持证率</div>
            <div className="stat" data-testid="unit-rate">
              {pct(rate)}
            </div>
            <TargetBadge rate={rate} target={d.kind.target} />
          </div>
          <div>
            <div className="stat-label">持证 / 在册</div>
            <div className="stat" data-testid="unit-holding">
              {holding} / {d.people.length}
            </div>
          </div>
        </div>
      </section>
      <section className="card">
        <h2>执法人员</h2>
        <div className="table-wrap">
          <table className="responsive" data-testid="unit-people">
            <thead>
              <tr>
                <th>姓名</th>
                <th>身份证号</th>
                <th>{d.kind.name}编号</th>
                <th>有效期至</th>
                <th>状态</th>
                <th>今年学时</th>
              </tr>
            </thead>
            <tbody>
              {d.people.map((p) => (
                <tr key={p.id}>
                  <td data-label="姓名">
                    <Link to={`/people/${p.id}`}>{p.name}</Link>
                  </td>
                  <td data-label="身份证号">{p.idMasked}</td>
                  <td data-label="证件编号">{p.number ?? "—"}</td>
                  <td data-label="有效期至">{p.validUntil ?? "—"}</td>
                  <td data-label="状态">
                    <HoldingBadge state={p.state} />
                  </td>
                  <td data-label="今年学时">
                    <Link to={`/people/${p.id}/study`}>{p.hours}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <div className="home-grid">
        <section className="card">
          <h2>培训任务</h2>
          <div className="table-wrap">
            <table className="responsive" data-testid="unit-assignments">
              <thead>
                <tr>
                  <th>课程</th>
                  <th>截止</th>
                  <th>完成</th>
                  <th>逾期</th>
                </tr>
              </thead>
              <tbody>
                {d.assignments.map((a) => (
                  <tr key={a.id}>
                    <td data-label="课程">
                      <Link to={`/assignments/${a.id}`}>{a.title}</Link>
                    </td>
                    <td data-label="截止">{a.dueOn ?? `入职后 ${a.dueDays} 天内`}</td>
                    <td data-label="完成">
                      {a.completed}/{a.assigned}
                    </td>
                    <td data-label="逾期">{a.overdue ? <span className="badge bad">{a.overdue}</span> : 0}</td>
                  </tr>
                ))}
                {d.assignments.length === 0 ? (
                  <tr>
                    <td colSpan={4} className="muted">
                      还没有培训任务。
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
          {d.canAssign ? (
            <Form method="post" className="stack" noValidate aria-label="布置培训任务">
              <h3>布置培训任务</h3>
              <input type="hidden" name="intent" value="assign" />
              <FormError message={formErrorFor("assign")} />
              <Field name="courseId" label="课程" errors={errorsFor("assign")} required>
                {(a) => (
                  <select {...a} defaultValue="">
                    <option value="">请选择</option>
                    {d.courses.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.title}（{c.hours} 学时）
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field name="target" label="分配给" errors={errorsFor("assign")} required>
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
              {target === "person" ? (
                <Field name="targetPersonId" label="人员" errors={errorsFor("assign")} required>
                  {(a) => (
                    <select {...a} defaultValue="">
                      <option value="">请选择</option>
                      {d.people.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.name}
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
                  errors={errorsFor("assign")}
                  required
                  inputMode="numeric"
                  defaultValue="30"
                />
              ) : (
                <Field name="dueOn" label="截止日期" type="date" errors={errorsFor("assign")} required />
              )}
              <button type="submit">布置</button>
            </Form>
          ) : null}
        </section>
        <section className="card">
          <h2>考试</h2>
          <div className="table-wrap">
            <table className="responsive" data-testid="unit-exams">
              <thead>
                <tr>
                  <th>考试</th>
                  <th>时间</th>
                  <th>参考 / 合格</th>
                </tr>
              </thead>
              <tbody>
                {d.exams.map((e) => (
                  <tr key={e.id}>
                    <td data-label="考试">
                      <Link to={`/exams/${e.id}/roster`}>{e.title}</Link>
                    </td>
                    <td data-label="时间">
                      {fmt(e.opens_at)} 至 {fmt(e.closes_at)}
                    </td>
                    <td data-label="参考 / 合格">
                      {e.takers} / {e.passers}
                    </td>
                  </tr>
                ))}
                {d.exams.length === 0 ? (
                  <tr>
                    <td colSpan={3} className="muted">
                      还没有考试。
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
          {d.canAssign ? (
            <Form method="post" className="stack" noValidate aria-label="发布考试">
              <h3>发布考试</h3>
              <input type="hidden" name="intent" value="exam" />
              <FormError message={formErrorFor("exam")} />
              <Field name="templateId" label="试卷" errors={errorsFor("exam")} required>
                {(a) => (
                  <select {...a} defaultValue="">
                    <option value="">请选择</option>
                    {d.templates.map((t) => (
                      <option key={t.id} value={t.id}>
                        {t.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field name="title" label="考试名称" errors={errorsFor("exam")} required />
              <Field
                name="opensAt"
                label="开始时间（北京时间）"
                type="datetime-local"
                errors={errorsFor("exam")}
                required
              />
              <Field
                name="closesAt"
                label="结束时间（北京时间）"
                type="datetime-local"
                errors={errorsFor("exam")}
                required
              />
              <button type="submit">发布考试</button>
            </Form>
          ) : null}
        </section>
      </div>
      {d.canCertify ? (
        <section className="card">
          <h2>登记{d.kind.name}</h2>
          <p className="small muted">
            有效期按证件类型规则计算：自发证日期起 {d.kind.validityMonths} 个月（{d.kind.basis}
            ）。同一编号再次登记即更新。
          </p>
          <Form method="post" className="stack" noValidate aria-label={`登记${d.kind.name}`}>
            <input type="hidden" name="intent" value="certificate" />
            <FormError message={formErrorFor("certificate")} />
            <Field name="personId" label="人员" errors={errorsFor("certificate")} required>
              {(a) => (
                <select {...a} defaultValue="">
                  <option value="">请选择</option>
                  {d.people.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field name="number" label="证件编号" errors={errorsFor("certificate")} required />
            <Field name="validFrom" label="发证日期" type="date" errors={errorsFor("certificate")} required />
            <Field name="authority" label="发证机关" errors={errorsFor("certificate")} />
            <button type="submit">登记</button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
