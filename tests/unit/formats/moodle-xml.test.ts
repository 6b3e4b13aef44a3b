import { readFileSync } from "node:fs";
import path from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import type { ImportedQuestion, ImportProblem } from "../../../app/modules/exams/formats/types";
import { matchGrade } from "../../../app/modules/exams/formats/grades";
import { parseMoodleXml } from "../../../app/modules/exams/formats/moodle-xml";
import { toMoodleXml } from "../../../app/modules/exams/formats/moodle-xml-export";
import type { ExportQuestion } from "../../../app/modules/exams/formats/types";
import { content, ROUND_TRIP_BANK } from "../../fixtures/formats/round-trip-bank";

const sample = () => readFileSync(path.resolve("tests/fixtures/formats/samples/safety.moodle.xml"), "utf8");
const fixture = (name: string) => readFileSync(path.resolve("tests/fixtures/formats", name), "utf8");
const lineOf = (text: string, marker: string) => text.split(/\r?\n/).findIndex((l) => l.includes(marker)) + 1;
const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);

describe("Moodle XML: shared sample", () => {
  const text = sample();
  let questions: ImportedQuestion[] = [];
  let problems: ImportProblem[] = [];
  beforeAll(async () => ({ questions, problems } = await parseMoodleXml(text)));
  const byName = (name: string) => questions.find((q) => q.name === name)!;
  /** The line of the <question that precedes the line holding this name. */
  const questionLine = (name: string) => {
    const lines = text.split("\n");
    let i = lineOf(text, `<name><text>${name}</text></name>`) - 1;
    while (!lines[i].includes("<question")) i--;
    return i + 1;
  };

  it("reads three questions, each with the line of its <question", async () => {
    expect(questions.map((q) => q.name)).toEqual(["预案分类", "现场处置方案演练频次", "事故报告时限"]);
    for (const q of questions) expect(q.line).toBe(questionLine(q.name!));
  });

  it("multiple response with 33.33333/33.33333/33.33334, category path and tag", async () => {
    const q = byName("预案分类");
    expect(q.type).toBe("multiple");
    expect([...q.answer].map((l) => q.options[l.charCodeAt(0) - 65])).toEqual([
      "综合应急预案",
      "专项应急预案",
      "现场处置方案",
    ]);
    expect(q.options).toContain("年度工作计划");
    expect(q.category).toBe("应急预案");
    expect(q.tags).toEqual(["应急预案"]);
    expect(q.explanation).toBe("综合应急预案、专项应急预案和现场处置方案。");
  });

  it("true/false and single choice, HTML emphasis turned into text", async () => {
    expect(byName("现场处置方案演练频次")).toMatchObject({ type: "judge", answer: "true", options: [] });
    const q = byName("事故报告时限");
    expect(q.type).toBe("single");
    expect(q.options[q.answer.charCodeAt(0) - 65]).toBe("1小时内");
    // HTML is turned into text: no tag survives, the words do.
    expect(q.stem).toContain("立即");
    expect(q.stem).not.toMatch(/<|&[a-z]+;/);
  });

  it("reports the fraction 33 and the essay", async () => {
    expect(problems).toEqual([
      {
        line: questionLine("分值不合法"),
        question: "分值不合法",
        reason: "分值 33 不是 Moodle 允许的分值（如 33.33333）",
      },
      {
        line: questionLine("不支持的题型"),
        question: expect.any(String),
        reason: expect.stringContaining("不支持的题型：问答题"),
      },
    ]);
  });
});

describe("Moodle XML: malformed questions", () => {
  const text = fixture("moodle-malformed.xml");
  let questions: ImportedQuestion[] = [];
  let problems: ImportProblem[] = [];
  beforeAll(async () => ({ questions, problems } = await parseMoodleXml(text)));
  const cases: [string, string][] = [
    ["q:fraction-33", "分值 33 不是 Moodle 允许的分值（如 33.33333）"],
    ["q:fraction-nan", "分值 abc 不是数字"],
    ["q:essay", "不支持的题型：问答题"],
    ["q:shortanswer", "不支持的题型：简答题"],
    ["q:numerical", "不支持的题型：数值题"],
    ["q:matching", "不支持的题型：匹配题"],
    ["q:single-no-100", "单选题没有分值为 100 的正确答案"],
    ["q:single-two-100", "单选题只能有一个分值为 100 的答案"],
    ["q:multi-sum", "多选题正确选项的分值合计应为 100，这里是 90"],
    ["q:multi-one", "多选题只有一个正确选项"],
    ["q:one-option", "选择题至少需要两个选项"],
    ["q:tf-no-right", "判断题应恰好有一个分值为 100 的答案"],
    ["q:tf-texts", "判断题的两个答案文字应为 true 和 false"],
    ["q:no-name", "缺少题目名称"],
    ["q:empty-text", "题干为空"],
    ["q:missing-file", "引用的文件 missing.png 没有随文件提供"],
    ["q:external-image", "图片 https://example.com/a.png 是外部地址，没有随文件提供"],
    ["q:bad-xml", `XML 格式错误（第 ${lineOf(text, "q:bad-xml") + 2} 行）`],
    ["q:unclosed", "缺少结束标签 </question>"],
  ];

  it("reports each broken question at its <question line with a Chinese reason", async () => {
    expect(problems).toHaveLength(cases.length);
    cases.forEach(([marker, reason], i) => {
      expect(problems[i].line, marker).toBe(lineOf(text, marker));
      expect(problems[i].reason, marker).toContain(reason);
      expect(hasChinese(problems[i].reason)).toBe(true);
    });
  });

  it("still reads the good question between them", async () => {
    expect(questions).toEqual([
      {
        line: lineOf(text, "q:ok"),
        name: "正确的题",
        type: "single",
        stem: "这道题没有错误 & 应当导入",
        options: ["甲", "乙"],
        answer: "B",
      },
    ]);
  });
});

