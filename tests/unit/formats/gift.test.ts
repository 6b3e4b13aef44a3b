import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ImportedQuestion, ImportProblem } from "../../../app/modules/exams/formats/types";
import { parseGift } from "../../../app/modules/exams/formats/gift";

const sample = () => readFileSync(path.resolve("tests/fixtures/formats/samples/safety.gift.txt"), "utf8");
const fixture = (name: string) => readFileSync(path.resolve("tests/fixtures/formats", name), "utf8");
/** 1-based line of the first line containing `marker`. */
const lineOf = (text: string, marker: string) => text.split(/\r?\n/).findIndex((l) => l.includes(marker)) + 1;
const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);

describe("GIFT: shared sample", () => {
  const text = sample();
  let questions: ImportedQuestion[] = [];
  let problems: ImportProblem[] = [];
  beforeAll(async () => ({ questions, problems } = await parseGift(text)));
  const byName = (name: string) => questions.find((q) => q.name === name)!;

  it("reads the five good questions", async () => {
    expect(questions.map((q) => q.name)).toEqual(["有限空间作业顺序", "监护人员", "气体检测项目", "动火监护", "转义"]);
    for (const q of questions) expect(q.line).toBe(lineOf(text, `::${q.name}::`));
  });

  it("single choice with id, tags, category and general feedback", async () => {
    const q = byName("有限空间作业顺序");
    expect(q.type).toBe("single");
    expect(q.options[q.answer.charCodeAt(0) - 65]).toBe("先通风、再检测、后作业");
    expect(q.options).toHaveLength(4);
    expect(q.externalId).toBe("ls-001");
    expect(q.tags).toEqual(["有限空间", "worker"]);
    expect(q.category).toBe("有限空间");
    expect(q.explanation).toBe("通风和检测必须在作业前完成,并在作业中保持监测。");
    // Per-answer feedback after # is not part of the option.
    expect(q.options.join("")).not.toContain("#");
  });

  it("true/false, multiple response and category switch", async () => {
    expect(byName("监护人员")).toMatchObject({ type: "judge", answer: "false", options: [], externalId: "ls-002" });
    const multi = byName("气体检测项目");
    expect(multi.type).toBe("multiple");
    expect([...multi.answer].map((l) => multi.options[l.charCodeAt(0) - 65])).toEqual([
      "氧气含量",
      "可燃气体浓度",
      "有毒有害气体浓度",
    ]);
    expect(byName("动火监护")).toMatchObject({
      type: "judge",
      answer: "true",
      category: "动火作业",
      externalId: "dh-001",
    });
  });

  it("resolves the escapes", async () => {
    const q = byName("转义");
    expect(q.type).toBe("judge");
    expect(q.answer).toBe("true");
    for (const s of ["3:1", "=", "{", "}"]) expect(q.stem).toContain(s);
    expect(q.stem).not.toContain("\\");
  });

  it("reports exactly the two broken questions with their lines", async () => {
    expect(problems).toEqual([
      { line: lineOf(text, "::缺括号::"), question: "缺括号", reason: "缺少右大括号 }" },
      { line: lineOf(text, "::简答::"), question: "简答", reason: expect.stringContaining("不支持的题型") },
    ]);
  });
});

describe("GIFT: malformed questions", () => {
  const text = fixture("gift-malformed.txt");
  let questions: ImportedQuestion[] = [];
  let problems: ImportProblem[] = [];
  beforeAll(async () => ({ questions, problems } = await parseGift(text)));
  const cases: [string, string][] = [
    ["::缺右括号::", "缺少右大括号 }"],
    ["::缺左括号::", "缺少左大括号 {"],
    ["::问答::", "不支持的题型：问答题"],
    ["::数值::", "不支持的题型：数值题"],
    ["::匹配::", "不支持的题型：匹配题"],
    ["::简答::", "不支持的题型：简答题"],
    ["::说明::", "不支持的题型：说明文字"],
    ["::多选只有一个正确::", "多选题只有一个正确选项"],
    ["::合计不对::", "多选题正确选项的分值合计应为 100%，这里是 90%"],
    ["::分值非法::", "分值 33 不是 Moodle 允许的分值（如 33.33333）"],
    ["::两个等号::", "单选题只能有一个正确答案"],
    ["::一个选项::", "选择题至少需要两个选项"],
    ["::空选项::", "选项 B 为空"],
    ["::名称没结束", "题目名称缺少结尾的 ::"],
    ["::无题干::", "题干为空"],
    ["::分值格式::", "分值格式不正确：%abc%"],
    ["::多余括号::", "多余的左大括号"],
    ["::九个选项::", "选项最多 8 个"],
    ["::没有正确答案::", "没有正确答案"],
    ["::答案前有文字::", "第一个选项前缺少 = 或 ~"],
  ];

  it("reports every broken question on its own line with a Chinese reason", async () => {
    expect(problems).toHaveLength(cases.length);
    cases.forEach(([marker, reason], i) => {
      expect(problems[i].line, marker).toBe(lineOf(text, marker));
      expect(problems[i].reason, marker).toContain(reason);
      expect(hasChinese(problems[i].reason)).toBe(true);
    });
  });

  it("still reads the good question after them", async () => {
    expect(questions).toEqual([
      // Moodle's "missing word" form is the same choice question with a blank where the braces stood.
      {
        line: lineOf(text, "::填空::"),
        name: "填空",
        externalId: "填空",
        type: "single",
        stem: "动火作业前应取得（　）后方可作业。",
        options: ["动火作业许可证", "口头同意"],
        answer: "A",
      },
      {
        line: lineOf(text, "::正确::"),
        name: "正确",
        externalId: "ok-1",
        type: "single",
        stem: "这道题没有错误,应当导入。",
        options: ["对", "错"],
        answer: "A",
      },
    ]);
  });
});

