/**
 * The layout Chinese question banks are kept in as Word text (after docx.ts has read the file):
 *
 *   一、单选题
 *   1. 进入有限空间作业前，必须遵循的顺序是（　）。
 *   A. 先检测、再通风、后作业   B. 先通风、再检测、后作业
 *   答案：B
 *   解析：……
 *
 * Section headings (单选/多选/判断) give the type; without one it is inferred from the answer (two or more letters:
 * 多选; 正确/错误, √/×, 对/错: 判断). Options may be `A.` `A．` `A、` `A)` `A）`, several on one line. A question that
 * cannot be read is reported with its number and line; the rest still read.
 */
import { letter, MAX_OPTIONS, plainLine } from "./text";
import type { ImportedQuestion, ImportProblem, ImportResult, QuestionType } from "./types";

const SECTION =
  /^(?:[一二三四五六七八九十]+\s*[、.．]|第[一二三四五六七八九十\d]+部分|[（(][一二三四五六七八九十]+[)）])?\s*(单选|单项选择|多选|多项选择|不定项选择|判断)题?/;
const QUESTION = /^(\d{1,4})\s*[.．、)）]\s*(.*)$/;
const OPTION_AT = /([A-HＡ-Ｈ])\s*[.．、)）]\s*/g;
const ANSWER = /^(?:【答案】|【参考答案】|(?:参考)?答案\s*[:：])\s*(.*)$/;
const EXPLANATION = /^(?:【解析】|解析\s*[:：]|【答案解析】)\s*(.*)$/;
const TRUE_WORDS = new Set(["正确", "对", "√", "✓", "✔", "T", "TRUE", "是"]);
const FALSE_WORDS = new Set(["错误", "错", "×", "✗", "✘", "F", "FALSE", "否"]);

const ascii = (s: string) => s.replace(/[Ａ-Ｚ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

interface Draft {
  number: string;
  line: number;
  stem: string[];
  options: string[];
  answer?: string;
  answerLine?: number;
  explanation: string[];
  section: QuestionType | null;
  stage: "stem" | "options" | "answer" | "explanation";
  problem?: string;
}

/** Options on a line that starts with one: "A. x  B. y" → ["x", "y"] with their letters. */
function optionsOn(line: string): { letter: string; text: string }[] | null {
  if (!/^[A-HＡ-Ｈ]\s*[.．、)）]/.test(line)) return null;
  const marks = [...line.matchAll(OPTION_AT)].filter((m) => m.index === 0 || /\s/.test(line[m.index! - 1]));
  return marks.map((m, k) => ({
    letter: ascii(m[1]),
    text: line.slice(m.index! + m[0].length, k + 1 < marks.length ? marks[k + 1].index : undefined).trim(),
  }));
}

function finish(d: Draft): ImportedQuestion | string {
  if (d.problem) return d.problem;
  const stem = d.stem.join("\n").trim();
  if (!stem) return "题干为空";
  if (d.answer === undefined) return "缺少答案行（答案：B）";
  const raw = d.answer.replace(/[\s,，、;；]+/g, "");
  const word = ascii(raw).toUpperCase();
  let type: QuestionType;
  let answer: string;
  if (TRUE_WORDS.has(word) || FALSE_WORDS.has(word)) {
    type = "judge";
    answer = TRUE_WORDS.has(word) ? "true" : "false";
    if (d.options.length) return `判断题不应有选项（答案“${d.answer}”，却有 ${d.options.length} 个选项）`;
  } else {
    if (!/^[A-H]+$/.test(word)) return `答案“${d.answer}”无法识别（应为选项字母，或 正确/错误）`;
    if (new Set(word).size !== word.length) return `答案中有重复的字母：${word}`;
    type = word.length > 1 ? "multiple" : "single";
    answer = [...word].sort().join("");
    if (d.options.length < 2) return `选择题至少需要两个选项，这里只有 ${d.options.length} 个`;
    const missing = [...answer].filter((c) => c.charCodeAt(0) - 65 >= d.options.length);
    if (missing.length) return `答案 ${missing.join("、")} 没有对应的选项（选项为 A–${letter(d.options.length - 1)}）`;
  }
  if (d.section && d.section !== type) {
    const label = { single: "单选", multiple: "多选", judge: "判断" } as const;
    if (!(d.section === "multiple" && type === "single"))
      return `在“${label[d.section]}题”部分，答案“${d.answer}”却是${label[type]}题的答案`;
    return "多选题只有一个正确答案（至少需要两个）";
  }
  const q: ImportedQuestion = { line: d.line, type, stem, options: d.options, answer };
  const explanation = d.explanation.join("\n").trim();
  if (explanation) q.explanation = explanation;
  return q;
}

export function parseWordText(text: string): ImportResult {
  const questions: ImportedQuestion[] = [];
  const problems: ImportProblem[] = [];
  let section: QuestionType | null = null;
  let d: Draft | null = null;
  const close = () => {
    if (!d) return;
    const r = finish(d);
    if (typeof r === "string")
      problems.push({ line: d.line, question: `第 ${d.number} 题「${plainLine(d.stem.join(" "), 20)}」`, reason: r });
    else questions.push(r);
    d = null;
  };
  text.split("\n").forEach((raw, k) => {
    const line = k + 1;
    const t = raw.trim();
    if (!t) return;
    const sec = SECTION.exec(t);
    if (sec && t.length <= 40 && !QUESTION.test(t)) {
      close();
      section = /单选|单项/.test(sec[1]) ? "single" : /判断/.test(sec[1]) ? "judge" : "multiple";
      return;
    }
    const qm = QUESTION.exec(t);
    if (qm) {
      close();
      d = { number: qm[1], line, stem: [qm[2]], options: [], explanation: [], section, stage: "stem" };
      return;
    }
    if (!d) {
      problems.push({ line, reason: `这一行不属于任何题目（题目应以“1.”这样的题号开头）：${plainLine(t, 30)}` });
      return;
    }
    const cur: Draft = d;
    const am = ANSWER.exec(t);
    if (am) {
      if (cur.answer !== undefined) cur.problem ??= `有两行答案（第 ${cur.answerLine} 行和第 ${line} 行）`;
      cur.answer = am[1].trim();
      cur.answerLine = line;
      cur.stage = "answer";
      return;
    }
    const em = EXPLANATION.exec(t);
    if (em) {
      cur.explanation.push(em[1]);
      cur.stage = "explanation";
      return;
    }
    const opts = cur.stage === "stem" || cur.stage === "options" ? optionsOn(t) : null;
    if (opts) {
      for (const o of opts) {
        const expected = letter(cur.options.length);
        if (o.letter !== expected) cur.problem ??= `第 ${line} 行：选项字母应为 ${expected}，这里是 ${o.letter}`;
        else if (!o.text) cur.problem ??= `第 ${line} 行：选项 ${o.letter} 的内容为空`;
        else if (cur.options.length >= MAX_OPTIONS) cur.problem ??= `选项最多 ${MAX_OPTIONS} 个`;
        else cur.options.push(o.text);
      }
      cur.stage = "options";
      return;
    }
    if (cur.stage === "stem") cur.stem.push(t);
    else if (cur.stage === "explanation") cur.explanation.push(t);
    else if (cur.stage === "options") cur.options[cur.options.length - 1] += `\n${t}`;
    else cur.problem ??= `第 ${line} 行在答案之后，无法识别：${plainLine(t, 30)}`;
  });
  close();
  if (!questions.length && !problems.length)
    problems.push({ line: 1, reason: "文件中没有找到题目（题目应以“1.”这样的题号开头）" });
  return { questions, problems };
}
