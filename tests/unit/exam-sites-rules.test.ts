import { describe, expect, it } from "vitest";
import { extendedDeadline, remainingMs, resumedDeadline, seatStatus } from "../../app/modules/exam-sites/rules";

const t = (hhmm: string) => new Date(`2026-11-30T${hhmm}:00Z`);

describe("exam site rules", () => {
  it("gives back exactly the paused time", () => {
    expect(resumedDeadline(t("03:00"), t("01:30"), t("01:47"))).toEqual(t("03:17"));
    expect(resumedDeadline(t("03:00"), t("01:30"), t("01:30"))).toEqual(t("03:00"));
    expect(resumedDeadline(t("03:00"), t("01:30"), t("01:20"))).toEqual(t("03:00")); // a clock step back gives nothing away
  });
  it("extension then pause then resume adds up", () => {
    const d = extendedDeadline(t("03:00"), 10);
    expect(d).toEqual(t("03:10"));
    expect(resumedDeadline(d, t("02:00"), t("02:05"))).toEqual(t("03:15"));
  });
  it("remaining time is frozen while paused", () => {
    expect(remainingMs(t("03:00"), null, t("02:30"))).toBe(30 * 60_000);
    expect(remainingMs(t("03:00"), t("02:30"), t("02:50"))).toBe(30 * 60_000);
    expect(remainingMs(t("03:00"), null, t("03:10"))).toBe(0);
  });
  it("seat status for the console", () => {
    expect(seatStatus({ checkedIn: false, voided: false, attempt: null })).toBe("absent");
    expect(seatStatus({ checkedIn: true, voided: false, attempt: null })).toBe("checked_in");
    expect(seatStatus({ checkedIn: true, voided: false, attempt: { submitted: false, paused: false } })).toBe(
      "answering",
    );
    expect(seatStatus({ checkedIn: true, voided: false, attempt: { submitted: false, paused: true } })).toBe("paused");
    expect(seatStatus({ checkedIn: true, voided: false, attempt: { submitted: true, paused: false } })).toBe(
      "handed_in",
    );
    expect(seatStatus({ checkedIn: true, voided: true, attempt: { submitted: true, paused: false } })).toBe("voided");
  });
});
