/**
 * Moodle XML question banks (../shared/formats/README.md): import of multichoice and truefalse questions, export of
 * our three types. Also home of the helpers the other text formats share: Moodle's grade table, the strict HTML
 * sanitiser and category-path cleanup.
 *
 * Round trip. Our export writes, per question:
 *   - <name>            the first 40 characters of the stem as plain text (Moodle requires a name);
 *   - <questiontext>    the stem; format="html" when the stem already is (sanitised) HTML, else "plain_text";
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
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { INDUSTRIES, POSTS } from "../../org/labels";
import type { ExportQuestion, ImportedQuestion, ImportProblem, ImportResult } from "./types";

/* ------------------------------------------------------------------------------------------------------------ */
/* Grades                                                                                                        */
/* ------------------------------------------------------------------------------------------------------------ */

/** Moodle's grade options (question_bank::fraction_options_full), in percent; negatives are allowed too. */
export const MOODLE_GRADES: readonly number[] = [
  100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0,
];
const ALL_GRADES = [...MOODLE_GRADES, ...MOODLE_GRADES.filter((g) => g > 0).map((g) => -g)];
/** Moodle compares fractions (0..1) with a tolerance of 0.00001, i.e. 0.001 in percent: 33.33334 is 33.33333. */
const GRADE_TOLERANCE = 0.001;
/** Positive fractions of a multiple-response question must add up to 100 (3 × 33.33333 = 99.99999). */
const SUM_TOLERANCE = 0.01;

/** The allowed grade a percentage stands for, or null when it is off the table. */
export function matchGrade(percent: number): number | null {
  if (!Number.isFinite(percent)) return null;
  for (const g of ALL_GRADES) if (Math.abs(percent - g) < GRADE_TOLERANCE) return g;
  return null;
}

/** The allowed grade closest to a value (for the hint in the problem message). */
export function nearestGrade(percent: number): number {
  let best = 0;
  for (const g of ALL_GRADES) if (Math.abs(percent - g) < Math.abs(percent - best)) best = g;
  return best;
}

export function gradeProblem(raw: string): string {
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n)) return `分值 ${raw || "（空）"} 不是数字`;
  return `分值 ${raw} 不是 Moodle 允许的分值（如 ${nearestGrade(n)}）`;
}

export function sumIsHundred(sum: number) {
  return Math.abs(sum - 100) <= SUM_TOLERANCE;
}

/** Trim a percentage for messages: 99.99999 → "99.99999", 90.000001 → "90". */
export function formatPercent(n: number) {
  return String(Math.round(n * 100000) / 100000);
}

/** The most options a question may have (content/README.md: options 2 to 8, letters A–H). */
export const MAX_OPTIONS = 8;

export const letter = (i: number) => String.fromCharCode(65 + i);

/* ------------------------------------------------------------------------------------------------------------ */
/* HTML sanitiser                                                                                                */
/* ------------------------------------------------------------------------------------------------------------ */

/** The only tags kept, always without attributes (except img src/alt, see below). */
const ALLOWED_TAGS = new Set(["b", "strong", "i", "em", "u", "sub", "sup", "br", "p", "img"]);
const VOID_TAGS = new Set(["br", "img"]);
/** Dropped together with everything inside them. */
const DROP_WITH_CONTENT = new Set([
  "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript", "noembed", "noframes",
  "template", "textarea", "title", "head", "svg", "math", "select", "xmp", "plaintext", "video", "audio", "canvas",
]);
/** Dropped, but a line break is kept where they end so that text does not run together. */
const BREAK_AFTER = new Set(["div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dt", "dd", "table", "ul", "ol"]);
/** Images are kept only when they point at a file embedded in the same Moodle XML question. */
const PLUGINFILE_SRC = /^@@PLUGINFILE@@\/[^\s"'<>]+$/;

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|nbsp);/gi, (m, e: string) => {
    const k = e.toLowerCase();
    if (k[0] === "#") {
      const code = k[1] === "x" ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" } as Record<string, string>)[k] ?? m;
  });
}

const escapeAttr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Text between tags: keep well-formed entity references, escape everything else that HTML would interpret. */
const escapeText = (s: string) => s.replace(/&(?!(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});)/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function parseAttributes(body: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const re = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    const name = m[1].toLowerCase();
    if (!attrs.has(name)) attrs.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ""));
  }
  return attrs;
}

