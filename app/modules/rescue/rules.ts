/**
 * Pure rules of rescue teams, spot checks 双盲抽查, call-outs 拉动集结 and town drills (decision 0025). Numbers that
 * a region may set differently (targets, standards, validity) live in the database; these functions only compute.
 */
import type { RescueTeamKind, SpotCheckState } from "../../../db/types";

export const TEAM_KINDS: RescueTeamKind[] = ["professional", "town", "social"];
export const TEAM_KIND_LABELS: Record<RescueTeamKind, string> = {
  professional: "专业救援队伍",
  town: "乡镇综合队伍",
  social: "社会应急力量",
};

/** The certificate whose holding rate among core members the work plans set a target for. */
export const RESCUER_CERT = "rescuer";

/** A certificate counts on `day` when it is not voided and not expired (expires_on is its last valid day). */
export function certValid(c: { expires_on: string | null; voided_at: Date | null }, day: string): boolean {
  return c.voided_at === null && (c.expires_on === null || c.expires_on >= day);
}

/** Share held, or null when there is nobody to count. */
export const holdingRate = (holders: number, total: number): number | null => (total === 0 ? null : holders / total);

/** The target is met at or above it (a rate of 0.9 meets a 90% target). */
export const meetsTarget = (rate: number | null, target: number) => rate !== null && rate + 1e-9 >= target;

/**
 * Who may see what of a spot check before it starts. The organizer sees the check they planned, except a check drawn
 * by a random schedule, whose target and time nobody sees (the organizer is tested too: they learn of it at its
 * start); other regional staff covering the target learn only that a check falls in a window; the target's people
 * (team members, the team's or target enterprise's accounts) see nothing at all. After the start, everything.
 */
export type SpotRole = "organizer" | "regional" | "target" | "none";
export type SpotVisibility = "full" | "window" | "hidden";
export function spotVisibility(c: { status: SpotCheckState; scheduled: boolean }, role: SpotRole): SpotVisibility {
  if (c.status !== "planned") return role === "none" ? "hidden" : "full";
  if (role === "organizer") return c.scheduled ? "window" : "full";
  if (role === "regional") return "window";
  return "hidden";
}

/** A sealed schedule's seed may be shown once every check it drew has started (or been cancelled). */
export const scheduleRevealed = (checks: { status: SpotCheckState }[]) => checks.every((c) => c.status !== "planned");

/** Problems with a spot check's window and sealed time, keyed by field, in Chinese. */
export function spotWindowProblems(w: { start: Date; end: Date; at: Date | null }, now: Date): Record<string, string> {
  const p: Record<string, string> = {};
  if (w.start < new Date(now.getTime() - 60_000)) p.windowStart = "抽查时间窗不能早于当前时间";
  if (w.end <= w.start) p.windowEnd = "时间窗的结束须晚于开始";
  else if (w.end.getTime() - w.start.getTime() > 92 * 86400_000) p.windowEnd = "时间窗不能超过 92 天";
  if (w.at && (w.at < w.start || w.at >= w.end)) p.plannedAt = "密封的抽查时间须在时间窗内";
  return p;
}

export interface TapRow {
  memberId: number;
  name: string;
  core: boolean;
  ackedAt: Date | null;
  arrivedAt: Date | null;
}

export interface AssemblyResult {
  /** Seconds from the start until the first N members had arrived, or null when fewer arrived. */
  firstNSeconds: number | null;
  /** Seconds until the required strength had arrived, or null when it never did. */
  strengthSeconds: number | null;
  standardSeconds: number;
  /** The required strength arrived within the standard. */
  met: boolean;
  acknowledged: number;
  arrived: number;
  /** Arrived after the standard. */
  late: { memberId: number; name: string; seconds: number }[];
  /** Not arrived (yet, or at all once ended). */
  absent: { memberId: number; name: string; acknowledged: boolean }[];
}

/**
 * Assembly times of a call-out from its members' first acknowledgement and arrival (later taps never move them).
 * An arrival counts from its own instant; the n-th arrival is when n members were there.
 */
export function assemblyResult(
  c: { startedAt: Date; standardMinutes: number; requiredStrength: number; firstN: number },
  rows: TapRow[],
): AssemblyResult {
  const start = c.startedAt.getTime();
  const arrivals = rows
    .filter((r) => r.arrivedAt)
    .map((r) => ({ r, s: Math.max(0, Math.round((r.arrivedAt!.getTime() - start) / 1000)) }))
    .sort((a, b) => a.s - b.s || a.r.memberId - b.r.memberId);
  const nth = (n: number) => (n > 0 && arrivals.length >= n ? arrivals[n - 1].s : null);
  const standardSeconds = c.standardMinutes * 60;
  const strengthSeconds = nth(c.requiredStrength);
  return {
    firstNSeconds: nth(c.firstN),
    strengthSeconds,
    standardSeconds,
    met: strengthSeconds !== null && strengthSeconds <= standardSeconds,
    acknowledged: rows.filter((r) => r.ackedAt).length,
    arrived: arrivals.length,
    late: arrivals
      .filter((a) => a.s > standardSeconds)
      .map((a) => ({ memberId: a.r.memberId, name: a.r.name, seconds: a.s })),
    absent: rows
      .filter((r) => !r.arrivedAt)
      .map((r) => ({ memberId: r.memberId, name: r.name, acknowledged: r.ackedAt !== null })),
  };
}

/** What a tap on a member's link does: the state it leads to, or why it is refused (nothing changes then). */
export type TapIntent = "ack" | "arrive";
export function tapOutcome(
  row: { ackedAt: Date | null; arrivedAt: Date | null },
  intent: TapIntent,
  open: boolean,
): { ok: true; changes: boolean } | { ok: false; message: string } {
  if (intent === "ack") {
    if (row.ackedAt) return { ok: true, changes: false };
    if (!open) return { ok: false, message: "本次拉动集结已结束，不能再确认收到。" };
    return { ok: true, changes: true };
  }
  if (!row.ackedAt) return { ok: false, message: "请先点“收到”确认接到集结命令，再报到达。" };
  if (row.arrivedAt) return { ok: true, changes: false };
  if (!open) return { ok: false, message: "本次拉动集结已结束，不能再报到达。" };
  return { ok: true, changes: true };
}

/** Town plans: the comprehensive plan 综合应急预案 and the evacuation 转移避险 procedures. */
export const TOWN_PLAN_LABELS = { comprehensive: "乡镇综合应急预案", evacuation: "转移避险方案" } as const;

/** An evaluation form kept as data: indicators with maximum scores, and grade bands on the total's percentage. */
export interface EvaluationFormDefinition {
  basis: string;
  indicators: { code: string; group: string; text: string; max: number }[];
  grades: { label: string; minPercent: number }[];
}

/** Total and grade of a sheet; scores outside 0..max are refused (returns the indicator code). */
export function gradeSheet(
  form: EvaluationFormDefinition,
  scores: Record<string, number>,
): { ok: true; total: number; percent: number; grade: string } | { ok: false; code: string } {
  let total = 0;
  let max = 0;
  for (const i of form.indicators) {
    const s = scores[i.code];
    if (s === undefined || !Number.isFinite(s) || s < 0 || s > i.max) return { ok: false, code: i.code };
    total += s;
    max += i.max;
  }
  const percent = max === 0 ? 0 : Math.round((total / max) * 10000) / 100;
  const grade =
    [...form.grades].sort((a, b) => b.minPercent - a.minPercent).find((g) => percent >= g.minPercent)?.label ??
    form.grades[form.grades.length - 1].label;
  return { ok: true, total: Math.round(total * 100) / 100, percent, grade };
}