describe("GIFT: escapes, formats and categories", () => {
  const text = fixture("gift-escapes.txt");
  let questions: ImportedQuestion[] = [];
  let problems: ImportProblem[] = [];
  beforeAll(async () => ({ questions, problems } = await parseGift(text)));

  it("has no problems", async () => expect(problems).toEqual([]));

  it("processes \\\\ first, then \\: \\# \\= \\{ \\} \\~ \\n", async () => {
    const q = questions[0];
    expect(q.name).toBe("转义:名称");
    expect(q.stem).toBe("路径 C:\\temp\\ 与 \\= 以及 #1 ~2 第一行\n第二行");
    expect(q.options).toEqual(["答案含 = 号", "答案含 {大括号} 和 ~波浪号", "反斜杠 \\ 结尾\\"]);
    expect(q.answer).toBe("A");
    expect(q.explanation).toBe("解析含 # 号和 : 冒号");
    expect(q.externalId).toBe("esc-1");
    expect(q.tags).toEqual(["转义", "GIFT"]);
    expect(q.category).toBe("转义/子分类");
    expect(q.line).toBe(lineOf(text, "::转义"));
  });

  it("\\\\= is a backslash followed by a real = (a new correct answer)", async () => {
    const q = questions.find((x) => x.name === "反斜杠等号")!;
    expect(q.options).toEqual(["路径 C\\", "正确项", "错误项"]);
    expect(q.answer).toBe("B");
  });

  it("keeps real line breaks inside a question and ignores true/false feedback", async () => {
    expect(questions.find((x) => x.name === "多行题干")).toMatchObject({
      type: "judge",
      stem: "第一行\n第二行",
      answer: "true",
    });
  });

  it("turns [html] text into plain text", async () => {
    const q = questions.find((x) => x.name === "HTML")!;
    expect(q).toMatchObject({ type: "judge", answer: "false" });
    expect(q.stem).toBe("安全帽链接");
  });

  it("accepts 33.33333 × 3 as adding up to 100 and ignores negative weights", async () => {
    const q = questions.find((x) => x.name === "多选")!;
    expect(q).toMatchObject({
      type: "multiple",
      answer: "ABC",
      options: ["电工作业", "焊接与热切割作业", "高处作业", "办公室文员"],
    });
  });
});

describe("GIFT: line endings, BOM, empty input", () => {
  it("reads CRLF with a UTF-8 BOM, keeping line numbers and no stray \\r", async () => {
    const text = fixture("gift-crlf-bom.txt");
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain("\r\n");
    const { questions, problems } = await parseGift(text);
    expect(questions.map((q) => [q.line, q.name, q.type, q.answer, q.externalId])).toEqual([
      [2, "第一题", "judge", "true", "crlf-1"],
      [5, "第二题", "single", "A", "第二题"], // no [id:]: the ::title:: is the key
    ]);
    expect(questions[1].options).toEqual(["先通风、再检测、后作业", "先检测、再通风、后作业"]);
    expect(JSON.stringify(questions)).not.toContain("\\r");
    expect(problems).toEqual([{ line: 10, question: "第三题", reason: "缺少右大括号 }" }]);
  });

  it("gives the same result for the sample with CRLF and a BOM", async () => {
    const plain = await parseGift(sample());
    expect(await parseGift(`\uFEFF${sample().replace(/\n/g, "\r\n")}`)).toEqual(plain);
  });

  it("reports an empty file", async () => {
    expect(await parseGift(fixture("empty.txt"))).toEqual({
      questions: [],
      problems: [{ line: 1, reason: "文件为空，没有读到任何题目" }],
    });
    expect((await parseGift("\uFEFF\r\n  \n")).problems).toHaveLength(1);
    expect((await parseGift("// 只有注释\n$CATEGORY: 空分类\n")).problems[0].reason).toContain("没有找到题目");
  });
});
