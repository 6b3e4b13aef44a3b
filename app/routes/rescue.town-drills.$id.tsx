import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { formatDuration, formatInstant } from "~/lib/calendar";
import { invalid, readFields, readForm, refused } from "~/lib/forms.server";
import { notFound } from "~/lib/http";
import { parseInput } from "~/lib/validation";
import { can } from "~/modules/auth/policy";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedTownDrill } from "~/modules/rescue/access.server";
import { TOWN_PLAN_LABELS } from "~/modules/rescue/rules";
import { EvaluationInput, TownDrillEndInput } from "~/modules/rescue/schema";
import { advanceTownDrill, evaluationForm, evaluationsOf, submitEvaluation } from "~/modules/rescue/towns.server";

export const meta: MetaFunction = () => [{ title: "乡镇演练 · 安训" }];

const FORM = "gbt46792";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const d = await authorizedTownDrill(actor, params.id, "view");
  const resource = { type: "town_drill" as const, regionPath: d.region_path, organizerUserId: d.organizer_user_id };
  const [form, evaluations] = await Promise.all([evaluationForm(FORM), evaluationsOf(d.id)]);
  const mayEvaluate =
    d.status === "ended" &&
    can(actor, "evaluate", resource) &&
    !evaluations.some((e) => e.evaluator_user_id === actor.userId);
  return {
    d,
    form: form!,
    evaluations: evaluations.map(({ evaluator_user_id: _, ...e }) => e),
    mayRun: can(actor, "update", resource),
    mayEvaluate,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const ip = clientIp(request);
  const values = await readFields(request.clone());
  if (values.intent === "evaluate") {
    const d = await authorizedTownDrill(actor, params.id, "evaluate");
    if (d.status !== "ended") return invalid({}, "演练结束后才能评估。", values);
    const p = await readForm(request, EvaluationInput, { nested: true });
    if (!p.ok) return p.response;
    const form = await evaluationForm(FORM);
    if (!form) notFound("评估表不存在。");
    const r = await submitEvaluation(actor, d, form, p.data.scores, p.data.comment, ip);
    if (!r.ok) return refused(r, values);
    return { ok: true as const, done: "评估表已提交" };
  }
  const d = await authorizedTownDrill(actor, params.id, "update");
  if (values.intent === "start") {
    const r = await advanceTownDrill(actor, d.id, { kind: "start" }, ip);
    return r.ok ? { ok: true as const, done: "演练已开始" } : refused(r, values);
  }
  const p = parseInput(TownDrillEndInput, values);
  if (!p.ok) return invalid(p.fieldErrors, Object.values(p.fieldErrors)[0], values);
  const r = await advanceTownDrill(actor, d.id, { kind: "end", peopleMoved: p.data.peopleMoved }, ip);
  return r.ok ? { ok: true as const, done: "演练已结束" } : refused(r, values);
}

export default function TownDrillPage() {
  const { d, form, evaluations, mayRun, mayEvaluate } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && "fieldErrors" in result ? result : undefined;
  const seconds =
    d.started_at && d.ended_at
      ? Math.round((new Date(d.ended_at).getTime() - new Date(d.started_at).getTime()) / 1000)
      : null;
  const groups = [...new Set(form.definition.indicators.map((i) => i.group))];
  return (
    <>
      <h1>
        {d.town_name} · {d.title}
      </h1>
      <p className="small muted">
        依据 {TOWN_PLAN_LABELS[d.plan_type]}《{d.plan_title}》 · 计划 {formatInstant(d.planned_start)} · 应转移{" "}
        {d.expected_people} 人
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
      <section className="card">
        <dl className="facts">
          <dt>状态</dt>
          <dd data-testid="town-status">
            {d.status === "planned" ? "待开展" : d.status === "running" ? "进行中" : "已结束"}
          </dd>
          {d.started_at ? (
            <>
              <dt>开始</dt>
              <dd>{formatInstant(d.started_at, true)}</dd>
            </>
          ) : null}
          {d.ended_at ? (
            <>
              <dt>结束</dt>
              <dd>{formatInstant(d.ended_at, true)}</dd>
            </>
          ) : null}
          {d.people_moved !== null ? (
            <>
              <dt>实际转移</dt>
              <dd data-testid="people-moved">
                {d.people_moved} 人（应转移 {d.expected_people} 人）
              </dd>
            </>
          ) : null}
          {seconds !== null ? (
            <>
              <dt>转移用时</dt>
              <dd data-testid="time-taken">{formatDuration(seconds)}</dd>
            </>
          ) : null}
        </dl>
        {mayRun && d.status === "planned" ? (
          <Form method="post">
            <input type="hidden" name="intent" value="start" />
            <button type="submit">开始演练</button>
          </Form>
        ) : null}
        {mayRun && d.status === "running" ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="end" />
            <label htmlFor="peopleMoved">实际转移人数</label>
            <input id="peopleMoved" name="peopleMoved" type="number" min={0} required style={{ width: "8em" }} />
            <button type="submit">结束演练</button>
          </Form>
        ) : null}
      </section>
      {mayEvaluate ? (
        <section className="card">
          <h2>评估表：{form.name}</h2>
          <p className="hint">
            {form.definition.basis}。等级：
            {form.definition.grades.map((g) => `${g.label}（≥ ${g.minPercent}%）`).join("、")}。
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="evaluate" />
            {groups.map((g) => (
              <fieldset key={g} className="rescue-eval">
                <legend>{g}</legend>
                {form.definition.indicators
                  .filter((i) => i.group === g)
                  .map((i) => (
                    <div className="field rescue-indicator" key={i.code}>
                      <label htmlFor={`s-${i.code}`}>
                        {i.text}（满分 {i.max}）
                      </label>
                      <input
                        id={`s-${i.code}`}
                        name={`scores.${i.code}`}
                        type="number"
                        min={0}
                        max={i.max}
                        step="0.5"
                        required
                        style={{ width: "7em" }}
                      />
                    </div>
                  ))}
              </fieldset>
            ))}
            <div className="field">
              <label htmlFor="comment">评估意见（发现的问题、改进建议）</label>
              <textarea id="comment" name="comment" rows={6} maxLength={8000} />
            </div>
            <button type="submit">提交评估表</button>
          </Form>
        </section>
      ) : null}
      <section className="card">
        <h2>评估结果</h2>
        {evaluations.length === 0 ? (
          <p className="muted">尚无评估表。</p>
        ) : (
          evaluations.map((e) => (
            <div key={e.id} className="rescue-sheet">
              <p>
                <strong>{e.display_name}</strong> · 总分 <span data-testid="eval-total">{Number(e.total)}</span> · 等级{" "}
                <span className="badge" data-testid="eval-grade">
                  {e.grade}
                </span>{" "}
                · {formatInstant(e.submitted_at)}
              </p>
              <table className="small">
                <tbody>
                  {form.definition.indicators.map((i) => (
                    <tr key={i.code}>
                      <td>{i.group}</td>
                      <td>{i.text}</td>
                      <td>
                        {(JSON.parse(e.scores_json) as Record<string, number>)[i.code] ?? "—"}/{i.max}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p style={{ whiteSpace: "pre-line" }}>{e.comment}</p>
            </div>
          ))
        )}
      </section>
    </>
  );
}
