import { readFileSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { parseQuestionWorkbook, questionWorkbook } from "../../../app/modules/exams/formats/excel";
import { content, ROUND_TRIP_BANK } from "../../fixtures/formats/round-trip-bank";

const sample = () => readFileSync(path.resolve("tests/fixtures/formats/samples/safety-questions.xlsx"));
const fixture = (name: string) => readFileSync(path.resolve("tests/fixtures/formats", name));
const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);

const HEADERS = [
  "编号",
  "题型",
  "题干",
  "选项A",
  "选项B",
  "选项C",
  "选项D",
  "选项E",
  "选项F",
  "选项G",
  "选项H",
  "答案",
  "解析",
  "难度",
  "适用岗位",
  "适用行业",
  "知识点",
  "法规依据",
];

async function load(buffer: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}

describe("Excel: shared sample", () => {
  it("reads rows 2–4 and reports rows 5–8", async () => {
    const { questions, problems } = await parseQuestionWorkbook(sample());
    expect(questions.map((q) => [q.line, q.type, q.answer])).toEqual([
      [2, "single", "A"],
      [3, "multiple", "ABC"],
      [4, "judge", "true"],
    ]);
    expect(questions[0]).toMatchObject({
      options: ["知情权", "建议权", "拒绝权", "紧急避险权"],
      explanation: "从业人员的知情权。",
      difficulty: 2,
      posts: ["worker"],
      industries: [],
      topic: "从业人员权利",
      regulation: "安全生产法",
    });
    expect(questions[1]).toMatchObject({
      options: ["电工作业", "焊接与热切割作业", "高处作业", "办公室文员"],
      posts: ["special_operator"],
    });
    expect(questions[2]).toMatchObject({ options: [], difficulty: 1, topic: "动火作业" });
    expect(questions[2].regulation).toBeUndefined();
    expect(problems).toEqual([
      { line: 5, reason: expect.stringContaining("答案 C 没有对应的选项") },
      { line: 6, reason: expect.stringContaining("判断题不应填写选项") },
      { line: 7, reason: expect.stringContaining("多选题只有一个正确选项") },
      { line: 8, reason: "不支持的题型：问答（只支持单选、多选、判断）" },
    ]);
  });

  it("accepts an ArrayBuffer as well as a Buffer", async () => {
    const buf = sample();
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    expect(await parseQuestionWorkbook(ab)).toEqual(await parseQuestionWorkbook(buf));
  });
});

describe("Excel: malformed rows", () => {
  it("reports every bad row with its row number and a Chinese reason, and skips empty rows", async () => {
    const { questions, problems } = await parseQuestionWorkbook(fixture("excel-malformed.xlsx"));
    expect(problems.map((p) => [p.line, p.reason])).toEqual(
      (
        [
          [8, "请填写题型"],
          [9, "不支持的题型：填空"],
          [10, "题干为空"],
          [11, "选项B 为空，但后面的选项有内容"],
          [12, "选择题至少需要两个选项"],
          [13, "单选题只能有一个答案字母，这里是 AB"],
          [14, "答案格式不正确：“1”"],
          [15, "答案 D 没有对应的选项"],
          [16, "判断题答案应为 正确 或 错误，这里是“是”"],
          [17, "判断题不应填写选项（选项A 有内容）"],
          [18, "多选题只有一个正确选项"],
          [19, "难度应为 1 到 5 的整数，这里是“6”"],
          [20, "难度应为 1 到 5 的整数，这里是“2.5”"],
          [21, "适用岗位中有无法识别的岗位：司机"],
          [22, "适用行业中有无法识别的行业：养殖业"],
          [23, "适用行业填了“全部”，就不要再填其他行业"],
          [24, "请填写答案"],
          [27, "答案中有重复的字母：AAB"],
        ] as [number, string][]
      ).map(([line, reason]) => [line, expect.stringContaining(reason)]),
    );
    for (const p of problems) expect(hasChinese(p.reason)).toBe(true);

    // Row 3 is empty (only a fill colour) and is skipped without a problem.
    expect(questions.map((q) => q.line)).toEqual([2, 4, 5, 6, 7, 25, 26]);
    expect(questions[0]).toEqual({
      line: 2,
      type: "single",
      stem: "好的单选题",
      options: ["甲", "乙（富文本）"],
      answer: "B",
      explanation: "解析",
      difficulty: 3,
      posts: ["principal", "safety_manager"],
      industries: ["hazardous_chemicals", "coal_mining"],
      topic: "知识点一",
      regulation: "《中华人民共和国安全生产法》第二十一条",
    });
    // √ × 对 F, and 全部.
    expect(questions.slice(1, 5).map((q) => q.answer)).toEqual(["true", "false", "true", "false"]);
    expect(questions[1]).toMatchObject({
      posts: ["principal", "safety_manager", "special_operator", "worker"],
      industries: [],
    });
    expect(questions[2].posts).toBeUndefined();
    // "C、A" → AC; 多选题 label and lower-case letters.
    expect(questions[5]).toMatchObject({ type: "multiple", answer: "AC", posts: ["special_operator", "worker"] });
    expect(questions[6]).toMatchObject({ type: "multiple", answer: "ACD" });
  });

  it("reports a header without the required columns on row 1", async () => {
    expect(await parseQuestionWorkbook(fixture("excel-bad-header.xlsx"))).toEqual({
      questions: [],
      problems: [{ line: 1, reason: "第 1 行（表头）缺少列：答案。请使用本页提供的题库模板" }],
    });
  });

  it("reports a file that is not an xlsx, and an empty file", async () => {
    for (const name of ["empty.txt", "gift-escapes.txt"]) {
      const { questions, problems } = await parseQuestionWorkbook(fixture(name));
      expect(questions).toEqual([]);
      expect(problems).toEqual([{ line: 1, reason: expect.stringContaining("无法读取该文件") }]);
    }
  });
});

