import { describe, expect, it } from "vitest";
import {
  itemStatistics,
  percent,
  scoreHistogram,
  scoreItem,
  toDisplayed,
  toOriginal,
  validAnswer,
} from "../../app/modules/exams/grading";

describe("option order", () => {
  it("maps displayed letters to original ones and back", () => {
    // Displayed A,B,C,D are original C,A,D,B.
    expect(toOriginal("A", "2031")).toBe("C");
    expect(toOriginal("BD", "2031")).toBe("AB");
    expect(toDisplayed("AB", "2031")).toBe("BD");
    for (const a of ["A", "B", "C", "D", "ACD"]) expect(toOriginal(toDisplayed(a, "3102"), "3102")).toBe(a);
  });
});

describe("answers", () => {
  it.each([
    ["single", "B", 4, true],
    ["single", "E", 4, false],
    ["single", "AB", 4, false],
    ["single", "", 4, false],
    ["multiple", "ACD", 4, true],
    ["multiple", "AA", 4, false],
    ["multiple", "A", 4, true],
    ["judge", "true", 0, true],
    ["judge", "A", 0, false],
    ["single", "b", 4, false],
  ] as const)("%s %s with %i options valid: %s", (type, answer, n, ok) => {
    expect(validAnswer(type, answer, n)).toBe(ok);
  });
});

describe("scoring", () => {
  it.each([
    ["single", "B", "B", "all_or_nothing", 2],
    ["single", "B", "C", "all_or_nothing", 0],
    ["single", "B", null, "all_or_nothing", 0],
    ["judge", "false", "false", "partial", 2],
    ["multiple", "ACD", "ACD", "all_or_nothing", 2],
    ["multiple", "ACD", "AC", "all_or_nothing", 0],
    ["multiple", "ACD", "AC", "partial", 1.3],
    ["multiple", "ACD", "ABC", "partial", 0],
    ["multiple", "ACD", "ACD", "partial", 2],
  ] as const)("%s correct %s given %s (%s) earns %d of 2", (type, correct, given, scoring, earned) => {
    expect(scoreItem(type, correct, given, 2, scoring)).toBe(earned);
  });

  it("scales to 100", () => {
    expect(percent(16, 20)).toBe(80);
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(0, 0)).toBe(0);
  });
});

describe("statistics", () => {
  it("computes facility and discrimination", () => {
    const rows = [
      { attemptScore: 95, earnedShare: 1 },
      { attemptScore: 90, earnedShare: 1 },
      { attemptScore: 80, earnedShare: 1 },
      { attemptScore: 60, earnedShare: 0 },
      { attemptScore: 50, earnedShare: 0 },
      { attemptScore: 40, earnedShare: 0 },
      { attemptScore: 70, earnedShare: 1 },
      { attemptScore: 65, earnedShare: 0 },
      { attemptScore: 85, earnedShare: 1 },
      { attemptScore: 30, earnedShare: 0 },
    ];
    const s = itemStatistics(rows);
    expect(s.facility).toBe(0.5);
    expect(s.discrimination).toBe(1);
    expect(itemStatistics([]).facility).toBeNull();
    // A question everyone gets right does not discriminate.
    expect(itemStatistics(rows.map((r) => ({ ...r, earnedShare: 1 }))).discrimination).toBe(0);
  });

  it("buckets scores by ten, 100 in the top bucket", () => {
    expect(scoreHistogram([0, 9.9, 10, 85, 100, 100])).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 1, 2]);
  });
});
