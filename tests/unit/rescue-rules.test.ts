import { describe, expect, it } from "vitest";
import { can, type Actor } from "../../app/modules/auth/policy";
import { drawSchedule } from "../../app/modules/rescue/draw.server";
import { assemblyResult, certValid, gradeSheet, spotVisibility, tapOutcome } from "../../app/modules/rescue/rules";
import { DEFAULT_FORMS } from "../../app/modules/rescue/forms";

const actor = (role: Actor["role"], extra: Partial<Actor> = {}): Actor => ({
  userId: role,
  username: role,
  displayName: role,
  role,
  enterpriseId: null,
  regionPath: null,
  personId: null,
  ...extra,
});

describe("rescue policy", () => {
  const team = { type: "rescue_team" as const, regionPath: "/1/2/3/", enterpriseId: 10 };
  it("lets regulators of the region keep teams, inspectors read, the team's enterprise officer update, others nothing", () => {
    expect(can(actor("regulator", { regionPath: "/1/2/" }), "update", team)).toBe(true);
    expect(can(actor("regulator", { regionPath: "/1/6/" }), "view", team)).toBe(false);
    expect(can(actor("inspector", { regionPath: "/1/2/" }), "view", team)).toBe(true);
    expect(can(actor("inspector", { regionPath: "/1/2/" }), "update", team)).toBe(false);
    expect(can(actor("enterprise_officer", { enterpriseId: 10 }), "update", team)).toBe(true);
    expect(can(actor("enterprise_officer", { enterpriseId: 11 }), "view", team)).toBe(false);
    expect(can(actor("worker", { enterpriseId: 10, personId: 1 }), "view", team)).toBe(false);
  });
  it("checks spot checks by role in the check, before the admin's all", () => {
    const check = (
      spotRole: "organizer" | "regional" | "target" | "none",
      visibility: "full" | "window" | "hidden",
    ) => ({ type: "spot_check" as const, regionPath: "/1/2/3/", spotRole, visibility });
    expect(can(actor("admin"), "view", check("regional", "hidden"))).toBe(false);
    expect(can(actor("admin"), "update", check("regional", "window"))).toBe(false);
    expect(can(actor("regulator", { regionPath: "/1/" }), "update", check("organizer", "full"))).toBe(true);
    // A scheduled check is sealed from its organizer too: no early start.
    expect(can(actor("regulator", { regionPath: "/1/" }), "update", check("organizer", "window"))).toBe(false);
    expect(can(actor("regulator", { regionPath: "/1/6/" }), "create", check("organizer", "full"))).toBe(false);
    expect(can(actor("inspector", { regionPath: "/1/" }), "create", check("organizer", "full"))).toBe(false);
  });
  it("never lets the submitter verify a finding, nor the organizer evaluate their own town drill", () => {
    const finding = {
      type: "rescue_finding" as const,
      regionPath: "/1/2/3/",
      enterpriseId: null,
      submittedBy: "regulator",
    };
    expect(can(actor("regulator", { regionPath: "/1/" }), "verify", finding)).toBe(false);
    expect(can({ ...actor("regulator", { regionPath: "/1/" }), userId: "other" }, "verify", finding)).toBe(true);
    const drill = { type: "town_drill" as const, regionPath: "/1/2/3/", organizerUserId: "org" };
    expect(can({ ...actor("regulator", { regionPath: "/1/" }), userId: "org" }, "evaluate", drill)).toBe(false);
    expect(can(actor("inspector", { regionPath: "/1/2/" }), "evaluate", drill)).toBe(true);
  });
});

