/**
 * GIFT export. Per question: `// [tag:…]` comments with our metadata (tags.ts), then
 * `::<id>::stem{answers####explanation}` on one line (the title is the key, so a re-import updates the same
 * question). Pieces get a format prefix only when they need one: [plain] for text with characters HTML would
 * read (`<`, `&`, runs of spaces), [html] for text with pictures or audio, carried as data: URIs because a GIFT
 * file cannot hold files. Multiple choice weights come from Moodle's grade table (the correct options share 100%).
 */
import { shares } from "./grades";
import { escapeHtml } from "./html";
import { tagsOf } from "./tags";
import { cleanText, MEDIA_TOKEN } from "./text";
import type { ExportMedia, ExportQuestion } from "./types";

/** GIFT's special characters escaped, line breaks as \n. */
const esc = (s: string) =>
  s
    .replace(/\\/g, "\\\\")
    .replace(/([~=#{}:])/g, "\\$1")
    .replace(/\n/g, "\\n");

type Format = "moodle" | "plain" | "html";

function formatOf(text: string): Format {
  if (new RegExp(MEDIA_TOKEN.source).test(text)) return "html";
  return /[<&]|\s\s|^\s|\s$|\[(?:html|plain|markdown|moodle)\]/i.test(text) ? "plain" : "moodle";
}

function piece(raw: string, inherited: Format, media: ExportMedia, own = formatOf(cleanText(raw))): string {
  const text = cleanText(raw);
  const prefix = own === inherited ? "" : `[${own}]`;
  if (own !== "html") return prefix + esc(text);
  let html = "";
  let at = 0;
  for (const m of text.matchAll(MEDIA_TOKEN)) {
    html += escapeHtml(text.slice(at, m.index)).replace(/\n/g, "<br>");
    const file = media.get(m[2]);
    if (!file) throw new Error(`media ${m[2]} missing from the export`);
    const src = `data:${file.contentType};base64,${file.data.toString("base64")}`;
    html += m[1] === "img" ? `<img src="${src}" alt="">` : `<audio controls src="${src}"></audio>`;
    at = m.index! + m[0].length;
  }
  html += escapeHtml(text.slice(at)).replace(/\n/g, "<br>");
  return prefix + esc(html);
}

export function toGift(questions: ExportQuestion[], media: ExportMedia = new Map()): string {
  const out: string[] = [];
  for (const q of questions) {
    const lines = tagsOf(q).map((t) => `// [tag:${t.replace(/]/g, "\\]")}]`);
    const stemFormat = formatOf(cleanText(q.stem));
    let answers: string;
    if (q.type === "judge") {
      answers = q.answer === "true" ? "TRUE" : "FALSE";
    } else {
      const correct = new Set([...q.answer].map((c) => c.charCodeAt(0) - 65));
      if (q.type === "single") {
        answers = q.options.map((o, k) => `${correct.has(k) ? "=" : "~"}${piece(o, stemFormat, media)}`).join(" ");
      } else {
        const right = shares(correct.size, 100);
        const wrong = shares(q.options.length - correct.size, -100);
        answers = q.options
          .map((o, k) => `~%${correct.has(k) ? right.shift() : wrong.shift()}%${piece(o, stemFormat, media)}`)
          .join(" ");
      }
    }
    const feedback = q.explanation ? `####${piece(q.explanation, stemFormat, media)}` : "";
    lines.push(
      `::${esc(cleanText(q.externalId))}::${piece(q.stem, "moodle", media, stemFormat)}{${answers}${feedback}}`,
    );
    out.push(lines.join("\n"));
  }
  return out.length ? `${out.join("\n\n")}\n` : "";
}
