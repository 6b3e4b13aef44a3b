import { describe, expect, it } from "vitest";
import {
  addMonths, combineRatings, complianceRate, maySeeSealed, planDrillStatus, requiredIntervalMonths, responseTimes, windowProblems,
} from "../../app/modules/drills/rules";

describe("drill intervals (MEM order No. 2, Art. 33)", () => {
  it.each([
    ["comprehensive", "other_industry_trade", 12],
    ["special", "dust_explosion", 12],
    ["onsite", "other_industry_trade", 6],
    ["comprehensive", "hazardous_chemicals", 6],
    ["special", "construction", 6],
    ["onsite", "metallurgy", 6],
  ] as const)("%s plan in %s: every %i months", (type, industry, months) => {
    expect(requiredIntervalMonths(type, industry)).toBe(months);
  });

  it("adds months, clamping to the month's end and across leap years", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2027-08-31", 6)).toBe("2028-02-29");
    expect(addMonths("2026-11-23", 12)).toBe("2027-11-23");
    expect(addMonths("2026-12-15", 6)).toBe("2027-06-15");
  });

  it.each([
    [null, 12, "2026-11-23", "never", null],
    ["2026-01-10", 12, "2026-11-23", "drilled", "2027-01-10"],
    ["2025-12-20", 12, "2026-11-23", "due_soon", "2026-12-20"],
    ["2025-11-23", 12, "2026-11-23", "due_soon", "2026-11-23"], // due today
    ["2025-11-22", 12, "2026-11-23", "overdue", "2026-11-22"],
    ["2026-05-23", 6, "2026-11-23", "due_soon", "2026-11-23"],
    ["2026-05-22", 6, "2026-11-23", "overdue", "2026-11-22"],
    ["2027-08-31", 6, "2028-02-29", "due_soon", "2028-02-29"],
    ["2027-08-31", 6, "2028-03-01", "overdue", "2028-02-29"],
  ] as const)("last drilled %s, every %i months, on %s: %s (due %s)", (last, months, today, status, dueOn) => {
    expect(planDrillStatus(last, months, today)).toEqual({ status, dueOn });
  });

  it("computes compliance as the share of plans drilled within their interval", () => {
    expect(complianceRate(["drilled", "due_soon", "overdue", "never"])).toBe(0.5);
    expect(complianceRate([])).toBeNull();
  });
});

describe("response times from a drill log", () => {
  const t0 = new Date("2026-11-23T02:00:00Z");
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  it("measures each milestone's first logging after the alarm", () => {
    const times = responseTimes([
      { milestone: "first_report", at: at(95) },
      { milestone: "alarm", at: at(0) },
      { milestone: "first_report", at: at(60) }, // two phones: the earlier counts
      { milestone: null, at: at(70) }, // a free note
      { milestone: "command_set_up", at: at(240) },
      { milestone: "evacuation_complete", at: at(540) },
      { milestone: "head_count_done", at: at(600) },
      { milestone: "all_clear", at: at(1800) },
    ]);
    expect(times).toEqual({ first_report: 60, command_set_up: 240, evacuation_complete: 540, head_count_done: 600, rescue_begun: null, all_clear: 1800 });
  });

  it("gives nothing without an alarm, and ignores milestones logged before it", () => {
    expect(responseTimes([{ milestone: "first_report", at: at(10) }]).first_report).toBeNull();
    expect(responseTimes([{ milestone: "first_report", at: at(-5) }, { milestone: "alarm", at: at(0) }]).first_report).toBeNull();
  });
});

describe("double-blind secrecy", () => {
  it.each([
    ["double_blind", "organizer", false, true],
    ["double_blind", "evaluator", false, true],
    ["double_blind", "participant", false, false],
    ["double_blind", "none", false, false],
    ["double_blind", "participant", true, true],
    ["double_blind", "none", true, false],
    ["unscripted", "participant", false, true],
    ["scripted", "none", false, true],
  ] as const)("%s drill, %s, started %s: sees sealed content %s", (mode, role, started, sees) => {
    expect(maySeeSealed(mode, role, started)).toBe(sees);
  });
});

describe("planning checks", () => {
  const now = new Date("2026-11-23T00:00:00Z");
  const d = (s: string) => new Date(s);
  it("catches a window in the past, reversed, or overlapping another", () => {
    expect(windowProblems({ start: d("2026-12-01"), end: d("2026-12-05") }, now, [])).toEqual([]);
    expect(windowProblems({ start: d("2026-11-01"), end: d("2026-11-05") }, now, [])).toContain("演练时间窗不能早于当前时间");
    expect(windowProblems({ start: d("2026-12-05"), end: d("2026-12-01") }, now, [])).toContain("演练时间窗的结束须晚于开始");
    expect(windowProblems({ start: d("2026-12-01"), end: d("2026-12-05") }, now, [{ start: d("2026-12-04"), end: d("2026-12-10") }])).toContain("与本企业已安排的演练时间重叠");
    expect(windowProblems({ start: d("2026-12-01"), end: d("2026-12-05") }, now, [{ start: d("2026-12-05"), end: d("2026-12-10") }])).toEqual([]);
  });

  it("combines evaluators' ratings", () => {
    expect(combineRatings(["P", "S"])).toEqual({ score: 3.5, rating: "P" });
    expect(combineRatings(["M", "U", "M"])).toEqual({ score: 1.67, rating: "M" });
    expect(combineRatings([])).toBeNull();
  });
});
