/**
 * Moodle XML question banks: import of multichoice and truefalse questions (the export is moodle-xml-export.ts,
 * whose header describes the round trip). The file is checked by guardXml first (no DOCTYPE or entities, bounded
 * nesting); each <question> is then parsed on its own so that a broken one cannot stop the others.
 *
 * Text: format="html" fields become our plain text (html.ts); other formats are taken as written. Pictures and
 * audio come from <file> elements (@@PLUGINFILE@@ links) and Moodle 1.9's <image>/<image_base64>; a link to a
 * file that is not in the question, or an external one, is a problem of that question, never dropped silently.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { formatPercent, gradeProblem, matchGrade, nearestGrade, sumIsHundred } from "./grades";
import { htmlToText, MAX_HTML_FIELD, yielder } from "./html";
import { MediaCollector } from "./media";
import { applyTags } from "./tags";
import { cleanText, letter, MAX_OPTIONS, normalizeCategory, normalizeNewlines } from "./text";
import type { ImportedQuestion, ImportProblem, ImportResult } from "./types";
import { guardXml } from "./xml-guard";

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
  InvalidChar: "有不允许的字符（文字中的 & 和 < 要写成 &amp; 和 &lt;，控制字符不能出现在 XML 中）",
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
  return {
    text: textValue(v.text),
    format: String(v["@_format"] ?? defaultFormat)
      .trim()
      .toLowerCase(),
    files,
  };
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

class QuestionError extends Error {}
function fail(reason: string): never {
  throw new QuestionError(reason);
}

/** The files of one question, by their reference key ("name.png" or "dir/name.png"), still undecoded. */
type FileStore = Map<string, string>;

function addFiles(store: FileStore, files: Node[]) {
  for (const f of files) {
    const name = String(f["@_name"] ?? "").trim();
    if (!name) fail("嵌入的文件 <file> 缺少 name 属性");
    const encoding = String(f["@_encoding"] ?? "base64")
      .trim()
      .toLowerCase();
    if (encoding !== "base64") fail(`文件 ${name} 的编码 ${encoding} 不支持（只支持 base64）`);
    const path = String(f["@_path"] ?? "/")
      .trim()
      .replace(/^\/+/, "");
    const key = (path ? (path.endsWith("/") ? path : `${path}/`) : "") + name;
    store.set(key, textValue(f["#text"] ?? f) ?? "");
  }
}

function decodeBase64(raw: string, name: string): Buffer {
  const clean = raw.replace(/\s+/g, "");
  if (!clean || !/^[A-Za-z0-9+/]+={0,2}$/.test(clean) || clean.length % 4 === 1)
    fail(`文件 ${name} 的 base64 内容无效`);
  return Buffer.from(clean, "base64");
}

/** Read a text field as our text: HTML converted for format html, else taken as written. */
function readText(field: TextField | undefined, what: string, store: FileStore, media: MediaCollector): string {
  if (!field || field.text === undefined) return "";
  if (field.text === null) fail(`${what}中的 HTML 没有放在 CDATA 中或没有转义，无法读取`);
  addFiles(store, field.files);
  const raw = field.text as string;
  if (field.format !== "html") return cleanText(raw).trim();
  if (raw.length > MAX_HTML_FIELD) fail(`${what}的 HTML 超过 ${MAX_HTML_FIELD / 1024} KB，无法读取`);
  const { text, problems } = htmlToText(raw, (src, kind) => {
    const ref = /^@@PLUGINFILE@@\/(.+)$/.exec(src);
    if (src.startsWith("data:")) return media.addDataUri(src, kind);
    if (!ref)
      return {
        problem: `${what}中的${kind === "img" ? "图片" : "音频"} ${src.slice(0, 80)} 是外部地址，没有随文件提供（系统不会下载外部文件）`,
      };
    let key = ref[1];
    try {
      key = decodeURIComponent(key);
    } catch {
      // keep the raw reference
    }
    const data = store.get(key);
    if (data === undefined) return { problem: `${what}引用的文件 ${key} 没有随文件提供（缺少对应的 <file>）` };
    return media.add(decodeBase64(data, key), key, kind);
  });
  if (problems.length) fail(problems.map((p) => (p.startsWith(what) ? p : `${what}：${p}`)).join("；"));
  return cleanText(text);
}

