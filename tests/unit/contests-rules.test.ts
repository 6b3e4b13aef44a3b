import { describe, expect, it } from "vitest";
import {
  answerTiming,
  bucketOfKey,
  entryRefusal,
  formatMs,
  groupSortKey,
  improves,
  maskPhone,
  MAX_MS,
  PHONE_RE,
  rankBucket,
  rankOf,
  sortKey,
  suspiciousSpeed,
} from "../../app/modules/contests/rules";

describe("contest rules", () => {
  it("orders by score, then less time; equal score and time are one key", () => {
    expect(sortKey(100, 5000)).toBeGreaterThan(sortKey(90, 1000));
    expect(sortKey(100, 4000)).toBeGreaterThan(sortKey(100, 5000));
    expect(sortKey(100, 5000)).toBe(sortKey(100, 5000));
    expect(sortKey(0, 0)).toBeGreaterThan(0); // a finished entry of 0 points still ranks
    expect(sortKey(10, MAX_MS * 3)).toBe(sortKey(10, MAX_MS));
    expect(Number.isSafeInteger(sortKey(5000, 0))).toBe(true);
  });
  it("a better entry improves the best; an equal one does not", () => {
    expect(improves(50, 9000, { score: null, ms: null })).toBe(true);
    expect(improves(50, 9000, { score: 50, ms: 10000 })).toBe(true);
    expect(improves(50, 10000, { score: 50, ms: 10000 })).toBe(false);
    expect(improves(40, 1000, { score: 50, ms: 10000 })).toBe(false);
  });
  it("competition ranks and group keys", () => {
    expect(rankOf(0)).toBe(1);
    expect(rankOf(3)).toBe(4);
    expect(groupSortKey(250, 3)).toBeGreaterThan(groupSortKey(160, 2)); // 83.33 > 80
    expect(groupSortKey(160, 2)).toBeGreaterThan(groupSortKey(80, 1)); // same average: more people first
    expect(groupSortKey(0, 0)).toBe(0);
  });
  it("times answers on the server: capped at the question's time, late after the grace", () => {
    const served = new Date("2026-11-30T01:00:00Z");
    expect(answerTiming(served, new Date(served.getTime() + 4200), 20)).toEqual({ elapsedMs: 4200, late: false });
    expect(answerTiming(served, new Date(served.getTime() + 21_500), 20)).toEqual({ elapsedMs: 20_000, late: false });
    expect(answerTiming(served, new Date(served.getTime() + 22_001), 20)).toEqual({ elapsedMs: 20_000, late: true });
  });
  it("flags suspicious speed only when most correct answers were too fast", () => {
    const fast = { earned: 10, elapsedMs: 800 };
    const slow = { earned: 10, elapsedMs: 6000 };
    expect(suspiciousSpeed([fast, fast, fast, slow])).toBe(true);
    expect(suspiciousSpeed([fast, fast, slow, slow, slow])).toBe(false);
    expect(suspiciousSpeed([fast, fast])).toBe(false);
    expect(
      suspiciousSpeed([
        { earned: 0, elapsedMs: 300 },
        { earned: 0, elapsedMs: 300 },
        { earned: 0, elapsedMs: 300 },
      ]),
    ).toBe(false);
  });
  it("refuses entries before the start, after the end, while one is open, past the person's and the day's limits", () => {
    const c = {
      mode: "daily" as const,
      attemptsPerDay: 1,
      personLimit: 3,
      startsAt: new Date("2026-11-01T00:00:00Z"),
      endsAt: new Date("2026-12-01T00:00:00Z"),
    };
    const at = new Date("2026-11-30T02:00:00Z");
    expect(entryRefusal(c, at, { total: 0, today: 0, open: false })).toBeNull();
    expect(entryRefusal(c, new Date("2026-10-31T00:00:00Z"), { total: 0, today: 0, open: false })).toMatch(/尚未开始/);
    expect(entryRefusal(c, new Date("2026-12-01T00:00:00Z"), { total: 0, today: 0, open: false })).toMatch(/已结束/);
    expect(entryRefusal(c, at, { total: 1, today: 1, open: true })).toMatch(/尚未完成/);
    expect(entryRefusal(c, at, { total: 1, today: 1, open: false })).toMatch(/今天的次数已用完/);
    expect(entryRefusal(c, at, { total: 3, today: 0, open: false })).toMatch(/每人最多参赛 3 次/);
    expect(entryRefusal({ ...c, mode: "paper" }, at, { total: 1, today: 1, open: false })).toBeNull();
  });
  it("phones and formatting", () => {
    expect(PHONE_RE.test("13800138000")).toBe(true);
    expect(PHONE_RE.test("12800138000")).toBe(false);
    expect(maskPhone("13800138000")).toBe("138****8000");
    expect(formatMs(65_300)).toBe("1分05.3秒");
    expect(formatMs(null)).toBe("—");
  });
});

describe("rank buckets", () => {
  it("put a best in its score and whole second, and a key back in the same bucket", () => {
    expect(rankBucket(90, 12_345)).toEqual({ score: 90, second: 12 });
    expect(rankBucket(90, null)).toEqual({ score: 90, second: 999_999 });
    expect(rankBucket(0, -5)).toEqual({ score: 0, second: 0 });
    for (const [score, ms] of [
      [100, 0],
      [100, 999],
      [100, 1000],
      [7, 123_456],
      [0, MAX_MS],
      [3, 5_000_000_000],
    ])
      expect(bucketOfKey(sortKey(score, ms))).toEqual(rankBucket(score, ms));
  });
});
