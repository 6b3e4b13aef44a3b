/**
 * Our Excel question template: one question per row under the header
 * 编号, 题型, 题干, 选项A … 选项H, 答案, 解析, 难度, 适用岗位, 适用行业, 知识点, 法规依据.
 * 编号 is the question's stable key (our id on export); empty means a new question, and files without the column
 * still import. Text cells hold our text model, pictures as [[img:…]] tokens of the media store.
 *
 * Columns are found by their header text, so a sheet with the columns moved around still reads. 适用岗位 and
 * 适用行业 hold Chinese names separated by 、 or , (also ， ; ；). “全部” in 适用岗位 means all four posts; “全部” in
 * 适用行业 means every industry, which our data model writes as an empty list (content/README.md), and which the
 * export writes back as “全部”. An empty cell names nothing (the field is left out).
 */
import ExcelJS from "exceljs";
import { INDUSTRIES, POST_LABELS, POSTS } from "../../org/labels";
import { QUESTION_TYPE_NAMES, QUESTION_TYPES, questionType } from "../question-types";
import { cleanText, letter, MAX_OPTIONS } from "./text";
import type { ExportQuestion, ImportedQuestion, ImportProblem, ImportResult, QuestionType } from "./types";

export const SHEET_NAME = "题库";
export const HELP_SHEET_NAME = "填写说明";
const OPTION_LETTERS = "ABCDEFGH".split("");
export const TEMPLATE_HEADERS = [
  "编号",
  "题型",
  "题干",
  ...OPTION_LETTERS.map((l) => `选项${l}`),
  "答案",
  "解析",
  "难度",
  "适用岗位",
  "适用行业",
  "知识点",
  "法规依据",
] as const;

// 题型 as spreadsheets name it: each type's own names (question-types/), the first one written on export.
const TYPE_BY_LABEL: Record<string, QuestionType> = Object.fromEntries(
  QUESTION_TYPE_NAMES.flatMap((t) => QUESTION_TYPES[t].sheetLabels.map((label) => [label, t])),
);
const TRUE_WORDS = new Set(["正确", "对", "√", "✓", "✔", "T", "TRUE"]);
const FALSE_WORDS = new Set(["错误", "错", "×", "✗", "✘", "F", "FALSE"]);
const ALL = "全部";
const LIST_SEPARATOR = /[、,，;；]+/;

const POST_BY_NAME = new Map<string, string>(
  POSTS.flatMap(
    (p) =>
      [
        [POST_LABELS[p], p],
        [p, p],
      ] as [string, string][],
  ),
);
const INDUSTRY_BY_NAME = new Map<string, string>(
  INDUSTRIES.flatMap(
    (i) =>
      [
        [i.name, i.code],
        [i.code, i.code],
      ] as [string, string][],
  ),
);
const INDUSTRY_NAME = new Map(INDUSTRIES.map((i) => [i.code, i.name]));

/** A cell as the text a person typed: numbers without exponent, dates as YYYY-MM-DD, rich text flattened. */
function cellText(value: ExcelJS.CellValue): string {
  return cleanText(rawCellText(value)).trim();
}

function rawCellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "number") return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === "string" || typeof value === "boolean") return String(value).trim();
  if (typeof value === "object") {
    if ("richText" in value && Array.isArray(value.richText))
      return value.richText
        .map((t) => t.text)
        .join("")
        .trim();
    if ("text" in value && typeof value.text === "string") return value.text.trim();
    if ("result" in value) return rawCellText(value.result as ExcelJS.CellValue);
    if ("error" in value) return "";
  }
  return String(value).trim();
}

