import type { QuestionTypeDef } from "./type";
import { LETTERS, toDisplayed, toOriginal } from "./letters";

/**
 * What single and multiple choice share (Moodle's multichoice with its `single` flag): options A–H shuffled per paper,
 * answers as letters. `single.ts` and `multiple.ts` add what differs: how many letters and how they are scored.
 */
export function choiceType(
  def: Pick<QuestionTypeDef, "name" | "label" | "input" | "score" | "sheetLabels"> & {
    /** The message when the key's letter count does not fit the type, or null when it does. */
    keyCountProblem(letters: number): string | null;
    /** May an examinee's answer have more than one letter? */
    manyLetters: boolean;
  },
): QuestionTypeDef {
  return {
    name: def.name,
    label: def.label,
    input: def.input,
    sheetLabels: def.sheetLabels,
    score: def.score,
    hasOptions: true,
    choices: (options) => options.map((o, i) => [LETTERS[i], `${LETTERS[i]}. ${o}`]),
    refine(q, ctx) {
      const letters = LETTERS.slice(0, q.options.length);
      if (q.options.length < 2) ctx.addIssue({ code: "custom", path: ["options"], message: "选择题至少需要 2 个选项" });
      if (!/^[A-H]+$/.test(q.answer) || [...q.answer].some((c) => !letters.includes(c))) {
        ctx.addIssue({ code: "custom", path: ["answer"], message: `答案「${q.answer}」不在选项范围内` });
      } else if (new Set(q.answer).size !== q.answer.length) {
        ctx.addIssue({ code: "custom", path: ["answer"], message: "答案中有重复字母" });
      } else {
        const problem = def.keyCountProblem(q.answer.length);
        if (problem) ctx.addIssue({ code: "custom", path: ["answer"], message: problem });
      }
    },
    normalizeKey: (answer) => answer,
    validAnswer(answer, optionCount) {
      if (!/^[A-H]+$/.test(answer)) return false;
      const letters = [...answer];
      if (new Set(letters).size !== letters.length) return false;
      if (letters.some((l) => LETTERS.indexOf(l) >= optionCount)) return false;
      return def.manyLetters || letters.length === 1;
    },
    canonical: (answer) => [...answer].sort().join(""),
    optionOrder: (optionCount, shuffle) => (shuffle ? shuffle(optionCount) : [...Array(optionCount).keys()]).join(""),
    toStored: toOriginal,
    toShown: toDisplayed,
    answerText: (answer) => answer,
  };
}
