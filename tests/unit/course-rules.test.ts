import { describe, expect, it } from "vitest";
import {
  assignmentStatus, creditedSeconds, excerpt, isNewHire, minReadingSeconds, newHireDueOn, requiredHours, searchNeedle, type HoursRule,
} from "../../app/modules/courses/rules";

const rules: HoursRule[] = [
  { post: "principal", high_risk: 0, phase: "initial", hours: 32, basis: "a" },
  { post: "principal", high_risk: 0, phase: "annual", hours: 12, basis: "b" },
  { post: "principal", high_risk: 1, phase: "initial", hours: 48, basis: "c" },
  { post: "principal", high_risk: 1, phase: "annual", hours: 16, basis: "d" },
  { post: "worker", high_risk: 0, phase: "initial", hours: 24, basis: "e" },
  { post: "worker", high_risk: 1, phase: "initial", hours: 72, basis: "f" },
  { post: "worker", high_risk: 1, phase: "annual", hours: 20, basis: "g" },
];
const today = "2026-11-23";

describe("reading time", () => {
  it.each([
    [0, 30], [100, 30], [250, 30], [500, 60], [1500, 180], [1501, 181],
  ])("%i characters need %i seconds at 500 a minute, at least 30", (chars, seconds) => {
    expect(minReadingSeconds(chars, 500, 30)).toBe(seconds);
  });

  it("credits the gap between heartbeats, capped, never negative", () => {
    const t = new Date("2026-01-01T00:00:00Z");
    expect(creditedSeconds(t, new Date(t.getTime() + 15_000), 30)).toBe(15);
    expect(creditedSeconds(t, new Date(t.getTime() + 3_600_000), 30)).toBe(30);
    expect(creditedSeconds(t, new Date(t.getTime() - 5_000), 30)).toBe(0);
  });
});

describe("required hours", () => {
  it.each([
    ["principal", false, "2020-01-01", 12, "annual"],
    ["principal", true, "2020-01-01", 16, "annual"],
    ["principal", false, "2026-06-01", 32, "initial"],
    ["principal", true, "2026-06-01", 48, "initial"],
    ["worker", false, "2026-06-01", 24, "initial"],
    ["worker", true, "2026-06-01", 72, "initial"],
    ["worker", true, null, 20, "annual"],
  ] as const)("%s, high risk %s, hired %s: %i hours (%s)", (post, highRisk, hired, hours, phase) => {
    expect(requiredHours(rules, post, highRisk, hired, today)).toMatchObject({ hours, phase });
  });

  it("is null when no rule covers the case", () => {
    expect(requiredHours(rules, "worker", false, null, today)).toBeNull();
  });

  it("counts someone as new for exactly twelve months after the hire date", () => {
    expect(isNewHire("2025-11-24", today)).toBe(true);
    expect(isNewHire("2025-11-23", today)).toBe(false);
    expect(isNewHire("2026-12-01", today)).toBe(false);
    // A hire on 29 February counts until the 28th/1st of the next year, without crashing.
    expect(isNewHire("2024-02-29", "2025-02-28")).toBe(true);
    expect(isNewHire("2024-02-29", "2025-03-01")).toBe(false);
  });
});

describe("assignments", () => {
  it.each([
    [new Date(), "2026-01-01", "completed"],
    [null, "2026-11-22", "overdue"],
    [null, "2026-11-23", "pending"],
    [null, null, "pending"],
  ] as const)("completed %s, due %s → %s", (completed, due, status) => {
    expect(assignmentStatus(completed, due, "2026-11-23")).toBe(status);
  });

  it("puts a new hire's due date a number of days after hiring, across month and leap-year ends", () => {
    expect(newHireDueOn("2026-01-31", 30)).toBe("2026-03-02");
    expect(newHireDueOn("2028-02-01", 29)).toBe("2028-03-01");
  });
});

describe("search", () => {
  it("needs two characters and ignores spaces", () => {
    expect(searchNeedle("通")).toBeNull();
    expect(searchNeedle(" 先 通风 ")).toBe("先通风");
  });

  it("cuts an excerpt around the match", () => {
    expect(excerpt("0123456789", 5, 2, 2)).toBe("…3456789".slice(0, 7) + "…");
  });
});
