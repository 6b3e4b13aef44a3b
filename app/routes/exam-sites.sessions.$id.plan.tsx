import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field } from "~/components/form";
import { formatInstant, toLocalInput } from "~/lib/calendar";
import { readFields } from "~/lib/forms.server";
import { httpError } from "~/lib/http";
import { parseInput } from "~/lib/validation";
import { can, listScope } from "~/modules/auth/policy";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedPlan } from "~/modules/exam-sites/access.server";
import { STARTED_MESSAGE, SESSION_STATUS_LABELS } from "~/modules/exam-sites/rules";
import {
  ProctorsInput,
  RosterIdsInput,
  RosterPeopleInput,
  RosterRemoveInput,
  SessionInput,
} from "~/modules/exam-sites/schema";
import {
  addRosterByIdNumbers,
  addRosterPeople,
  planOf,
  proctorOptions,
  removeFromRoster,
  roomsOf,
  searchPeople,
  sessionTemplates,
  setProctors,
  updateSession,
} from "~/modules/exam-sites/sites.server";

export const meta: MetaFunction = () => [{ title: "考试安排 · 安训" }];

/** A session's plan: time and room, roster (by ID numbers or from the people list) and proctors. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const session = await authorizedPlan(actor, params.id, "view");
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 30);
  const mayUpdate = can(actor, "update", { type: "exam_site", regionPath: session.region_path });
  const [plan, rooms, templates, inspectors, found] = await Promise.all([
    planOf(session),
    roomsOf(session.site_id),
    sessionTemplates(),
    mayUpdate ? proctorOptions(session.region_path) : Promise.resolve([]),
    mayUpdate && q ? searchPeople(listScope(actor), q) : Promise.resolve([]),
  ]);
  const onRoster = new Set(plan.roster.map((r) => r.person_id));
  return {
    session: {
      id: session.id,
      siteId: session.site_id,
      title: session.title,
      site: session.site_name,
      room: session.room_name,
      roomId: session.room_id,
      templateId: session.template_id,
      template: session.template_name,
      scheduledAt: toLocalInput(session.scheduled_at),
      when: formatInstant(session.scheduled_at),
      minutes: session.minutes,
      status: session.status,
      statusLabel: SESSION_STATUS_LABELS[session.status],
    },
    editable: mayUpdate && session.status === "scheduled",
    mayUpdate,
    startedMessage: STARTED_MESSAGE,
    plan,
    rooms,
    templates,
    inspectors,
    q,
    found: found.map((p) => ({ ...p, onRoster: onRoster.has(p.id) })),
  };
}

type Result = {
  ok: boolean;
  intent?: string;
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string | string[]>;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const session = await authorizedPlan(actor, params.id, "update");
  const fields = await readFields(request);
  const ip = clientIp(request);
  const intent = typeof fields.intent === "string" ? fields.intent : "";
  const fail = (status: number, message: string, fieldErrors: Record<string, string> = {}) =>
    data<Result>({ ok: false, intent, message, fieldErrors, values: fields }, { status });
  const done = (message: string) => data<Result>({ ok: true, intent, message });
  switch (intent) {
    case "session": {
      const parsed = parseInput(SessionInput, fields);
      if (!parsed.ok) return fail(422, "请更正标出的内容。", parsed.fieldErrors);
      const r = await updateSession(actor, session, parsed.data, ip);
      return r.ok ? done("考试安排已保存。") : fail(r.status, r.message, r.fieldErrors);
    }
    case "ids": {
      const parsed = parseInput(RosterIdsInput, fields);
      if (!parsed.ok) return fail(422, "请填写身份证号码。", parsed.fieldErrors);
      const r = await addRosterByIdNumbers(actor, session, listScope(actor), parsed.data.idNumbers, ip);
      if (!r.ok) return fail(r.status, r.message, r.fieldErrors);
      const skipped = [...r.invalid, ...r.notFound];
      return done(
        `已加入 ${r.added} 人。${skipped.length ? `未加入 ${skipped.length} 个号码（无效或不是本辖区在册人员）：${skipped.slice(0, 10).join("、")}` : ""}`,
      );
    }
    case "people": {
      const parsed = parseInput(RosterPeopleInput, fields);
      if (!parsed.ok) return fail(422, "请选择人员。", parsed.fieldErrors);
      const r = await addRosterPeople(actor, session, listScope(actor), parsed.data.personId, ip);
      return r.ok ? done(`已加入 ${r.added} 人。`) : fail(r.status, r.message, r.fieldErrors);
    }
    case "remove": {
      const parsed = parseInput(RosterRemoveInput, fields);
      if (!parsed.ok) return fail(422, "考生无效。", parsed.fieldErrors);
      const r = await removeFromRoster(actor, session, parsed.data.rosterId, ip);
      return r.ok ? done("已移出考生名单。") : fail(r.status, r.message);
    }
    case "proctors": {
      const parsed = parseInput(ProctorsInput, fields);
      if (!parsed.ok) return fail(422, "监考人员无效。", parsed.fieldErrors);
      const r = await setProctors(actor, session, parsed.data.userId, ip);
      return r.ok ? done("监考人员已保存。") : fail(r.status, r.message, r.fieldErrors);
    }
    default:
      httpError(400, "未知的操作");
  }
}

export default function SessionPlan() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  const busy = useNavigation().state !== "idle";
  const s = d.session;
  const errorsFor = (intent: string) =>
    result && !result.ok && result.intent === intent ? result.fieldErrors : undefined;
  const v = (intent: string, k: string, dflt: string) =>
    result && !result.ok && result.intent === intent && typeof result.values?.[k] === "string"
      ? (result.values[k] as string)
      : dflt;
  const key = result?.ok ? `${result.message}` : "form";
  const proctorIds = new Set(d.plan.proctors.map((p) => p.id));
  return (
    <>
      <p className="small">
        <Link to={`/exam-sites/sites/${s.siteId}`}>‹ {s.site}</Link> ·{" "}
        <Link to={`/exam-sites/sessions/${s.id}`}>监考台</Link>
      </p>
      <h1>{s.title}</h1>
      <p className="muted">
        {s.site} · {s.room} · {s.when} · {s.minutes} 分钟 · {s.template} · <b>{s.statusLabel}</b>
      </p>
      {result?.message ? (
        <p className={result.ok ? "notice" : "error-banner"} role={result.ok ? "status" : "alert"}>
          {result.message}
        </p>
      ) : null}
      {d.mayUpdate && !d.editable ? (
        <p className="error-banner" role="note">
          {d.startedMessage}
        </p>
      ) : null}
      <div className="site-columns">
        <section className="card">
          <h2>
            考生名单（{d.plan.roster.length} / {d.plan.seats} 座）
          </h2>
          <table className="table">
            <thead>
              <tr>
                <th>姓名</th>
                <th>身份证号</th>
                <th>单位</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {d.plan.roster.length === 0 ? (
                <tr>
                  <td colSpan={4} className="muted">
                    名单为空
                  </td>
                </tr>
              ) : (
                d.plan.roster.map((r) => (
                  <tr key={r.id}>
                    <td>{r.name}</td>
                    <td>{r.id_number_masked}</td>
                    <td>{r.enterprise_name}</td>
                    <td>
                      {d.editable && !r.checked_in_at ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="remove" />
                          <input type="hidden" name="rosterId" value={r.id} />
                          <button type="submit" className="small secondary" disabled={busy}>
                            移出
                          </button>
                        </Form>
                      ) : r.checked_in_at ? (
                        <span className="small muted">已签到</span>
                      ) : null}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
          {d.editable ? (
            <>
              <Form key={`ids-${key}`} method="post" className="stack" noValidate>
                <h3>按身份证号码添加</h3>
                <input type="hidden" name="intent" value="ids" />
                <Field
                  name="idNumbers"
                  label="身份证号码（每行一个）"
                  errors={errorsFor("ids")}
                  hint="只能添加本辖区在册人员"
                >
                  {(a) => <textarea {...a} rows={4} defaultValue={v("ids", "idNumbers", "")} />}
                </Field>
                <button type="submit" disabled={busy}>
                  加入名单
                </button>
              </Form>
              <h3>从人员名册添加</h3>
              <Form method="get" className="inline-form">
                <input name="q" aria-label="按姓名查找" placeholder="按姓名查找（姓名开头）" defaultValue={d.q} />
                <button type="submit" className="secondary">
                  查找
                </button>
              </Form>
              {d.q ? (
                <Form key={`people-${key}`} method="post" className="stack">
                  <input type="hidden" name="intent" value="people" />
                  {d.found.length === 0 ? (
                    <p className="muted small">没有找到姓名以「{d.q}」开头的本辖区人员。</p>
                  ) : (
                    <ul className="pick-list">
                      {d.found.map((p) => (
                        <li key={p.id}>
                          <label className="inline-check">
                            <input type="checkbox" name="personId" value={p.id} disabled={p.onRoster} />
                            {p.name} · {p.id_number_masked} · {p.enterprise_name}
                            {p.onRoster ? "（已在名单）" : ""}
                          </label>
                        </li>
                      ))}
                    </ul>
                  )}
                  {d.found.length ? (
                    <button type="submit" disabled={busy}>
                      加入所选人员
                    </button>
                  ) : null}
                  {errorsFor("people")?.personId ? <p className="error">{errorsFor("people")?.personId}</p> : null}
                </Form>
              ) : null}
            </>
          ) : null}
        </section>
        <div className="stack">
          <section className="card">
            <h2>监考人员</h2>
            {d.editable ? (
              <Form key={`proctors-${key}`} method="post" className="stack">
                <input type="hidden" name="intent" value="proctors" />
                {d.inspectors.length === 0 ? (
                  <p className="muted">辖区内没有执法检查人员账号。</p>
                ) : (
                  <ul className="pick-list">
                    {d.inspectors.map((u) => (
                      <li key={u.id}>
                        <label className="inline-check">
                          <input
                            // Keyed by the saved state: a new element when it changes, so the box shows what was saved.
                            key={`${u.id}-${proctorIds.has(u.id)}`}
                            type="checkbox"
                            name="userId"
                            value={u.id}
                            defaultChecked={proctorIds.has(u.id)}
                          />
                          {u.display_name}（{u.region_name}）
                        </label>
                      </li>
                    ))}
                  </ul>
                )}
                {errorsFor("proctors")?.userId ? <p className="error">{errorsFor("proctors")?.userId}</p> : null}
                <button type="submit" disabled={busy}>
                  保存监考人员
                </button>
              </Form>
            ) : (
              <p>{d.plan.proctors.map((p) => p.display_name).join("、") || "未指定"}</p>
            )}
          </section>
          {d.editable ? (
            <section className="card">
              <h2>考试安排</h2>
              <Form key={`session-${key}`} method="post" className="stack" noValidate>
                <input type="hidden" name="intent" value="session" />
                <Field
                  name="title"
                  label="考试名称"
                  errors={errorsFor("session")}
                  required
                  defaultValue={v("session", "title", s.title)}
                />
                <div className="grid">
                  <Field name="roomId" label="考场" errors={errorsFor("session")} required>
                    {(a) => (
                      <select {...a} defaultValue={v("session", "roomId", String(s.roomId))}>
                        {d.rooms.map((r) => (
                          <option key={r.id} value={r.id}>
                            {r.name}（{r.seats} 座）
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <Field name="templateId" label="试卷模板" errors={errorsFor("session")} required>
                    {(a) => (
                      <select {...a} defaultValue={v("session", "templateId", String(s.templateId))}>
                        {d.templates.map((t) => (
                          <option key={t.id} value={t.id}>
                            {t.name}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <Field
                    name="scheduledAt"
                    label="开考时间"
                    type="datetime-local"
                    errors={errorsFor("session")}
                    required
                    defaultValue={v("session", "scheduledAt", s.scheduledAt)}
                  />
                  <Field
                    name="minutes"
                    label="考试时长（分钟）"
                    type="number"
                    errors={errorsFor("session")}
                    required
                    defaultValue={v("session", "minutes", String(s.minutes))}
                  />
                </div>
                <button type="submit" className="secondary" disabled={busy}>
                  保存考试安排
                </button>
              </Form>
            </section>
          ) : null}
        </div>
      </div>
    </>
  );
}
