/**
 * Pure rules of emergency plans and drills (DOMAIN.md: MEM order No. 2 Art. 33–34; AQ/T 9007, 9009). The
 * numbers are defaults; the product keeps them as data an admin can change.
 */

export type PlanType = "comprehensive" | "special" | "onsite";
export const PLAN_TYPE_LABELS: Record<PlanType, string> = { comprehensive: "综合应急预案", special: "专项应急预案", onsite: "现场处置方案" };

/** Industries whose units drill at least every half-year and report drills (Art. 33, second paragraph). */
export const HALF_YEARLY_INDUSTRIES = ["hazardous_chemicals", "non_coal_mining", "coal_mining", "metallurgy", "fireworks", "construction", "transport"];

/** Months allowed between drills of a plan: on-site procedures every half-year; others yearly, or half-yearly for high-risk units. */
export function requiredIntervalMonths(type: PlanType, industryCode: string): number {
  if (type === "onsite") return 6;
  return HALF_YEARLY_INDUSTRIES.includes(industryCode) ? 6 : 12;
}

const parse = (iso: string) => ({ y: Number(iso.slice(0, 4)), m: Number(iso.slice(5, 7)), d: Number(iso.slice(8, 10)) });
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

export type DrillStatus = "drilled" | "due_soon" | "overdue" | "never";

/** A plan's drill status: the next drill is due `interval` months after the last; within `soonDays` of it is "due soon". */
export function planDrillStatus(lastDrilledOn: string | null, intervalMonths: number, today: string, soonDays = 30): { status: DrillStatus; dueOn: string | null } {
  if (!lastDrilledOn) return { status: "never", dueOn: null };
  const dueOn = addMonths(lastDrilledOn, intervalMonths);
  if (dueOn < today) return { status: "overdue", dueOn };
  const days = Math.round((Date.UTC(+dueOn.slice(0, 4), +dueOn.slice(5, 7) - 1, +dueOn.slice(8, 10)) - Date.UTC(+today.slice(0, 4), +today.slice(5, 7) - 1, +today.slice(8, 10))) / 86400_000);
  return { status: days <= soonDays ? "due_soon" : "drilled", dueOn };
}

/** Share of plans drilled within their interval (due soon still counts as compliant). */
export function complianceRate(statuses: DrillStatus[]): number | null {
  if (statuses.length === 0) return null;
  return statuses.filter((s) => s === "drilled" || s === "due_soon").length / statuses.length;
}

/** The one-tap milestones of a drill log, in the order a response usually reaches them. */
export const MILESTONES = ["alarm", "first_report", "command_set_up", "evacuation_complete", "head_count_done", "rescue_begun", "all_clear"] as const;
export type Milestone = (typeof MILESTONES)[number];
export const MILESTONE_LABELS: Record<Milestone, string> = {
  alarm: "发出警报", first_report: "首次报告", command_set_up: "成立指挥部", evacuation_complete: "疏散完成", head_count_done: "清点人数完毕",
  rescue_begun: "开始救援", all_clear: "解除警报",
};

/**
 * Key response times from a drill's log, in seconds after the alarm: the first time each milestone was logged
 * (several people may tap the same one). Milestones logged before the alarm, or never, give null.
 */
export function responseTimes(events: { milestone: Milestone | null; at: Date }[]): Record<Exclude<Milestone, "alarm">, number | null> {
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

export type DrillMode = "scripted" | "unscripted" | "double_blind";
export type DrillRole = "organizer" | "evaluator" | "participant" | "none";

/**
 * The secrecy rule of double-blind drills: before the drill starts, its scenario, injects and exact start are
 * readable only by the organizer and the evaluators. Scripted and unscripted drills hide nothing (an unscripted
 * drill gives participants no script, but the time is known).
 */
export function maySeeSealed(mode: DrillMode, role: DrillRole, started: boolean): boolean {
  if (mode !== "double_blind" || started) return role !== "none" || mode !== "double_blind";
  return role === "organizer" || role === "evaluator";
}

/** Problems with a drill's planned window, in Chinese (empty when it is fine). */
export function windowProblems(w: { start: Date; end: Date }, now: Date, others: { start: Date; end: Date }[]): string[] {
  const problems: string[] = [];
  if (w.end <= w.start) problems.push("演练时间窗的结束须晚于开始");
  if (w.start < now) problems.push("演练时间窗不能早于当前时间");
  if (others.some((o) => o.start < w.end && w.start < o.end)) problems.push("与本企业已安排的演练时间重叠");
  return problems;
}

/** HSEEP-style ratings an evaluator gives per criterion, and their scores for combining sheets. */
export const RATINGS = { P: 4, S: 3, M: 2, U: 1 } as const;
export type Rating = keyof typeof RATINGS;

/** Combine several evaluators' ratings of one criterion: the mean score, and the rating it rounds to. */
export function combineRatings(ratings: Rating[]): { score: number; rating: Rating } | null {
  if (ratings.length === 0) return null;
  const score = ratings.reduce((s, r) => s + RATINGS[r], 0) / ratings.length;
  const rounded = Math.round(score);
  const rating = (Object.keys(RATINGS) as Rating[]).find((r) => RATINGS[r] === rounded)!;
  return { score: Math.round(score * 100) / 100, rating };
}
