/**
 * Aiken import (format notes: README.md, tests/fixtures/formats/samples): single choice only, one line of question text, choice lines
 * `A.` / `A)`, then `ANSWER: X`. Extension for Chinese files: full-width `）` `．` after the letter, and
 * `答案：` for `ANSWER:`. Full-width capital letters (Ａ–Ｚ) are read as their ASCII counterparts.
 * Text is plain (the page escapes it when showing it).
 */
import { cleanText, letter, MAX_OPTIONS, normalizeNewlines } from "./text";
import type { ImportedQuestion, ImportProblem, ImportResult } from "./types";

const toAsciiLetters = (s: string) => s.replace(/[Ａ-Ｚａ-ｚ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

const CHOICE = /^([A-ZＡ-Ｚ])\s*[.)．）]\s*(.*)$/;
const ANSWER = /^(?:ANSWER\s*[:：]|答案\s*[:：])\s*(.*)$/;

interface Pending {
  line: number;
  stem: string;
  choices: string[];
  /** Set when the question is already known to be broken: its remaining lines are skipped up to its ANSWER. */
  broken: boolean;
}

export function parseAiken(text: string): ImportResult {
  const src = cleanText(normalizeNewlines(text));
  const questions: ImportedQuestion[] = [];
  const problems: ImportProblem[] = [];
  if (!src.trim()) return { questions, problems: [{ line: 1, reason: "文件为空，没有读到任何题目" }] };
  let q: Pending | null = null;
  /** After a choice line with no question: skip the orphan choices up to their ANSWER line. */
  let orphan = false;

  src.split("\n").forEach((raw, k) => {
    const line = k + 1;
    const t = raw.trim();
    if (!t) return;
    const answer = ANSWER.exec(t);
    const choice = answer ? null : CHOICE.exec(t);

    if (answer) {
      if (!q) {
        if (orphan) orphan = false;
        else problems.push({ line, reason: "答案行前面没有题目" });
        return;
      }
      const current: Pending = q;
      q = null;
      if (current.broken) return;
      const value = toAsciiLetters(answer[1].trim()).toUpperCase();
      if (current.choices.length < 2) {
        problems.push({
          line: current.line,
          reason: `选择题至少需要两个选项，这道题只有 ${current.choices.length} 个`,
        });
        return;
      }
      if (current.choices.length > MAX_OPTIONS) {
        problems.push({
          line: current.line,
          reason: `选项最多 ${MAX_OPTIONS} 个，这道题有 ${current.choices.length} 个`,
        });
        return;
      }
      if (!value) {
        problems.push({ line: current.line, reason: `第 ${line} 行的答案行没有写答案字母` });
        return;
      }
      if (!/^[A-Z]$/.test(value)) {
        problems.push({
          line: current.line,
          reason: `答案应为一个选项字母（Aiken 格式只支持单选题），第 ${line} 行写的是“${answer[1].trim()}”`,
        });
        return;
      }
      const index = value.charCodeAt(0) - 65;
      if (index >= current.choices.length) {
        problems.push({
          line: current.line,
          reason: `答案 ${value} 超出了选项范围：只有 A–${letter(current.choices.length - 1)} ${current.choices.length} 个选项（第 ${line} 行）`,
        });
        return;
      }
      questions.push({
        line: current.line,
        type: "single",
        stem: current.stem,
        options: current.choices,
        answer: value,
      });
      return;
    }

    if (choice) {
      if (!q) {
        if (!orphan) problems.push({ line, reason: "选项行前面没有题干" });
        orphan = true;
        return;
      }
      if (q.broken) return;
      const got = toAsciiLetters(choice[1]);
      const expected = letter(q.choices.length);
      if (got !== expected) {
        problems.push({
          line,
          reason: `选项字母应为 ${expected}，这里是 ${got}（第 ${q.line} 行的题目未导入）`,
          question: q.stem.slice(0, 20),
        });
        q.broken = true;
        return;
      }
      if (!choice[2].trim()) {
        problems.push({
          line,
          reason: `选项 ${got} 的内容为空（第 ${q.line} 行的题目未导入）`,
          question: q.stem.slice(0, 20),
        });
        q.broken = true;
        return;
      }
      q.choices.push(choice[2].trim());
      return;
    }

    // A question text line.
    orphan = false;
    if (q && !q.broken) {
      if (q.choices.length) {
        // A new question before the previous one's answer: the previous one is dropped, this one is read.
        problems.push({
          line: q.line,
          reason: `缺少答案行（ANSWER: 字母），第 ${line} 行新的题目却已开始（这道题未导入）`,
          question: q.stem.slice(0, 20),
        });
      } else {
        // Two text lines in a row: the question text spans lines, which Aiken does not allow.
        problems.push({
          line,
          reason: `题干只能写在一行内（第 ${q.line} 行的题干后面应是选项行；这道题未导入）`,
          question: q.stem.slice(0, 20),
        });
        q.broken = true;
        return;
      }
    } else if (q && q.broken && !q.choices.length) {
      return;
    }
    q = { line, stem: t, choices: [], broken: false };
  });

  if (q !== null) {
    const last: Pending = q;
    if (!last.broken) problems.push({ line: last.line, reason: "题目缺少答案行（ANSWER: 字母）" });
  }
  if (!questions.length && !problems.length) problems.push({ line: 1, reason: "文件中没有找到题目" });
  return { questions, problems };
}
