import { choiceType } from "./choice";

/**
 * 多选: two or more correct options. All or nothing (the national norm), or "partial": any wrong option scores 0,
 * otherwise points × share of the correct options chosen (少选得分).
 */
export const multiple = choiceType({
  name: "multiple",
  label: "多选",
  input: "checkbox",
  sheetLabels: ["多选", "多选题", "多项选择题"],
  manyLetters: true,
  keyCountProblem: (n) => (n < 2 ? "多选题至少两个正确选项" : null),
  score(correct, given, points, scoring) {
    if (!given) return 0;
    if (scoring === "all_or_nothing") return given === correct ? points : 0;
    const right = new Set(correct);
    const picked = [...given];
    if (picked.some((l) => !right.has(l))) return 0;
    return Math.round(((points * picked.length) / right.size) * 10) / 10;
  },
});
