import { describe, expect, it } from "vitest";
import {
  addMonths,
  ageBucket,
  closeProblems,
  combineRatings,
  complianceRate,
  drillVisibility,
  eventTimeProblem,
  isOverdue,
  maySeeSealed,
  planDrillStatus,
  requiredIntervalMonths,
  responseTimes,
  windowProblems,
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
    [null, "2026-03-01", 12, "2026-11-23", "drilled", "2027-03-01", true], // new plan: due a full interval after issue
    [null, "2025-10-01", 12, "2026-11-23", "overdue", "2026-10-01", true],
    ["2026-01-10", "2020-01-01", 12, "2026-11-23", "drilled", "2027-01-10", false],
    ["2025-12-20", "2020-01-01", 12, "2026-11-23", "due_soon", "2026-12-20", false],
    ["2025-11-23", "2020-01-01", 12, "2026-11-23", "due_soon", "2026-11-23", false], // due today
    ["2025-11-22", "2020-01-01", 12, "2026-11-23", "overdue", "2026-11-22", false],
    ["2026-05-23", "2020-01-01", 6, "2026-11-23", "due_soon", "2026-11-23", false],
    ["2026-05-22", "2020-01-01", 6, "2026-11-23", "overdue", "2026-11-22", false],
    ["2027-08-31", "2020-01-01", 6, "2028-02-29", "due_soon", "2028-02-29", false],
    ["2027-08-31", "2020-01-01", 6, "2028-03-01", "overdue", "2028-02-29", false],
  ] as const)(
    "last drilled %s (issued %s), every %i months, on %s: %s (due %s)",
    (last, issued, months, today, status, dueOn, neverDrilled) => {
      expect(planDrillStatus({ lastDrilledOn: last, issuedOn: issued }, months, today)).toEqual({
        status,
        dueOn,
        neverDrilled,
      });
    },
  );

  it("computes compliance as the share of plans drilled within their interval", () => {
    expect(complianceRate(["drilled", "due_soon", "overdue", "overdue"])).toBe(0.5);
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
    expect(times).toEqual({
      first_report: 60,
      command_set_up: 240,
      evacuation_complete: 540,
      head_count_done: 600,
      rescue_begun: null,
      all_clear: 1800,
    });
  });

  it("gives nothing without an alarm, and ignores milestones logged before it", () => {
    expect(responseTimes([{ milestone: "first_report", at: at(10) }]).first_report).toBeNull();
    expect(
      responseTimes([
        { milestone: "first_report", at: at(-5) },
        { milestone: "alarm", at: at(0) },
      ]).first_report,
    ).toBeNull();
  });
});

describe("double-blind secrecy", () => {
  it.each([
    ["double_blind", "organizer", false, true],
    ["double_blind", "evaluator", false, true],
    ["double_blind", "participant", false, false],
    ["double_blind", "none", false, false],
    ["double_blind", "participant", true, true],
    ["double_blind", "none", true, true],
    ["unscripted", "participant", false, false], // no script before the start
    ["unscripted", "evaluator", false, true],
    ["scripted", "none", false, true],
  ] as const)("%s drill, %s, started %s: sees sealed content %s", (mode, role, started, sees) => {
    expect(maySeeSealed(mode, role, started)).toBe(sees);
  });

  it.each([
    ["double_blind", true, "planned", "participant", true, "window"],
    ["double_blind", false, "planned", "participant", true, "hidden"],
    ["double_blind", false, "planned", "none", true, "hidden"], // another officer of the enterprise
    ["double_blind", false, "planned", "none", false, "window"], // a regulator is told a drill is due, not what
    ["double_blind", false, "planned", "evaluator", false, "full"],
    ["double_blind", false, "running", "participant", true, "full"],
    ["unscripted", true, "planned", "participant", true, "schedule"],
    ["scripted", true, "planned", "participant", true, "full"],
  ] as const)(
    "%s (announced %s) %s, seen by %s (insider %s): %s",
    (mode, announceWindow, status, role, insider, visibility) => {
      expect(drillVisibility({ mode, announceWindow, status }, role, insider)).toBe(visibility);
    },
  );
});

