/**
 * Aiken export: single choice only, one line of text each, no pictures. Every question Aiken cannot carry is
 * returned in `skipped` with the reason, so the page can say what the file leaves out.
 */
import { cleanText, letter, MEDIA_TOKEN } from "./text";
import type { ExportQuestion, ExportSkip } from "./types";

const CHOICE_LIKE = /^([A-ZＡ-Ｚ])\s*[.)．）]/;
const ANSWER_LIKE = /^(?:ANSWER\s*[:：]|答案\s*[:：])/;

function problem(q: ExportQuestion): string | null {
  if (q.type !== "single")
    return q.type === "multiple" ? "Aiken 只支持单选题（这是多选题）" : "Aiken 只支持单选题（这是判断题）";
  const texts = [q.stem, ...q.options];
  if (texts.some((t) => new RegExp(MEDIA_TOKEN.source).test(t))) return "Aiken 无法携带图片或音频";
  if (texts.some((t) => t.includes("\n"))) return "Aiken 的题干和选项只能各占一行（这道题有换行）";
  if (CHOICE_LIKE.test(q.stem.trim()) || ANSWER_LIKE.test(q.stem.trim()))
    return "题干以选项字母或“答案”开头，Aiken 会读错";
  if (q.options.length > 26) return "选项过多";
  return null;
}

export function toAiken(questions: ExportQuestion[]): { text: string; skipped: ExportSkip[] } {
  const out: string[] = [];
  const skipped: ExportSkip[] = [];
  for (const raw of questions) {
    const q = { ...raw, stem: cleanText(raw.stem), options: raw.options.map(cleanText) };
    const reason = problem(q);
    if (reason) {
      skipped.push({ externalId: q.externalId, stem: q.stem, reason });
      continue;
    }
    out.push(
      [q.stem.trim(), ...q.options.map((o, k) => `${letter(k)}. ${o.trim()}`), `ANSWER: ${q.answer}`].join("\n"),
    );
  }
  return { text: out.length ? `${out.join("\n\n")}\n` : "", skipped };
}
