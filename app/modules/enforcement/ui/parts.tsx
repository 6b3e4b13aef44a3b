import { HOLDING_LABELS, type HoldingState } from "../rules";

export const pct = (r: number | null) => (r === null ? "—" : `${(Math.round(r * 1000) / 10).toFixed(1)}%`);
export const rateOf = (holding: number, required: number) => (required > 0 ? holding / required : null);

/** A holding rate against its target, marked met or not. */
export function TargetBadge({ rate, target }: { rate: number | null; target: number }) {
  if (rate === null) return <span className="badge">无人员</span>;
  return rate + 1e-9 >= target ? <span className="badge ok">达标</span> : <span className="badge bad">未达标</span>;
}

const STATE_CLASS: Record<HoldingState, string> = { holding: "ok", expiring: "warn", expired: "bad", none: "bad" };

export function HoldingBadge({ state }: { state: HoldingState }) {
  return <span className={`badge ${STATE_CLASS[state]}`}>{HOLDING_LABELS[state]}</span>;
}
