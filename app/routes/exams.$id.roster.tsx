import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams, Link } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { formatDuration, formatInstant } from "~/lib/calendar";
import { readForm, refused } from "~/lib/forms.server";
import { can } from "~/modules/auth/policy";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedRosterExam } from "~/modules/exams/roster-access.server";
import { MakeupInput, ROSTER_STATUS_LABELS, ROSTER_STATUSES, RosterQuery } from "~/modules/exams/roster-schema";
import { examRoster, scheduleMakeup } from "~/modules/exams/roster.server";
import { POST_LABELS } from "~/modules/org/labels";
import type { Post } from "../../db/types";

export const meta: MetaFunction = () => [{ title: "考试名单与成绩 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const exam = await authorizedRosterExam(actor, params.id, "view");
  const url = new URL(request.url);
  const query = RosterQuery.parse(Object.fromEntries(url.searchParams));
  const roster = await examRoster(exam, query);
  return {
    exam: {
      id: exam.id,
      title: exam.title,
      posts: exam.posts.split(",") as Post[],
      opensAt: exam.opens_at,
      closesAt: exam.closes_at,
      passMark: exam.pass_mark,
      attemptsAllowed: exam.attempts_allowed,
      enterpriseName: exam.enterprise_name,
      makeupOf: exam.makeup_of,
    },
    query,
    roster,
    canSchedule: can(actor, "create", {
      type: "training",
      enterpriseId: exam.enterprise_id,
      regionPath: exam.region_path,
    }),
    scheduled: url.searchParams.get("scheduled"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const exam = await authorizedRosterExam(actor, params.id, "create");
  const form = await readForm(request, MakeupInput);
  if (!form.ok) return form.response;
  const result = await scheduleMakeup(actor, exam, form.data, clientIp(request));
  if (!result.ok) return refused(result, form.values);
  throw redirect(`/exams/${exam.id}/roster?scheduled=${result.id}`);
}

const STATUS_CLASS = { absent: "badge", running: "badge warn", passed: "badge ok", failed: "badge bad" } as const;

export default function Roster() {
  const { exam, query, roster, canSchedule, scheduled } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const total = Object.values(roster.counts).reduce((a, b) => a + b, 0);
  const link = (patch: Record<string, string | undefined>) => {
    const p = new URLSearchParams(params);
    p.delete("after");
    p.delete("scheduled");
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) p.delete(k);
      else p.set(k, v);
    }
    const s = p.toString();
    return s ? `?${s}` : "?";
  };
  const exportParams = new URLSearchParams(params);
  exportParams.delete("after");
  exportParams.delete("scheduled");
  return (
    <>
      <p className="small">
        <Link to="/exams">← 考试</Link>
      </p>
      <h1>{exam.title}：名单与成绩</h1>
      <p className="muted small">
        {exam.enterpriseName} · {formatInstant(exam.opensAt)} 至 {formatInstant(exam.closesAt)} · {exam.passMark} 分及格
        · 每人可考 {exam.attemptsAllowed} 次
        {exam.makeupOf ? " · 补考场次" : ` · 面向 ${exam.posts.map((p) => POST_LABELS[p]).join("、")}`}
      </p>
      {scheduled ? (
        <div className="notice" role="status">
          已安排补考，并已通知所选人员。
        </div>
      ) : null}
      <section className="roster-kpis" aria-label="状态统计">
        <a className={`roster-kpi${!query.status ? " current" : ""}`} href={link({ status: undefined })}>
          <span className="stat">{total}</span>
          <span className="stat-label">应考</span>
        </a>
        {ROSTER_STATUSES.map((s) => (
          <a
            key={s}
            className={`roster-kpi${query.status === s ? " current" : ""}`}
            href={link({ status: s })}
            data-testid={`count-${s}`}
          >
            <span className="stat">{roster.counts[s]}</span>
            <span className="stat-label">{ROSTER_STATUS_LABELS[s]}</span>
          </a>
        ))}
      </section>
      <Form method="get" className="filters roster-filters">
        {query.status ? <input type="hidden" name="status" value={query.status} /> : null}
        <label>
          岗位{" "}
          <select name="post" defaultValue={query.post ?? ""}>
            <option value="">全部</option>
            {exam.posts.map((p) => (
              <option key={p} value={p}>
                {POST_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
        <label>
          姓名 <input name="q" defaultValue={query.q ?? ""} maxLength={20} />
        </label>
        <button type="submit" className="secondary">
          筛选
        </button>
        <a className="button secondary" href={`/exams/${exam.id}/roster/export?${exportParams.toString()}`} download>
          导出成绩（Excel）
        </a>
      </Form>
      <Form method="post" noValidate>
        <FormError message={result?.formError} />
        <div className="table-wrap">
          <table className="roster">
            <thead>
              <tr>
                {canSchedule ? (
                  <th scope="col">
                    <span className="sr-only">选择</span>
                  </th>
                ) : null}
                <th>姓名</th>
                <th>岗位</th>
                <th>状态</th>
                <th className="num">最高分</th>
                <th className="num">最后一次</th>
                <th className="num">次数</th>
                <th className="num">用时</th>
                <th>交卷时间</th>
              </tr>
            </thead>
            <tbody>
              {roster.rows.map((r) => (
                <tr key={r.personId}>
                  {canSchedule ? (
                    <td>
                      {r.status === "failed" || r.status === "absent" ? (
                        <input type="checkbox" name="personIds" value={r.personId} aria-label={`选择 ${r.name} 补考`} />
                      ) : null}
                    </td>
                  ) : null}
                  <td>
                    <Link to={`/people/${r.personId}`}>{r.name}</Link>
                  </td>
                  <td className="small">{POST_LABELS[r.post]}</td>
                  <td>
                    <span className={STATUS_CLASS[r.status]}>{ROSTER_STATUS_LABELS[r.status]}</span>
                  </td>
                  <td className="num">{r.best ?? "—"}</td>
                  <td className="num">{r.last ?? "—"}</td>
                  <td className="num">{r.attempts}</td>
                  <td className="num small">{r.lastSeconds === null ? "—" : formatDuration(r.lastSeconds)}</td>
                  <td className="small">{r.lastSubmittedAt ? formatInstant(r.lastSubmittedAt) : "—"}</td>
                </tr>
              ))}
              {roster.rows.length === 0 ? (
                <tr>
                  <td colSpan={9} className="muted">
                    没有符合条件的人员。
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <div className="actions">
          {query.after ? (
            <a className="button secondary" href={link({ after: undefined })}>
              回到第一页
            </a>
          ) : null}
          {roster.next ? (
            <a className="button secondary" href={link({ after: String(roster.next) })}>
              下一页
            </a>
          ) : null}
        </div>
        {canSchedule ? (
          <fieldset className="card makeup">
            <legend>
              <strong>安排补考</strong>
            </legend>
            <p className="hint">勾选上表中不合格或未参考的人员，设定补考时间。补考使用同一试卷，系统会通知所选人员。</p>
            {result?.fieldErrors?.personIds ? (
              <div className="error" role="alert">
                {result.fieldErrors.personIds}
              </div>
            ) : null}
            <div className="grid">
              <Field
                name="opensAt"
                label="补考开始时间（北京时间）"
                type="datetime-local"
                errors={result?.fieldErrors}
                required
              />
              <Field
                name="closesAt"
                label="补考结束时间（北京时间）"
                type="datetime-local"
                errors={result?.fieldErrors}
                required
              />
            </div>
            <button type="submit">安排补考并通知</button>
          </fieldset>
        ) : null}
      </Form>
      {roster.makeups.length ? (
        <section className="card">
          <h2>本场的补考</h2>
          <ul>
            {roster.makeups.map((m) => (
              <li key={m.id}>
                <Link to={`/exams/${m.id}/roster`}>{m.title}</Link>{" "}
                <span className="small muted">
                  {formatInstant(m.opens_at)} 至 {formatInstant(m.closes_at)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
