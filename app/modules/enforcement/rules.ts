import { addDays, addMonths, daysBetween } from "../../lib/calendar";

/** Decision 0029: enforcement units 执法单位 and the 执法证 of their staff. Pure rules, unit-tested. */

export const ENFORCEMENT_CERT = "law_enforcement" as const;
export { ENFORCEMENT_INDUSTRY } from "../org/labels";

export type UnitLevel = "detachment" | "brigade" | "squadron";
export const UNIT_LEVEL_LABELS: Record<UnitLevel, string> = { detachment: "支队", brigade: "大队", squadron: "中队" };

/** The validity rule of a certificate kind, as stored in `enforcement_cert_kind`. */
export interface CertKindRule {
  validity_months: number;
  review_months: number | null;
  warn_days: number;
}

/**
 * Expiry (and review, when the kind has one) from the first valid day: the certificate counts through the day before
 * the same date validity_months later (valid from 2026-03-01 for 60 months: through 2031-02-28).
 */
export function certDatesFor(rule: CertKindRule, validFrom: string) {
  return {
    expires_on: addDays(addMonths(validFrom, rule.validity_months), -1),
    review_due_on: rule.review_months ? addDays(addMonths(validFrom, rule.review_months), -1) : null,
  };
}

export type HoldingState = "holding" | "expiring" | "expired" | "none";
export const HOLDING_LABELS: Record<HoldingState, string> = {
  holding: "持证",
  expiring: "即将到期",
  expired: "已过期",
  none: "未持证",
};

/**
 * A person's 执法证 state from their best certificate's last counting day (`valid_until`, null: none) and first day:
 * held through valid_until; "expiring" within warn_days of it (still held); "expired" after it.
 */
export function holdingState(
  best: { valid_from: string; valid_until: string } | null,
  today: string,
  warnDays: number,
): HoldingState {
  if (!best || best.valid_from > today) return "none";
  if (best.valid_until < today) return "expired";
  return daysBetween(today, best.valid_until) <= warnDays ? "expiring" : "holding";
}

/** Does this state count toward the holding rate? (expiring ones are still held) */
export const holds = (s: HoldingState) => s === "holding" || s === "expiring";

export interface UnitCount {
  id: number;
  regionPath: string;
  required: number;
  holding: number;
}

/**
 * Roll unit counts up into the child regions of a region (each unit counts in the child whose path its region
 * path starts with; units of the region itself count in none of them) and the region's total.
 */
export function rollUp<C extends { id: number; path: string }>(children: C[], units: UnitCount[]) {
  const rows = children.map((c) => ({ ...c, required: 0, holding: 0, units: 0 }));
  let required = 0;
  let holding = 0;
  for (const u of units) {
    required += u.required;
    holding += u.holding;
    const child = rows.find((c) => u.regionPath.startsWith(c.path));
    if (!child) continue;
    child.required += u.required;
    child.holding += u.holding;
    child.units += 1;
  }
  return { required, holding, children: rows };
}