describe("rescue rules", () => {
  it("hides a planned check from the target, shows a window to regional staff and to the organizer of a random schedule", () => {
    expect(spotVisibility({ status: "planned", scheduled: false }, "target")).toBe("hidden");
    expect(spotVisibility({ status: "planned", scheduled: false }, "regional")).toBe("window");
    expect(spotVisibility({ status: "planned", scheduled: false }, "organizer")).toBe("full");
    expect(spotVisibility({ status: "planned", scheduled: true }, "organizer")).toBe("window");
    expect(spotVisibility({ status: "running", scheduled: true }, "target")).toBe("full");
    expect(spotVisibility({ status: "running", scheduled: true }, "none")).toBe("hidden");
  });
  it("computes assembly times from first arrivals", () => {
    const start = new Date("2026-12-01T00:00:00Z");
    const at = (min: number | null) => (min === null ? null : new Date(start.getTime() + min * 60_000));
    const rows = [5, 3, null, 40, 8].map((m, i) => ({
      memberId: i + 1,
      name: `m${i}`,
      core: true,
      ackedAt: at(1),
      arrivedAt: at(m),
    }));
    const r = assemblyResult({ startedAt: start, standardMinutes: 30, requiredStrength: 3, firstN: 2 }, rows);
    expect(r).toMatchObject({ firstNSeconds: 300, strengthSeconds: 480, met: true, arrived: 4, acknowledged: 5 });
    expect(r.late).toEqual([{ memberId: 4, name: "m3", seconds: 2400 }]);
    expect(r.absent.map((a) => a.memberId)).toEqual([3]);
    expect(assemblyResult({ startedAt: start, standardMinutes: 30, requiredStrength: 5, firstN: 2 }, rows).met).toBe(
      false,
    );
  });
  it("refuses arrival before acknowledgement and counts repeated taps once", () => {
    expect(tapOutcome({ ackedAt: null, arrivedAt: null }, "arrive", true).ok).toBe(false);
    expect(tapOutcome({ ackedAt: new Date(), arrivedAt: null }, "ack", true)).toEqual({ ok: true, changes: false });
    expect(tapOutcome({ ackedAt: new Date(), arrivedAt: new Date() }, "arrive", true)).toEqual({
      ok: true,
      changes: false,
    });
    expect(tapOutcome({ ackedAt: null, arrivedAt: null }, "ack", false).ok).toBe(false);
  });
  it("counts certificates valid through their last day, not voided ones", () => {
    expect(certValid({ expires_on: "2026-12-01", voided_at: null }, "2026-12-01")).toBe(true);
    expect(certValid({ expires_on: "2026-11-30", voided_at: null }, "2026-12-01")).toBe(false);
    expect(certValid({ expires_on: null, voided_at: new Date() }, "2026-12-01")).toBe(false);
  });
  it("grades a sheet by the form's bands and refuses out-of-range scores", () => {
    const form = DEFAULT_FORMS.gbt46792.definition;
    const full = Object.fromEntries(form.indicators.map((i) => [i.code, i.max]));
    expect(gradeSheet(form, full)).toMatchObject({ ok: true, percent: 100, grade: "优" });
    const half = Object.fromEntries(form.indicators.map((i) => [i.code, i.max * 0.7]));
    expect(gradeSheet(form, half)).toMatchObject({ ok: true, grade: "中" });
    expect(gradeSheet(form, { ...full, warning: 99 })).toEqual({ ok: false, code: "warning" });
  });
  it("draws the same targets and times from the same seed, inside the period, without repeats", () => {
    const input = {
      seed: "ab".repeat(16),
      pool: [9, 3, 5, 7, 11],
      count: 3,
      periodStart: new Date("2026-12-01T00:00:00Z"),
      periodEnd: new Date("2026-12-31T00:00:00Z"),
    };
    const a = drawSchedule(input);
    expect(drawSchedule({ ...input, pool: [11, 7, 5, 3, 9] })).toEqual(a);
    expect(new Set(a.map((d) => d.targetId)).size).toBe(3);
    for (const d of a) expect(d.at >= input.periodStart && d.at < input.periodEnd).toBe(true);
    expect(drawSchedule({ ...input, seed: "cd".repeat(16) })).not.toEqual(a);
  });
});
