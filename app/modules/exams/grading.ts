import type { QuestionType } from "../../../db/types";

import { questionType, type MultipleScoring } from "./question-types";

export { LETTERS, toDisplayed, toOriginal, type MultipleScoring } from "./question-types";

/** Is `answer` a well-formed answer for this type with n options (in the letters the examinee sees)? */
export function validAnswer(type: QuestionType, answer: string, optionCount: number): boolean {
  return questionType(type).validAnswer(answer, optionCount);
}

/** Points earned on one item: the type's own scoring (`question-types/`); `scoring` applies to 多选 only. */
export function scoreItem(
  type: QuestionType,
  correct: string,
  given: string | null,
  points: number,
  scoring: MultipleScoring,
): number {
  return questionType(type).score(correct, given, points, scoring);
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
