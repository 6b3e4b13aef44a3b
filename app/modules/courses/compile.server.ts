import { bundleMDX } from "mdx-bundler";
import { existsSync } from "node:fs";
import path from "node:path";
import { LESSON_COMPONENTS } from "./components";
import { SelfCheckProps, type SelfCheckQuestion } from "./schema";

/** A content problem, reported as file:line so an author can find it. */
export class ContentError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(`${file}${line ? `:${line}` : ""}: ${reason}`);
  }
}

export interface CompiledMdx {
  code: string;
  frontmatter: Record<string, unknown>;
  /** Plain text of the body: for search and the reading-time rule. */
  text: string;
  selfChecks: (SelfCheckQuestion & { answer: string; explanation: string })[];
  /** Registry entries cited by <Regulation> components (when a resolver was given). */
  citations: { code: string; articles: string[] }[];
}

/** Resolves a <Regulation law article> against the regulation registry: its entry code, or why it cannot. */
export type LawResolver = (
  law: string,
  article: string | undefined,
) => { ok: true; code: string } | { ok: false; error: string };

type Node = {
  type: string;
  name?: string | null;
  value?: string;
  children?: Node[];
  attributes?: { type: string; name?: string; value?: unknown }[];
  position?: { start: { line: number } };
};

function attributeValue(attr: { value?: unknown }): unknown {
  const v = attr.value;
  if (typeof v === "string" || v === null || v === undefined) return v ?? true;
  const expression = (v as { value?: string }).value ?? "";
  try {
    return JSON.parse(expression);
  } catch {
    return expression;
  }
}

/**
 * Compile one MDX file. Beyond MDX syntax it checks: only the lesson components, no import/export,
 * figures that exist, self-checks that are well formed. Self-check answers and explanations are taken
 * out of the compiled code (they are graded on the server) and returned apart.
 */
export async function compileMdx(
  source: string,
  file: string,
  opts: { assetsDir?: string; assetsUrl?: string; resolveLaw?: LawResolver } = {},
): Promise<CompiledMdx> {
  const problems: ContentError[] = [];
  const citations: CompiledMdx["citations"] = [];
  const selfChecks: CompiledMdx["selfChecks"] = [];
  const textParts: string[] = [];
  // mdx-bundler parses the frontmatter too, so positions are lines of the whole file.
  const lineOf = (n: Node) => (n.position ? n.position.start.line : null);

  const inspect = () => (tree: Node) => {
    const walk = (node: Node) => {
      // The frontmatter export that mdx-bundler generates has no position; authored ones do.
      if (node.type === "mdxjsEsm" && node.position)
        problems.push(new ContentError(file, lineOf(node), "课程内容中不允许 import/export 语句"));
      if (node.type === "text" || node.type === "inlineCode") textParts.push(node.value ?? "");
      if ((node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement") && node.name) {
        if (/^[A-Z]/.test(node.name) && !(LESSON_COMPONENTS as readonly string[]).includes(node.name)) {
          problems.push(
            new ContentError(file, lineOf(node), `未知组件 <${node.name}>，可用组件：${LESSON_COMPONENTS.join("、")}`),
          );
        }
        const attrs = Object.fromEntries(
          (node.attributes ?? []).filter((a) => a.name).map((a) => [a.name!, attributeValue(a)]),
        );
        for (const key of ["title", "caption", "law", "article"])
          if (typeof attrs[key] === "string") textParts.push(attrs[key] as string);
        if (node.name === "SelfCheck") {
          const parsed = SelfCheckProps.safeParse(attrs);
          if (!parsed.success) {
            problems.push(
              new ContentError(
                file,
                lineOf(node),
                `SelfCheck 有误：${parsed.error.issues.map((i) => `${i.path.join(".") || ""} ${i.message}`.trim()).join("；")}`,
              ),
            );
          } else if (selfChecks.some((s) => s.id === parsed.data.id)) {
            problems.push(new ContentError(file, lineOf(node), `SelfCheck 的 id「${parsed.data.id}」在本课重复`));
          } else {
            selfChecks.push({ ...parsed.data, options: parsed.data.options ?? [] });
            textParts.push(parsed.data.question);
          }
          // Never let the answer reach the browser.
          node.attributes = (node.attributes ?? []).filter((a) => a.name !== "answer" && a.name !== "explanation");
        }
        if (node.name === "Regulation" && opts.resolveLaw) {
          const law = typeof attrs.law === "string" ? attrs.law : "";
          const article = typeof attrs.article === "string" ? attrs.article : undefined;
          const r = opts.resolveLaw(law, article);
          if (!r.ok) problems.push(new ContentError(file, lineOf(node), `<Regulation> 引用有误：${r.error}`));
          else {
            citations.push({ code: r.code, articles: article ? [article] : [] });
            // The page links the quote to its registry entry.
            node.attributes = [
              ...(node.attributes ?? []).filter((a) => a.name !== "entry"),
              { type: "mdxJsxAttribute", name: "entry", value: r.code },
            ];
          }
        }
        if (node.name === "Figure") {
          const src = typeof attrs.src === "string" ? attrs.src : "";
          const local = src.replace(/^assets\//, "");
          if (!src.startsWith("assets/") || !opts.assetsDir || !existsSync(path.join(opts.assetsDir, local))) {
            problems.push(
              new ContentError(
                file,
                lineOf(node),
                `图片「${src}」不存在：请放在课程的 assets/ 目录并写作 src="assets/文件名"`,
              ),
            );
          } else {
            const attr = node.attributes!.find((a) => a.name === "src")!;
            attr.value = `${opts.assetsUrl}/${local}`;
          }
        }
      }
      node.children?.forEach(walk);
    };
    walk(tree);
  };

  let result: Awaited<ReturnType<typeof bundleMDX>>;
  try {
    result = await bundleMDX({
      source,
      esbuildOptions(options) {
        options.logLevel = "silent";
        return options;
      },
      mdxOptions(options) {
        options.remarkPlugins = [...(options.remarkPlugins ?? []), inspect];
        return options;
      },
    });
  } catch (error) {
    // Our own finding (e.g. an import that then fails to resolve) explains the failure better.
    if (problems.length) throw problems[0];
    const e = error as {
      errors?: { text: string; location?: { line: number } | null }[];
      message?: string;
      mark?: { line: number };
      reason?: string;
    };
    if (e.mark) throw new ContentError(file, e.mark.line + 1, `frontmatter 不是有效的 YAML：${e.reason ?? e.message}`);
    const first = e.errors?.[0];
    if (first) throw new ContentError(file, first.location ? first.location.line : null, `MDX 语法错误：${first.text}`);
    throw new ContentError(file, null, `MDX 编译失败：${e.message ?? String(error)}`);
  }
  if (problems.length) throw problems[0];
  return {
    code: result.code,
    frontmatter: result.frontmatter,
    text: textParts.join("").replace(/\s+/g, ""),
    selfChecks,
    citations,
  };
}
