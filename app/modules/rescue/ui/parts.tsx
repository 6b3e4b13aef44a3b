import { formatDuration } from "../../../lib/calendar";
import type { RescueOverview } from "../overview.server";
import { TEAM_KIND_LABELS } from "../rules";
import { Link } from "@remix-run/react";

export const pct = (r: number | null) => (r === null ? "—" : `${(Math.round(r * 1000) / 10).toFixed(1)}%`);

export const SPOT_STATUS_LABELS: Record<string, string> = {
  planned: "待开始（密封）",
  running: "进行中",
  ended: "已结束",
  cancelled: "已取消",
};
export const OUTCOME_LABELS: Record<string, string> = { pass: "合格", fail: "不合格" };

/** A figure against its target, marked met or not. */
export function RateBadge({ rate, target }: { rate: number | null; target: number }) {
  if (rate === null) return <span className="badge">无数据</span>;
  return rate + 1e-9 >= target ? (
    <span className="badge rescue-ok">达标</span>
  ) : (
    <span className="badge rescue-bad">未达标</span>
  );
}

/** The cockpit section of rescue work (rescueOverview); the regulator's cockpit embeds it as is. */
export function RescueOverviewSection({ o, regionId }: { o: RescueOverview; regionId: number }) {
  return (
    <section className="card rescue-overview" aria-label="应急救援力量">
      <h2>应急救援力量</h2>
      <div className="grid">
        <div>
          <div className="stat-label">双盲抽查（已完成）</div>
          <div className="stat" data-testid="overview-checks">
            {o.spotChecks.ended}
          </div>
          <div className="small">
            合格 {o.spotChecks.pass} · 不合格 {o.spotChecks.fail} · 进行中 {o.spotChecks.running} · 待开始{" "}
            {o.spotChecks.planned}
          </div>
        </div>
        <div>
          <div className="stat-label">核心队员救护员证持有率</div>
          <div className="stat" data-testid="overview-rescuer">
            {pct(o.rescuer.rate)}
          </div>
          <div className="small">
            {o.rescuer.holders}/{o.rescuer.core} 人 · 目标 ≥ {pct(o.rescuer.target)}{" "}
            <RateBadge rate={o.rescuer.rate} target={o.rescuer.target} />
          </div>
          <Link className="small" to={`/rescue/certification?region=${regionId}`}>
            逐级查看
          </Link>
        </div>
        <div>
          <div className="stat-label">乡镇综合应急预案编制率</div>
          <div className="stat" data-testid="overview-towns">
            {pct(o.towns.rate)}
          </div>
          <div className="small">
            {o.towns.covered}/{o.towns.total} 个乡镇（街道）· 目标 100% <RateBadge rate={o.towns.rate} target={1} />
          </div>
          <Link className="small" to={`/rescue/towns?region=${regionId}`}>
            查看乡镇预案
          </Link>
        </div>
      </div>
      <h3>拉动集结用时（近 12 个月，达到应到人数的中位用时）</h3>
      <table>
        <thead>
          <tr>
            <th>队伍类型</th>
            <th>拉动次数</th>
            <th>按时集结</th>
            <th>中位用时</th>
          </tr>
        </thead>
        <tbody>
          {o.assembly.map((a) => (
            <tr key={a.kind}>
              <td>{TEAM_KIND_LABELS[a.kind]}</td>
              <td>{a.callouts}</td>
              <td>{a.met}</td>
              <td>{formatDuration(a.medianSeconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
