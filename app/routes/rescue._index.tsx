import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, Link } from "@remix-run/react";
import { formatInstant } from "~/lib/calendar";
import { can } from "~/modules/auth/policy";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedRescueRegion } from "~/modules/rescue/access.server";
import { rescueOverview } from "~/modules/rescue/overview.server";
import { TEAM_KIND_LABELS } from "~/modules/rescue/rules";
import { listSchedules, listSpotChecks } from "~/modules/rescue/spotchecks.server";
import { listTeams } from "~/modules/rescue/teams.server";
import { OUTCOME_LABELS, RescueOverviewSection, SPOT_STATUS_LABELS } from "~/modules/rescue/ui/parts";

export const meta: MetaFunction = () => [{ title: "应急救援力量 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const region = await authorizedRescueRegion(actor, new URL(request.url));
  const [overview, teams, checks, schedules] = await Promise.all([
    rescueOverview(region),
    listTeams({ kind: "region", path: region.path }, { limit: 100 }),
    listSpotChecks(actor, { limit: 30 }),
    listSchedules(region.path),
  ]);
  const mayPlan = can(actor, "create", {
    type: "spot_check",
    regionPath: region.path,
    spotRole: "none",
    visibility: "full",
  });
  const mayKeep = can(actor, "create", { type: "rescue_team", regionPath: region.path, enterpriseId: null });
  return {
    region: { id: region.id, name: region.name },
    overview,
    teams,
    checks: checks.rows,
    schedules,
    mayPlan,
    mayKeep,
  };
}

export default function RescueHome() {
  const { region, overview, teams, checks, schedules, mayPlan, mayKeep } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>应急救援力量 · {region.name}</h1>
      <div className="actions">
        {mayKeep ? (
          <Link className="button" to="/rescue/teams/new">
            登记救援队伍
          </Link>
        ) : null}
        {mayPlan ? (
          <Link className="button" to="/rescue/spot-checks/new">
            安排双盲抽查
          </Link>
        ) : null}
        {mayPlan ? (
          <Link className="button secondary" to="/rescue/schedules/new">
            随机抽查计划
          </Link>
        ) : null}
        <Link className="button secondary" to={`/rescue/certification?region=${region.id}`}>
          救护员证持有率
        </Link>
        <Link className="button secondary" to={`/rescue/towns?region=${region.id}`}>
          乡镇预案与演练
        </Link>
      </div>
      <RescueOverviewSection o={overview} regionId={region.id} />
      <section className="card">
        <h2>双盲抽查</h2>
        <div className="table-wrap">
          <table className="responsive">
            <thead>
              <tr>
                <th>抽查</th>
                <th>对象</th>
                <th>时间窗</th>
                <th>状态</th>
                <th>结论</th>
              </tr>
            </thead>
            <tbody>
              {checks.map((c) => (
                <tr key={c.id}>
                  <td data-label="抽查">
                    <Link to={`/rescue/spot-checks/${c.id}`}>{c.title}</Link>
                  </td>
                  <td data-label="对象">{"targetName" in c ? c.targetName : <span className="muted">密封</span>}</td>
                  <td data-label="时间窗">
                    {formatInstant(c.windowStart)} 至 {formatInstant(c.windowEnd)}
                  </td>
                  <td data-label="状态">{SPOT_STATUS_LABELS[c.status]}</td>
                  <td data-label="结论">{"outcome" in c && c.outcome ? OUTCOME_LABELS[c.outcome] : "—"}</td>
                </tr>
              ))}
              {checks.length === 0 ? (
                <tr>
                  <td colSpan={5} className="muted">
                    暂无抽查。
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        {schedules.length ? (
          <p className="small">
            随机抽查计划：
            {schedules.map((s, i) => (
              <span key={s.id}>
                {i ? "、" : ""}
                <Link to={`/rescue/schedules/${s.id}`}>{s.title}</Link>
              </span>
            ))}
          </p>
        ) : null}
      </section>
      <section className="card">
        <h2>救援队伍</h2>
        <div className="table-wrap">
          <table className="responsive">
            <thead>
              <tr>
                <th>队伍</th>
                <th>类型</th>
                <th>区域</th>
                <th>队员</th>
                <th>集结标准</th>
              </tr>
            </thead>
            <tbody>
              {teams.rows.map((t) => (
                <tr key={t.id}>
                  <td data-label="队伍">
                    <Link to={`/rescue/teams/${t.id}`}>{t.name}</Link>
                  </td>
                  <td data-label="类型">{TEAM_KIND_LABELS[t.kind]}</td>
                  <td data-label="区域">{t.region_name}</td>
                  <td data-label="队员">{t.members}</td>
                  <td data-label="集结标准">
                    {t.standard_minutes} 分钟内到达 {t.required_strength} 人
                  </td>
                </tr>
              ))}
              {teams.rows.length === 0 ? (
                <tr>
                  <td colSpan={5} className="muted">
                    辖区内尚未登记救援队伍。
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
