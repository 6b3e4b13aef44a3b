/** Pure rules of knowledge contests 知识竞赛 (unit-tested in tests/unit/contests-rules.test.ts). */

/** Time beyond which an entry's time stops mattering for ties (about 11.5 days of answering). */
export const MAX_MS = 999_999_999;

/**
 * One number ordering people on the leaderboard: higher score first, then less time. Equal keys are equal ranks.
 * Fits a BIGINT for any score below 9 million points.
 */
export function sortKey(score: number, totalMs: number): number {
  return score * 1_000_000_000 + (MAX_MS - Math.min(MAX_MS, Math.max(0, Math.round(totalMs))));
}

/** The kept rank-count bucket of a best (score, time): the score and the whole second of the (clamped) time. */
export function rankBucket(score: number, ms: number | null): { score: number; second: number } {
  return { score, second: Math.floor(Math.min(MAX_MS, Math.max(0, Math.round(ms ?? MAX_MS))) / 1000) };
}

/** The bucket a sort key falls in (inverse of sortKey, to the second). */
export function bucketOfKey(key: number): { score: number; second: number } {
  const score = Math.floor(key / 1_000_000_000);
  return rankBucket(score, MAX_MS - (key - score * 1_000_000_000));
}

/** Is this entry better than the person's best so far (null = none yet)? */
export const improves = (score: number, totalMs: number, best: { score: number | null; ms: number | null }) =>
  best.score === null || sortKey(score, totalMs) > sortKey(best.score, best.ms ?? MAX_MS);

/** Competition ranking ("1224"): one more than the number of people strictly ahead. */
export const rankOf = (aheadCount: number) => aheadCount + 1;

/** Enterprise and region boards: average best score (to 0.01) first, then more participants. */
export function groupSortKey(total: number, members: number): number {
  if (members <= 0) return 0;
  return Math.floor((total * 100) / members) * 10_000_000 + Math.min(members, 9_999_999);
}

/** Answers faster than a person can read the question are flagged for the organizer, not refused. */
export const TOO_FAST_MS = 1500;

/** An entry is suspicious when at least 3 correct answers, and at least half of them, came faster than TOO_FAST_MS. */
export function suspiciousSpeed(items: { earned: number | null; elapsedMs: number | null }[]): boolean {
  const correct = items.filter((i) => (i.earned ?? 0) > 0);
  const fast = correct.filter((i) => i.elapsedMs !== null && i.elapsedMs < TOO_FAST_MS).length;
  return fast >= 3 && fast * 2 >= correct.length;
}

/** Seconds after a question's time in which an answer on its way still counts (network latency). */
export const ANSWER_GRACE_MS = 2000;

/** The time an answer took on the server's clock, capped at the question's time; null when too late. */
export function answerTiming(
  servedAt: Date,
  answeredAt: Date,
  questionSeconds: number,
): { elapsedMs: number; late: boolean } {
  const limit = questionSeconds * 1000;
  const elapsed = answeredAt.getTime() - servedAt.getTime();
  return { elapsedMs: Math.max(0, Math.min(limit, elapsed)), late: elapsed > limit + ANSWER_GRACE_MS };
}

export interface EntryAllowance {
  mode: "daily" | "paper";
  attemptsPerDay: number;
  personLimit: number;
  startsAt: Date;
  endsAt: Date;
}

/** Why a new entry may not start now, or null when it may. */
export function entryRefusal(
  c: EntryAllowance,
  at: Date,
  used: { total: number; today: number; open: boolean },
): string | null {
  if (at < c.startsAt) return "竞赛尚未开始，请在开始时间后再来。";
  if (at >= c.endsAt) return "竞赛已结束，不能再答题。";
  if (used.open) return "您有一次答题尚未完成，请先完成。";
  if (used.total >= c.personLimit) return `每人最多参赛 ${c.personLimit} 次，您的次数已用完。`;
  if (c.mode === "daily" && used.today >= c.attemptsPerDay)
    return `每天最多答题 ${c.attemptsPerDay} 次，今天的次数已用完，请明天再来。`;
  return null;
}

/** Mainland mobile numbers: 11 digits starting 1[3-9]. */
export const PHONE_RE = /^1[3-9]\d{9}$/;
export const maskPhone = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(7)}`;

/** Milliseconds as the boards show them: 1分05.3秒. */
export function formatMs(ms: number | null): string {
  if (ms === null) return "—";
  const s = ms / 1000;
  const m = Math.floor(s / 60);
  const rest = (s - m * 60).toFixed(1);
  return m ? `${m}分${rest.padStart(4, "0")}秒` : `${rest}秒`;
}
