import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAiken } from "../../../app/modules/exams/formats/aiken";

const sample = () => readFileSync(path.resolve("tests/fixtures/formats/samples/safety.aiken.txt"), "utf8");
const fixture = (name: string) => readFileSync(path.resolve("tests/fixtures/formats", name), "utf8");
const lineOf = (text: string, marker: string) => text.split(/\r?\n/).findIndex((l) => l.includes(marker)) + 1;
const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);

describe("Aiken: shared sample", () => {
  const text = sample();
  const { questions, problems } = parseAiken(text);

  it("reads the three good questions", () => {
    expect(questions).toHaveLength(3);
    const [principal, special, worker] = questions;
    expect(principal).toMatchObject({
      line: 1,
      type: "single",
      answer: "A",
      options: ["全面责任", "部分责任", "领导责任", "连带责任"],
    });
    expect(principal.stem).toContain("主要负责人");
    expect(special).toMatchObject({
      line: lineOf(text, "特种作业人员必须"),
      answer: "B",
      options: ["毕业证书", "特种作业操作证", "职称证书"],
    });
    // Full-width ．and 答案：
    expect(worker).toMatchObject({ line: lineOf(text, "从业人员发现"), answer: "A", options: ["正确", "错误"] });
    for (const q of questions) expect(q.type).toBe("single");
  });

  it("reports the one-option question and the out-of-range answer with their lines", () => {
    expect(problems).toHaveLength(2);
    expect(problems[0]).toEqual({
      line: lineOf(text, "只有一个选项"),
      reason: expect.stringContaining("至少需要两个选项"),
    });
    expect(problems[1]).toEqual({
      line: lineOf(text, "答案字母超出"),
      reason: expect.stringContaining("答案 D 超出了选项范围"),
    });
  });
});

describe("Aiken: malformed input", () => {
  const text = fixture("aiken-malformed.txt");
  const { questions, problems } = parseAiken(text);

  it("reports each error on its line and keeps reading", () => {
    const expected: [number, string][] = [
      [1, "选项行前面没有题干"], // a choice line before any question; its B. and ANSWER: lines are skipped
      [5, "至少需要两个选项"],
      [9, "答案 C 超出了选项范围"],
      [14, "第 17 行新的题目却已开始（这道题未导入）"], // new question before the previous one's ANSWER: reported on the dropped one
      [23, "题干只能写在一行内"],
      [30, "选项字母应为 B，这里是 C"],
      [33, "答案应为一个选项字母"],
      [38, "第 41 行的答案行没有写答案字母"],
      [43, "答案行前面没有题目"],
      [47, "选项 B 的内容为空"],
      [55, "题目缺少答案行"], // end of file
    ];
    expect(text.split("\n")[16]).toContain("下一道题在上一题");
    expect(problems.map((p) => [p.line, p.reason])).toEqual(
      expected.map(([line, reason]) => [line, expect.stringContaining(reason)]),
    );
    for (const p of problems) expect(hasChinese(p.reason)).toBe(true);
  });

  it("reads the good questions, with text kept as plain text", () => {
    expect(questions).toEqual([
      {
        line: lineOf(text, "下一道题在上一题"),
        type: "single",
        stem: "下一道题在上一题的答案行之前就开始了,这道题本身是正确的?",
        options: ["对", "错"],
        answer: "B",
      },
      {
        line: lineOf(text, "最后一道正确的题"),
        type: "single",
        stem: "最后一道正确的题(文字 <b>原样</b> & 保留)?",
        options: ["甲 & 乙", "<i>丙</i>"],
        answer: "B",
      },
    ]);
  });
});

describe("Aiken: full-width extension, CRLF, BOM, empty input", () => {
  it("reads ）．答案： with CRLF and a BOM", () => {
    const text = fixture("aiken-crlf-bom.txt");
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain("\r\n");
    expect(parseAiken(text)).toEqual({
      questions: [
        { line: 1, type: "single", stem: "全角括号和全角点?", options: ["甲", "乙", "丙"], answer: "C" },
        { line: 7, type: "single", stem: "ASCII question?", options: ["one", "two"], answer: "A" },
      ],
      problems: [],
    });
  });

  it("gives the same result for the sample with CRLF and a BOM", () => {
    expect(parseAiken(`\uFEFF${sample().replace(/\n/g, "\r\n")}`)).toEqual(parseAiken(sample()));
  });

  it("works without blank lines between questions", () => {
    const { questions, problems } = parseAiken("题一?\nA. 甲\nB. 乙\nANSWER: B\n题二?\nA) 丙\nB) 丁\nANSWER: A");
    expect(problems).toEqual([]);
    expect(questions.map((q) => [q.line, q.answer])).toEqual([
      [1, "B"],
      [5, "A"],
    ]);
  });

  it("reports an empty file", () => {
    expect(parseAiken(fixture("empty.txt"))).toEqual({
      questions: [],
      problems: [{ line: 1, reason: "文件为空，没有读到任何题目" }],
    });
    expect(parseAiken("\uFEFF").problems).toHaveLength(1);
  });
});
