import { Kysely, MysqlDialect } from "kysely";
import { createPool, type Pool } from "mysql2";
import type { Database } from "../../db/types";
import { env } from "./env.server";

/** mysql2 pool options shared by the app, scripts and tests: UTC everywhere, DATE columns as 'YYYY-MM-DD'. */
export function poolOptions(url: string, connectionLimit: number) {
  return {
    uri: url,
    connectionLimit,
    timezone: "Z",
    dateStrings: ["DATE"] as "DATE"[],
    charset: "utf8mb4",
    supportBigNumbers: true,
    decimalNumbers: true,
  };
}

export function createDatabase(url: string, connectionLimit = 10): { db: Kysely<Database>; pool: Pool } {
  const pool = createPool(poolOptions(url, connectionLimit));
  // Store and compare every DATETIME in UTC, whatever the server's zone.
  pool.on("connection", (conn) => void conn.query("SET time_zone = '+00:00'"));
  const db = new Kysely<Database>({ dialect: new MysqlDialect({ pool }) });
  return { db, pool };
}

type Handle = ReturnType<typeof createDatabase>;
const globalForDb = globalThis as unknown as { __anxunDb?: Handle };

/** The one Kysely instance of this process (kept across dev rebuilds). */
function handle(): Handle {
  if (!globalForDb.__anxunDb) {
    globalForDb.__anxunDb = createDatabase(env().DATABASE_URL, env().DB_POOL_SIZE);
  }
  return globalForDb.__anxunDb;
}

export const db = new Proxy({} as Kysely<Database>, {
  get(_target, prop) {
    const real = handle().db as unknown as Record<string | symbol, unknown>;
    const value = real[prop];
    return typeof value === "function" ? (value as Function).bind(real) : value;
  },
});

/** The raw callback pool, for libraries that take one (lucia's adapter, rate-limiter-flexible). */
export function rawPool(): Pool {
  return handle().pool;
}

export function databaseName(): string {
  return new URL(env().DATABASE_URL).pathname.replace(/^\//, "");
}

export async function closeDatabase() {
  const h = globalForDb.__anxunDb;
  globalForDb.__anxunDb = undefined;
  if (h) await h.db.destroy();
}
