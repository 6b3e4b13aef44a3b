/**
 * HTML from Moodle XML, GIFT [html] and Word becomes our plain text (decision 0014) with htmlparser2's tokenizer:
 * one linear pass with no element stack. Tags never survive;
 * entities are decoded; paragraphs, divs, list items and <br> become line breaks; sub/superscript digits become
 * Unicode ones (H₂S, m³); pictures and audio become media tokens through `resolve`, or a problem when the file
 * did not come with the question.
 */
import { Tokenizer } from "htmlparser2";
import type { MediaKind } from "./text";

/** Turns a src into a media token, or returns a problem (Chinese) when the file is not available. */
export type MediaResolver = (src: string, kind: MediaKind) => { token: string } | { problem: string };

const BLOCK = new Set([
  "p",
  "div",
  "li",
  "tr",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "blockquote",
  "pre",
  "table",
  "ul",
  "ol",
  "dl",
  "dt",
  "dd",
  "section",
  "article",
  "header",
  "footer",
  "figure",
  "figcaption",
  "caption",
  "hr",
  "address",
  "center",
]);
const SKIP = new Set([
  "script",
  "style",
  "head",
  "title",
  "template",
  "noscript",
  "iframe",
  "object",
  "embed",
  "svg",
  "math",
  "textarea",
  "select",
  "frameset",
  "applet",
]);
const AUDIO_FILE = /\.(mp3|wav|ogg|oga|m4a|aac)(?:[?#].*)?$/i;
const SUB: Record<string, string> = {
  0: "₀",
  1: "₁",
  2: "₂",
  3: "₃",
  4: "₄",
  5: "₅",
  6: "₆",
  7: "₇",
  8: "₈",
  9: "₉",
  "+": "₊",
  "-": "₋",
  "=": "₌",
  "(": "₍",
  ")": "₎",
};
const SUP: Record<string, string> = {
  0: "⁰",
  1: "¹",
  2: "²",
  3: "³",
  4: "⁴",
  5: "⁵",
  6: "⁶",
  7: "⁷",
  8: "⁸",
  9: "⁹",
  "+": "⁺",
  "-": "⁻",
  "=": "⁼",
  "(": "⁽",
  ")": "⁾",
  n: "ⁿ",
};
const mapScript = (s: string, table: Record<string, string>) =>
  [...s].every((c) => c in table) ? [...s].map((c) => table[c]).join("") : s;

/** Longest HTML field read (a stem is at most 2,000 characters of text; pictures travel as files or data: URIs). */
export const MAX_HTML_FIELD = 256 * 1024;

export interface HtmlText {
  text: string;
  problems: string[];
}

class Converter {
  private out: string[] = [];
  private skip = 0;
  private script: "sub" | "sup" | null = null;
  private linkMedia = 0;
  private space = false;
  private atLineStart = true;
  private tag = "";
  private attrs: Record<string, string> = {};
  private attr = "";
  private value = "";
  /** Item counters of the open lists (null for <ul>), when list numbers are written out. */
  private lists: (number | null)[] = [];
  readonly problems: string[] = [];

  constructor(
    private resolve: MediaResolver,
    private numberLists = false,
  ) {}

  /**
   * htmlParser2's Tokenizer, not its Parser: the Parser keeps open elements in an array it unshifts and searches
   * (quadratic on deeply nested input); we need no tree, only counters, so the whole pass stays linear.
   */
  run(html: string) {
    const slice = (a: number, b: number) => html.slice(a, b);
    const tokenizer = new Tokenizer(
      { decodeEntities: true },
      {
        onopentagname: (a, b) => {
          this.tag = slice(a, b).toLowerCase();
          this.attrs = {};
        },
        onattribname: (a, b) => {
          this.attr = slice(a, b).toLowerCase();
          this.value = "";
        },
        onattribdata: (a, b) => {
          this.value += slice(a, b);
        },
        onattribentity: (cp) => {
          this.value += String.fromCodePoint(cp);
        },
        onattribend: () => {
          if (!(this.attr in this.attrs)) this.attrs[this.attr] = this.value;
        },
        onopentagend: () => this.open(this.tag, this.attrs),
        onselfclosingtag: () => {
          this.open(this.tag, this.attrs);
          this.close(this.tag);
        },
        onclosetag: (a, b) => this.close(slice(a, b).toLowerCase()),
        ontext: (a, b) => this.text(slice(a, b)),
        ontextentity: (cp) => {
          if (this.skip || this.linkMedia) return;
          const c = String.fromCodePoint(cp);
          if (cp === 0xa0 || c.trim() === "") this.space = true;
          else this.emit(this.script === "sub" ? mapScript(c, SUB) : this.script === "sup" ? mapScript(c, SUP) : c);
        },
        oncdata: () => {},
        oncomment: () => {},
        ondeclaration: () => {},
        onprocessinginstruction: () => {},
        onend: () => {},
      },
    );
    tokenizer.write(html);
    tokenizer.end();
  }

  private emit(s: string) {
    if (!s) return;
    if (this.space && !this.atLineStart) this.out.push(" ");
    this.space = false;
    this.out.push(s);
    this.atLineStart = false;
  }

  private breakLine(hard: boolean) {
    this.space = false;
    if (hard || !this.atLineStart) this.out.push("\n");
    this.atLineStart = true;
  }

  private media(src: string | undefined, kind: MediaKind) {
    const clean = (src ?? "").trim();
    if (!clean) {
      this.problems.push(kind === "img" ? "图片没有地址（src）" : "音频没有地址（src）");
      return;
    }
    const r = this.resolve(clean, kind);
    if ("problem" in r) this.problems.push(r.problem);
    else this.emit(r.token);
  }

  private open(name: string, attrs: Record<string, string>) {
    if (SKIP.has(name)) {
      this.skip++;
      return;
    }
    if (this.skip) return;
    if (BLOCK.has(name)) this.breakLine(false);
    if (this.numberLists && (name === "ol" || name === "ul")) this.lists.push(name === "ol" ? 0 : null);
    if (this.numberLists && name === "li" && this.lists.length && this.lists[this.lists.length - 1] !== null) {
      // Word's automatic numbering: questions on the first level (1. 2. …), options on the second (A. B. …).
      const n = (this.lists[this.lists.length - 1] as number) + 1;
      this.lists[this.lists.length - 1] = n;
      this.emit(this.lists.length === 1 ? `${n}. ` : `${String.fromCharCode(64 + Math.min(n, 26))}. `);
      this.space = false;
    }
    if (BLOCK.has(name) || name === "li") return;
    else if (name === "br") this.breakLine(true);
    else if (name === "td" || name === "th") this.space = true;
    else if (name === "sub" || name === "sup") this.script = name;
    else if (name === "img") this.media(attrs.src, "img");
    else if (name === "audio" && attrs.src) this.media(attrs.src, "audio");
    else if (name === "source") this.media(attrs.src, "audio");
    else if (name === "video") this.problems.push("不支持视频");
    else if (name === "a" && attrs.href && AUDIO_FILE.test(attrs.href)) {
      // A link to a sound file (how GIFT files carry audio) is the audio itself; its words are not kept.
      this.media(attrs.href, "audio");
      this.linkMedia++;
    }
  }

  private close(name: string) {
    if (SKIP.has(name)) {
      if (this.skip) this.skip--;
      return;
    }
    if (this.skip) return;
    if (this.numberLists && (name === "ol" || name === "ul")) this.lists.pop();
    if (BLOCK.has(name)) this.breakLine(false);
    else if (name === "sub" || name === "sup") this.script = null;
    else if (name === "a" && this.linkMedia) this.linkMedia--;
  }

  private text(raw: string) {
    if (this.skip || this.linkMedia) return;
    if (!/[ \t\n\r\f\u00a0]/.test(raw)) {
      this.emit(this.script === "sub" ? mapScript(raw, SUB) : this.script === "sup" ? mapScript(raw, SUP) : raw);
      return;
    }
    const parts = raw.replace(/\u00a0/g, " ").split(/[ \t\n\r\f]+/);
    parts.forEach((p, k) => {
      if (k > 0) this.space = true;
      if (p) this.emit(this.script === "sub" ? mapScript(p, SUB) : this.script === "sup" ? mapScript(p, SUP) : p);
    });
  }

  finish(): HtmlText {
    const text = this.out
      .join("")
      .split("\n")
      .map((l) => l.trim())
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
    return { text, problems: [...new Set(this.problems)] };
  }
}

/** Our text of an HTML fragment: one linear pass (a 2 MB field takes tens of milliseconds). */
export function htmlToText(
  html: string,
  resolve: MediaResolver = noMedia,
  options: { numberLists?: boolean } = {},
): HtmlText {
  const c = new Converter(resolve, options.numberLists);
  c.run(html);
  return c.finish();
}

export const noMedia: MediaResolver = (_src, kind) => ({
  problem: kind === "img" ? "图片无法随这种文件导入" : "音频无法随这种文件导入",
});

/** Escape our text for HTML (exporters that must write HTML: media, line breaks). */
export const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * A budget-keeping yield: resolves at once until `budgetMs` of work has passed since the last real yield, then
 * gives the event loop a turn (setImmediate), so a long import never holds it for more than about that long.
 */
export function yielder(budgetMs = 20): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < budgetMs) return;
    await new Promise<void>((r) => setImmediate(r));
    since = performance.now();
  };
}
