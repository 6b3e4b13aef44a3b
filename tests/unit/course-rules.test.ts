import { describe, expect, it } from "vitest";
import {
  assignmentStatus,
  countedSeconds,
  creditedHours,
  excerpt,
  lessonRequiredSeconds,
  nextCheckinAt,
  isNewHire,
  minReadingSeconds,
  newHireDueOn,
  requiredHours,
  searchNeedle,
  type HoursRule,
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
    [0, 30],
    [100, 30],
    [250, 30],
    [500, 60],
    [1500, 180],
    [1501, 181],
  ])("%i characters need %i seconds at 500 a minute, at least 30", (chars, seconds) => {
    expect(minReadingSeconds(chars, 500, 30)).toBe(seconds);
  });

  it("counts the gap between heartbeats, capped, never negative, never past a due check-in, nothing while paused", () => {
    const t = new Date("2026-01-01T00:00:00Z");
    const far = new Date(t.getTime() + 86_400_000);
    expect(countedSeconds(t, new Date(t.getTime() + 15_000), far, 30)).toBe(15);
    expect(countedSeconds(t, new Date(t.getTime() + 3_600_000), far, 30)).toBe(30);
    expect(countedSeconds(t, new Date(t.getTime() - 5_000), far, 30)).toBe(0);
    expect(countedSeconds(t, new Date(t.getTime() + 20_000), new Date(t.getTime() + 12_000), 30)).toBe(12);
    expect(countedSeconds(null, new Date(t.getTime() + 20_000), far, 30)).toBe(0);
  });
});

describe("学时 from active study (AQ 8011-2023: 30 minutes per online 学时)", () => {
  it("asks of a lesson its share of the course's declared hours, and never less than its reading time", () => {
    // A 2-学时 course of 10,000 characters: a 2,500-character lesson is a quarter of 60 minutes.
    expect(
      lessonRequiredSeconds({
        courseHours: 2,
        minutesPerHour: 30,
        lessonChars: 2500,
        courseChars: 10_000,
        readingSeconds: 300,
      }),
    ).toBe(900);
    expect(
      lessonRequiredSeconds({
        courseHours: 0.5,
        minutesPerHour: 30,
        lessonChars: 2500,
        courseChars: 10_000,
        readingSeconds: 600,
      }),
    ).toBe(600);
    expect(
      lessonRequiredSeconds({ courseHours: 1, minutesPerHour: 45, lessonChars: 0, courseChars: 0, readingSeconds: 30 }),
    ).toBe(2700);
  });

  it("credits whole tenths of the time studied, never more than the course declares", () => {
    expect(creditedHours(3600, 30, 4)).toBe(2);
    expect(creditedHours(3599, 30, 4)).toBe(1.9);
    expect(creditedHours(100_000, 30, 1.5)).toBe(1.5);
    expect(creditedHours(0, 30, 3)).toBe(0);
  });

  it("draws the next check-in between its bounds", () => {
    const t = new Date("2026-01-01T00:00:00Z");
    expect(nextCheckinAt(t, 600, 1200, () => 0).getTime() - t.getTime()).toBe(600_000);
    expect(nextCheckinAt(t, 600, 1200, () => 0.999999).getTime() - t.getTime()).toBe(1_200_000);
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
    [null, "2026-11-23", "not_started"],
    [null, null, "not_started"],
  ] as const)("completed %s, due %s → %s", (completed, due, status) => {
    expect(assignmentStatus(completed, due, "2026-11-23")).toBe(status);
  });

  it("is 学习中 only once the person studied, and overdue or completed wins over it", () => {
    expect(assignmentStatus(null, "2026-11-23", "2026-11-23", true)).toBe("in_progress");
    expect(assignmentStatus(null, null, "2026-11-23", true)).toBe("in_progress");
    expect(assignmentStatus(null, "2026-11-22", "2026-11-23", true)).toBe("overdue");
    expect(assignmentStatus(new Date(), "2026-11-22", "2026-11-23", true)).toBe("completed");
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
