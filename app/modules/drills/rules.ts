/**
 * Pure rules of emergency plans and drills (docs/domain.md: MEM order No. 2 Art. 33–34; AQ/T 9007, 9009). The
 * numbers are defaults; the product keeps them as data an admin can change.
 */

import type { DrillMode, DrillState, PlanType, Rating, RectificationStatus } from "../../../db/types";
import { RATING_SCALE } from "./rating-scale";

export type { DrillMode, PlanType, Rating };
export const PLAN_TYPES: PlanType[] = ["comprehensive", "special", "onsite"];
export const PLAN_TYPE_LABELS: Record<PlanType, string> = {
  comprehensive: "综合应急预案",
  special: "专项应急预案",
  onsite: "现场处置方案",
};

/** Industries whose units drill at least every half-year and report drills (Art. 33, second paragraph). */
export const HALF_YEARLY_INDUSTRIES = [
  "hazardous_chemicals",
  "non_coal_mining",
  "coal_mining",
  "metallurgy",
  "fireworks",
  "construction",
  "transport",
];

/** Months allowed between drills of a plan: on-site procedures every half-year; others yearly, or half-yearly for high-risk units. */
export function requiredIntervalMonths(type: PlanType, industryCode: string): number {
  if (type === "onsite") return 6;
  return HALF_YEARLY_INDUSTRIES.includes(industryCode) ? 6 : 12;
}

const parse = (iso: string) => ({
  y: Number(iso.slice(0, 4)),
  m: Number(iso.slice(5, 7)),
  d: Number(iso.slice(8, 10)),
});
const fmt = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

/** Same day n months later, clamped to the month's end (31 Aug + 6 months = 28/29 Feb). */
export function addMonths(iso: string, n: number): string {
  const { y, m, d } = parse(iso);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return fmt(ny, nm, Math.min(d, last));
}

export type PlanDrillStatus = "drilled" | "due_soon" | "overdue";

/**
 * A plan's drill status. The next drill is due `interval` months after the last one, or after the plan was issued
 * when it has never been drilled (a new plan is not overdue on its first day); within `soonDays` is "due soon".
 */
export function planDrillStatus(
  plan: { lastDrilledOn: string | null; issuedOn: string },
  intervalMonths: number,
  today: string,
  soonDays = 30,
): { status: PlanDrillStatus; dueOn: string; neverDrilled: boolean } {
  const dueOn = addMonths(plan.lastDrilledOn ?? plan.issuedOn, intervalMonths);
  const neverDrilled = plan.lastDrilledOn === null;
  if (dueOn < today) return { status: "overdue", dueOn, neverDrilled };
  return { status: daysBetween(today, dueOn) <= soonDays ? "due_soon" : "drilled", dueOn, neverDrilled };
}

export function daysBetween(from: string, to: string): number {
  const utc = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10));
  return Math.round((utc(to) - utc(from)) / 86400_000);
}

/** Share of plans drilled within their interval (due soon still counts as compliant). */
export function complianceRate(statuses: PlanDrillStatus[]): number | null {
  if (statuses.length === 0) return null;
  return statuses.filter((s) => s === "drilled" || s === "due_soon").length / statuses.length;
}

/** The one-tap milestones of a drill log, in the order a response usually reaches them. */
export const MILESTONES = [
  "alarm",
  "first_report",
  "command_set_up",
  "evacuation_complete",
  "head_count_done",
  "rescue_begun",
  "all_clear",
] as const;
export type Milestone = (typeof MILESTONES)[number];
export const MILESTONE_LABELS: Record<Milestone, string> = {
  alarm: "发出警报",
  first_report: "首次报告",
  command_set_up: "成立指挥部",
  evacuation_complete: "疏散完成",
  head_count_done: "清点人数完毕",
  rescue_begun: "开始救援",
  all_clear: "解除警报",
};

/**
 * Key response times from a drill's log, in seconds after the alarm: the first time each milestone was logged
 * (several people may tap the same one). Milestones logged before the alarm, or never, give null.
 */
export function responseTimes(
  events: { milestone: Milestone | null; at: Date }[],
): Record<Exclude<Milestone, "alarm">, number | null> {
  const first = new Map<Milestone, number>();
  for (const e of [...events].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if (e.milestone && !first.has(e.milestone)) first.set(e.milestone, e.at.getTime());
  }
  const alarm = first.get("alarm");
  const out = {} as Record<Exclude<Milestone, "alarm">, number | null>;
  for (const m of MILESTONES) {
    if (m === "alarm") continue;
    const t = first.get(m);
    out[m] = alarm !== undefined && t !== undefined && t >= alarm ? Math.round((t - alarm) / 1000) : null;
  }
  return out;
}

/** Controllers 导调人员 run the exercise beside the organizer: they release injects' effects and keep the log. */
export type DrillRole = "organizer" | "controller" | "evaluator" | "participant" | "none";

/** Who writes the official log (what the report and the response times rest on): never a participant. */
export const mayWriteLog = (role: DrillRole) => role === "organizer" || role === "controller" || role === "evaluator";

/**
 * The secrecy rule: before a drill starts, its sealed content (title, scenario, injects, exact start, objectives)
 * is readable only by the organizer and the evaluators, for double-blind drills and, since their participants get
 * no script, unscripted ones. A scripted drill hides nothing; a started drill hides nothing from those who may see it.
 */
