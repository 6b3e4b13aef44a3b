/**
 * Database lifecycle: `tsx scripts/db.ts <command>`
 *   ensure    make sure a server answers (start a project-local one if needed)
 *   migrate   create the database if missing and apply every migration
 *   rollback  revert the last migration
 *   seed      reference data, the course catalog (from `npm run content:build`), and the demo city when empty
 *   setup     ensure + migrate + seed (what `npm start` runs)
 *   reset     drop the database, then setup (refused when NODE_ENV=production)
 */
import { createDatabase } from "../app/lib/db.server";
import { createDatabaseIfMissing, databaseOf, dropDatabase, migrateDownOne, migrateToLatest } from "../db/migrate";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from "../db/seed/demo";
import { seedReference } from "../db/seed/reference";
import { syncCourses } from "../app/modules/courses/catalog.server";
import { loadShippedBank } from "../app/modules/exams/bank.server";
import { syncContentCitations, syncRegulations } from "../app/modules/regulations/sync.server";
import { seedTemplates } from "../db/seed/templates";
import { rebuildSummaries, snapshotMonth } from "../app/modules/certification/summary.server";
import { backfillCockpitMonths, rebuildCockpit } from "../app/modules/cockpit/summary.server";
import { ensureServer } from "./mysql-server";
import { monthOf } from "../app/lib/calendar";

async function withDb<T>(url: string, fn: (db: ReturnType<typeof createDatabase>["db"]) => Promise<T>): Promise<T> {
  const { db } = createDatabase(url, 2);
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

async function migrate(url: string) {
  await createDatabaseIfMissing(url);
  const applied = await withDb(url, migrateToLatest);
  console.log(
    applied.length ? `Applied migrations: ${applied.join(", ")}` : `Database ${databaseOf(url)} is up to date.`,
  );
}

async function seed(url: string) {
  const seeded = await withDb(url, async (db) => {
    await seedReference(db);
    // The registry first: a changed entry flags what cited it as of the last sync, then citations are re-read.
    const regs = await syncRegulations(db);
    if (regs.flagged) console.log(`Regulation registry: ${regs.flagged} item(s) marked 待复核.`);
    await syncCourses(db);
    const bank = await loadShippedBank(db, "content/questions");
    if (bank.created || bank.updated)
      console.log(`Question bank: ${bank.created} new, ${bank.updated} changed, ${bank.total} in all.`);
    const cited = await syncContentCitations(db);
    if (cited.flagged)
      console.log(`Content citing repealed or superseded regulations: ${cited.flagged} item(s) marked 待复核.`);
    await seedTemplates(db);
    const seeded = await seedDemo(db);
    if (seeded) {
      await rebuildSummaries(db);
      await snapshotMonth(monthOf(new Date()), db);
      await rebuildCockpit(db);
      await backfillCockpitMonths(db);
    }
    return seeded;
  });
  console.log(seeded ? "Loaded the demo city and demo accounts." : "Data present: demo data not loaded.");
  const demo = await withDb(url, (db) =>
    db
      .selectFrom("user")
      .select("username")
      .where(
        "username",
        "in",
        DEMO_ACCOUNTS.map((a) => a.username),
      )
      .execute(),
  );
  if (demo.length) {
    console.log(`Demo accounts (password ${DEMO_PASSWORD}):`);
    for (const a of DEMO_ACCOUNTS)
      if (demo.some((d) => d.username === a.username))
        console.log(`  ${a.username.padEnd(11)} ${a.displayName}（${a.note}）`);
  }
}

async function main() {
  const command = process.argv[2] ?? "setup";
  const url = await ensureServer();
  process.env.DATABASE_URL = url;
  switch (command) {
    case "ensure":
      console.log(`Database server ready at ${new URL(url).host}.`);
      break;
    case "migrate":
      await migrate(url);
      break;
    case "rollback":
      console.log(`Reverted: ${(await withDb(url, migrateDownOne)).join(", ") || "nothing"}`);
      break;
    case "seed":
      await seed(url);
      break;
    case "setup":
      await migrate(url);
      await seed(url);
      break;
    case "reset":
      if (process.env.NODE_ENV === "production")
        throw new Error("Refusing to drop a database with NODE_ENV=production.");
      await dropDatabase(url);
      await migrate(url);
      await seed(url);
      break;
    default:
      throw new Error(`Unknown command: ${command}`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