describe("Moodle XML: line endings, BOM, empty input, not a quiz", () => {
  it("reads CRLF with a UTF-8 BOM", async () => {
    const text = fixture("moodle-crlf-bom.xml");
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain("\r\n");
    const { questions, problems } = await parseMoodleXml(text);
    expect(questions).toEqual([
      { line: 3, name: "CRLF", type: "judge", stem: "第一行\n第二行", options: [], answer: "true" },
    ]);
    expect(problems).toEqual([
      { line: 11, question: expect.any(String), reason: expect.stringContaining("不支持的题型：问答题") },
    ]);
  });

  it("gives the same result for the sample with CRLF and a BOM", async () => {
    expect(await parseMoodleXml(`\uFEFF${sample().replace(/\n/g, "\r\n")}`)).toEqual(await parseMoodleXml(sample()));
  });

  it("reports an empty file and a file that is not a quiz", async () => {
    expect(await parseMoodleXml(fixture("empty.txt"))).toEqual({
      questions: [],
      problems: [{ line: 1, reason: "文件为空，没有读到任何题目" }],
    });
    expect((await parseMoodleXml("<html><body>不是题库</body></html>")).problems[0].reason).toContain("找不到 <quiz>");
    expect((await parseMoodleXml("<quiz></quiz>")).problems[0].reason).toContain("没有找到题目");
  });
});

describe("Moodle XML: export and round trip", () => {
  const xml = toMoodleXml(ROUND_TRIP_BANK, "安全生产/题库");

  it("writes well-formed XML with CDATA text", async () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain("<![CDATA[a < b & c > d");
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')).toBe(true);
  });

  it("imports back to the same questions", async () => {
    const { questions, problems } = await parseMoodleXml(xml);
    expect(problems).toEqual([]);
    expect(questions.map((q) => content(q))).toEqual(ROUND_TRIP_BANK.map((q) => content(q)));
    expect(questions.every((q) => q.category === "安全生产/题库" && q.tags === undefined)).toBe(true);
  });

  it("uses Moodle's allowed fractions, split evenly, with wrong options sharing -100", async () => {
    const blocks = xml.split("<question ").slice(2);
    const fractions = blocks.map((b) => [...b.matchAll(/fraction="([^"]+)"/g)].map((m) => Number(m[1])));
    for (const list of fractions) for (const f of list) expect(matchGrade(f), String(f)).toBe(f);
    expect(fractions[0]).toEqual([0, 100, 0, 0]);
    expect(fractions[1]).toEqual([50, -50, 50, -50]);
    expect(fractions[2]).toEqual([33.33333, 33.33333, -50, 33.33333, -50]);
    expect(fractions[3]).toEqual([25, 25, 25, 25]);
    expect(fractions[4]).toEqual([20, 20, 20, -33.33333, 20, -33.33333, 20, -33.33333]);
    expect(fractions[5]).toEqual([16.66667, 16.66667, 16.66667, 16.66667, 16.66667, 16.66667, -100]);
    expect(fractions[6].filter((f) => f > 0)).toEqual(Array(7).fill(14.28571));
    expect(blocks[1]).toContain("<single>false</single>");
    expect(blocks[0]).toContain("<single>true</single>");
    expect(blocks[7]).toContain('type="truefalse"');
  });

  it("survives a second round trip unchanged", async () => {
    const once = (await parseMoodleXml(xml)).questions.map(
      (q) => ({ ...content(q), externalId: q.externalId! }) as ExportQuestion,
    );
    expect(toMoodleXml(once, "安全生产/题库")).toBe(xml);
  });

  it("exports an empty list as an empty quiz", async () => {
    expect(XMLValidator.validate(toMoodleXml([]))).toBe(true);
    expect((await parseMoodleXml(toMoodleXml([]))).questions).toEqual([]);
  });
});