export function maySeeSealed(mode: DrillMode, role: DrillRole, started: boolean): boolean {
  return started || mode === "scripted" || role === "organizer" || role === "controller" || role === "evaluator";
}

/**
 * How much of a drill someone who may read the enterprise's drills sees: everything; the schedule without the
 * script (unscripted); only "a drill will happen in this window" (double-blind); or nothing at all, when the
 * organizer chose not to announce a double-blind drill to the enterprise's own people.
 */
export type DrillVisibility = "full" | "schedule" | "window" | "hidden";
export function drillVisibility(
  d: { mode: DrillMode; announceWindow: boolean; status: DrillState },
  role: DrillRole,
  insider: boolean,
): DrillVisibility {
  if (maySeeSealed(d.mode, role, d.status !== "planned")) return "full";
  if (d.mode === "unscripted") return "schedule";
  return insider && !d.announceWindow ? "hidden" : "window";
}

/** Problems with a drill's planned window, keyed by form field, in Chinese (empty when it is fine). */
export function windowProblems(
  w: { start: Date; end: Date; plannedStart: Date | null },
  now: Date,
  others: { start: Date; end: Date }[],
): Record<string, string> {
  const problems: Record<string, string> = {};
  if (w.start < now) problems.windowStart = "演练时间不能早于当前时间";
  if (w.end <= w.start) problems.windowEnd = "演练时间窗的结束须晚于开始";
  else if (w.end.getTime() - w.start.getTime() > 31 * 86400_000) problems.windowEnd = "演练时间窗不能超过 31 天";
  if (w.plannedStart && (w.plannedStart < w.start || w.plannedStart >= w.end))
    problems.plannedStart = "计划开始时间须在演练时间窗内";
  if (!problems.windowEnd && others.some((o) => o.start < w.end && w.start < o.end))
    problems.windowStart = "与本企业已安排的演练时间重叠，请调整时间";
  return problems;
}

/** Problems with a time someone logs for an event (backfilled from memory), in Chinese, or null. */
export function eventTimeProblem(at: Date, now: Date, startedAt: Date): string | null {
  if (at.getTime() > now.getTime() + 60_000) return "记录时间不能晚于当前时间";
  if (at < startedAt) return "记录时间不能早于演练开始时间";
  return null;
}

/** Ratings an evaluator gives per criterion (the scale is data: rating-scale.ts), and their scores for combining sheets. */
export const RATINGS = Object.fromEntries(RATING_SCALE.map((r) => [r.code, r.score])) as Record<Rating, number>;
/** The codes in the scale's order, best first. */
export const RATING_CODES: Rating[] = RATING_SCALE.map((r) => r.code);

/** Combine several evaluators' ratings of one criterion: the mean score, and the rating it rounds to. */
export function combineRatings(ratings: Rating[]): { score: number; rating: Rating } | null {
  if (ratings.length === 0) return null;
  const score = ratings.reduce((s, r) => s + RATINGS[r], 0) / ratings.length;
  const rounded = Math.round(score);
  const rating = RATING_CODES.find((r) => RATINGS[r] === rounded)!;
  return { score: Math.round(score * 100) / 100, rating };
}

/** What users see of a rating: 优 / 良 / 中 / 差 (never the stored letter). */
export const RATING_LABELS = Object.fromEntries(RATING_SCALE.map((r) => [r.code, r.label])) as Record<Rating, string>;
/** The label with what it means, for choosing and for the legend: "优（顺利完成，无明显问题）". */
export const RATING_MEANINGS = Object.fromEntries(
  RATING_SCALE.map((r) => [r.code, `${r.label}（${r.meaning}）`]),
) as Record<Rating, string>;

/** Rectification items that still block closing the drill and count as open for regulators. */
export const OPEN_RECTIFICATION: RectificationStatus[] = ["open", "submitted"];

/** An item still open past its due date (what officers' home pages and regulators count as overdue). */
export function isOverdue(item: { status: RectificationStatus; dueOn: string }, today: string): boolean {
  return OPEN_RECTIFICATION.includes(item.status) && item.dueOn < today;
}

/** Why a drill cannot be closed yet, in Chinese (empty when it can). */
export function closeProblems(d: {
  status: DrillState;
  evaluators: number;
  sheetsSubmitted: number;
  openItems: number;
}): string[] {
  const problems: string[] = [];
  if (d.status !== "ended") problems.push(d.status === "closed" ? "演练已关闭" : "演练尚未结束，不能关闭");
  if (d.sheetsSubmitted < d.evaluators)
    problems.push(`还有 ${d.evaluators - d.sheetsSubmitted} 名评估人员未提交评估表`);
  if (d.openItems > 0) problems.push(`还有 ${d.openItems} 项整改未关闭或未被接受`);
  return problems;
}

/** Age bucket of an open rectification item, for regulators' "open by age". */
export const AGE_BUCKETS = [
  { key: "d30", label: "30 天以内", maxDays: 30 },
  { key: "d90", label: "31–90 天", maxDays: 90 },
  { key: "d180", label: "91–180 天", maxDays: 180 },
  { key: "older", label: "180 天以上", maxDays: Infinity },
] as const;
export function ageBucket(createdOn: string, today: string): (typeof AGE_BUCKETS)[number]["key"] {
  const days = daysBetween(createdOn, today);
  return AGE_BUCKETS.find((b) => days <= b.maxDays)!.key;
}
