import { describe, expect, it } from "vitest";
import { can, type Actor } from "../../app/modules/auth/policy";
import { certDatesFor, holdingState, holds, rollUp } from "../../app/modules/enforcement/rules";

const rule = { validity_months: 60, review_months: null, warn_days: 90 };

describe("执法证 validity from the kind's rule", () => {
  it("counts through the day before the same date validity_months later", () => {
    expect(certDatesFor(rule, "2026-03-01")).toEqual({ expires_on: "2031-02-28", review_due_on: null });
    expect(certDatesFor(rule, "2026-01-15")).toEqual({ expires_on: "2031-01-14", review_due_on: null });
  });
  it("clamps to the month's last day and handles a review period", () => {
    expect(certDatesFor({ ...rule, validity_months: 1 }, "2026-01-31")).toEqual({
      expires_on: "2026-02-27",
      review_due_on: null,
    });
    expect(certDatesFor({ ...rule, review_months: 12 }, "2024-02-29").review_due_on).toBe("2025-02-27");
  });
});

describe("holding state", () => {
  const cert = (valid_from: string, valid_until: string) => ({ valid_from, valid_until });
  it("is held through valid_until, expiring within warn days, expired the day after", () => {
    expect(holdingState(cert("2024-01-01", "2026-12-31"), "2026-01-01", 90)).toBe("holding");
    expect(holdingState(cert("2024-01-01", "2026-12-31"), "2026-10-02", 90)).toBe("expiring");
    expect(holdingState(cert("2024-01-01", "2026-12-31"), "2026-12-31", 90)).toBe("expiring");
    expect(holdingState(cert("2024-01-01", "2026-12-31"), "2027-01-01", 90)).toBe("expired");
  });
  it("is none without a certificate or before its first day", () => {
    expect(holdingState(null, "2026-01-01", 90)).toBe("none");
    expect(holdingState(cert("2026-02-01", "2031-01-31"), "2026-01-31", 90)).toBe("none");
  });
  it("counts held and expiring, not expired or none", () => {
    expect([holds("holding"), holds("expiring"), holds("expired"), holds("none")]).toEqual([true, true, false, false]);
  });
});

describe("rolling units up into child regions", () => {
  it("counts each unit in the child whose path it starts with, and the region's own units only in the total", () => {
    const children = [
      { id: 2, path: "/1/2/" },
      { id: 6, path: "/1/6/" },
    ];
    const r = rollUp(children, [
      { id: 11, regionPath: "/1/", required: 3, holding: 3 },
      { id: 12, regionPath: "/1/2/", required: 5, holding: 3 },
      { id: 15, regionPath: "/1/2/4/", required: 2, holding: 1 },
      { id: 13, regionPath: "/1/6/", required: 3, holding: 3 },
    ]);
    expect({ required: r.required, holding: r.holding }).toEqual({ required: 13, holding: 10 });
    expect(r.children).toEqual([
      { id: 2, path: "/1/2/", required: 7, holding: 4, units: 2 },
      { id: 6, path: "/1/6/", required: 3, holding: 3, units: 1 },
    ]);
  });
  it("does not count /1/20/ in /1/2/", () => {
    const r = rollUp([{ id: 2, path: "/1/2/" }], [{ id: 9, regionPath: "/1/20/", required: 1, holding: 1 }]);
    expect(r.children[0].required).toBe(0);
  });
});

describe("policy: enforcement_unit", () => {
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
  const unit = { type: "enforcement_unit" as const, regionPath: "/1/2/" };
  it("lets regulators of the region keep it and nobody else but the admin", () => {
    for (const a of ["view", "create", "update"] as const) {
      expect(can(actor("regulator", { regionPath: "/1/" }), a, unit)).toBe(true);
      expect(can(actor("regulator", { regionPath: "/1/2/" }), a, unit)).toBe(true);
      expect(can(actor("regulator", { regionPath: "/1/6/" }), a, unit)).toBe(false);
      expect(can(actor("inspector", { regionPath: "/1/2/" }), a, unit)).toBe(false);
      expect(can(actor("enterprise_officer", { enterpriseId: 5 }), a, unit)).toBe(false);
      expect(can(actor("worker", { enterpriseId: 5, personId: 7 }), a, unit)).toBe(false);
      expect(can(actor("admin"), a, unit)).toBe(true);
    }
    expect(can(actor("regulator", { regionPath: "/1/2/" }), "deactivate", unit)).toBe(false);
  });
  it("lets anyone read their own training record, wherever their unit sits", () => {
    const own = { type: "training" as const, enterpriseId: 11, regionPath: "/1/", personId: 42 };
    expect(can(actor("inspector", { regionPath: "/1/2/", personId: 42 }), "view", own)).toBe(true);
    expect(can(actor("inspector", { regionPath: "/1/2/", personId: 43 }), "view", own)).toBe(false);
    expect(can(actor("inspector", { regionPath: "/1/2/", personId: 42 }), "create", own)).toBe(false);
  });
});
