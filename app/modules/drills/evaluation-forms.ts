/**
 * The evaluation forms an organizer may choose for an enterprise drill (decision 0028). `aqt9009` rates each of the
 * criteria in `evaluation_criterion` 优/良/中/差 (rating-scale.ts); `gbt46792` scores the indicators of the form kept
 * in `evaluation_form` (the one regulators' town drills use, app/modules/rescue/forms.ts) against their maxima and
 * grades the total by its bands.
 */
export const EVALUATION_FORMS = ["aqt9009", "gbt46792"] as const;
export type EvaluationFormCode = (typeof EVALUATION_FORMS)[number];
export const EVALUATION_FORM_LABELS: Record<EvaluationFormCode, string> = {
  aqt9009: "AQ/T 9009 生产安全事故应急演练评估表（逐项评定 优/良/中/差）",
  gbt46792: "GB/T 46792-2025 应急演练评估表（按指标打分，总分定等级）",
};
export const formCodeOf = (code: string): EvaluationFormCode =>
  (EVALUATION_FORMS as readonly string[]).includes(code) ? (code as EvaluationFormCode) : "aqt9009";
