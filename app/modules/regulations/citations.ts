/**
 * Citations of the regulation registry, as content writes them: `《中华人民共和国安全生产法》第二十八条`,
 * `《危险化学品企业特殊作业安全规范》GB 30871-2022`, `《…》（AQ/T 9007-2019）`, several joined by `；`, or a bare
 * official name (course frontmatter, <Regulation law="…">). Pure functions, shared by the build and the pages.
 */

export type RegulationKind =
  | "law"
  | "administrative_regulation"
  | "departmental_rule"
  | "normative_document"
  | "national_standard"
  | "industry_standard";

export const KIND_LABELS: Record<RegulationKind, string> = {
  law: "法律",
  administrative_regulation: "行政法规",
  departmental_rule: "部门规章",
  normative_document: "规范性文件",
  national_standard: "国家标准",
  industry_standard: "行业标准",
};

/** What a citation needs to know of a registry entry. */
export interface EntryRef {
  code: string;
  name: string;
  aliases: string[];
  number: string | null;
  articleCount: number | null;
  /** Codes of the entries that replace this one (derived from `supersedes`). */
  supersededBy: string | null;
}

export interface ParsedCitation {
  name: string;
  number: string | null;
  articles: string[];
}
export interface ResolvedCitation {
  code: string;
  articles: string[];
  text: string;
}

const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** 一百三十四 → 134; null when the text is not a Chinese numeral. */
export function chineseNumber(text: string): number | null {
  if (!text) return null;
  let total = 0;
  let digit = 0;
  for (const ch of text) {
    if (ch in DIGITS) digit = DIGITS[ch];
    else if (ch in UNITS) {
      total += (digit || 1) * UNITS[ch];
      digit = 0;
    } else return null;
  }
  return total + digit;
}

const NUMERAL = "[零〇一二三四五六七八九十百千两]+";
const ARTICLE = new RegExp(`第(${NUMERAL})条(之[一二三四五六七八九十]+)?`, "g");
export const ARTICLE_LABEL = new RegExp(`^第${NUMERAL}条(之[一二三四五六七八九十]+)?$`);
/** Standard numbers (GB, GB/T, AQ, AQ/T, TSG, HG…), with or without the year. */
const STANDARD = /\b((?:GB|AQ|TSG|HG|SH|GBZ|JGJ)(?:\/T)?\s*\d+(?:\.\d+)?(?:-\d{4})?)/;
/** Document numbers: 令号 and 文号 (国发〔2010〕23号). */
const DOC_NUMBER = /([\u4e00-\u9fa5]*令第[\d零一二三四五六七八九十百]+号|[\u4e00-\u9fa5]+〔\d{4}〕\d+号)/;

/** The article number of a label (第一百三十四条之一 → 134), for ordering and the article-count check. */
export function articleNumber(label: string): number | null {
  const m = new RegExp(`^第(${NUMERAL})条`).exec(label);
  return m ? chineseNumber(m[1]) : null;
}

export const normalizeNumber = (s: string) =>
  s
    .replace(/\s+/g, " ")
    .replace(/^([A-Z/]+)\s*(\d)/, "$1 $2")
    .trim();
const yearless = (s: string) => normalizeNumber(s).replace(/-\d{4}$/, "");

