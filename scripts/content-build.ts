/**
 * Compile every course in content/ once (npm run content:build; part of npm run build).
 * Output: .cache/content/ (server-only: catalog and self-check answer key) and public/course-assets/.
 * A broken lesson fails the build with file:line and the reason. `--watch` rebuilds on change (development).
 */
import { watch } from "node:fs";
import path from "node:path";
import { buildCatalog, writeCatalog } from "../app/modules/courses/content-build.server";

const ROOT = path.resolve(import.meta.dirname, "..");
const CONTENT = path.join(ROOT, "content");

async function once(): Promise<boolean> {
  const started = Date.now();
  const built = await buildCatalog(CONTENT);
  if (built.errors.length) {
    console.error(`Content build failed with ${built.errors.length} problem(s):`);
    for (const e of built.errors) console.error(`  ${e.message}`);
    return false;
  }
  writeCatalog(path.join(ROOT, ".cache/content"), path.join(ROOT, "public"), CONTENT, built);
  const lessons = built.catalog.courses.reduce((n, c) => n + c.lessons.length, 0);
  console.log(`Built ${built.catalog.courses.length} courses, ${lessons} lessons in ${Date.now() - started} ms.`);
  return true;
}

if (process.argv.includes("--watch")) {
  await once();
  let timer: NodeJS.Timeout | undefined;
  watch(path.join(CONTENT, "courses"), { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(() => void once(), 200);
  });
  console.log("Watching content/courses for changes ...");
} else if (!(await once())) {
  process.exit(1);
}
