import { describe, expect, it } from "vitest";
import {
  addDays,
  addMonths,
  dayOf,
  formatInstant,
  fromLocalInput,
  lastMonths,
  monthOf,
  startOfDay,
  yearOf,
  zoneOffset,
} from "~/lib/calendar";
import { isNewHire } from "~/modules/courses/rules";

// The two pinned clocks of the records issue: late evening UTC is already tomorrow in China.
const lateUtc = new Date("2026-11-29T23:30:00Z");
const newYearsEveUtc = new Date("2026-12-31T16:30:00Z");

describe("one calendar in China's time", () => {
  it("puts 23:30 UTC on the next day", () => {
    expect(dayOf(lateUtc)).toBe("2026-11-30");
    expect(formatInstant(lateUtc)).toBe("2026-11-30 07:30");
  });

  it("puts 16:30 UTC on 31 December in the new year", () => {
    expect(dayOf(newYearsEveUtc)).toBe("2027-01-01");
    expect(monthOf(newYearsEveUtc)).toBe("2027-01");
    expect(yearOf(newYearsEveUtc)).toBe(2027);
  });

  it("begins a day at 16:00 UTC the evening before", () => {
    expect(startOfDay("2026-11-30").toISOString()).toBe("2026-11-29T16:00:00.000Z");
    expect(zoneOffset()).toBe("+08:00");
  });

  it("does day and month arithmetic without rolling into other months", () => {
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(lastMonths(newYearsEveUtc, 3)).toEqual(["2026-11", "2026-12", "2027-01"]);
  });

  it("reads typed local times in the zone and refuses days that do not exist", () => {
    expect(fromLocalInput("2026-12-01T09:30")?.toISOString()).toBe("2026-12-01T01:30:00.000Z");
    expect(fromLocalInput("2026-02-30T09:30")).toBeNull();
    expect(fromLocalInput("2026-13-01T09:30")).toBeNull();
  });

  it("counts a new hire by days in China", () => {
    expect(isNewHire("2025-11-30", dayOf(lateUtc))).toBe(false);
    expect(isNewHire("2025-12-01", dayOf(lateUtc))).toBe(true);
  });
});
