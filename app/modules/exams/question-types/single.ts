import { choiceType } from "./choice";

/** 单选: exactly one correct option; all or nothing. */
export const single = choiceType({
  name: "single",
  label: "单选",
  input: "radio",
  sheetLabels: ["单选", "单选题", "单项选择题"],
  manyLetters: false,
  keyCountProblem: (n) => (n !== 1 ? "单选题只能有一个答案" : null),
  score: (correct, given, points) => (given && given === correct ? points : 0),
});
