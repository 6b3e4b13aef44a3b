import { mayGoUp } from "~/modules/auth/policy";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, Link } from "@remix-run/react";
import { BarChart } from "~/components/chart";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedRegion } from "~/modules/certification/access.server";
import { regionRates } from "~/modules/certification/rates.server";

export const meta: MetaFunction = () => [{ title: "持证率 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const region = await authorizedRegion(actor, params.id);
  const rates = await regionRates(region.id);
  // The link up is shown only when the parent is still within the actor's region.
  const canGoUp = mayGoUp(actor, rates.region.path);
  return { ...rates, canGoUp };
}

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

export default function RegionRates() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <h1>持证率：{d.region.name}</h1>
      {d.canGoUp ? (
        <p className="small">
          <Link to={`/certification/region/${d.region.parent_id}`}>↑ 上一级</Link>
        </p>
      ) : null}
      <section className="card">
        <div className="stat" data-testid="region-rate">
          {pct(d.total.rate)}
        </div>
        <div className="stat-label">
          应持证 {d.total.required} 人，持有效证书 {d.total.holding} 人
        </div>
        <p className="small">
          <Link to={`/certification/alerts?regionId=${d.region.id}&window=90`}>证书复审与到期预警</Link> ·{" "}
          <Link to={`/rescue/certification?region=${d.region.id}`}>救援队伍核心队员救护员证持有率</Link>
        </p>
      </section>
      <section className="card">
        <h2>{d.children.length ? "下级区域" : "辖区企业（持证率由低到高）"}</h2>
        {d.children.length ? (
          <BarChart
            title="持证率（%）"
            labels={d.children.map((c) => c.name)}
            values={d.children.map((c) => Math.round((c.rate ?? 0) * 1000) / 10)}
            height={220}
            max={100}
          />
        ) : null}
        <table className="responsive">
          <thead>
            <tr>
              <th>名称</th>
              <th>应持证</th>
              <th>持证</th>
              <th>持证率</th>
            </tr>
          </thead>
          <tbody>
            {d.children.map((c) => (
              <tr key={c.id}>
                <td data-label="区域">
                  <Link to={`/certification/region/${c.id}`}>{c.name}</Link>
                </td>
                <td data-label="应持证">{c.required}</td>
                <td data-label="持证">{c.holding}</td>
                <td data-label="持证率">{pct(c.rate)}</td>
              </tr>
            ))}
            {d.enterprises.map((e) => (
              <tr key={e.id}>
                <td data-label="企业">
                  <Link to={`/certification/enterprise/${e.id}`}>{e.name}</Link>
                </td>
                <td data-label="应持证">{e.required}</td>
                <td data-label="持证">{e.holding}</td>
                <td data-label="持证率">{pct(e.rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>按岗位、行业</h2>
        <ul>
          {d.byPost.map((p) => (
            <li key={p.key}>
              {p.label}：{pct(p.rate)}（{p.holding}/{p.required}）
            </li>
          ))}
        </ul>
        <ul>
          {d.byIndustry.map((p) => (
            <li key={p.key}>
              {p.label}：{pct(p.rate)}（{p.holding}/{p.required}）
            </li>
          ))}
        </ul>
      </section>
      {d.trend.length ? (
        <section className="card">
          <BarChart
            title="持证率月度趋势（%，近 12 个月；本月即上方实时数）"
            labels={d.trend.map((t) => t.month)}
            max={100}
            values={d.trend.map((t) => (t.rate === null ? null : Math.round(t.rate * 1000) / 10))}
          />
        </section>
      ) : null}
    </>
  );
}
