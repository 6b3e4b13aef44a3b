import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Kysely } from "kysely";
import type { Database } from "../../../db/types";
import type { Catalog, CatalogCourse, SelfCheckKey } from "./catalog-types";
import { excerpt, searchNeedle } from "./rules";

const dir = () => process.env.ANXUN_CONTENT_DIR ?? path.join(process.cwd(), ".cache/content");

type Loaded = {
  catalog: Catalog;
  answers: Record<string, SelfCheckKey>;
  bySlug: Map<string, CatalogCourse>;
  lowerTexts: Map<string, string>;
  mtime: number;
};
let loaded: Loaded | undefined;

/** The built catalog, read once; in development re-read when `npm run content:build -- --watch` rewrites it. */
export function catalog(): Loaded {
  const file = path.join(dir(), "catalog.json");
  if (loaded && process.env.NODE_ENV === "production") return loaded;
  let mtime: number;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    throw new Error(`No built course catalog at ${file}: run \`npm run content:build\`.`);
  }
  if (!loaded || loaded.mtime !== mtime) {
    const data = JSON.parse(readFileSync(file, "utf8")) as Catalog;
    const answers = JSON.parse(readFileSync(path.join(dir(), "self-check-answers.json"), "utf8")) as Record<
      string,
      SelfCheckKey
    >;
    const lowerTexts = new Map<string, string>();
    for (const c of data.courses)
      for (const l of c.lessons) lowerTexts.set(`${c.slug}/${l.slug}`, `${l.title}${l.text}`.toLowerCase());
    loaded = { catalog: data, answers, bySlug: new Map(data.courses.map((c) => [c.slug, c])), lowerTexts, mtime };
  }
  return loaded;
}

export function courseBySlug(slug: string) {
  return catalog().bySlug.get(slug);
}

export function lessonBySlug(courseSlug: string, lessonSlug: string) {
  const course = courseBySlug(courseSlug);
  const lesson = course?.lessons.find((l) => l.slug === lessonSlug);
  return course && lesson ? { course, lesson } : undefined;
}

export function selfCheckKey(courseSlug: string, lessonSlug: string, checkId: string): SelfCheckKey | undefined {
  return catalog().answers[`${courseSlug}/${lessonSlug}#${checkId}`];
}

/**
 * Find lessons containing a phrase. The corpus is the plain text compiled at build time; a substring scan
 * finds any 2+ character Chinese phrase exactly (no word splitting needed) and takes well under a
 * millisecond for the whole catalogue.
 */
export function searchLessons(q: string, limit = 30) {
  const needle = searchNeedle(q);
  if (!needle) return [];
  const { catalog: c, lowerTexts } = catalog();
  const hits: {
    courseSlug: string;
    courseTitle: string;
    lessonSlug: string;
    lessonTitle: string;
    excerpt: string;
    count: number;
  }[] = [];
  for (const course of c.courses) {
    for (const lesson of course.lessons) {
      const text = lowerTexts.get(`${course.slug}/${lesson.slug}`)!;
      const at = text.indexOf(needle);
      if (at < 0) continue;
      let count = 0;
      for (let i = at; i >= 0; i = text.indexOf(needle, i + needle.length)) count++;
      const full = `${lesson.title}${lesson.text}`;
      hits.push({
        courseSlug: course.slug,
        courseTitle: course.title,
        lessonSlug: lesson.slug,
        lessonTitle: lesson.title,
        excerpt: excerpt(full, at, needle.length),
        count,
      });
    }
  }
  return hits.sort((a, b) => b.count - a.count).slice(0, limit);
}

/** Bring the course and lesson tables in line with the built catalog (ids stay stable by slug). */
export async function syncCourses(db: Kysely<Database>, data: Catalog = catalog().catalog) {
  await db.transaction().execute(async (trx) => {
    const seen: number[] = [];
    for (const c of data.courses) {
      const values = {
        title: c.title,
        hours: c.hours,
        version: c.version,
        content_hash: c.contentHash,
        posts: c.posts.join(","),
        industries: c.industries.join(","),
        position: c.order,
        lesson_count: c.lessons.length,
        active: 1,
      };
      await trx
        .insertInto("course")
        .values({ slug: c.slug, ...values })
        .onDuplicateKeyUpdate(values)
        .execute();
      const { id } = await trx.selectFrom("course").select("id").where("slug", "=", c.slug).executeTakeFirstOrThrow();
      seen.push(id);
      await trx.updateTable("lesson").set({ active: 0 }).where("course_id", "=", id).execute();
      for (const l of c.lessons) {
        const lv = { position: l.position, title: l.title, chars: l.chars, active: 1 };
        await trx
          .insertInto("lesson")
          .values({ course_id: id, slug: l.slug, ...lv })
          .onDuplicateKeyUpdate(lv)
          .execute();
      }
    }
    let retire = trx.updateTable("course").set({ active: 0 });
    if (seen.length) retire = retire.where("id", "not in", seen);
    await retire.execute();
  });
}
