import { describe, expect, it } from "vitest";
import { FORM_LIMITS, FormLimitError, formObject, nestedForm, realDate, strictDate } from "../../app/lib/validation";
import { safeNext } from "../../app/modules/auth/next";
import { normalizeUsername, USERNAME_PATTERN } from "../../app/modules/auth/username";
import { addressKey, LOGIN_LIMITS, progressiveDelayMs } from "../../app/modules/auth/rate-limit.server";

describe("form reading", () => {
  it("keeps repeated names as arrays, in order, and refuses too many repeats or fields", () => {
    expect(
      formObject([
        ["a", "1"],
        ["a", "2"],
        ["b", "3"],
      ] as [string, string][]),
    ).toEqual({ a: ["1", "2"], b: "3" });
    const repeats = Array.from({ length: FORM_LIMITS.maxRepeats + 1 }, () => ["a", "x"] as [string, string]);
    expect(() => formObject(repeats)).toThrow(FormLimitError);
    const fields = Array.from({ length: FORM_LIMITS.maxFields + 1 }, (_, i) => [`f${i}`, "x"] as [string, string]);
    expect(() => formObject(fields)).toThrow(FormLimitError);
  });

  it("nests dotted names, closes holes, and refuses huge indices and deep names", () => {
    expect(nestedForm({ "rules.0.type": "single", "rules.2.type": "judge", name: "x" })).toEqual({
      rules: [{ type: "single" }, { type: "judge" }],
      name: "x",
    });
    expect(() => nestedForm({ "rules.1000000000.type": "single" })).toThrow(FormLimitError);
    expect(() => nestedForm({ "rules.0.type": "a", "rules.x": "b" })).toThrow(FormLimitError);
    expect(() => nestedForm({ "a.b.c.d.e": "x" })).toThrow(FormLimitError);
    expect(nestedForm({ "__proto__.polluted": "x" })).toEqual({});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("dates", () => {
  it("accepts only days that exist, in range", () => {
    expect(realDate("2024-02-29")).toBe(true);
    expect(realDate("2026-02-30")).toBe(false);
    expect(realDate("0001-01-01")).toBe(true);
    expect(strictDate("日期").safeParse("2026-02-30").success).toBe(false);
    expect(strictDate("日期").safeParse("0001-01-01").success).toBe(false);
    expect(strictDate("日期").safeParse("2026-03-01").success).toBe(true);
  });
});

describe("redirect after login", () => {
  it("keeps same-site paths and refuses everything that could leave the site", () => {
    expect(safeNext("/courses/a?b=1#c")).toBe("/courses/a?b=1#c");
    for (const bad of [
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/a\r\nb",
      "https://evil.example",
      "evil",
      "/a//b",
      "/中文",
      undefined,
    ]) {
      expect(safeNext(bad), String(bad)).toBe("/");
    }
  });
});

describe("login names and limits", () => {
  it("folds full-width, zero-width, ligature and case variants to one name", () => {
    for (const v of ["ｗｏｒｋｅｒ", "wor\u200bker", "WORKER", "wor\u2060ker", "\ufeffworker"])
      expect(normalizeUsername(v)).toBe("worker");
    expect(normalizeUsername("\ufb01le")).toBe("file");
    expect(USERNAME_PATTERN.test(normalizeUsername("İnspector"))).toBe(false);
  });

  it("keys IPv6 clients by /64 and IPv4-mapped addresses as IPv4", () => {
    expect(addressKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2::9")).toBe("2001:db8:1:2::/64");
    expect(addressKey("::ffff:10.1.2.3")).toBe("10.1.2.3");
    expect(addressKey("10.1.2.3")).toBe("10.1.2.3");
  });

  it("delays an account under attack progressively, capped", () => {
    expect(progressiveDelayMs(LOGIN_LIMITS.accountSoft - 1)).toBe(0);
    expect(progressiveDelayMs(LOGIN_LIMITS.accountSoft)).toBe(250);
    expect(progressiveDelayMs(1000)).toBe(LOGIN_LIMITS.maxDelayMs);
  });
});
