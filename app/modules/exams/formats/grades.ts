/** Moodle's grade table, shared by the Moodle XML and GIFT readers and the Moodle XML writer. */

/** Moodle's grade options (question_bank::fraction_options_full), in percent; negatives are allowed too. */
export const MOODLE_GRADES: readonly number[] = [
  100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5,
  0,
];
const ALL_GRADES = [...MOODLE_GRADES, ...MOODLE_GRADES.filter((g) => g > 0).map((g) => -g)];
/** Moodle compares fractions (0..1) with a tolerance of 0.00001, i.e. 0.001 in percent: 33.33334 is 33.33333. */
const GRADE_TOLERANCE = 0.001;
/** Positive fractions of a multiple-response question must add up to 100 (3 × 33.33333 = 99.99999). */
const SUM_TOLERANCE = 0.01;

/** The allowed grade a percentage stands for, or null when it is off the table. */
export function matchGrade(percent: number): number | null {
  if (!Number.isFinite(percent)) return null;
  for (const g of ALL_GRADES) if (Math.abs(percent - g) < GRADE_TOLERANCE) return g;
  return null;
}

/** The allowed grade closest to a value (for the hint in the problem message). */
export function nearestGrade(percent: number): number {
  let best = 0;
  for (const g of ALL_GRADES) if (Math.abs(percent - g) < Math.abs(percent - best)) best = g;
  return best;
}

export function gradeProblem(raw: string): string {
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n)) return `分值 ${raw || "（空）"} 不是数字`;
  return `分值 ${raw} 不是 Moodle 允许的分值（如 ${nearestGrade(n)}）`;
}

export function sumIsHundred(sum: number) {
  return Math.abs(sum - 100) <= SUM_TOLERANCE;
}

/** Trim a percentage for messages: 99.99999 → "99.99999", 90.000001 → "90". */
export function formatPercent(n: number) {
  return String(Math.round(n * 100000) / 100000);
}

/** Grades for `n` options sharing `total` (100 or -100): an allowed equal share, else mixes of 10 and 5, else 0. */
export function shares(n: number, total: 100 | -100): number[] {
  if (n === 0) return [];
  const even = matchGrade(total / n);
  if (even !== null) return Array(n).fill(even);
  if (n > 10 && n <= 20) {
    const sign = Math.sign(total);
    return [...Array(20 - n).fill(10 * sign), ...Array(2 * n - 20).fill(5 * sign)];
  }
  if (total < 0) return Array(n).fill(0);
  throw new Error(`多选题有 ${n} 个正确选项，无法按 Moodle 允许的分值分配`);
}