/** Split one citation text into its parts. Returns an error message when something is left unread. */
export function parseCitations(text: string): { ok: true; parts: ParsedCitation[] } | { ok: false; error: string } {
  const parts: ParsedCitation[] = [];
  for (const raw of text
    .split(/[；;]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    let name: string;
    let rest: string;
    const quoted = /^《([^《》]+)》(.*)$/.exec(raw);
    if (quoted) {
      name = quoted[1].trim();
      rest = quoted[2];
    } else {
      // A bare name: the articles and numbers at its end are the rest.
      const cut = raw.search(
        new RegExp(
          `(第${NUMERAL}条|[（(]?\\s*(?:GB|AQ|TSG|HG|SH|GBZ|JGJ)(?:/T)?\\s*\\d|[（(][^（()）]*(?:令第|〔\\d{4}〕))`,
        ),
      );
      name = (cut >= 0 ? raw.slice(0, cut) : raw).trim();
      rest = cut >= 0 ? raw.slice(cut) : "";
    }
    if (name.length < 2) return { ok: false, error: `无法识别法规名称：「${raw}」` };
    const articles = [...rest.matchAll(ARTICLE)].map((m) => m[0]);
    let left = rest.replace(ARTICLE, "");
    const std = STANDARD.exec(left);
    const doc = DOC_NUMBER.exec(left);
    const number = std ? normalizeNumber(std[1]) : doc ? doc[1] : null;
    if (std) left = left.replace(std[0], "");
    else if (doc) left = left.replace(doc[0], "");
    if (left.replace(/[\s（）()、，,和及]/g, "") !== "")
      return {
        ok: false,
        error: `无法识别「${raw}」中的「${left.trim()}」：应写作《法规名称》第X条 或《标准名称》标准号`,
      };
    parts.push({ name, number, articles });
  }
  if (parts.length === 0) return { ok: false, error: "法规依据为空" };
  return { ok: true, parts };
}

/** Name (and alias) index of the registry. */
export function indexEntries(entries: EntryRef[]) {
  const byName = new Map<string, EntryRef[]>();
  for (const e of entries) {
    for (const n of new Set([e.name, ...e.aliases])) byName.set(n, [...(byName.get(n) ?? []), e]);
  }
  return byName;
}
export type EntryIndex = ReturnType<typeof indexEntries>;

/**
 * Find the registry entry a parsed citation means. A name several versions share means the newest (the one no
 * other of them supersedes) unless a number picks one; an article beyond the entry's count is refused.
 */
export function resolveCitation(
  c: ParsedCitation,
  index: EntryIndex,
): { ok: true; entry: EntryRef } | { ok: false; error: string } {
  let candidates = index.get(c.name) ?? [];
  if (candidates.length === 0)
    return { ok: false, error: `法规库中没有《${c.name}》：请先在 content/regulations.yaml 登记，或改用其正式全称` };
  if (c.number) {
    const want = c.number;
    const matches = candidates.filter((e) => {
      if (!e.number) return false;
      const has = normalizeNumber(e.number);
      return (
        has === want ||
        (!/-\d{4}$/.test(want) && yearless(has) === want) ||
        has.includes(want) ||
        want.includes(has.replace(/（.*）$/, ""))
      );
    });
    if (matches.length === 0)
      return {
        ok: false,
        error: `《${c.name}》没有编号为「${c.number}」的版本（法规库登记的是：${candidates.map((e) => e.number ?? "无编号").join("、")}）`,
      };
    candidates = matches;
  }
  const codes = new Set(candidates.map((e) => e.code));
  const newest = candidates.filter((e) => !e.supersededBy || !codes.has(e.supersededBy));
  if (newest.length !== 1)
    return {
      ok: false,
      error: `《${c.name}》在法规库中有多个版本，请写明编号（${candidates.map((e) => e.number ?? e.code).join("、")}）`,
    };
  const entry = newest[0];
  for (const a of c.articles) {
    const n = articleNumber(a);
    if (n === null || n === 0) return { ok: false, error: `条款「${a}」无效` };
    if (entry.articleCount !== null && n > entry.articleCount)
      return { ok: false, error: `《${entry.name}》只有 ${entry.articleCount} 条，没有${a}` };
  }
  return { ok: true, entry };
}

/** Parse and resolve a whole citation text: every part must resolve. */
export function resolveCitations(
  text: string,
  index: EntryIndex,
): { ok: true; refs: ResolvedCitation[] } | { ok: false; error: string } {
  const parsed = parseCitations(text);
  if (!parsed.ok) return parsed;
  const refs: ResolvedCitation[] = [];
  for (const p of parsed.parts) {
    const r = resolveCitation(p, index);
    if (!r.ok) return r;
    refs.push({
      code: r.entry.code,
      articles: p.articles,
      text: `《${p.name}》${p.number && !p.articles.length ? p.number : ""}${p.articles.join("、")}`,
    });
  }
  return { ok: true, refs };
}

/**
 * A question's legal basis as display parts, each linked to its registry page when it resolves. Questions of an
 * enterprise's own bank are free text and may not resolve; they are shown as written.
 */
export function basisLinks(text: string | null, index: EntryIndex): { text: string; href: string | null }[] {
  if (!text) return [];
  const r = resolveCitations(text, index);
  if (!r.ok) return [{ text, href: null }];
  return r.refs.map((ref) => ({ text: ref.text, href: regulationHref(ref.code, ref.articles[0]) }));
}

export function regulationHref(code: string, article?: string | null) {
  return `/regulations/${code}${article ? `#${encodeURIComponent(article)}` : ""}`;
}
