import { describe, expect, it } from "vitest";
import {
  addYears,
  certificateStatus,
  counts,
  defaultDates,
  rate,
  validUntil,
} from "../../app/modules/certification/rules";

const cert = (expires_on: string, review_due_on: string | null = null, revoked_on: string | null = null) => ({
  expires_on,
  review_due_on,
  revoked_on,
});

describe("certificate status", () => {
  it.each([
    // [certificate, today, status]
    [cert("2030-06-30", "2027-06-30"), "2026-11-23", "valid"],
    [cert("2030-06-30", "2027-02-21"), "2026-11-23", "review_due_soon"], // 90 days ahead, inclusive
    [cert("2030-06-30", "2027-02-22"), "2026-11-23", "valid"], // 91 days ahead
    [cert("2030-06-30", "2026-11-23"), "2026-11-23", "review_due_soon"], // due today still counts
    [cert("2030-06-30", "2026-11-22"), "2026-11-23", "review_overdue"],
    [cert("2027-02-21"), "2026-11-23", "expiring_soon"],
    [cert("2026-11-23"), "2026-11-23", "expiring_soon"], // last valid day
    [cert("2026-11-22"), "2026-11-23", "expired"],
    [cert("2026-11-22", "2025-01-01"), "2026-11-23", "expired"], // expiry wins over a missed review
    [cert("2030-06-30", null, "2026-11-23"), "2026-11-23", "revoked"],
    [cert("2030-06-30", null, "2026-12-01"), "2026-11-23", "valid"], // revocation in the future
    // Leap years: 29 February 2028 exists, 2027 does not have one.
    [cert("2028-02-29"), "2028-02-29", "expiring_soon"],
    [cert("2028-02-29"), "2028-03-01", "expired"],
    [cert("2030-01-01", "2028-02-29"), "2028-02-28", "review_due_soon"],
    [cert("2030-01-01", "2028-02-29"), "2028-03-01", "review_overdue"],
  ] as const)("%o on %s is %s", (c, today, status) => {
    expect(certificateStatus(c, today)).toBe(status);
  });

  it("counts valid and soon-due certificates as held, not lapsed or revoked ones", () => {
    expect(["valid", "review_due_soon", "expiring_soon"].every((s) => counts(s as never))).toBe(true);
    expect(["review_overdue", "expired", "revoked"].some((s) => counts(s as never))).toBe(false);
  });
});

describe("dates", () => {
  it("keeps a certificate valid through the earliest of expiry, review and the day before revocation", () => {
    expect(validUntil(cert("2030-06-30", "2027-06-30"))).toBe("2027-06-30");
    expect(validUntil(cert("2030-06-30"))).toBe("2030-06-30");
    expect(validUntil(cert("2030-06-30", null, "2026-03-01"))).toBe("2026-02-28");
    expect(validUntil(cert("2030-06-30", null, "2028-03-01"))).toBe("2028-02-29");
  });

  it("adds years across 29 February", () => {
    expect(addYears("2024-02-29", 1)).toBe("2025-02-28");
    expect(addYears("2024-02-29", 4)).toBe("2028-02-29");
    expect(addYears("2026-11-23", 6)).toBe("2032-11-23");
  });

  it("derives the rule's defaults: special operation 6 years with a review after 3, managers 3 years", () => {
    expect(defaultDates("special_operation", "2026-01-01")).toEqual({
      expires_on: "2031-12-31",
      review_due_on: "2028-12-31",
    });
    expect(defaultDates("special_operation", "2026-01-01", 6)).toEqual({
      expires_on: "2031-12-31",
      review_due_on: null,
    });
    expect(defaultDates("principal_manager", "2024-03-01")).toEqual({ expires_on: "2027-02-28", review_due_on: null });
    expect(defaultDates("special_operation", "2024-02-29").expires_on).toBe("2030-02-27");
  });
});

describe("rate", () => {
  it.each([
    [3, 4, 0.75],
    [0, 5, 0],
    [5, 5, 1],
    [0, 0, null],
  ] as const)("%i of %i is %s", (h, r, expected) => {
    expect(rate(h, r)).toBe(expected);
  });
});
