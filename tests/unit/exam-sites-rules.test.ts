import { describe, expect, it } from "vitest";
import {
  extendedDeadline,
  imageType,
  photoFlag,
  remainingMs,
  resumedDeadline,
  seatLabels,
  seatStatus,
} from "../../app/modules/exam-sites/rules";

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

describe("seat photos and planning", () => {
  const base = { camera: true, checkedIn: true, checkInPhoto: true, seatPhoto: true, started: true } as const;
  it("flags a missing photo in a camera room and the proctor's 存疑; 核验通过 clears it", () => {
    expect(photoFlag({ ...base, identity: "unchecked" })).toBeNull();
    expect(photoFlag({ ...base, checkInPhoto: false, identity: "unchecked" })).toBe("缺少签到照片");
    expect(photoFlag({ ...base, seatPhoto: false, identity: "unchecked" })).toBe("座位端未拍照");
    expect(photoFlag({ ...base, seatPhoto: false, started: false, identity: "unchecked" })).toBeNull();
    expect(photoFlag({ ...base, seatPhoto: false, identity: "ok" })).toBeNull();
    expect(photoFlag({ ...base, identity: "doubtful" })).toMatch(/^存疑/);
    expect(photoFlag({ ...base, camera: false, checkInPhoto: false, identity: "unchecked" })).toBeNull();
    expect(photoFlag({ ...base, checkedIn: false, checkInPhoto: false, identity: "unchecked" })).toBeNull();
  });
  it("knows JPEG and PNG by their bytes", () => {
    expect(imageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(imageType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d]))).toBe("image/png");
    expect(imageType(new Uint8Array([0x47, 0x49, 0x46, 0x38]))).toBeNull();
  });
  it("numbers seats with a prefix, two digits, three past 99, on from existing ones", () => {
    expect(seatLabels("A", 0, 3)).toEqual(["A01", "A02", "A03"]);
    expect(seatLabels("", 8, 2)).toEqual(["09", "10"]);
    expect(seatLabels("B", 98, 3)).toEqual(["B099", "B100", "B101"]);
    expect(seatLabels("C", 5, 0)).toEqual([]);
  });
});