describe("planning and logging checks", () => {
  const now = new Date("2026-11-23T00:00:00Z");
  const d = (s: string) => new Date(s);
  it("catches a window in the past, reversed, too long, overlapping another, or a start outside it", () => {
    expect(
      windowProblems({ start: d("2026-12-01"), end: d("2026-12-05"), plannedStart: d("2026-12-02") }, now, []),
    ).toEqual({});
    expect(windowProblems({ start: d("2026-11-01"), end: d("2026-11-05"), plannedStart: null }, now, [])).toEqual({
      windowStart: "演练时间不能早于当前时间",
    });
    expect(
      windowProblems({ start: d("2026-12-05"), end: d("2026-12-01"), plannedStart: null }, now, []).windowEnd,
    ).toBe("演练时间窗的结束须晚于开始");
    expect(
      windowProblems({ start: d("2026-12-01"), end: d("2027-02-01"), plannedStart: null }, now, []).windowEnd,
    ).toBe("演练时间窗不能超过 31 天");
    expect(
      windowProblems({ start: d("2026-12-01"), end: d("2026-12-05"), plannedStart: null }, now, [
        { start: d("2026-12-04"), end: d("2026-12-10") },
      ]).windowStart,
    ).toBe("与本企业已安排的演练时间重叠，请调整时间");
    expect(
      windowProblems({ start: d("2026-12-01"), end: d("2026-12-05"), plannedStart: null }, now, [
        { start: d("2026-12-05"), end: d("2026-12-10") },
      ]),
    ).toEqual({});
    expect(
      windowProblems({ start: d("2026-12-01"), end: d("2026-12-05"), plannedStart: d("2026-12-05") }, now, [])
        .plannedStart,
    ).toBe("计划开始时间须在演练时间窗内");
  });

  it("refuses logged times in the future or before the start", () => {
    const started = d("2026-11-23T00:00:00Z");
    expect(eventTimeProblem(d("2026-11-23T00:30:00Z"), d("2026-11-23T01:00:00Z"), started)).toBeNull();
    expect(eventTimeProblem(d("2026-11-23T02:00:00Z"), d("2026-11-23T01:00:00Z"), started)).toBe(
      "记录时间不能晚于当前时间",
    );
    expect(eventTimeProblem(d("2026-11-22T23:59:00Z"), d("2026-11-23T01:00:00Z"), started)).toBe(
      "记录时间不能早于演练开始时间",
    );
  });

  it("combines evaluators' ratings", () => {
    expect(combineRatings(["P", "S"])).toEqual({ score: 3.5, rating: "P" });
    expect(combineRatings(["M", "U", "M"])).toEqual({ score: 1.67, rating: "M" });
    expect(combineRatings([])).toBeNull();
  });

  it.each([
    [{ status: "ended", evaluators: 2, sheetsSubmitted: 2, openItems: 0 }, []],
    [{ status: "running", evaluators: 2, sheetsSubmitted: 2, openItems: 0 }, ["演练尚未结束，不能关闭"]],
    [{ status: "ended", evaluators: 2, sheetsSubmitted: 1, openItems: 0 }, ["还有 1 名评估人员未提交评估表"]],
    [{ status: "ended", evaluators: 2, sheetsSubmitted: 2, openItems: 3 }, ["还有 3 项整改未关闭或未被接受"]],
  ] as const)("closing %o: %o", (d, problems) => {
    expect(closeProblems(d)).toEqual(problems);
  });

  it.each([
    ["open", "2026-11-22", true],
    ["submitted", "2026-11-22", true],
    ["open", "2026-11-23", false],
    ["closed", "2026-11-01", false],
    ["accepted", "2026-11-01", false],
  ] as const)("a %s item due %s is overdue on 2026-11-23: %s", (status, dueOn, overdue) => {
    expect(isOverdue({ status, dueOn }, "2026-11-23")).toBe(overdue);
  });

  it.each([
    ["2026-11-01", "2026-11-23", "d30"],
    ["2026-09-01", "2026-11-23", "d90"],
    ["2026-06-01", "2026-11-23", "d180"],
    ["2025-01-01", "2026-11-23", "older"],
  ] as const)("an item opened %s, on %s, is in bucket %s", (created, today, bucket) => {
    expect(ageBucket(created, today)).toBe(bucket);
  });
});
