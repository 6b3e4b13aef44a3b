import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, Link } from "@remix-run/react";
import { formatInstant, toLocalInput } from "~/lib/calendar";
import { now } from "~/lib/clock.server";
import { invalid, readFields } from "~/lib/forms.server";
import { notFound } from "~/lib/http";
import { parseInput } from "~/lib/validation";
import { can } from "~/modules/auth/policy";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { PLAN_STATUS_BADGE, PLAN_STATUS_LABELS } from "~/modules/drills/labels";
import { authorizedRescueRegion, authorizedTownPlan } from "~/modules/rescue/access.server";
import { TOWN_PLAN_LABELS } from "~/modules/rescue/rules";
import { TownDrillInput, TownPlanInput } from "~/modules/rescue/schema";
import { planTownDrill, saveTownPlan, townCoverage, townDrillsOf, townRegion } from "~/modules/rescue/towns.server";
import { pct, RateBadge } from "~/modules/rescue/ui/parts";

export const meta: MetaFunction = () => [{ title: "乡镇预案与演练 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const region = await authorizedRescueRegion(actor, new URL(request.url));
  const [coverage, drills] = await Promise.all([townCoverage(region.path), townDrillsOf(region.path)]);
  const mayKeep = can(actor, "create", { type: "town_drill", regionPath: region.path, organizerUserId: null });
  return {
    region: { id: region.id, name: region.name },
    coverage,
    drills,
    mayKeep,
    defaultStart: toLocalInput(new Date(now().getTime() + 86400_000)),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const values = await readFields(request);
  const ip = clientIp(request);
  if (values.intent === "plan") {
    const p = parseInput(TownPlanInput, values);
    if (!p.ok) return invalid(p.fieldErrors, p.formError ?? "请更正标出的内容后再提交。", values);
    const town = await townRegion(p.data.regionId);
    if (!town || town.level !== "town") notFound("请选择一个乡镇（街道）。");
    authorize(actor, "create", { type: "town_drill", regionPath: town.path, organizerUserId: null });
    await saveTownPlan(actor, town, p.data, ip);
    return { ok: true as const, done: "乡镇预案已登记" };
  }
  const p = parseInput(TownDrillInput, values);
  if (!p.ok) return invalid(p.fieldErrors, p.formError ?? "请更正标出的内容后再提交。", values);
  const plan = await authorizedTownPlan(actor, String(p.data.planId), "create");
  const id = await planTownDrill(actor, plan, p.data, ip);
  throw redirect(`/rescue/town-drills/${id}`);
}

export default function Towns() {
  const { region, coverage, drills, mayKeep, defaultStart } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && "fieldErrors" in result ? result : undefined;
  const plans = coverage.towns.flatMap((t) => t.plans.map((p) => ({ ...p, town: t.name })));
  return (
    <>
      <h1>乡镇预案与演练 · {region.name}</h1>
      {result && "ok" in result && result.ok ? (
        <p className="notice" role="status">
          {result.done}
        </p>
      ) : null}
      {failed?.formError ? (
        <p className="form-error" role="alert">
          {failed.formError}
          {Object.values(failed.fieldErrors ?? {}).length ? `：${Object.values(failed.fieldErrors).join("；")}` : ""}
        </p>
      ) : null}
      <section className="card">
        <p>
          乡镇综合应急预案编制率 <strong data-testid="town-rate">{pct(coverage.rate)}</strong>（{coverage.covered}/
          {coverage.total}，目标 100%）
          <RateBadge rate={coverage.rate} target={1} />
        </p>
        <div className="table-wrap">
          <table className="responsive">
            <thead>
              <tr>
                <th>乡镇（街道）</th>
                <th>预案</th>
                <th>演练状态</th>
              </tr>
            </thead>
            <tbody>
              {coverage.towns.map((t) => (
                <tr key={t.id}>
                  <td data-label="乡镇">
                    {t.name}
                    {t.hasComprehensive ? "" : <span className="badge rescue-bad">缺综合预案</span>}
                  </td>
                  <td data-label="预案">
                    {t.plans.length ? (
                      t.plans.map((p) => (
                        <div key={p.id}>
                          {TOWN_PLAN_LABELS[p.type]}：{p.title}
                        </div>
                      ))
                    ) : (
                      <span className="muted">无</span>
                    )}
                  </td>
                  <td data-label="演练状态">
                    {t.plans.map((p) => (
                      <div key={p.id}>
                        <span className={`badge ${PLAN_STATUS_BADGE[p.status]}`}>{PLAN_STATUS_LABELS[p.status]}</span>{" "}
                        应于 {p.dueOn} 前
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card">
        <h2>乡镇演练</h2>
        <ul className="timeline">
          {drills.map((d) => (
            <li key={d.id}>
              <Link to={`/rescue/town-drills/${d.id}`}>
                {d.town_name} · {d.title}
              </Link>{" "}
              · {formatInstant(d.planned_start)} ·{" "}
              {d.status === "planned"
                ? "待开展"
                : d.status === "running"
                  ? "进行中"
                  : `已完成，转移 ${d.people_moved} 人`}
            </li>
          ))}
          {drills.length === 0 ? <li className="muted">尚无。</li> : null}
        </ul>
      </section>
      {mayKeep ? (
        <div className="rescue-two">
          <section className="card">
            <h2>登记乡镇预案</h2>
            <Form method="post">
              <input type="hidden" name="intent" value="plan" />
              <div className="field">
                <label htmlFor="tp-town">乡镇（街道）</label>
                <select id="tp-town" name="regionId">
                  {coverage.towns.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="tp-type">类型</label>
                <select id="tp-type" name="type">
                  <option value="comprehensive">乡镇综合应急预案</option>
                  <option value="evacuation">转移避险方案</option>
                </select>
              </div>
              <div className="field">
                <label htmlFor="tp-title">名称</label>
                <input id="tp-title" name="title" maxLength={100} />
              </div>
              <div className="grid">
                <div className="field">
                  <label htmlFor="tp-issued">发布日期</label>
                  <input id="tp-issued" name="issuedOn" type="date" />
                </div>
                <div className="field">
                  <label htmlFor="tp-interval">演练周期（月）</label>
                  <input id="tp-interval" name="intervalMonths" type="number" defaultValue={12} min={1} max={36} />
                </div>
              </div>
              <button type="submit">登记预案</button>
            </Form>
          </section>
          <section className="card">
            <h2>安排转移避险演练</h2>
            <Form method="post">
              <input type="hidden" name="intent" value="drill" />
              <div className="field">
                <label htmlFor="td-plan">依据的预案</label>
                <select id="td-plan" name="planId">
                  {plans.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.town} · {p.title}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="td-title">演练名称</label>
                <input id="td-title" name="title" maxLength={100} />
              </div>
              <div className="grid">
                <div className="field">
                  <label htmlFor="td-start">计划开始</label>
                  <input id="td-start" name="plannedStart" type="datetime-local" defaultValue={defaultStart} />
                </div>
                <div className="field">
                  <label htmlFor="td-people">应转移人数</label>
                  <input id="td-people" name="expectedPeople" type="number" min={1} />
                </div>
              </div>
              <button type="submit">安排演练</button>
            </Form>
          </section>
        </div>
      ) : null}
    </>
  );
}
