import { BarChart } from "../../../components/chart";
import { KPI_HINTS, KPI_LABELS, KPIS, type Kpi, type Ratio } from "../labels";
import { Link } from "@remix-run/react";

type Trend = { month: string; rate: number | null }[];
interface Props {
  region: { id: number; name: string };
  kpi: Kpi;
  kpis: Record<Kpi, Ratio>;
  trend: Record<Kpi, Trend>;
  ranking: { id: number; name: string; kpis: Record<Kpi, Ratio> }[];
  worst: ({ id: number; name: string } & Ratio)[];
  /** Where the cockpit lives ("/" for the home page, "/cockpit?regionId=…" elsewhere), to switch KPI. */
  basePath: string;
}

const pct = (r: number | null) => (r === null ? "—" : `${(r * 100).toFixed(1)}%`);
const tone = (r: number | null) => (r === null ? "" : r >= 0.9 ? "ok" : r >= 0.7 ? "warn" : "bad");

/** Where each KPI's detail lives: the existing drill-down pages. */
const detailOf: Record<Kpi, (regionId: number) => string> = {
  cert: (id) => `/certification/region/${id}`,
  hours: () => "/people",
  newhire: () => "/people",
  quiz: () => "/quiz-stats",
  drill: () => "/drills/compliance",
};
const enterpriseLink: Record<Kpi, (id: number) => string> = {
  cert: (id) => `/certification/enterprise/${id}`,
  hours: (id) => `/certification/enterprise/${id}`,
  newhire: (id) => `/people?enterpriseId=${id}`,
  quiz: () => "/quiz-stats",
  drill: () => "/drills/compliance",
};

export function Cockpit({ region, kpi, kpis, trend, ranking, worst, basePath }: Props) {
  const sep = basePath.includes("?") ? "&" : "?";
  return (
    <div className="cockpit">
      <section className="cockpit-kpis" aria-label="关键指标">
        {KPIS.map((k) => (
          <a
            key={k}
            href={`${basePath}${sep}kpi=${k}`}
            className={`cockpit-kpi ${tone(kpis[k].rate)}${k === kpi ? " current" : ""}`}
            data-testid={`kpi-${k}`}
            aria-current={k === kpi ? "true" : undefined}
            title={KPI_HINTS[k]}
          >
            <span className="cockpit-kpi-label">{KPI_LABELS[k]}</span>
            <span className="cockpit-kpi-value">{pct(kpis[k].rate)}</span>
            <span className="cockpit-kpi-count">
              {kpis[k].num.toLocaleString("zh-CN")} / {kpis[k].den.toLocaleString("zh-CN")}
            </span>
          </a>
        ))}
      </section>
      <div className="cockpit-body">
        <section className="card cockpit-trend">
          <h3>
            {KPI_LABELS[kpi]} · 近 12 个月{" "}
            <a
              className="button secondary small cockpit-export"
              href={`/cockpit/export?regionId=${region.id}&kpi=${kpi}`}
              download
            >
              导出 Excel
            </a>
          </h3>
          <p className="hint">
            {KPI_HINTS[kpi]}。本月为实时数，往月为当月保存的数。<a href={detailOf[kpi](region.id)}>查看明细 →</a>
          </p>
          <BarChart
            title={`${KPI_LABELS[kpi]}（%）`}
            labels={trend[kpi].map((t) => t.month.slice(2).replace("-", "/"))}
            values={trend[kpi].map((t) => (t.rate === null ? null : Math.round(t.rate * 1000) / 10))}
            height={240}
            max={100}
          />
        </section>
        <section className="card cockpit-worst">
          <h3>{KPI_LABELS[kpi]}最低的企业</h3>
          {worst.length === 0 ? (
            <p className="muted">暂无数据。</p>
          ) : (
            <ol className="cockpit-list" data-testid="worst-enterprises">
              {worst.map((e) => (
                <li key={e.id}>
                  <a href={enterpriseLink[kpi](e.id)}>{e.name}</a>
                  <span className={`badge ${tone(e.rate)}`}>{pct(e.rate)}</span>
                  <span className="small muted">
                    {e.num}/{e.den}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
      {ranking.length ? (
        <section className="card">
          <h3>下级区域排名（按{KPI_LABELS[kpi]}由低到高）</h3>
          <div className="table-wrap">
            <table className="cockpit-ranking" data-testid="region-ranking">
              <thead>
                <tr>
                  <th>#</th>
                  <th>区域</th>
                  {KPIS.map((k) => (
                    <th key={k} className={`num${k === kpi ? " current" : ""}`}>
                      {KPI_LABELS[k]}
                    </th>
                  ))}
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {ranking.map((r, i) => (
                  <tr key={r.id}>
                    <td>{i + 1}</td>
                    <td>
                      <a href={detailOf[kpi](r.id)}>{r.name}</a>
                    </td>
                    {KPIS.map((k) => (
                      <td key={k} className={`num${k === kpi ? " current" : ""}`}>
                        <span className={`badge ${tone(r.kpis[k].rate)}`}>{pct(r.kpis[k].rate)}</span>
                      </td>
                    ))}
                    <td>
                      <Link className="small" to={`/cockpit?regionId=${r.id}&kpi=${kpi}`}>
                        驾驶舱 →
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </div>
  );
}
