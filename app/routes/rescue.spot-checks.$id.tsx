import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, Link } from "@remix-run/react";
import { formatInstant } from "~/lib/calendar";
import { calloutOfSpotCheck } from "~/modules/rescue/callouts.server";
import { invalid, readFields, refused } from "~/lib/forms.server";
import { parseInput } from "~/lib/validation";
import { can } from "~/modules/auth/policy";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedSpotCheck } from "~/modules/rescue/access.server";
import { EndInput } from "~/modules/rescue/schema";
import { endSpotCheck, projectCheck, startSpotCheck } from "~/modules/rescue/spotchecks.server";
import { findingsOf, submitFinding, verifyFinding } from "~/modules/rescue/findings.server";
import { OUTCOME_LABELS, SPOT_STATUS_LABELS } from "~/modules/rescue/ui/parts";
import { todayIso } from "~/lib/clock.server";
import { drillOfSpotCheck } from "~/modules/drills/spotcheck.server";
import { DrillStateBadge, EvaluationTable, RectificationList } from "~/modules/drills/ui/parts";

export const meta: MetaFunction = () => [{ title: "双盲抽查 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const { check, visibility, resource } = await authorizedSpotCheck(actor, params.id, "view");
  const view = projectCheck(check, visibility);
  const callout = visibility === "full" && check.status !== "planned" ? await calloutOfSpotCheck(check.id) : undefined;
  const findings = visibility === "full" && check.status === "ended" ? await findingsOf(actor, check.id) : [];
  // An enterprise's check: the drill it started there, its evaluation and findings feed back here.
  const drill =
    visibility === "full" && check.enterprise_id !== null && check.status !== "planned"
      ? await drillOfSpotCheck(check.id)
      : null;
  return {
    view,
    calloutId: callout?.id ?? null,
    canRun: can(actor, "update", resource),
    findings,
    drill,
    today: todayIso(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const values = await readFields(request);
  const ip = clientIp(request);
  if (values.intent === "submit-finding" || values.intent === "verify-finding") {
    const { check } = await authorizedSpotCheck(actor, params.id, "view");
    const r =
      values.intent === "submit-finding"
        ? await submitFinding(actor, check.id, values, ip)
        : await verifyFinding(actor, check.id, values, ip);
    if (!r.ok) return refused(r, values);
    return { ok: true as const, done: values.intent === "submit-finding" ? "整改材料已提交" : "整改已验收" };
  }
  const { check } = await authorizedSpotCheck(actor, params.id, "update");
  if (values.intent === "start") {
    const started = await startSpotCheck(actor, check.id, ip);
    return started ? { ok: true as const, done: "抽查已开始" } : invalid({}, "抽查已开始，不能再次开始。", values);
  }
  const p = parseInput(EndInput, values);
  if (!p.ok) return invalid(p.fieldErrors, p.formError ?? Object.values(p.fieldErrors)[0], values);
  const ended = await endSpotCheck(actor, check.id, p.data, ip);
  if (!ended.ok) return refused(ended, values);
  return { ok: true as const, done: "抽查已结束" };
}

export default function SpotCheckPage() {
  const { view: c, calloutId, canRun, findings, drill, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && "fieldErrors" in result ? result : undefined;
  return (
    <>
      <h1>{c.title}</h1>
      <p className="small muted">
        {SPOT_STATUS_LABELS[c.status]} · 时间窗 {formatInstant(c.windowStart)} 至 {formatInstant(c.windowEnd)}
      </p>
      {result && "ok" in result && result.ok ? (
        <p className="notice" role="status">
          {result.done}
        </p>
      ) : null}
      {failed?.formError ? (
        <p className="form-error" role="alert">
          {failed.formError}
        </p>
      ) : null}
      {"scenario" in c ? (
        <section className={`card ${c.status === "planned" ? "sealed" : ""}`}>
          {c.status === "planned" ? (
            <p className="small">
              <strong>密封内容</strong>：被抽查对象在开始前看不到。
            </p>
          ) : null}
          <dl className="facts">
            <dt>抽查对象</dt>
            <dd>
              {c.targetName}（{c.targetKind === "team" ? "救援队伍" : "企业"}）
            </dd>
            <dt>抽查时间</dt>
            <dd>{formatInstant(c.plannedAt)}</dd>
            <dt>情景</dt>
            <dd style={{ whiteSpace: "pre-line" }}>{c.scenario}</dd>
            {c.startedAt ? (
              <>
                <dt>开始</dt>
                <dd>{formatInstant(c.startedAt, true)}</dd>
              </>
            ) : null}
            {c.endedAt ? (
              <>
                <dt>结束</dt>
                <dd>{formatInstant(c.endedAt, true)}</dd>
              </>
            ) : null}
            {c.outcome ? (
              <>
                <dt>结论</dt>
                <dd>{OUTCOME_LABELS[c.outcome]}</dd>
              </>
            ) : null}
          </dl>
          {calloutId ? (
            <p>
              <Link className="button" to={`/rescue/callouts/${calloutId}`}>
                查看拉动集结看板
              </Link>
            </p>
          ) : null}
          {canRun && c.status === "planned" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="start" />
              <button type="submit">立即开始</button>
            </Form>
          ) : null}
          {canRun && c.status === "running" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="end" />
              <div className="field">
                <label htmlFor="outcome">抽查结论</label>
                <select id="outcome" name="outcome">
                  <option value="">请选择</option>
                  <option value="pass">合格</option>
                  <option value="fail">不合格</option>
                </select>
                {failed?.fieldErrors?.outcome ? <div className="error">{failed.fieldErrors.outcome}</div> : null}
              </div>
              <div className="field">
                <label htmlFor="findings">发现的问题（每行一项，将作为整改项交给被抽查对象）</label>
                <textarea id="findings" name="findings" rows={4} />
              </div>
              <div className="field">
                <label htmlFor="dueOn">整改期限</label>
                <input id="dueOn" name="dueOn" type="date" />
              </div>
              <button type="submit">结束抽查</button>
            </Form>
          ) : null}
        </section>
      ) : (
        <section className="card">
          <p>该抽查的对象、情景和时间在开始前保密。</p>
        </section>
      )}
      {drill ? (
        <section className="card" data-testid="spot-check-drill">
          <h2>企业演练</h2>
          <p>
            <Link to={`/drills/${drill.id}`}>{drill.title}</Link> · <DrillStateBadge status={drill.status} />
          </p>
          <h3>评估结果</h3>
          <EvaluationTable results={drill.results} />
          <h3>演练发现的问题与整改</h3>
          <RectificationList items={drill.items} today={today} empty="演练中尚未记录问题。" />
        </section>
      ) : null}
      {findings.length ? (
        <section className="card">
          <h2>整改项</h2>
          <ul className="timeline">
            {findings.map((f) => (
              <li key={f.id}>
                {f.description} · 期限 {f.dueOn} · <strong>{f.statusLabel}</strong>
                {f.evidence ? ` · 整改情况：${f.evidence}` : ""}
                {f.maySubmit ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="submit-finding" />
                    <input type="hidden" name="findingId" value={f.id} />
                    <input name="evidence" aria-label="整改情况" placeholder="整改情况" required maxLength={2000} />
                    <button type="submit" className="small">
                      提交整改
                    </button>
                  </Form>
                ) : null}
                {f.mayVerify ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="verify-finding" />
                    <input type="hidden" name="findingId" value={f.id} />
                    <button type="submit" className="small">
                      验收通过
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
