/** Question-bank import/export formats (../shared/formats/README.md). Pure modules: no database, no Remix. */
export type { ExportQuestion, ImportedQuestion, ImportProblem, ImportResult, QuestionType } from "./types";
export { parseGift } from "./gift";
export { parseAiken } from "./aiken";
export { parseMoodleXml, toMoodleXml, sanitizeHtml } from "./moodle-xml";
export { parseQuestionWorkbook, questionWorkbook, TEMPLATE_HEADERS } from "./excel";

export type QuestionFormat = "gift" | "aiken" | "moodle-xml" | "excel";

export const FORMAT_LABELS: Record<QuestionFormat, string> = {
  gift: "GIFT",
  aiken: "Aiken",
  "moodle-xml": "Moodle XML",
  excel: "Excel 模板",
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
  if (head.startsWith("PK\u0003\u0004")) return /\.(docx|pptx|ods|odt|zip|jar)$/.test(name) ? null : "excel";
  if (name.endsWith(".xlsx")) return "excel";
  if (name.endsWith(".xls")) return null; // old binary Excel: not supported, ask for .xlsx
  const text = head.trimStart();
  if (/^<\?xml\b/i.test(text) || /^<quiz[\s>]/i.test(text) || /^<!--[\s\S]*?-->\s*<quiz[\s>]/i.test(text)) return "moodle-xml";
  if (name.endsWith(".xml")) return "moodle-xml";
  if (name.endsWith(".gift")) return "gift";
  if (/aiken/.test(name)) return "aiken";
  if (/gift/.test(name)) return "gift";
  if (!name.endsWith(".txt") && /\.[a-z0-9]+$/.test(name)) return null;
  const aiken = /^\s*(?:ANSWER\s*[:：]|答案\s*[:：])\s*\S/m.test(text);
  const gift = /^\s*::.*::/m.test(text) || /^\s*\$CATEGORY:/m.test(text) || /\{[^{}]*\}/.test(text) || /\{\s*$/m.test(text);
  if (gift && !aiken) return "gift";
  if (aiken && !gift) return "aiken";
  if (aiken && gift) return /^\s*::/m.test(text) ? "gift" : "aiken";
  return null;
}
