/**
 * Moodle XML export.
 *
 * Round trip. Our export writes, per question:
 *   - <name>            the first 40 characters of the stem as plain text (Moodle requires a name);
 *   - <questiontext>    the stem; format="plain_text", or "html" (text escaped, line breaks as <br>) when it has
 *                       pictures or audio, which are written as @@PLUGINFILE@@/<hash>.<ext> with their <file>;
 *   - <generalfeedback> the explanation (解析), same format rule;
 *   - <idnumber>        ExportQuestion.externalId;
 *   - <answer>s         options (single: 100 / 0; multiple: `<single>false</single>`, the correct options share
 *                       100 evenly, the wrong ones share -100 when that is an allowed grade, else 0); judge
 *                       questions are `truefalse` with answers `true` / `false`;
 *   - <tags>            our metadata, one tag each, with a prefix the importer recognises and removes again:
 *                         post:<code>        适用岗位 (principal, safety_manager, special_operator, worker)
 *                         industry:<code>    适用行业 (codes of INDUSTRIES in ../../org/labels)
 *                         topic:<text>       知识点
 *                         difficulty:<1-5>   难度
 *                         regulation:<text>  法规依据
 *                       Any other tag is returned unchanged in `tags`.
 * so that parseMoodleXml(toMoodleXml(qs)) gives back the same type, stem, options, answer, explanation, externalId,
 * posts, industries, topic, difficulty and regulation.
 * Characters XML cannot carry (control characters) are left out (cleanText), so one odd character cannot make the
 * whole file unreadable.
 */
import { escapeHtml } from "./html";
import { shares } from "./grades";
import { EXTENSIONS } from "./media";
import { tagsOf } from "./tags";
import { cleanText, MEDIA_TOKEN, mediaIn, plainLine } from "./text";
import type { ExportMedia, ExportQuestion } from "./types";

const cdata = (s: string) => `<![CDATA[${cleanText(s).replace(/]]>/g, "]]]]><![CDATA[>")}]]>`;
const escapeXml = (s: string) =>
  cleanText(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const fmt = (n: number) => (Object.is(n, -0) ? "0" : String(n));

function questionName(q: ExportQuestion) {
  return plainLine(q.stem, 40) || q.externalId;
}

const fileName = (hash: string, media: ExportMedia) =>
  `${hash}.${EXTENSIONS[media.get(hash)?.contentType ?? ""] ?? "bin"}`;

/** A text field: plain text as written, or HTML when pictures or audio must travel with it. */
function textElement(tag: string, text: string, indent: string, media: ExportMedia, attrs = "") {
  const found = mediaIn(text);
  if (!found.length) return `${indent}<${tag}${attrs} format="plain_text"><text>${cdata(text)}</text>`;
  let html = "";
  let at = 0;
  for (const m of text.matchAll(MEDIA_TOKEN)) {
    html += escapeHtml(text.slice(at, m.index)).replace(/\n/g, "<br>");
    const src = `@@PLUGINFILE@@/${fileName(m[2], media)}`;
    html += m[1] === "img" ? `<img src="${src}" alt="">` : `<audio controls src="${src}"></audio>`;
    at = m.index! + m[0].length;
  }
  html += escapeHtml(text.slice(at)).replace(/\n/g, "<br>");
  const files = [...new Set(found.map((f) => f.hash))].map((h) => {
    const file = media.get(h);
    if (!file) throw new Error(`media ${h} missing from the export`);
    return `<file name="${fileName(h, media)}" path="/" encoding="base64">${file.data.toString("base64")}</file>`;
  });
  return `${indent}<${tag}${attrs} format="html"><text>${cdata(html)}</text>${files.join("")}`;
}

/** Write questions as a Moodle XML quiz (optionally inside one category). See the header for the mapping. */
export function toMoodleXml(questions: ExportQuestion[], category?: string, media: ExportMedia = new Map()): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"];
  if (category && category.trim()) {
    out.push('  <question type="category">');
    out.push(`    <category><text>${cdata(`$course$/top/${category.trim()}`)}</text></category>`);
    out.push("  </question>");
  }
  for (const q of questions) {
    const isJudge = q.type === "judge";
    out.push(`  <question type="${isJudge ? "truefalse" : "multichoice"}">`);
    out.push(`    <name><text>${cdata(questionName(q))}</text></name>`);
    out.push(`${textElement("questiontext", q.stem, "    ", media)}</questiontext>`);
    out.push(`${textElement("generalfeedback", q.explanation ?? "", "    ", media)}</generalfeedback>`);
    out.push("    <defaultgrade>1</defaultgrade>");
    out.push(`    <penalty>${isJudge ? "1" : "0.3333333"}</penalty>`);
    out.push("    <hidden>0</hidden>");
    out.push(`    <idnumber>${escapeXml(q.externalId)}</idnumber>`);
    if (isJudge) {
      const right = q.answer === "true";
      out.push(
        `    <answer fraction="${right ? 100 : 0}" format="moodle_auto_format"><text>true</text><feedback format="html"><text></text></feedback></answer>`,
      );
      out.push(
        `    <answer fraction="${right ? 0 : 100}" format="moodle_auto_format"><text>false</text><feedback format="html"><text></text></feedback></answer>`,
      );
    } else {
      const correct = new Set([...q.answer.toUpperCase()].map((c) => c.charCodeAt(0) - 65));
      const single = q.type === "single";
      let grades: number[];
      if (single) {
        grades = q.options.map((_, k) => (correct.has(k) ? 100 : 0));
      } else {
        const right = shares(q.options.filter((_, k) => correct.has(k)).length, 100);
        const wrong = shares(q.options.filter((_, k) => !correct.has(k)).length, -100);
        grades = q.options.map((_, k) => (correct.has(k) ? right.shift()! : wrong.shift()!));
      }
      out.push(`    <single>${single ? "true" : "false"}</single>`);
      out.push("    <shuffleanswers>false</shuffleanswers>");
      out.push("    <answernumbering>ABCD</answernumbering>");
      q.options.forEach((o, k) => {
        out.push(
          `${textElement("answer", o, "    ", media, ` fraction="${fmt(grades[k])}"`)}<feedback format="html"><text></text></feedback></answer>`,
        );
      });
    }
    const tags = tagsOf(q);
    if (tags.length) {
      out.push("    <tags>");
      for (const t of tags) out.push(`      <tag><text>${cdata(t)}</text></tag>`);
      out.push("    </tags>");
    }
    out.push("  </question>");
  }
  out.push("</quiz>", "");
  return out.join("\n");
}
