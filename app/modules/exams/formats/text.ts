/**
 * The one text model of the bank (docs/decisions/0014-question-text-model.md): a question's stem, options and
 * explanation are plain text; line breaks are "\n"; pictures and audio are tokens `[[img:<hash>]]` /
 * `[[audio:<hash>]]` naming a file of the media store. Importers turn HTML into this text; pages render it with
 * QuestionText (app/modules/exams/ui/question-text.tsx), never as HTML.
 */

/** The most options a question may have (content/README.md: options 2 to 8, letters A–H). */
export const MAX_OPTIONS = 8;

export const letter = (i: number) => String.fromCharCode(65 + i);

import type { MediaKind } from "../../../lib/media-type";

export type { MediaKind };
/** A media token; the hash is the first 32 hex digits of the file's SHA-256. */
export const MEDIA_TOKEN = /\[\[(img|audio):([0-9a-f]{32})\]\]/g;
export const mediaToken = (kind: MediaKind, hash: string) => `[[${kind}:${hash}]]`;

/** The media a text names, in order. */
export function mediaIn(text: string): { kind: MediaKind; hash: string }[] {
  return [...text.matchAll(MEDIA_TOKEN)].map((m) => ({ kind: m[1] as MediaKind, hash: m[2] }));
}

/** Text split into plain pieces and media, for rendering. */
export function textParts(text: string): ({ text: string } | { kind: MediaKind; hash: string })[] {
  const parts: ({ text: string } | { kind: MediaKind; hash: string })[] = [];
  let at = 0;
  for (const m of text.matchAll(MEDIA_TOKEN)) {
    if (m.index! > at) parts.push({ text: text.slice(at, m.index) });
    parts.push({ kind: m[1] as MediaKind, hash: m[2] });
    at = m.index! + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}

/** One line for lists and names: media as [图片]/[音频], whitespace collapsed, cut at `max` characters. */
export function plainLine(text: string, max = Infinity): string {
  const flat = text
    .replace(MEDIA_TOKEN, (_, k: string) => (k === "img" ? "[图片]" : "[音频]"))
    .replace(/\s+/g, " ")
    .trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max).join("")}…` : flat;
}

/**
 * Characters XML 1.0 cannot carry and that no question needs (C0 controls except tab and line feed, DEL-C1
 * controls, U+FFFE/U+FFFF, lone surrogates). A vertical tab or form feed (Word's line break in Excel cells)
 * becomes a line break.
 */
export function cleanText(s: string): string {
  return s
    .replace(/\r\n?|[\v\f]/g, "\n")
    .replace(
      /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      "",
    );
}

/** Moodle category paths start with a context ($course$, $system$, …) and usually "top"; we keep the rest. */
export function normalizeCategory(path: string): string | undefined {
  let p = path.trim().replace(/^\$(?:course|system|coursecategory|module|cat)\$\/?/i, "");
  p = p.replace(/^top(?:\/|$)/i, "").trim();
  return p || undefined;
}

/** Text without a byte-order mark and with "\n" line ends. */
export function normalizeNewlines(text: string) {
  return text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

/** A question's short name for messages: its line and the first words of its stem. */
export function questionLabel(line: number, stem: string | undefined) {
  const words = stem ? plainLine(stem, 20) : "";
  return words ? `第 ${line} 行的题目「${words}」` : `第 ${line} 行的题目`;
}
