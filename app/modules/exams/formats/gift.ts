/**
 * GIFT import (format notes: README.md, tests/fixtures/formats/samples), following Moodle's qformat_gift: questions separated by blank lines,
 * `//` comments carrying [id:…] and [tag:…], `$CATEGORY:`, `::name::`, the first `{…}` holding the answers.
 * Only single choice (`=` right, `~` wrong), multiple response (`~%50%` weights adding up to 100) and true/false
 * are read; every other GIFT type is reported as unsupported.
 *
 * Text formats as in Moodle: `[plain]` and `[markdown]` are taken as written; `[html]` and the default `[moodle]`
 * (which Moodle renders as HTML, line breaks kept) become our text through html.ts. Pictures and audio may come as
 * data: URIs; a link to any other place is reported (nothing is fetched). Weights must be Moodle's allowed grades.
 * The key of a question is its [id:…] comment, else its ::title::. Moodle's "missing word" form (text after the
 * answers) is the same question with a blank （　） where the braces stood.
 */
import { formatPercent, gradeProblem, matchGrade, sumIsHundred } from "./grades";
import { htmlToText, MAX_HTML_FIELD, yielder } from "./html";
import { MediaCollector } from "./media";
import { applyTags } from "./tags";
import { cleanText, letter, MAX_OPTIONS, normalizeCategory, normalizeNewlines } from "./text";
import type { ImportedQuestion, ImportProblem, ImportResult } from "./types";

// Escaped characters become private-use placeholders while the structure is parsed (Moodle's escapedchar_pre).
const ESCAPES: [string, string, string][] = [
  ["\\:", "\uE001", ":"],
  ["\\#", "\uE002", "#"],
  ["\\=", "\uE003", "="],
  ["\\{", "\uE004", "{"],
  ["\\}", "\uE005", "}"],
  ["\\~", "\uE006", "~"],
  ["\\n", "\uE007", "\n"],
];
const BACKSLASH = "\uE000";

function escapePre(s: string) {
  // `\\` first, so that `\\=` is a backslash followed by a real `=`.
  let out = s.split("\\\\").join(BACKSLASH);
  for (const [seq, ph] of ESCAPES) out = out.split(seq).join(ph);
  return out;
}

function escapePost(s: string) {
  let out = s;
  for (const [, ph, ch] of ESCAPES) out = out.split(ph).join(ch);
  return out.split(BACKSLASH).join("\\");
}

class QuestionError extends Error {}
function fail(reason: string): never {
  throw new QuestionError(reason);
}

type TextFormat = "html" | "plain" | "markdown" | "moodle";

/** A text piece: optional leading [format], escapes resolved, trimmed; HTML turned into our text. */
function readText(
  raw: string,
  defaultFormat: TextFormat,
  what: string,
  media: MediaCollector,
): { text: string; format: TextFormat } {
  let format = defaultFormat;
  let text = raw.trim();
  const m = /^\[(html|plain|markdown|moodle)\]/i.exec(text);
  if (m) {
    format = m[1].toLowerCase() as TextFormat;
    text = text.slice(m[0].length);
  }
  text = escapePost(text).trim();
  if (format === "html" || format === "moodle") {
    // Pictures may come inline as data: URIs (up to 2 MB each); the rest of a field is bounded like Moodle XML's.
    if (text.length > MAX_HTML_FIELD && text.replace(/data:[^"'\s>]*/g, "").length > MAX_HTML_FIELD)
      fail(`${what}的 HTML 超过 ${MAX_HTML_FIELD / 1024} KB，无法读取`);
    const html = format === "moodle" ? text.replace(/\n/g, "<br>") : text;
    const r = htmlToText(html, (src, kind) =>
      src.startsWith("data:")
        ? media.addDataUri(src, kind)
        : {
            problem: `${kind === "img" ? "图片" : "音频"} ${src.slice(0, 80)} 没有嵌入在文件中（GIFT 只能以 data: 地址携带文件，系统不会下载外部文件）`,
          },
    );
    if (r.problems.length) fail(`${what}：${r.problems.join("；")}`);
    text = r.text;
  }
  return { text: cleanText(text), format };
}

interface Block {
  /** Lines of the block, trimmed, with their 1-based line numbers. */
  lines: { line: number; text: string }[];
}

function splitBlocks(src: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  src.split("\n").forEach((raw, k) => {
    const text = raw.trim();
    if (!text) {
      current = null;
      return;
    }
    if (!current) blocks.push((current = { lines: [] }));
    current.lines.push({ line: k + 1, text });
  });
  return blocks;
}

function commentMeta(comments: string[]) {
  const all = comments.join("\n");
  const id = /\[id:((?:\\\]|[^\]\n])+)\]/.exec(all)?.[1];
  const tags = [...all.matchAll(/\[tag:((?:\\\]|[^\]\n])+)\]/g)]
    .map((m) => m[1].replace(/\\\]/g, "]").trim())
    .filter(Boolean);
  return { id: id?.replace(/\\\]/g, "]").trim() || undefined, tags };
}