/** Index of the `>` closing a tag that starts at `from` (quotes respected), or -1. */
function tagEnd(s: string, from: number): number {
  let quote = "";
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") {
      // Quotes only delimit attribute values (after `=`); elsewhere they are ordinary characters.
      if (/=\s*$/.test(s.slice(Math.max(from, i - 8), i))) quote = c;
    } else if (c === ">") return i;
  }
  return -1;
}

export interface SanitizedHtml {
  html: string;
  /** src of images that were removed because they do not point at an embedded file. */
  rejectedImages: string[];
}

/**
 * A small, strict allow-list sanitiser: keeps b, strong, i, em, u, sub, sup, br, p (no attributes) and
 * img with an `@@PLUGINFILE@@/…` src (src and alt only); drops every other tag (keeping its text, or dropping
 * its content too for script, style, iframe and the like), comments and processing instructions; escapes stray
 * `<`, `>` and `&`; closes tags left open. The result is idempotent: sanitising it again gives the same string.
 */
export function sanitizeHtml(input: string): SanitizedHtml {
  const s = input;
  const out: string[] = [];
  const open: string[] = [];
  const rejectedImages: string[] = [];
  let i = 0;
  let text = "";
  const flush = () => {
    if (text) out.push(escapeText(text));
    text = "";
  };
  while (i < s.length) {
    const lt = s.indexOf("<", i);
    if (lt < 0) {
      text += s.slice(i);
      break;
    }
    text += s.slice(i, lt);
    if (s.startsWith("<!--", lt)) {
      const end = s.indexOf("-->", lt + 4);
      i = end < 0 ? s.length : end + 3;
      continue;
    }
    if (s[lt + 1] === "!" || s[lt + 1] === "?") {
      const end = s.indexOf(">", lt + 2);
      i = end < 0 ? s.length : end + 1;
      continue;
    }
    const m = /^<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/.exec(s.slice(lt, lt + 64));
    const end = m ? tagEnd(s, lt + m[0].length) : -1;
    if (!m || end < 0) {
      // Not a tag: a literal "<".
      text += "<";
      i = lt + 1;
      continue;
    }
    flush();
    const closing = m[1] === "/";
    const name = m[2].toLowerCase();
    const body = s.slice(lt + m[0].length, end);
    i = end + 1;
    if (closing) {
      if (BREAK_AFTER.has(name)) out.push("<br>");
      if (!ALLOWED_TAGS.has(name) || VOID_TAGS.has(name)) continue;
      const at = open.lastIndexOf(name);
      if (at < 0) continue;
      while (open.length > at) out.push(`</${open.pop()}>`);
      continue;
    }
    if (DROP_WITH_CONTENT.has(name)) {
      if (/\/\s*$/.test(body)) continue;
      const re = new RegExp(`</${name}[\\s/>]`, "ig");
      re.lastIndex = i;
      const close = re.exec(s);
      if (!close) {
        i = s.length;
      } else {
        const e = tagEnd(s, close.index + 2);
        i = e < 0 ? s.length : e + 1;
      }
      continue;
    }
    if (!ALLOWED_TAGS.has(name)) continue;
    if (name === "br") {
      out.push("<br>");
    } else if (name === "img") {
      const attrs = parseAttributes(body);
      const src = (attrs.get("src") ?? "").trim();
      if (PLUGINFILE_SRC.test(src)) {
        const alt = attrs.get("alt");
        out.push(`<img src="${escapeAttr(src)}"${alt ? ` alt="${escapeAttr(alt)}"` : ""}>`);
      } else {
        rejectedImages.push(src || "（没有地址）");
      }
    } else if (!/\/\s*$/.test(body)) {
      out.push(`<${name}>`);
      open.push(name);
    }
  }
  flush();
  while (open.length) out.push(`</${open.pop()}>`);
  let html = out.join("").trim();
  while (/<br>\s*$/.test(html)) html = html.replace(/<br>\s*$/, "").trimEnd();
  while (/^<br>/.test(html)) html = html.replace(/^<br>\s*/, "");
  return { html, rejectedImages };
}

