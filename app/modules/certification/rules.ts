import type { CertificateKind } from "../../../db/types";

export type CertificateStatus =
  "valid" | "review_due_soon" | "review_overdue" | "expiring_soon" | "expired" | "revoked";

export const STATUS_LABELS: Record<CertificateStatus, string> = {
  valid: "有效",
  review_due_soon: "即将复审",
  review_overdue: "逾期未复审",
  expiring_soon: "即将到期",
  expired: "已过期",
  revoked: "已撤销",
};

export const KIND_LABELS: Record<CertificateKind, string> = {
  principal_manager: "安全生产知识和管理能力考核合格证",
  special_operation: "特种作业操作证",
  special_equipment: "特种设备作业人员证",
  law_enforcement: "行政执法证",
};

/** Days before a review or expiry that count as "soon" (the alerts list 90 and 30 days). */
export const SOON_DAYS = 90;

const day = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
export const daysBetween = (from: string, to: string) => Math.round((day(to) - day(from)) / 86400_000);

export interface CertDates {
  expires_on: string;
  review_due_on: string | null;
  revoked_on: string | null;
}

/**
 * Status from the dates and today, never typed in. A certificate counts through its expiry day and its
 * review-due day; the day after, it is expired or overdue. Revocation wins; then expiry; then the review.
 */
export function certificateStatus(c: CertDates, today: string, soonDays = SOON_DAYS): CertificateStatus {
  if (c.revoked_on && c.revoked_on <= today) return "revoked";
  if (c.expires_on < today) return "expired";
  if (c.review_due_on && c.review_due_on < today) return "review_overdue";
  if (c.review_due_on && c.review_due_on <= c.expires_on && daysBetween(today, c.review_due_on) <= soonDays)
    return "review_due_soon";
  if (daysBetween(today, c.expires_on) <= soonDays) return "expiring_soon";
  return "valid";
}

/** Does it count as held for the certification rate? (valid, or due soon but not yet lapsed) */
export const counts = (s: CertificateStatus) => s === "valid" || s === "review_due_soon" || s === "expiring_soon";

/** The last day a certificate counts as held. */
export function validUntil(c: CertDates): string {
  const ends = [c.expires_on, c.review_due_on, c.revoked_on ? addDays(c.revoked_on, -1) : null].filter(
    (d): d is string => Boolean(d),
  );
  return ends.sort()[0];
}

export function addDays(iso: string, n: number): string {
  return new Date(day(iso) + n * 86400_000).toISOString().slice(0, 10);
}

/** Same month and day n years later; 29 February becomes 28 February in a common year. */
export function addYears(iso: string, n: number): string {
  const y = Number(iso.slice(0, 4)) + n;
  const md = iso.slice(5);
  if (md === "02-29" && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return `${y}-02-28`;
  return `${y}${iso.slice(4)}`;
}

/**
 * Defaults from the rules (docs/domain.md): a special operation certificate is valid 6 years and reviewed every
 * 3 (every 6 with the authority's consent); the principal/manager certificate is valid 3 years.
 */
export function defaultDates(kind: CertificateKind, validFrom: string, reviewEveryYears = 3) {
  if (kind === "special_operation")
    return {
      expires_on: addDays(addYears(validFrom, 6), -1),
      review_due_on: reviewEveryYears >= 6 ? null : addDays(addYears(validFrom, reviewEveryYears), -1),
    };
  return { expires_on: addDays(addYears(validFrom, 3), -1), review_due_on: null };
}

/** Certification rate as a share (null when nobody is required to hold one). */
export const rate = (holding: number, required: number) => (required > 0 ? holding / required : null);
