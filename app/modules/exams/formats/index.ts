/**
 * Question-bank import/export formats: Excel (our template), Moodle XML, GIFT, Aiken and Word (.docx, import only).
 * Pure modules: no database, no Remix. Each file has one job: a reader or a writer per format, plus the shared
 * text model (text.ts), HTML-to-text (html.ts), media checks (media.ts), encodings (encoding.ts), the XML guard
 * (xml-guard.ts), Moodle's grade table (grades.ts) and our metadata tags (tags.ts).
 */
export type {
  ExportMedia,
  ExportQuestion,
  ExportSkip,
  ImportedQuestion,
  ImportProblem,
  ImportResult,
  QuestionType,
} from "./types";
export { parseGift } from "./gift";
export { toGift } from "./gift-export";
export { parseAiken } from "./aiken";
export { toAiken } from "./aiken-export";
export { parseMoodleXml } from "./moodle-xml";
export { toMoodleXml } from "./moodle-xml-export";
export { parseQuestionWorkbook, questionWorkbook, TEMPLATE_HEADERS } from "./excel";
export { parseDocx } from "./docx";
export { parseWordText } from "./word";
export { decodeText } from "./encoding";

export type QuestionFormat = "gift" | "aiken" | "moodle-xml" | "excel" | "word";

export const FORMAT_LABELS: Record<QuestionFormat, string> = {
  gift: "GIFT",
  aiken: "Aiken",
  "moodle-xml": "Moodle XML",
  excel: "Excel 模板",
  word: "Word 文档",
};

/**
 * Which format a file is in, from its name and its first bytes (read as latin1 or UTF-8 text). The content wins
 * over the name where it is unambiguous (a zip is an xlsx, `<?xml`/`<quiz` is Moodle XML); a .txt is told apart
 * by its content (GIFT braces or `::name::` versus Aiken `ANSWER:` lines). Returns null when it cannot tell.
 */
export function detectFormat(fileName: string, firstBytes: string): QuestionFormat | null {
  const name = fileName.trim().toLowerCase();
  // Bytes handed over as latin1 text: read them again as UTF-8 so that 答案： and friends can be seen.
  const decoded = /[^\u0000-\u00ff]/.test(firstBytes) ? firstBytes : Buffer.from(firstBytes, "latin1").toString("utf8");
  const head = firstBytes.startsWith("PK\u0003\u0004") ? firstBytes : decoded.replace(/^\uFEFF/, "");
  // A zip container: an .xlsx, unless the name says it is another kind of zip (Word, PowerPoint, …).
  if (head.startsWith("PK\u0003\u0004"))
    return name.endsWith(".docx") ? "word" : /\.(pptx|ods|odt|zip|jar)$/.test(name) ? null : "excel";
  if (name.endsWith(".xlsx")) return "excel";
  if (name.endsWith(".xls") || name.endsWith(".doc")) return null; // old binary Office files: ask for .xlsx / .docx
  const text = head.trimStart();
  if (/^<\?xml\b/i.test(text) || /^<quiz[\s>]/i.test(text) || /^<!--[\s\S]*?-->\s*<quiz[\s>]/i.test(text))
    return "moodle-xml";
  if (name.endsWith(".xml")) return "moodle-xml";
  if (name.endsWith(".gift")) return "gift";
  if (/aiken/.test(name)) return "aiken";
  if (/gift/.test(name)) return "gift";
  if (!name.endsWith(".txt") && /\.[a-z0-9]+$/.test(name)) return null;
  const aiken = /^\s*(?:ANSWER\s*[:：]|答案\s*[:：])\s*\S/m.test(text);
  const gift =
    /^\s*::.*::/m.test(text) || /^\s*\$CATEGORY:/m.test(text) || /\{[^{}]*\}/.test(text) || /\{\s*$/m.test(text);
  if (gift && !aiken) return "gift";
  if (aiken && !gift) return "aiken";
  if (aiken && gift) return /^\s*::/m.test(text) ? "gift" : "aiken";
  return null;
}