/** True when sanitised HTML shows nothing (only empty tags, spaces and &nbsp;). */
export function htmlIsBlank(html: string) {
  if (/<img\b/i.test(html)) return false;
  return decodeEntities(html.replace(/<[^>]*>/g, "")).replace(/\u00a0/g, " ").trim() === "";
}

/** Plain text of (sanitised) HTML, for names and messages. */
export function htmlToText(html: string) {
  return decodeEntities(html.replace(/<br>|<\/p>/gi, " ").replace(/<[^>]*>/g, "")).replace(/\s+/g, " ").trim();
}

/** Does this stored text look like HTML (one of the tags we keep, or an entity reference)? */
export function looksLikeHtml(s: string) {
  return /<\/?(?:b|strong|i|em|u|sub|sup|br|p|img)\b[^>]*>/i.test(s) || /&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});/.test(s);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Shared text helpers                                                                                           */
/* ------------------------------------------------------------------------------------------------------------ */

/** Moodle category paths start with a context ($course$, $system$, …) and usually "top"; we keep the rest. */
export function normalizeCategory(path: string): string | undefined {
  let p = path.trim().replace(/^\$(?:course|system|coursecategory|module|cat)\$\/?/i, "");
  p = p.replace(/^top(?:\/|$)/i, "").trim();
  return p || undefined;
}

/** Text without a UTF-8 byte-order mark and with "\n" line ends. */
export function normalizeNewlines(text: string) {
  return text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Import                                                                                                        */
/* ------------------------------------------------------------------------------------------------------------ */

const UNSUPPORTED_TYPES: Record<string, string> = {
  essay: "问答题",
  shortanswer: "简答题",
  numerical: "数值题",
  match: "匹配题",
  matching: "匹配题",
  randomsamatch: "随机简答匹配题",
  multianswer: "完形填空题",
  cloze: "完形填空题",
  description: "说明文字",
  calculated: "计算题",
  calculatedsimple: "简单计算题",
  calculatedmulti: "计算选择题",
  ddwtos: "拖放填空题",
  ddimageortext: "图片拖放题",
  ddmarker: "拖放标记题",
  gapselect: "下拉选择填空题",
  ordering: "排序题",
  random: "随机题",
};

const XML_ERRORS: Record<string, string> = {
  InvalidTag: "标签不匹配或不完整，题目中的 HTML 要放在 <![CDATA[ … ]]> 中",
  InvalidAttr: "属性格式不正确",
  InvalidChar: "有不允许的字符，文字中的 & 和 < 要写成 &amp; 和 &lt;",
  InvalidXml: "XML 结构不完整",
};

interface Chunk {
  start: number;
  end: number;
  line: number;
  closed: boolean;
}

/**
 * Find each top-level <question> element in the source (skipping comments, CDATA and processing instructions) so
 * that every question is parsed on its own: a broken one cannot stop the others, and each gets its start line.
 */
function findQuestions(src: string): { chunks: Chunk[]; hasQuiz: boolean } {
  const chunks: Chunk[] = [];
  let hasQuiz = false;
  let current: Chunk | null = null;
  let line = 1;
  let counted = 0;
  const lineAt = (pos: number) => {
    for (let k = src.indexOf("\n", counted); k >= 0 && k < pos; k = src.indexOf("\n", k + 1)) line++;
    counted = pos;
    return line;
  };
  let i = 0;
  while (i < src.length) {
    const lt = src.indexOf("<", i);
    if (lt < 0) break;
    const skip = (open: string, close: string) => {
      if (!src.startsWith(open, lt)) return false;
      const e = src.indexOf(close, lt + open.length);
      i = e < 0 ? src.length : e + close.length;
      return true;
    };
    if (skip("<!--", "-->") || skip("<![CDATA[", "]]>") || skip("<?", "?>") || skip("<!", ">")) continue;
    const head = src.slice(lt, lt + 12);
    if (/^<question[\s>/]/.test(head)) {
      if (current) {
        current.end = lt;
        chunks.push(current);
      }
      const e = tagEnd(src, lt + 9);
      const startLine = lineAt(lt);
      if (e < 0) {
        chunks.push({ start: lt, end: src.length, line: startLine, closed: false });
        current = null;
        break;
      }
      if (src[e - 1] === "/") {
        chunks.push({ start: lt, end: e + 1, line: startLine, closed: true });
        current = null;
      } else {
        current = { start: lt, end: src.length, line: startLine, closed: false };
      }
      i = e + 1;
      continue;
    }
    const close = /^<\/question\s*>/.exec(src.slice(lt, lt + 40));
    if (close) {
      if (current) {
        current.end = lt + close[0].length;
        current.closed = true;
        chunks.push(current);
        current = null;
      }
      i = lt + close[0].length;
      continue;
    }
    if (/^<quiz[\s>/]/.test(head)) hasQuiz = true;
    i = lt + 1;
  }
  if (current) chunks.push(current);
  return { chunks, hasQuiz };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
  processEntities: true,
  isArray: (name) => ["question", "answer", "tag", "file"].includes(name),
});

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && !Array.isArray(v);
const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

