import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { QuestionInput } from "../../app/modules/exams/schema";
import {
  answerText,
  QUESTION_TYPE_NAMES,
  QUESTION_TYPES,
  questionType,
  TYPE_LABELS,
} from "../../app/modules/exams/question-types";

const bankQuestion = (type: string, options: string[], answer: string) =>
  QuestionInput.safeParse({ type, stem: "题干内容", options, answer, posts: ["worker"], topic: "通用" });
const messages = (r: ReturnType<typeof bankQuestion>) => (r.success ? [] : r.error.issues.map((i) => i.message));

describe("question-type registry", () => {
  it("knows exactly the types of the database enum, each under its own name", () => {
    const types = readFileSync(join(__dirname, "../../db/types.ts"), "utf8");
    expect(types).toContain(`export type QuestionType = ${QUESTION_TYPE_NAMES.map((t) => `"${t}"`).join(" | ")};`);
    for (const t of QUESTION_TYPE_NAMES) expect(QUESTION_TYPES[t].name).toBe(t);
    expect(TYPE_LABELS).toEqual({ single: "单选", multiple: "多选", judge: "判断" });
    expect(() => questionType("essay")).toThrow(/Unknown question type/);
  });

  it("keeps zod out of the browser: the type files import it as a type only", () => {
    const dir = join(__dirname, "../../app/modules/exams/question-types");
    for (const f of readdirSync(dir)) {
      const src = readFileSync(join(dir, f), "utf8");
      expect(src, f).not.toMatch(/^import (?!type )[^;]*from "(zod|.*validation)"/m);
      expect(src, f).not.toMatch(/from "react"|\.server"/);
    }
  });

  it("checks the answer key of each type in the bank schema", () => {
    expect(bankQuestion("single", ["甲", "乙"], "B").success).toBe(true);
    expect(messages(bankQuestion("single", ["甲", "乙", "丙"], "AB"))).toEqual(["单选题只能有一个答案"]);
    expect(messages(bankQuestion("multiple", ["甲", "乙", "丙"], "C"))).toEqual(["多选题至少两个正确选项"]);
    expect(messages(bankQuestion("multiple", ["甲", "乙"], "AC"))).toEqual(["答案「AC」不在选项范围内"]);
    expect(messages(bankQuestion("multiple", ["甲", "乙"], "AA"))).toEqual(["答案中有重复字母"]);
    expect(messages(bankQuestion("single", ["甲"], "A"))).toEqual(["选择题至少需要 2 个选项"]);
    expect(messages(bankQuestion("judge", ["甲", "乙"], "true"))).toEqual(["判断题不应有选项"]);
    expect(messages(bankQuestion("judge", [], "对"))).toEqual(["判断题答案应为「正确」或「错误」"]);
    expect(bankQuestion("judge", [], "false").success).toBe(true);
  });

  it("describes the answer input, the choices and the stored option order", () => {
    expect(QUESTION_TYPES.single.input).toBe("radio");
    expect(QUESTION_TYPES.multiple.input).toBe("checkbox");
    expect(QUESTION_TYPES.judge.input).toBe("radio");
    expect(QUESTION_TYPES.single.choices(["甲", "乙"])).toEqual([
      ["A", "A. 甲"],
      ["B", "B. 乙"],
    ]);
    expect(QUESTION_TYPES.judge.choices([])).toEqual([
      ["true", "正确"],
      ["false", "错误"],
    ]);
    expect(QUESTION_TYPES.multiple.optionOrder(4, null)).toBe("0123");
    expect(QUESTION_TYPES.multiple.optionOrder(3, () => [2, 0, 1])).toBe("201");
    expect(QUESTION_TYPES.judge.optionOrder(0, () => [1, 0])).toBe("");
  });

  it("maps answers between the paper's letters and the question's own, and reads them out", () => {
    // Displayed A,B,C,D are original C,A,D,B.
    expect(QUESTION_TYPES.multiple.toStored("BD", "2031")).toBe("AB");
    expect(QUESTION_TYPES.multiple.toShown("AB", "2031")).toBe("BD");
    expect(QUESTION_TYPES.judge.toStored("true", "")).toBe("true");
    expect(QUESTION_TYPES.multiple.canonical("DA")).toBe("AD");
    expect(QUESTION_TYPES.judge.normalizeKey("TRUE")).toBe("true");
    expect(QUESTION_TYPES.single.normalizeKey("B")).toBe("B");
    expect(answerText("judge", "true")).toBe("正确");
    expect(answerText("judge", "false")).toBe("错误");
    expect(answerText("multiple", "AC")).toBe("AC");
    expect(answerText("single", null)).toBe("未作答");
  });
});