const WEIGHT = /^%\s*(-?\d+(?:\.\d+)?)\s*%/;

function readQuestion(raw: string, line: number): ImportedQuestion {
  const media = new MediaCollector();
  let text = escapePre(raw);
  let name: string | undefined;
  if (text.startsWith("::")) {
    const end = text.indexOf("::", 2);
    if (end < 0) fail("题目名称缺少结尾的 ::");
    name = escapePost(text.slice(2, end)).trim() || undefined;
    text = text.slice(end + 2).trim();
  }

  const start = text.indexOf("{");
  const finish = text.indexOf("}");
  if (start < 0 && finish < 0) fail("不支持的题型：说明文字（没有 {…} 答案部分）");
  if (finish < 0) fail("缺少右大括号 }");
  if (start < 0) fail("缺少左大括号 {");
  if (finish < start) fail("右大括号 } 出现在左大括号 { 之前");
  if (text.indexOf("{", start + 1) >= 0 && text.indexOf("{", start + 1) < finish) {
    fail("答案中有多余的左大括号 {（作为普通文字时请写成 \\{）");
  }
  // Moodle's "missing word" form: the blank stands where the braces were.
  const after = text.slice(finish + 1).trim();
  const stemPart = readText(
    after ? `${text.slice(0, start).trimEnd()}（　）${after}` : text.slice(0, start),
    "moodle",
    "题干",
    media,
  );
  const format = stemPart.format;
  let answerText = text.slice(start + 1, finish).trim();
  let explanation: string | undefined;
  const gf = answerText.lastIndexOf("####");
  if (gf >= 0) {
    explanation = readText(answerText.slice(gf + 4), format, "解析（总体反馈 ####）", media).text || undefined;
    answerText = answerText.slice(0, gf).trim();
  }

  const q = (type: ImportedQuestion["type"], options: string[], answer: string): ImportedQuestion => {
    if (!stemPart.text) fail("题干为空");
    const out: ImportedQuestion = { line, type, stem: stemPart.text, options, answer };
    if (name) out.name = name;
    if (explanation) out.explanation = explanation;
    if (media.files.size) out.files = [...media.files.values()];
    return out;
  };

  if (answerText === "") fail("不支持的题型：问答题（{} 中没有答案）");
  if (answerText.startsWith("#")) fail("不支持的题型：数值题");
  if (answerText.includes("~")) {
    const single = answerText.includes("=");
    const parts = answerText.split("=").join("~=").split("~");
    if (!parts[0].trim()) parts.shift();
    else fail(`第一个选项前缺少 = 或 ~：${escapePost(parts[0].trim())}`);
    const options: string[] = [];
    const weights: number[] = [];
    parts.forEach((part, k) => {
      let a = part.trim();
      let weight = 0;
      if (a.startsWith("=")) {
        weight = 100;
        a = a.slice(1).trim();
      }
      const w = WEIGHT.exec(a);
      if (w) {
        const g = matchGrade(Number(w[1]));
        if (g === null) fail(gradeProblem(w[1]));
        weight = g;
        a = a.slice(w[0].length);
      } else if (/^%[^%\s]{0,12}%/.test(a)) {
        fail(
          `选项 ${letter(k)} 的分值格式不正确：${escapePost(/^%[^%\s]{0,12}%/.exec(a)![0])}（应写成 %50% 这样的数字）`,
        );
      }
      const hash = a.indexOf("#");
      const body = hash >= 0 ? a.slice(0, hash) : a;
      const option = readText(body, format, `选项 ${letter(k)}`, media).text;
      if (!option) fail(`选项 ${letter(k)} 为空`);
      options.push(option);
      weights.push(weight);
    });
    if (options.length < 2) fail(`选择题至少需要两个选项，这里只有 ${options.length} 个`);
    if (options.length > MAX_OPTIONS) fail(`选项最多 ${MAX_OPTIONS} 个，这里有 ${options.length} 个`);
    if (single) {
      const right = weights.map((w, k) => (w === 100 ? k : -1)).filter((k) => k >= 0);
      if (right.length === 0) fail("单选题没有分值为 100% 的正确答案");
      if (right.length > 1)
        fail(
          `单选题只能有一个正确答案（以 = 开头），这里有 ${right.length} 个；多选题请用 ~%50% 这样的分值标出每个正确选项`,
        );
      return q("single", options, letter(right[0]));
    }
    const right = weights.map((w, k) => (w > 0 ? k : -1)).filter((k) => k >= 0);
    if (right.length === 0) fail("没有正确答案：单选题请用 = 标出正确答案，多选题请用 ~%50% 这样的正分值标出正确选项");
    if (right.length === 1) fail("多选题只有一个正确选项（单选题请用 = 标出正确答案）");
    const sum = right.reduce((s, k) => s + weights[k], 0);
    if (!sumIsHundred(sum)) fail(`多选题正确选项的分值合计应为 100%，这里是 ${formatPercent(sum)}%`);
    return q("multiple", options, right.map(letter).join(""));
  }
  if (answerText.includes("=") && answerText.includes("->")) fail("不支持的题型：匹配题");
  // Moodle: exactly T, TRUE, F or FALSE (case-sensitive), optionally followed by #wrong#right feedback.
  const tf = /^(T|TRUE|F|FALSE)\s*(?:#|$)/.exec(answerText);
  if (tf) return q("judge", [], tf[1].startsWith("T") ? "true" : "false");
  if (/^(t|true|f|false|对|错|正确|错误|√|×)\s*(?:#|$)/i.test(answerText)) {
    fail(
      `判断题的答案须写成 T、TRUE、F 或 FALSE（大写，与 Moodle 相同），这里是 {${escapePost(answerText.split("#")[0].trim())}}`,
    );
  }
  fail("不支持的题型：简答题");
}

export async function parseGift(text: string): Promise<ImportResult> {
  const src = normalizeNewlines(text);
  const tick = yielder();
  const questions: ImportedQuestion[] = [];
  const problems: ImportProblem[] = [];
  if (!src.trim()) return { questions, problems: [{ line: 1, reason: "文件为空，没有读到任何题目" }] };
  let category: string | undefined;
  for (const block of splitBlocks(src)) {
    const comments = block.lines.filter((l) => l.text.startsWith("//")).map((l) => l.text);
    let content = block.lines.filter((l) => !l.text.startsWith("//"));
    if (content.length && content[0].text.startsWith("$CATEGORY:")) {
      category = normalizeCategory(escapePost(escapePre(content[0].text.slice("$CATEGORY:".length))));
      content = content.slice(1);
    }
    if (!content.length) continue;
    const line = content[0].line;
    await tick();
    try {
      const q = readQuestion(content.map((l) => l.text).join("\n"), line);
      const meta = commentMeta(comments);
      if (meta.id) q.externalId = meta.id;
      else if (q.name) q.externalId = q.name;
      applyTags(q, meta.tags);
      if (category) q.category = category;
      questions.push(q);
    } catch (e) {
      if (!(e instanceof QuestionError)) throw e;
      const title = /^::((?:\\:|[^:])+)::/.exec(content[0].text)?.[1];
      problems.push({ line, reason: e.message, ...(title ? { question: title.trim() } : {}) });
    }
  }
  if (!questions.length && !problems.length) problems.push({ line: 1, reason: "文件中没有找到题目" });
  return { questions, problems };
}
