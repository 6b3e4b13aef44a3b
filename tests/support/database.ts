/**
 * Every integration test file runs against a database of its own, created, migrated and seeded with the
 * demo city before its tests and dropped after them, so files can run in parallel and never see each
 * other's rows. The server is the machine's MariaDB (or DATABASE_URL's), made ready by `scripts/db.ts ensure`.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";

const base = new URL(process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/anxun");
base.pathname = `/anxun_t_${process.pid}_${randomBytes(3).toString("hex")}`;
const url = base.toString();
process.env.DATABASE_URL = url;
process.env.NODE_ENV = "test";

beforeAll(async () => {
  const { createDatabaseIfMissing, migrateToLatest } = await import("../../db/migrate");
  const { db } = await import("../../app/lib/db.server");
  const { seedReference } = await import("../../db/seed/reference");
  const { seedDemo } = await import("../../db/seed/demo");
  const { existsSync } = await import("node:fs");
  if (!existsSync(".cache/content/catalog.json")) {
    const { buildCatalog, writeCatalog } = await import("../../app/modules/courses/content-build.server");
    writeCatalog(".cache/content", "public", "content", await buildCatalog("content"));
  }
  const { syncCourses } = await import("../../app/modules/courses/catalog.server");
  await createDatabaseIfMissing(url);
  await migrateToLatest(db);
  await seedReference(db);
  const { syncRegulations, syncContentCitations } = await import("../../app/modules/regulations/sync.server");
  await syncRegulations(db);
  await syncCourses(db);
  const { loadShippedBank } = await import("../../app/modules/exams/bank.server");
  const { seedTemplates } = await import("../../db/seed/templates");
  await loadShippedBank(db, "content/questions");
  await syncContentCitations(db);
  await seedTemplates(db);
  await seedDemo(db);
  const { rebuildSummaries } = await import("../../app/modules/certification/summary.server");
  await rebuildSummaries(db);
  const { rebuildCockpit } = await import("../../app/modules/cockpit/summary.server");
  await rebuildCockpit(db);
});

afterAll(async () => {
  const { closeDatabase } = await import("../../app/lib/db.server");
  const { dropDatabase } = await import("../../db/migrate");
  await closeDatabase();
  await dropDatabase(url);
});
