import { Migrator, type Kysely, type MigrationResultSet } from "kysely";
import { createConnection } from "mysql2/promise";
import { migrations } from "./migrations/index";

export function migrator(db: Kysely<any>) {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

function check({ error, results }: MigrationResultSet, verb: string) {
  for (const r of results ?? []) {
    if (r.status === "Error") console.error(`migration ${r.migrationName} failed to ${verb}`);
  }
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

export async function migrateToLatest(db: Kysely<any>) {
  return check(await migrator(db).migrateToLatest(), "apply");
}

export async function migrateDownOne(db: Kysely<any>) {
  return check(await migrator(db).migrateDown(), "revert");
}

export async function migrateAllDown(db: Kysely<any>) {
  const { NO_MIGRATIONS } = await import("kysely");
  return check(await migrator(db).migrateTo(NO_MIGRATIONS), "revert");
}

/** Server-level connection (no database selected) for CREATE/DROP DATABASE. */
export async function serverConnection(url: string) {
  const u = new URL(url);
  return createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || "root"),
    password: decodeURIComponent(u.password),
    connectTimeout: 3000,
  });
}

export const databaseOf = (url: string) => decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));

export async function createDatabaseIfMissing(url: string) {
  const name = databaseOf(url);
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Unsupported database name: ${name}`);
  const conn = await serverConnection(url);
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
}

export async function dropDatabase(url: string) {
  const name = databaseOf(url);
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Unsupported database name: ${name}`);
  const conn = await serverConnection(url);
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await conn.end();
  }
}
