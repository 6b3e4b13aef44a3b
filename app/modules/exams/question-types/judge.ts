import type { QuestionTypeDef } from "./type";

/** 判断: a statement that is true or false; no options of its own, nothing to shuffle; all or nothing. */
export const judge: QuestionTypeDef = {
  name: "judge",
  label: "判断",
  hasOptions: false,
  input: "radio",
  sheetLabels: ["判断", "判断题"],
  choices: () => [
    ["true", "正确"],
    ["false", "错误"],
  ],
  refine(q, ctx) {
    if (q.options.length) ctx.addIssue({ code: "custom", path: ["options"], message: "判断题不应有选项" });
    if (q.answer !== "true" && q.answer !== "false")
      ctx.addIssue({ code: "custom", path: ["answer"], message: "判断题答案应为「正确」或「错误」" });
  },
  normalizeKey: (answer) => answer.toLowerCase(),
  validAnswer: (answer) => answer === "true" || answer === "false",
  canonical: (answer) => answer,
  optionOrder: () => "",
  toStored: (answer) => answer,
  toShown: (answer) => answer,
  score: (correct, given, points) => (given && given === correct ? points : 0),
  answerText: (answer) => (answer === "true" ? "正确" : "错误"),
};
