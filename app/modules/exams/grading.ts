import type { QuestionType } from "../../../db/types";

export const LETTERS = "ABCDEFGH";

/** Displayed letters → original letters, given the stored order ("2031": displayed A is original C …). */
export function toOriginal(displayed: string, optionOrder: string): string {
  return [...displayed]
    .map((l) => LETTERS[Number(optionOrder[LETTERS.indexOf(l)])])
    .sort()
    .join("");
}

/** Original letters → displayed letters. */
export function toDisplayed(original: string, optionOrder: string): string {
  return [...original]
    .map((l) => LETTERS[optionOrder.indexOf(String(LETTERS.indexOf(l)))])
    .sort()
    .join("");
}

/** Is `answer` a well-formed answer for this type with n options (in the letters the examinee sees)? */
export function validAnswer(type: QuestionType, answer: string, optionCount: number): boolean {
  if (type === "judge") return answer === "true" || answer === "false";
  if (!/^[A-H]+$/.test(answer)) return false;
  const letters = [...answer];
  if (new Set(letters).size !== letters.length) return false;
  if (letters.some((l) => LETTERS.indexOf(l) >= optionCount)) return false;
  return type === "multiple" || letters.length === 1;
}

export type MultipleScoring = "all_or_nothing" | "partial";

/**
 * Points earned on one item. Single and judge: all or nothing. Multiple: all or nothing (the national norm),
 * or "partial": any wrong option scores 0, otherwise points × share of the correct options chosen (少选得分).
 */
export function scoreItem(
  type: QuestionType,
  correct: string,
  given: string | null,
  points: number,
  scoring: MultipleScoring,
): number {
  if (!given) return 0;
  if (type !== "multiple" || scoring === "all_or_nothing") return given === correct ? points : 0;
  const right = new Set(correct);
  const picked = [...given];
  if (picked.some((l) => !right.has(l))) return 0;
  return Math.round(((points * picked.length) / right.size) * 10) / 10;
}

/** Score out of 100, one decimal, from points earned and points possible. */
export function percent(earned: number, total: number): number {
  return total > 0 ? Math.round((earned / total) * 1000) / 10 : 0;
}

/** Facility (share of points earned) and discrimination (upper 27% minus lower 27% by total score). */
export function itemStatistics(rows: { attemptScore: number; earnedShare: number }[]) {
  if (rows.length === 0) return { facility: null, discrimination: null, n: 0 };
  const facility = rows.reduce((s, r) => s + r.earnedShare, 0) / rows.length;
  const sorted = [...rows].sort((a, b) => b.attemptScore - a.attemptScore);
  const g = Math.max(1, Math.round(rows.length * 0.27));
  if (rows.length < 4) return { facility, discrimination: null, n: rows.length };
  const mean = (xs: typeof rows) => xs.reduce((s, r) => s + r.earnedShare, 0) / xs.length;
  return { facility, discrimination: mean(sorted.slice(0, g)) - mean(sorted.slice(-g)), n: rows.length };
}

/** Scores bucketed by ten points for the distribution chart: [0-9, 10-19, …, 90-100]. */
export function scoreHistogram(scores: number[]): number[] {
  const buckets = Array(10).fill(0) as number[];
  for (const s of scores) buckets[Math.min(9, Math.floor(s / 10))]++;
  return buckets;
}
