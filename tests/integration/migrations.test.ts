import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase } from "../../app/lib/db.server";
import {
  createDatabaseIfMissing,
  dropDatabase,
  migrateAllDown,
  migrateDownOne,
  migrateToLatest,
} from "../../db/migrate";
import { migrations } from "../../db/migrations/index";

// A separate, empty database: the shared setup's one is already migrated.
const url = process.env.DATABASE_URL!.replace(/\/([^/]+)$/, "/$1_mig");
const handle = createDatabase(url, 2);

async function tables() {
  const rows = await sql<{
    t: string;
  }>`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name NOT LIKE 'kysely_%'`.execute(
    handle.db,
  );
  return rows.rows.map((r) => r.t).sort();
}

afterAll(async () => {
  await handle.db.destroy();
  await dropDatabase(url);
});

describe("migrations", () => {
  it("apply on an empty database, revert one by one and all the way down, and apply again", async () => {
    await createDatabaseIfMissing(url);
    expect(await tables()).toEqual([]);
    expect(await migrateToLatest(handle.db)).toEqual(Object.keys(migrations));
    expect(await tables()).toEqual(
      expect.arrayContaining([
        "audit_log",
        "enterprise",
        "industry",
        "person",
        "rate_limit",
        "region",
        "session",
        "user",
      ]),
    );
    expect(await migrateToLatest(handle.db)).toEqual([]);

    const last = Object.keys(migrations).at(-1)!;
    expect(await migrateDownOne(handle.db)).toEqual([last]);
    await migrateToLatest(handle.db);

    await migrateAllDown(handle.db);
    expect(await tables()).toEqual([]);
    expect(await migrateToLatest(handle.db)).toEqual(Object.keys(migrations));
  }, 120_000); // three full passes over every migration: slow on a shared two-core machine
});
