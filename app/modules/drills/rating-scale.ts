import type { Rating } from "../../../db/types";

/**
 * The rating scale of the AQ/T 9009 evaluation sheet, as data (decision 0028): what users see and choose is the
 * Chinese 优 / 良 / 中 / 差; what is stored stays the code it always was (the HSEEP letters P / S / M / U in
 * `evaluation_score.rating` and `evaluation_sheet.overall_rating`), so sheets written before keep their meaning.
 * `score` is what combining several evaluators' ratings averages. Change a label or a meaning here, never a code.
 */
export const RATING_SCALE: readonly { code: Rating; label: string; meaning: string; score: number }[] = [
  { code: "P", label: "优", meaning: "顺利完成，无明显问题", score: 4 },
  { code: "S", label: "良", meaning: "基本完成，存在一般问题", score: 3 },
  { code: "M", label: "中", meaning: "勉强完成，存在较大问题", score: 2 },
  { code: "U", label: "差", meaning: "未能完成", score: 1 },
];
