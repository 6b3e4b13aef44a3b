import { mayGoUp } from "~/modules/auth/policy";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams, Link } from "@remix-run/react";
import { BarChart } from "~/components/chart";
import { Pager } from "~/components/form";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedComplianceRegion } from "~/modules/drills/access.server";
import { regionCompliance } from "~/modules/drills/compliance.server";
import { pageParamsOf } from "~/lib/paging";

export const meta: MetaFunction = () => [{ title: "应急演练合规 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const url = new URL(request.url);
  const { region } = await authorizedComplianceRegion(actor, url);
  const compliance = await regionCompliance(region, pageParamsOf(url));
  // The link up is shown only when the parent is still within the actor's region.
  const canGoUp = mayGoUp(actor, region.path);
  return { ...compliance, canGoUp };
}

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

export default function DrillCompliance() {
  const d = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const { plans, enterprises, drills, rectifications } = d;
  const drillable = plans.byRegion.filter((r) => r.id !== null);
  return (
    <>
      <h1>应急演练合规：{d.region.name}</h1>
      {d.canGoUp ? (
        <p className="small">
          <Link to={`/drills/compliance?region=${d.region.parent_id}`}>↑ 上一级</Link>
        </p>
      ) : null}
      <div className="actions">
        <a className="button secondary" href={`/drills/compliance/export?region=${d.region.id}`} download>
          导出 Excel
        </a>
        <Link className="button secondary" to="/drills/calendar">
          辖区演练日历
        </Link>
      </div>

      <section className="card">
        <div className="grid">
          <div>
            <div className="stat" data-testid="compliance-rate">
              {pct(plans.total.rate)}
            </div>
            <div className="stat-label">
              有效预案 {plans.total.plans} 项按期演练率（{plans.total.compliant} 项在周期内演练，其中{" "}
              {plans.total.dueSoon} 项 30 天内到期）
            </div>
          </div>
          <div>
            <div className="stat">{plans.total.overdue}</div>
            <div className="stat-label">项预案逾期未演练</div>
          </div>
          <div>
            <div className="stat">{drills.conducted}</div>
            <div className="stat-label">
              近 12 个月完成演练（无脚本 {drills.unscripted} 次，双盲 {drills.doubleBlind} 次）
            </div>
          </div>
          <div>
            <div className="stat">{rectifications.open}</div>
            <div className="stat-label">项整改未关闭，其中 {rectifications.overdue} 项已逾期</div>
          </div>
        </div>
        <p className="small muted">
          按期演练：预案自上次演练（或发布实施）起未超过规定的演练周期；统计日期 {d.today}。
        </p>
      </section>

      <section className="card">
        <h2>{drillable.length ? "按下级区域" : "按区域"}</h2>
        {drillable.length ? (
          <BarChart
            title="按期演练率（%）"
            labels={drillable.map((r) => r.name)}
            values={drillable.map((r) => Math.round((r.rate ?? 0) * 1000) / 10)}
            height={220}
            max={100}
          />
        ) : null}
        <div className="table-wrap">
          <table className="responsive">
            <thead>
              <tr>
                <th>区域</th>
                <th>有效预案</th>
                <th>按期演练</th>
                <th>30 天内到期</th>
                <th>逾期</th>
                <th>按期演练率</th>
              </tr>
            </thead>
            <tbody>
              {plans.byRegion.map((r) => (
                <tr key={r.id ?? "own"}>
                  <td data-label="区域">
                    {r.id === null ? r.name : <Link to={`/drills/compliance?region=${r.id}`}>{r.name}</Link>}
                  </td>
                  <td data-label="有效预案">{r.plans}</td>
                  <td data-label="按期演练">{r.compliant}</td>
                  <td data-label="30 天内到期">{r.dueSoon}</td>
                  <td data-label="逾期">{r.overdue}</td>
                  <td data-label="按期演练率">{pct(r.rate)}</td>
                </tr>
              ))}
              {plans.byRegion.length === 0 ? (
                <tr>
                  <td colSpan={6} className="muted">
                    暂无下级区域。
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card">
        <h2>按行业</h2>
        <div className="table-wrap">
          <table className="responsive">
            <thead>
              <tr>
                <th>行业</th>
                <th>有效预案</th>
                <th>按期演练</th>
                <th>30 天内到期</th>
                <th>逾期</th>
                <th>按期演练率</th>
              </tr>
            </thead>
            <tbody>
              {plans.byIndustry.map((r) => (
                <tr key={r.code}>
                  <td data-label="行业">{r.name}</td>
                  <td data-label="有效预案">{r.plans}</td>
                  <td data-label="按期演练">{r.compliant}</td>
                  <td data-label="30 天内到期">{r.dueSoon}</td>
                  <td data-label="逾期">{r.overdue}</td>
                  <td data-label="按期演练率">{pct(r.rate)}</td>
                </tr>
              ))}
              {plans.byIndustry.length === 0 ? (
                <tr>
                  <td colSpan={6} className="muted">
                    辖区内暂无有效的应急预案。
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card">
        <h2>有逾期未演练预案的企业</h2>
        <div className="table-wrap">
          <table className="responsive">
            <thead>
              <tr>
                <th>企业</th>
                <th>所属区域</th>
                <th>行业</th>
                <th>有效预案</th>
                <th>逾期预案</th>
                <th>其中从未演练</th>
                <th>最早应演练日期</th>
              </tr>
            </thead>
            <tbody>
              {enterprises.rows.map((e) => (
                <tr key={e.enterpriseId}>
                  <td data-label="企业">
                    <Link to={e.href}>{e.name}</Link>
                  </td>
                  <td data-label="所属区域">{e.regionName}</td>
                  <td data-label="行业">{e.industry}</td>
                  <td data-label="有效预案">{e.plans}</td>
                  <td data-label="逾期预案">{e.overdue}</td>
                  <td data-label="从未演练">{e.neverDrilled}</td>
                  <td data-label="最早应演练">{e.oldestDue}</td>
                </tr>
              ))}
              {enterprises.rows.length === 0 ? (
                <tr>
                  <td colSpan={7} className="muted">
                    {search.has("after") || search.has("before") ? "没有更多企业。" : "辖区内没有逾期未演练的企业。"}
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <Pager next={enterprises.next} prev={enterprises.prev} search={search} />
      </section>

      <section className="card">
        <h2>近 12 个月演练开展情况</h2>
        <BarChart
          title="按演练方式（次）"
          labels={drills.byMode.map((m) => m.label)}
          values={drills.byMode.map((m) => m.count)}
          height={220}
        />
        <table>
          <thead>
            <tr>
              <th>演练方式</th>
              <th>完成次数</th>
            </tr>
          </thead>
          <tbody>
            {drills.byMode.map((m) => (
              <tr key={m.mode}>
                <td>{m.label}</td>
                <td data-testid={`mode-${m.mode}`}>{m.count}</td>
              </tr>
            ))}
            <tr>
              <td>合计（{drills.since} 起）</td>
              <td>{drills.conducted}</td>
            </tr>
          </tbody>
        </table>
        <p className="small">已计划、尚未开展的演练：{drills.upcoming} 次。</p>
      </section>

      <section className="card">
        <h2>未关闭的整改项（按账龄）</h2>
        <table>
          <thead>
            <tr>
              <th>账龄</th>
              <th>未关闭</th>
              <th>其中已逾期</th>
            </tr>
          </thead>
          <tbody>
            {rectifications.buckets.map((b) => (
              <tr key={b.key}>
                <td>{b.label}</td>
                <td>{b.open}</td>
                <td>{b.overdue}</td>
              </tr>
            ))}
            <tr>
              <td>合计</td>
              <td>{rectifications.open}</td>
              <td>{rectifications.overdue}</td>
            </tr>
          </tbody>
        </table>
        <p className="small muted">未关闭指待整改或已提交待验收；账龄自发现问题之日起计算。</p>
      </section>
    </>
  );
}