const fullWidthToAscii = (s: string) =>
  s.replace(/[Ａ-Ｚａ-ｚ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

function splitList(s: string) {
  return s
    .split(LIST_SEPARATOR)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Read one data row; returns the question or the row's problems. */
function readRow(cells: Map<string, string>, optionColumns: string[], row: number): ImportedQuestion | string[] {
  const get = (h: string) => cells.get(h) ?? "";
  const problems: string[] = [];
  const typeLabel = get("题型").replace(/\s+/g, "");
  if (!typeLabel) return ["请填写题型（单选、多选或判断）"];
  const type = TYPE_BY_LABEL[typeLabel];
  if (!type) return [`不支持的题型：${typeLabel}（只支持单选、多选、判断）`];
  const stem = get("题干");
  if (!stem) problems.push("题干为空");

  const optionCells = optionColumns.map((h) => ({ letter: h.slice(2), text: get(h) }));
  const lastFilled = optionCells.map((o) => !!o.text).lastIndexOf(true);
  const options = optionCells.slice(0, lastFilled + 1);
  const answerRaw = get("答案");
  let answer = "";

  if (type === "judge") {
    if (options.length) {
      problems.push(
        `判断题不应填写选项（${options
          .filter((o) => o.text)
          .map((o) => `选项${o.letter}`)
          .join("、")} 有内容）`,
      );
    }
    const word = answerRaw.replace(/\s+/g, "").toUpperCase();
    if (!word) problems.push("请填写答案（判断题填 正确 或 错误）");
    else if (TRUE_WORDS.has(word)) answer = "true";
    else if (FALSE_WORDS.has(word)) answer = "false";
    else problems.push(`判断题答案应为 正确 或 错误，这里是“${answerRaw}”`);
  } else {
    const gaps = options.filter((o) => !o.text).map((o) => `选项${o.letter}`);
    if (gaps.length) problems.push(`${gaps.join("、")} 为空，但后面的选项有内容（选项要从 A 起连续填写）`);
    if (options.length < 2) problems.push(`选择题至少需要两个选项，这里只有 ${options.length} 个`);
    if (options.length > MAX_OPTIONS) problems.push(`选项最多 ${MAX_OPTIONS} 个，这里有 ${options.length} 个`);
    const letters = fullWidthToAscii(answerRaw)
      .toUpperCase()
      .replace(/[\s,，、;；]+/g, "");
    if (!letters) {
      problems.push("请填写答案（选项字母，如 B 或 ACD）");
    } else if (!/^[A-Z]+$/.test(letters)) {
      problems.push(`答案格式不正确：“${answerRaw}”（应填选项字母，如 B 或 ACD）`);
    } else {
      const unique = [...new Set(letters)];
      const missing = unique.filter((l) => !options.some((o) => o.letter === l && o.text));
      if (unique.length !== letters.length) {
        problems.push(`答案中有重复的字母：${letters}`);
      } else if (missing.length) {
        const filled = options.filter((o) => o.text).map((o) => o.letter);
        problems.push(
          `答案 ${missing.join("、")} 没有对应的选项${filled.length ? `（已填的选项为 ${filled.join("、")}）` : ""}`,
        );
      } else if (type === "single" && unique.length > 1) {
        problems.push(`单选题只能有一个答案字母，这里是 ${letters}（多选题请把题型填为 多选）`);
      } else if (type === "multiple" && unique.length < 2) {
        problems.push(`多选题只有一个正确选项（答案 ${letters}），至少需要两个`);
      } else {
        answer = unique.sort().join("");
      }
    }
  }

  const q: ImportedQuestion = {
    line: row,
    type,
    stem,
    options: QUESTION_TYPES[type].hasOptions ? options.map((o) => o.text) : [],
    answer,
  };
  const key = get("编号");
  if (key) {
    if (key.length > 64) problems.push("编号最长 64 个字符");
    else q.externalId = key;
  }
  const explanation = get("解析");
  if (explanation) q.explanation = explanation;
  const difficulty = get("难度");
  if (difficulty) {
    if (/^[1-5]$/.test(difficulty)) q.difficulty = Number(difficulty);
    else problems.push(`难度应为 1 到 5 的整数，这里是“${difficulty}”`);
  }
  const posts = get("适用岗位");
  if (posts) {
    const names = splitList(posts);
    if (names.includes(ALL)) {
      if (names.length > 1) problems.push("适用岗位填了“全部”，就不要再填其他岗位");
      else q.posts = [...POSTS];
    } else {
      const unknown = names.filter((n) => !POST_BY_NAME.has(n));
      if (unknown.length) {
        problems.push(
          `适用岗位中有无法识别的岗位：${unknown.join("、")}（可填：${POSTS.map((p) => POST_LABELS[p]).join("、")}，或“全部”）`,
        );
      } else {
        q.posts = [...new Set(names.map((n) => POST_BY_NAME.get(n)!))];
      }
    }
  }
  const industries = get("适用行业");
  if (industries) {
    const names = splitList(industries);
    if (names.includes(ALL)) {
      if (names.length > 1) problems.push("适用行业填了“全部”，就不要再填其他行业");
      else q.industries = [];
    } else {
      const unknown = names.filter((n) => !INDUSTRY_BY_NAME.has(n));
      if (unknown.length) {
        problems.push(
          `适用行业中有无法识别的行业：${unknown.join("、")}（可填：${INDUSTRIES.map((i) => i.name).join("、")}，或“全部”）`,
        );
      } else {
        q.industries = [...new Set(names.map((n) => INDUSTRY_BY_NAME.get(n)!))];
      }
    }
  }
  const topic = get("知识点");
  if (topic) q.topic = topic;
  const regulation = get("法规依据");
  if (regulation) q.regulation = regulation;
  return problems.length ? problems : q;
}

export async function parseQuestionWorkbook(data: ArrayBuffer | Buffer): Promise<ImportResult> {
  const questions: ImportedQuestion[] = [];
  const problems: ImportProblem[] = [];
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as ArrayBuffer);
  } catch {
    return {
      questions,
      problems: [{ line: 1, reason: "无法读取该文件：请上传用题库模板填写的 .xlsx 文件（不支持 .xls 或其他格式）" }],
    };
  }
  const headerOf = (ws: ExcelJS.Worksheet) => {
    const headers = new Map<number, string>();
    ws.getRow(1).eachCell((cell, col) => {
      const h = cellText(cell.value).replace(/\s+/g, "");
      if (h) headers.set(col, h);
    });
    return headers;
  };
  const sheet = workbook.worksheets.find((ws) => [...headerOf(ws).values()].includes("题型")) ?? workbook.worksheets[0];
  if (!sheet) return { questions, problems: [{ line: 1, reason: "文件中没有工作表" }] };
  const headers = headerOf(sheet);
  const names = [...headers.values()];
  const missing = ["题型", "题干", "答案"].filter((h) => !names.includes(h));
  if (missing.length) {
    return {
      questions,
      problems: [{ line: 1, reason: `第 1 行（表头）缺少列：${missing.join("、")}。请使用本页提供的题库模板` }],
    };
  }
  const optionColumns = names.filter((h) => /^选项[A-Z]$/.test(h)).sort();

  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells = new Map<string, string>();
    let any = false;
    row.eachCell((cell) => {
      if (cellText(cell.value)) any = true;
    });
    if (!any) continue;
    for (const [col, header] of headers) if (!cells.has(header)) cells.set(header, cellText(row.getCell(col).value));
    const result = readRow(cells, optionColumns, r);
    if (Array.isArray(result)) for (const reason of result) problems.push({ line: r, reason });
    else questions.push(result);
  }
  if (!questions.length && !problems.length)
    problems.push({ line: 2, reason: "表格中没有题目（请从第 2 行起每行填写一道题）" });
  return { questions, problems };
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Export and template                                                                                           */
/* ------------------------------------------------------------------------------------------------------------ */

const HELP: [string, string][] = [
  [
    "编号",
    "选填。题目的固定编号：导出的题目带有编号，修改后再导入会更新同一编号的题目；留空表示新题。内容相同但没有编号的题目不会合并。",
  ],
  ["题型", "必填。填 单选、多选 或 判断。"],
  ["题干", "必填。题目内容。"],
  ["选项A … 选项H", "单选、多选题从选项A起连续填写，至少两个、最多八个；用不到的选项列留空。判断题不填选项。"],
  [
    "答案",
    "必填。单选填一个字母，如 B；多选填两个及以上字母，如 ACD（字母必须有对应的选项）；判断填 正确 或 错误（也可填 对/错、√/×、T/F）。",
  ],
  ["解析", "选填。答题后显示的解释。"],
  ["难度", "选填。1 到 5 的整数，1 最容易，5 最难。"],
  [
    "适用岗位",
    `选填。可填 ${POSTS.map((p) => POST_LABELS[p]).join("、")}，多个用 、 或 , 分隔；填“全部”表示四类岗位都适用。`,
  ],
  [
    "适用行业",
    `选填。可填 ${INDUSTRIES.map((i) => i.name).join("、")}，多个用 、 或 , 分隔；填“全部”表示所有行业都适用。`,
  ],
  ["知识点", "选填。这道题考查的知识点，如 有限空间作业。"],
  ["法规依据", "选填。法规名称用《》，条款明确时写上条款，如 《中华人民共和国安全生产法》第二十八条。"],
];

const WIDTHS: Record<string, number> = {
  编号: 18,
  题型: 8,
  题干: 48,
  答案: 8,
  解析: 36,
  难度: 6,
  适用岗位: 22,
  适用行业: 18,
  知识点: 16,
  法规依据: 30,
};

/** The question sheet (header row exactly as the template) and the 填写说明 sheet; with no questions, the template. */
export async function questionWorkbook(questions: ExportQuestion[]): Promise<Buffer> {
  const optionCount = Math.max(
    OPTION_LETTERS.length,
    ...questions.map((q) => (questionType(q.type).hasOptions ? q.options.length : 0)),
  );
  const letters = Array.from({ length: optionCount }, (_, i) => letter(i));
  const headers = [
    "编号",
    "题型",
    "题干",
    ...letters.map((l) => `选项${l}`),
    "答案",
    "解析",
    "难度",
    "适用岗位",
    "适用行业",
    "知识点",
    "法规依据",
  ];

  const workbook = new ExcelJS.Workbook();
  workbook.creator = "安训";
  const sheet = workbook.addWorksheet(SHEET_NAME, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = headers.map((h) => ({
    header: h,
    key: h,
    width: WIDTHS[h] ?? 16,
    style: h === "难度" ? {} : { numFmt: "@" },
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: "middle", horizontal: "center" };

  for (const q of questions) {
    const values: Record<string, string | number> = {
      编号: q.externalId,
      题型: questionType(q.type).sheetLabels[0],
      题干: q.stem,
      答案: questionType(q.type).answerText(q.answer),
      解析: q.explanation ?? "",
      适用岗位: (q.posts ?? []).map((p) => POST_LABELS[p as keyof typeof POST_LABELS] ?? p).join("、"),
      适用行业: q.industries?.length ? q.industries.map((c) => INDUSTRY_NAME.get(c) ?? c).join("、") : ALL,
      知识点: q.topic ?? "",
      法规依据: q.regulation ?? "",
    };
    if (q.difficulty) values.难度 = q.difficulty;
    if (questionType(q.type).hasOptions) q.options.forEach((o, i) => (values[`选项${letter(i)}`] = o));
    const row = sheet.addRow(values);
    row.alignment = { vertical: "top", wrapText: true };
  }

  // Drop-down lists for the two closed columns, on the filled rows and a generous number of empty ones.
  const lastRow = Math.max(questions.length + 1, 500);
  const typeCol = headers.indexOf("题型") + 1;
  const difficultyCol = headers.indexOf("难度") + 1;
  for (let r = 2; r <= lastRow; r++) {
    sheet.getCell(r, typeCol).dataValidation = {
      type: "list",
      allowBlank: true,
      formulae: ['"单选,多选,判断"'],
      showErrorMessage: true,
      errorTitle: "题型",
      error: "请选择 单选、多选 或 判断",
    };
    sheet.getCell(r, difficultyCol).dataValidation = {
      type: "whole",
      operator: "between",
      allowBlank: true,
      formulae: [1, 5],
      showErrorMessage: true,
      errorTitle: "难度",
      error: "难度为 1 到 5 的整数",
    };
  }

  const help = workbook.addWorksheet(HELP_SHEET_NAME);
  help.columns = [
    { header: "列", key: "列", width: 16 },
    { header: "怎么填", key: "怎么填", width: 100 },
  ];
  help.getRow(1).font = { bold: true };
  for (const [col, text] of HELP)
    help.addRow({ 列: col, 怎么填: text }).alignment = { vertical: "top", wrapText: true };
  help.addRow([]);
  for (const note of [
    "每行一道题，从第 2 行起填写；第 1 行表头不要修改。整行为空的行会被跳过。",
    "导入前会先检查全部行：有问题的行会列出行号和原因，不会导入；其余的题目可以先导入。",
  ])
    help.addRow({ 列: "说明", 怎么填: note }).alignment = { wrapText: true };

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