/** Text of an element that holds a string; `null` when it holds child elements instead (HTML outside CDATA). */
function textValue(v: unknown): string | null | undefined {
  v = first(v);
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (isNode(v)) {
    const keys = Object.keys(v).filter((k) => !k.startsWith("@_"));
    if (keys.length === 0) return "";
    if (keys.length === 1 && keys[0] === "#text") return textValue(v["#text"]);
    return null;
  }
  return undefined;
}

/** <x format="…"><text>…</text><file …/></x> */
interface TextField {
  text: string | null | undefined;
  format: string;
  files: Node[];
}
function textField(v: unknown, defaultFormat: string): TextField | undefined {
  v = first(v);
  if (v === undefined || v === null) return undefined;
  if (!isNode(v)) return { text: textValue(v), format: defaultFormat, files: [] };
  const files = Array.isArray(v.file) ? (v.file as unknown[]).filter(isNode) : [];
  return { text: textValue(v.text), format: String(v["@_format"] ?? defaultFormat).trim().toLowerCase(), files };
}

class QuestionError extends Error {}
function fail(reason: string): never {
  throw new QuestionError(reason);
}

interface FileStore {
  /** Decoded files by reference key ("name.png" or "dir/name.png"). */
  byKey: Map<string, Buffer>;
}

function addFiles(store: FileStore, files: Node[]) {
  for (const f of files) {
    const name = String(f["@_name"] ?? "").trim();
    if (!name) fail("嵌入的图片 <file> 缺少 name 属性");
    const encoding = String(f["@_encoding"] ?? "base64").trim().toLowerCase();
    if (encoding !== "base64") fail(`图片 ${name} 的编码 ${encoding} 不支持（只支持 base64）`);
    const raw = (textValue(f["#text"] ?? f) ?? "").replace(/\s+/g, "");
    if (!raw || !/^[A-Za-z0-9+/]+={0,2}$/.test(raw) || raw.length % 4 === 1) fail(`图片 ${name} 的 base64 内容无效`);
    const path = String(f["@_path"] ?? "/").trim().replace(/^\/+/, "");
    const key = (path ? (path.endsWith("/") ? path : `${path}/`) : "") + name;
    // The name is used to store the file: no directory tricks, no control characters.
    if (/[\\/]/.test(name) || key.split("/").some((seg) => seg === "." || seg === "..") || /[\u0000-\u001f]/.test(key) || key.length > 255) {
      fail(`图片文件名不合法：${key}`);
    }
    const data = Buffer.from(raw, "base64");
    const existing = store.byKey.get(key);
    if (existing && !existing.equals(data)) fail(`有两张不同的图片都叫 ${key}`);
    store.byKey.set(key, data);
  }
}

