import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { compileMdx, ContentError, type LawResolver } from "./compile.server";
import { CourseFrontmatter, LessonFrontmatter } from "./schema";
import type { Catalog, CatalogCourse, Citation, SelfCheckKey } from "./catalog-types";
import { resolveCitations, type EntryIndex } from "../regulations/citations";
import { readRegistry } from "../regulations/registry.server";

const LESSON_FILE = /^(\d{2})-([a-z0-9-]+)\.mdx$/;

/** Line of a frontmatter key, so a zod problem points at the right line. */
function keyLine(source: string, key: string | number | undefined): number | null {
  if (key === undefined) return 2;
  const lines = source.split("\n");
  const i = lines.findIndex((l) => l.startsWith(`${key}:`));
  return i >= 0 ? i + 1 : 2;
}

function checkFrontmatter<S extends z.ZodType>(schema: S, data: unknown, source: string, file: string): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ContentError(
    file,
    keyLine(source, issue.path[0] as string | undefined),
    `frontmatter 字段「${issue.path.join(".") || "(根)"}」有误：${issue.message}`,
  );
}

/** The resolver of <Regulation law article>: the registry entry it names, or why it names none. */
function lawResolver(index: EntryIndex): LawResolver {
  return (law, article) => {
    const r = resolveCitations(`${law}${article ?? ""}`, index);
    if (!r.ok) return r;
    if (r.refs.length !== 1) return { ok: false, error: "law 只能写一部法规" };
    return { ok: true, code: r.refs[0].code };
  };
}

/** Frontmatter `regulations:` resolved against the registry; an unknown one fails with the line it is on. */
function frontmatterCitations(
  refs: { name: string; articles?: string[] }[] | undefined,
  index: EntryIndex,
  source: string,
  file: string,
): Citation[] {
  const out: Citation[] = [];
  for (const ref of refs ?? []) {
    const r = resolveCitations(`${ref.name}${(ref.articles ?? []).join("、")}`, index);
    if (!r.ok) {
      const i = source.split("\n").findIndex((l) => l.includes(`name: ${ref.name}`));
      throw new ContentError(file, i >= 0 ? i + 1 : 2, `regulations 引用有误：${r.error}`);
    }
    out.push({ code: r.refs[0].code, articles: ref.articles ?? [] });
  }
  return out;
}

/**
 * Compile every course under contentDir/courses once. Returns the catalog (lesson code, texts, self-check
 * questions) and the self-check answer key, which only the server reads. All problems are collected.
 */
export async function buildCatalog(
  contentDir: string,
): Promise<{ catalog: Catalog; answers: Record<string, SelfCheckKey>; errors: ContentError[] }> {
  const coursesDir = path.join(contentDir, "courses");
  const errors: ContentError[] = [];
  const courses: CatalogCourse[] = [];
  const answers: Record<string, SelfCheckKey> = {};
  // Citations must name entries of the regulation registry (content/regulations.yaml).
  if (!existsSync(path.join(contentDir, "regulations.yaml"))) {
    return {
      catalog: { builtAt: new Date().toISOString(), courses: [] },
      answers,
      errors: [new ContentError("content/regulations.yaml", null, "缺少法规库文件")],
    };
  }
  const { registry, problems } = readRegistry(contentDir);
  for (const p of problems) errors.push(new ContentError(p.replace(/: .*$/, ""), null, p.replace(/^[^ ]*: /, "")));
  const resolveLaw = lawResolver(registry.index);
  for (const slug of readdirSync(coursesDir).sort()) {
    const dir = path.join(coursesDir, slug);
    const rel = (f: string) => path.relative(path.dirname(contentDir), path.join(dir, f));
    if (!existsSync(path.join(dir, "index.mdx"))) continue;
    if (!/^[a-z0-9-]+$/.test(slug)) {
      errors.push(new ContentError(rel(""), null, "课程目录名只能用小写字母、数字和连字符"));
      continue;
    }
    const hash = createHash("sha256");
    const compileOpts = { assetsDir: path.join(dir, "assets"), assetsUrl: `/course-assets/${slug}`, resolveLaw };
    try {
      const indexSource = readFileSync(path.join(dir, "index.mdx"), "utf8");
      hash.update(indexSource);
      const index = await compileMdx(indexSource, rel("index.mdx"), compileOpts);
      const meta = checkFrontmatter(CourseFrontmatter, index.frontmatter, indexSource, rel("index.mdx"));
      const courseCitations = frontmatterCitations(meta.regulations, registry.index, indexSource, rel("index.mdx"));
      const lessons: CatalogCourse["lessons"] = [];
      for (const file of readdirSync(dir)
        .filter((f) => f.endsWith(".mdx") && f !== "index.mdx")
        .sort()) {
        const m = LESSON_FILE.exec(file);
        if (!m) {
          errors.push(new ContentError(rel(file), null, "课时文件名应为「01-英文短名.mdx」"));
          continue;
        }
        try {
          const source = readFileSync(path.join(dir, file), "utf8");
          hash.update(source);
          const lesson = await compileMdx(source, rel(file), compileOpts);
          const lm = checkFrontmatter(LessonFrontmatter, lesson.frontmatter, source, rel(file));
          const citations = [
            ...frontmatterCitations(lm.regulations, registry.index, source, rel(file)),
            ...lesson.citations,
          ];
          const lessonSlug = `${m[1]}-${m[2]}`;
          lessons.push({
            slug: lessonSlug,
            position: Number(m[1]),
            title: lm.title,
            code: lesson.code,
            text: lesson.text,
            chars: lesson.text.length,
            selfChecks: lesson.selfChecks.map(({ answer: _a, explanation: _e, ...q }) => q),
            citations,
          });
          for (const c of lesson.selfChecks)
            answers[`${slug}/${lessonSlug}#${c.id}`] = { answer: c.answer, explanation: c.explanation };
        } catch (e) {
          if (e instanceof ContentError) errors.push(e);
          else throw e;
        }
      }
      if (lessons.length === 0) errors.push(new ContentError(rel(""), null, "课程至少需要一课"));
      courses.push({
        slug,
        ...meta,
        introCode: index.code,
        lessons,
        contentHash: hash.digest("hex").slice(0, 16),
        citations: [...courseCitations, ...index.citations],
      });
    } catch (e) {
      if (e instanceof ContentError) errors.push(e);
      else throw e;
    }
  }
  courses.sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
  return { catalog: { builtAt: new Date().toISOString(), courses }, answers, errors };
}

/** Write the built catalog where the server reads it, and course figures where the browser gets them. */
export function writeCatalog(
  outDir: string,
  publicDir: string,
  contentDir: string,
  built: { catalog: Catalog; answers: Record<string, SelfCheckKey> },
) {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "catalog.json"), JSON.stringify(built.catalog));
  writeFileSync(path.join(outDir, "self-check-answers.json"), JSON.stringify(built.answers));
  const assetsOut = path.join(publicDir, "course-assets");
  rmSync(assetsOut, { recursive: true, force: true });
  for (const course of built.catalog.courses) {
    const src = path.join(contentDir, "courses", course.slug, "assets");
    if (existsSync(src)) cpSync(src, path.join(assetsOut, course.slug), { recursive: true });
  }
}