describe("Excel: template and round trip", () => {
  it("the template has exactly the README header row and a 填写说明 sheet", async () => {
    const wb = await load(await questionWorkbook([]));
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(["题库", "填写说明"]);
    const header = wb.worksheets[0].getRow(1).values as unknown[];
    expect(header.slice(1)).toEqual(HEADERS);
    const help = wb.getWorksheet("填写说明")!;
    const text: string[] = [];
    help.eachRow((row) => text.push((row.values as unknown[]).slice(1).join(" ")));
    for (const column of [
      "题型",
      "题干",
      "选项A … 选项H",
      "答案",
      "解析",
      "难度",
      "适用岗位",
      "适用行业",
      "知识点",
      "法规依据",
    ]) {
      expect(
        text.some((t) => t.startsWith(`${column} `)),
        column,
      ).toBe(true);
    }
    expect(text.join("\n")).toContain("正确 或 错误");
    expect(text.join("\n")).toContain("有限空间作业");
  });

  it("an empty template imports as 'no questions', not as an error per row", async () => {
    const { questions, problems } = await parseQuestionWorkbook(await questionWorkbook([]));
    expect(questions).toEqual([]);
    expect(problems).toEqual([{ line: 2, reason: expect.stringContaining("表格中没有题目") }]);
  });

  it("export then import gives the same questions (the template has no id column)", async () => {
    const buffer = await questionWorkbook(ROUND_TRIP_BANK);
    const { questions, problems } = await parseQuestionWorkbook(buffer);
    expect(problems).toEqual([]);
    expect(questions.map((q) => q.line)).toEqual(ROUND_TRIP_BANK.map((_, i) => i + 2));
    expect(questions.map((q) => content(q, false))).toEqual(ROUND_TRIP_BANK.map((q) => content(q, false)));
  });

  it("writes names, not codes, for posts and industries, and 正确/错误 for 判断", async () => {
    const wb = await load(await questionWorkbook(ROUND_TRIP_BANK));
    const sheet = wb.worksheets[0];
    const cell = (row: number, header: string) => sheet.getRow(row).getCell(HEADERS.indexOf(header) + 1).value;
    expect(cell(2, "适用岗位")).toBe("主要负责人、安全生产管理人员、特种作业人员、从业人员");
    expect(cell(2, "适用行业")).toBe("全部");
    expect(cell(3, "适用行业")).toBe("有限空间作业、危险化学品");
    expect(cell(3, "题型")).toBe("多选");
    expect(cell(9, "答案")).toBe("正确");
    expect(cell(10, "答案")).toBe("错误");
    expect(cell(2, "难度")).toBe(2);
  });
});