function readQuestion(node: Node, line: number, category: string | undefined): ImportedQuestion {
  const type = String(node["@_type"] ?? "")
    .trim()
    .toLowerCase();
  if (type !== "multichoice" && type !== "truefalse") {
    if (!type) fail("<question> 缺少 type 属性");
    fail(
      `不支持的题型：${Object.hasOwn(UNSUPPORTED_TYPES, type) ? UNSUPPORTED_TYPES[type] : type}（只支持单选、多选和判断）`,
    );
  }
  const nameNode = first(node.name);
  const name = isNode(nameNode) ? textValue(nameNode.text) : textValue(nameNode);
  if (name === null) fail("题目名称 <name> 格式不正确");
  if (!name || !name.trim()) fail("缺少题目名称 <name><text>");

  const store: FileStore = new Map();
  const media = new MediaCollector();
  const qtext = textField(node.questiontext, "html");
  if (!qtext) fail("缺少题干 <questiontext>");
  const textFormat = qtext!.format;
  let stem = readText(qtext, "题干", store, media);
  // Moodle 1.9 kept one picture beside the text: <image>name</image> with <image_base64>.
  const image = textValue(node.image);
  if (image && image.trim()) {
    const b64 = textValue(node.image_base64);
    if (!b64 || !b64.trim()) fail(`题目图片 ${image.trim()} 没有嵌入在文件中（缺少 <image_base64>）`);
    const r = media.add(decodeBase64(b64 as string, image.trim()), image.trim(), "img");
    if ("problem" in r) fail(`题目图片：${r.problem}`);
    stem = stem ? `${stem}\n${r.token}` : r.token;
  }
  if (!stem) fail("题干为空");
  const explanation = readText(textField(node.generalfeedback, textFormat), "解析（generalfeedback）", store, media);

  const q: ImportedQuestion = { line, type: "single", stem, options: [], answer: "" };
  if (name && name.trim()) q.name = name.trim();
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
    fail(
      `分值 ${bad.join("、")} 不是 Moodle 允许的分值（如 ${[...new Set(bad.map((f) => nearestGrade(Number(f))))].join("、")}）`,
    );
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
      const text = readText(field, `第 ${k + 1} 个答案`, store, media);
      if (!text) {
        if (grades[k] !== 0) fail(`第 ${k + 1} 个答案没有文字，却有分值 ${fractions[k]}`);
        return; // Moodle ignores blank answer slots.
      }
      options.push(text);
      optionGrades.push(grades[k]);
    });
    if (options.length < 2) fail(`选择题至少需要两个选项，这里只有 ${options.length} 个`);
    if (options.length > MAX_OPTIONS) fail(`选项最多 ${MAX_OPTIONS} 个，这里有 ${options.length} 个`);
    q.options = options;
    if (single) {
      const right = optionGrades.map((g, k) => (g === 100 ? k : -1)).filter((k) => k >= 0);
      if (right.length === 0) fail("单选题没有分值为 100 的正确答案");
      if (right.length > 1)
        fail(`单选题只能有一个分值为 100 的答案，这里有 ${right.length} 个（多选题请写 <single>false</single>）`);
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
  const tags =
    isNode(tagsNode) && Array.isArray(tagsNode.tag)
      ? (tagsNode.tag as unknown[])
          .map((t) => (isNode(t) ? textValue(t.text) : textValue(t)) ?? "")
          .map((t) => t.trim())
          .filter(Boolean)
      : [];
  applyTags(q, tags);
  if (media.files.size) q.files = [...media.files.values()];
  return q;
}

export async function parseMoodleXml(text: string): Promise<ImportResult> {
  const src = normalizeNewlines(text);
  const tick = yielder();
  const questions: ImportedQuestion[] = [];
  const problems: ImportProblem[] = [];
  if (!src.trim()) return { questions, problems: [{ line: 1, reason: "文件为空，没有读到任何题目" }] };
  const guard = await guardXml(src, tick);
  if (guard) return { questions, problems: [guard] };
  await tick();
  const { chunks, hasQuiz } = findQuestions(src);
  if (!chunks.length) {
    const reason = hasQuiz
      ? "文件中没有找到题目（<question> 元素）"
      : "不是 Moodle XML 题库文件：找不到 <quiz> 根元素和 <question> 元素";
    return { questions, problems: [{ line: 1, reason }] };
  }
  let category: string | undefined;
  for (const chunk of chunks) {
    await tick();
    if (!chunk.closed) {
      problems.push({ line: chunk.line, reason: "<question> 缺少结束标签 </question>，这道题无法读取" });
      continue;
    }
    const xml = src.slice(chunk.start, chunk.end);
    const valid = XMLValidator.validate(xml);
    if (valid !== true) {
      const detail = valid.err.msg.replace(/\s*\(opened in line \d+, col \d+\)/g, "");
      const hint = XML_ERRORS[valid.err.code] ?? "无法解析";
      problems.push({
        line: chunk.line,
        reason: `XML 格式错误（第 ${chunk.line + valid.err.line - 1} 行）：${hint}（${detail}）`,
      });
      continue;
    }
    let title: string | undefined;
    try {
      const node = first((parser.parse(xml) as Node).question);
      if (isNode(node)) {
        const nameNode = first(node.name);
        title = (isNode(nameNode) ? textValue(nameNode.text) : textValue(nameNode))?.trim() || undefined;
      }
      if (!isNode(node)) fail("无法读取这道题");
      const type = String((node as Node)["@_type"] ?? "")
        .trim()
        .toLowerCase();
      if (type === "category") {
        const cat = first((node as Node).category);
        const path = isNode(cat) ? textValue(cat.text) : textValue(cat);
        category = path ? normalizeCategory(path) : undefined;
        continue;
      }
      questions.push(readQuestion(node as Node, chunk.line, category));
    } catch (e) {
      if (!(e instanceof QuestionError)) throw e;
      problems.push({ line: chunk.line, reason: e.message, ...(title ? { question: title } : {}) });
    }
  }
  if (!questions.length && !problems.length) problems.push({ line: 1, reason: "文件中没有找到题目（只有分类）" });
  return { questions, problems };
}