/** Read a text field as our stem/option/explanation text: sanitised HTML for format html, else plain text. */
function readText(field: TextField | undefined, what: string, store: FileStore, used: Map<string, Buffer>): string {
  if (!field || field.text === undefined) return "";
  if (field.text === null) fail(`${what}中的 HTML 没有放在 CDATA 中或没有转义，无法读取`);
  addFiles(store, field.files);
  let text: string;
  if (field.format === "html") {
    const clean = sanitizeHtml(field.text as string);
    if (clean.rejectedImages.length) {
      fail(`${what}中的图片 ${clean.rejectedImages.join("、")} 没有嵌入在文件中，无法导入（请在 Moodle 中导出含图片的题目）`);
    }
    text = htmlIsBlank(clean.html) ? "" : clean.html;
  } else {
    text = (field.text as string).trim();
  }
  for (const m of text.matchAll(/@@PLUGINFILE@@\/([^\s"'<>)]+)/g)) {
    let key = m[1];
    try {
      key = decodeURIComponent(key);
    } catch {
      // keep the raw reference
    }
    const data = store.byKey.get(key);
    if (!data) fail(`${what}引用的图片 ${key} 没有随文件提供（缺少对应的 <file>）`);
    used.set(key, data as Buffer);
  }
  return text;
}

/** Our metadata tags (see the header comment). */
const POST_CODES = new Set<string>(POSTS);
const INDUSTRY_CODES = new Set(INDUSTRIES.map((i) => i.code));

function applyTags(q: ImportedQuestion, tags: string[]) {
  const plain: string[] = [];
  for (const tag of tags) {
    const m = /^(post|industry|topic|difficulty|regulation):(.*)$/s.exec(tag);
    const value = m?.[2].trim() ?? "";
    if (m && m[1] === "post" && POST_CODES.has(value)) {
      if (!(q.posts ??= []).includes(value)) q.posts.push(value);
    } else if (m && m[1] === "industry" && INDUSTRY_CODES.has(value)) {
      if (!(q.industries ??= []).includes(value)) q.industries.push(value);
    } else if (m && m[1] === "topic" && value && q.topic === undefined) {
      q.topic = value;
    } else if (m && m[1] === "regulation" && value && q.regulation === undefined) {
      q.regulation = value;
    } else if (m && m[1] === "difficulty" && /^[1-5]$/.test(value) && q.difficulty === undefined) {
      q.difficulty = Number(value);
    } else {
      plain.push(tag);
    }
  }
  if (plain.length) q.tags = plain;
}

function readQuestion(node: Node, line: number, category: string | undefined): ImportedQuestion {
  const type = String(node["@_type"] ?? "").trim().toLowerCase();
  if (type !== "multichoice" && type !== "truefalse") {
    if (!type) fail("<question> 缺少 type 属性");
    fail(`不支持的题型：${Object.hasOwn(UNSUPPORTED_TYPES, type) ? UNSUPPORTED_TYPES[type] : type}（只支持单选、多选和判断）`);
  }
  const nameNode = first(node.name);
  const name = isNode(nameNode) ? textValue(nameNode.text) : textValue(nameNode);
  if (name === null) fail("题目名称 <name> 格式不正确");
  if (!name || !name.trim()) fail("缺少题目名称 <name><text>");

  const store: FileStore = { byKey: new Map() };
  const used = new Map<string, Buffer>();
  const qtext = textField(node.questiontext, "html");
  if (!qtext) fail("缺少题干 <questiontext>");
  const textFormat = qtext!.format;
  const stem = readText(qtext, "题干", store, used);
  if (!stem) fail("题干为空");
  const explanation = readText(textField(node.generalfeedback, textFormat), "解析（generalfeedback）", store, used);

  const q: ImportedQuestion = { line, type: "single", stem, options: [], answer: "", name: name!.trim() };
  const idnumber = textValue(node.idnumber);
  if (idnumber && idnumber.trim()) q.externalId = idnumber.trim();
  if (explanation) q.explanation = explanation;
  if (category) q.category = category;

  const answers = (Array.isArray(node.answer) ? node.answer : []).filter(isNode);
  const fractions = answers.map((a) => String(a["@_fraction"] ?? "0").trim());
  const bad = fractions.filter((f) => matchGrade(Number(f)) === null || f === "");
  if (bad.length) {
    const badNumbers = bad.filter((f) => f === "" || !Number.isFinite(Number(f)));
    if (badNumbers.length) fail(gradeProblem(badNumbers[0]));
    fail(`分值 ${bad.join("、")} 不是 Moodle 允许的分值（如 ${[...new Set(bad.map((f) => nearestGrade(Number(f))))].join("、")}）`);
  }
  const grades = fractions.map((f) => matchGrade(Number(f)) as number);

  if (type === "truefalse") {
    if (answers.length !== 2) fail(`判断题应有 true 和 false 两个答案，这里有 ${answers.length} 个`);
    const texts = answers.map((a) => (textValue(a.text) ?? "").trim().toLowerCase());
    if (!texts.includes("true") || !texts.includes("false")) fail("判断题的两个答案文字应为 true 和 false");
    const right = texts.filter((_, k) => grades[k] === 100);
    if (right.length !== 1) fail("判断题应恰好有一个分值为 100 的答案");
    q.type = "judge";
    q.answer = right[0];
  } else {
    const singleRaw = textValue(node.single);
    const single = singleRaw === undefined ? true : ["true", "1"].includes((singleRaw ?? "").trim().toLowerCase());
    const options: string[] = [];
    const optionGrades: number[] = [];
    answers.forEach((a, k) => {
      const field = textField(a, textFormat);
      const text = readText(field, `第 ${k + 1} 个答案`, store, used);
      if (!text) {
        if (grades[k] !== 0) fail(`第 ${k + 1} 个答案没有文字，却有分值 ${fractions[k]}`);
        return; // Moodle ignores blank answer slots.
      }
      // An option is a label: a single wrapping paragraph (Moodle's editor adds one) is not kept.
      const unwrapped = /^<p>((?:(?!<\/?p>).)*)<\/p>$/s.exec(text);
      options.push(unwrapped ? unwrapped[1].trim() : text);
      optionGrades.push(grades[k]);
    });
    if (options.length < 2) fail(`选择题至少需要两个选项，这里只有 ${options.length} 个`);
    if (options.length > MAX_OPTIONS) fail(`选项最多 ${MAX_OPTIONS} 个，这里有 ${options.length} 个`);
    q.options = options;
    if (single) {
      const right = optionGrades.map((g, k) => (g === 100 ? k : -1)).filter((k) => k >= 0);
      if (right.length === 0) fail("单选题没有分值为 100 的正确答案");
      if (right.length > 1) fail(`单选题只能有一个分值为 100 的答案，这里有 ${right.length} 个（多选题请写 <single>false</single>）`);
      q.type = "single";
      q.answer = letter(right[0]);
    } else {
      const right = optionGrades.map((g, k) => (g > 0 ? k : -1)).filter((k) => k >= 0);
      if (right.length === 0) fail("多选题没有分值为正的正确选项");
      if (right.length === 1) fail("多选题只有一个正确选项（至少需要两个）");
      const sum = right.reduce((s, k) => s + optionGrades[k], 0);
      if (!sumIsHundred(sum)) fail(`多选题正确选项的分值合计应为 100，这里是 ${formatPercent(sum)}`);
      q.type = "multiple";
      q.answer = right.map(letter).join("");
    }
  }

  const tagsNode = first(node.tags);
  const tags = isNode(tagsNode) && Array.isArray(tagsNode.tag)
    ? (tagsNode.tag as unknown[]).map((t) => (isNode(t) ? textValue(t.text) : textValue(t)) ?? "").map((t) => t.trim()).filter(Boolean)
    : [];
  applyTags(q, tags);
  if (used.size) q.files = [...used].map(([fileName, data]) => ({ name: fileName, data }));
  return q;
}

export function parseMoodleXml(text: string): ImportResult {
  const src = normalizeNewlines(text);
  const questions: ImportedQuestion[] = [];
  const problems: ImportProblem[] = [];
  if (!src.trim()) return { questions, problems: [{ line: 1, reason: "文件为空，没有读到任何题目" }] };
  const { chunks, hasQuiz } = findQuestions(src);
  if (!chunks.length) {
    const reason = hasQuiz ? "文件中没有找到题目（<question> 元素）" : "不是 Moodle XML 题库文件：找不到 <quiz> 根元素和 <question> 元素";
    return { questions, problems: [{ line: 1, reason }] };
  }
  let category: string | undefined;
  for (const chunk of chunks) {
    if (!chunk.closed) {
      problems.push({ line: chunk.line, reason: "<question> 缺少结束标签 </question>，这道题无法读取" });
      continue;
    }
    const xml = src.slice(chunk.start, chunk.end);
    const valid = XMLValidator.validate(xml);
    if (valid !== true) {
      const detail = valid.err.msg.replace(/\s*\(opened in line \d+, col \d+\)/g, "");
      const hint = XML_ERRORS[valid.err.code] ?? "无法解析";
      problems.push({ line: chunk.line, reason: `XML 格式错误（第 ${chunk.line + valid.err.line - 1} 行）：${hint}（${detail}）` });
      continue;
    }
    try {
      const node = first((parser.parse(xml) as Node).question);
      if (!isNode(node)) fail("无法读取这道题");
      const type = String((node as Node)["@_type"] ?? "").trim().toLowerCase();
      if (type === "category") {
        const cat = first((node as Node).category);
        const path = isNode(cat) ? textValue(cat.text) : textValue(cat);
        category = path ? normalizeCategory(path) : undefined;
        continue;
      }
      questions.push(readQuestion(node as Node, chunk.line, category));
    } catch (e) {
      if (!(e instanceof QuestionError)) throw e;
      problems.push({ line: chunk.line, reason: e.message });
    }
  }
  if (!questions.length && !problems.length) problems.push({ line: 1, reason: "文件中没有找到题目（只有分类）" });
  return { questions, problems };
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Export                                                                                                        */
/* ------------------------------------------------------------------------------------------------------------ */

const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, "]]]]><![CDATA[>")}]]>`;
const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const formatOf = (s: string) => (looksLikeHtml(s) ? "html" : "plain_text");

/** Grades for `n` options sharing `total` (100 or -100): an allowed equal share, else mixes of 10 and 5, else 0. */
function shares(n: number, total: 100 | -100): number[] {
  if (n === 0) return [];
  const even = matchGrade(total / n);
  if (even !== null) return Array(n).fill(even);
  if (n > 10 && n <= 20) {
    const sign = Math.sign(total);
    return [...Array(20 - n).fill(10 * sign), ...Array(2 * n - 20).fill(5 * sign)];
  }
  if (total < 0) return Array(n).fill(0);
  throw new Error(`多选题有 ${n} 个正确选项，无法按 Moodle 允许的分值分配`);
}

const fmt = (n: number) => (Object.is(n, -0) ? "0" : String(n));

function questionName(q: ExportQuestion) {
  const plain = looksLikeHtml(q.stem) ? htmlToText(q.stem) : q.stem.replace(/\s+/g, " ").trim();
  const chars = [...plain];
  return chars.length > 40 ? `${chars.slice(0, 40).join("")}…` : plain || q.externalId;
}

function textElement(tag: string, text: string, indent: string) {
  return `${indent}<${tag} format="${formatOf(text)}"><text>${cdata(text)}</text></${tag}>`;
}

/** Write questions as a Moodle XML quiz (optionally inside one category). See the header for the mapping. */
export function toMoodleXml(questions: ExportQuestion[], category?: string): string {
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
    out.push(textElement("questiontext", q.stem, "    "));
    out.push(textElement("generalfeedback", q.explanation ?? "", "    "));
    out.push("    <defaultgrade>1</defaultgrade>");
    out.push(`    <penalty>${isJudge ? "1" : "0.3333333"}</penalty>`);
    out.push("    <hidden>0</hidden>");
    out.push(`    <idnumber>${escapeXml(q.externalId)}</idnumber>`);
    if (isJudge) {
      const right = q.answer === "true";
      out.push(`    <answer fraction="${right ? 100 : 0}" format="moodle_auto_format"><text>true</text><feedback format="html"><text></text></feedback></answer>`);
      out.push(`    <answer fraction="${right ? 0 : 100}" format="moodle_auto_format"><text>false</text><feedback format="html"><text></text></feedback></answer>`);
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
        out.push(`    <answer fraction="${fmt(grades[k])}" format="${formatOf(o)}"><text>${cdata(o)}</text><feedback format="html"><text></text></feedback></answer>`);
      });
    }
    const tags = [
      ...(q.posts ?? []).map((p) => `post:${p}`),
      ...(q.industries ?? []).map((i) => `industry:${i}`),
      ...(q.topic ? [`topic:${q.topic}`] : []),
      ...(q.difficulty ? [`difficulty:${q.difficulty}`] : []),
      ...(q.regulation ? [`regulation:${q.regulation}`] : []),
    ];
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
