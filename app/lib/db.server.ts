import { Kysely, MysqlAdapter, MysqlDialect, sql, type MigrationLockOptions } from "kysely";
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

/**
 * Kysely's MySQL migrator serialises migrations with GET_LOCK, which a Galera cluster does not share between nodes.
 * This adapter takes the lock as a lease on the row Kysely keeps for it instead (a compare-and-set that replicates).
 */
class LeaseLockMysqlAdapter extends MysqlAdapter {
  override async acquireMigrationLock(db: Kysely<any>, opt: MigrationLockOptions): Promise<void> {
    const table = opt.lockTableSchema ? sql.table(`${opt.lockTableSchema}.${opt.lockTable}`) : sql.table(opt.lockTable);
    for (let waited = 0; waited < 600_000; waited += 250) {
      const r = await sql`UPDATE ${table} SET is_locked = 1 WHERE id = ${opt.lockRowId} AND is_locked = 0`.execute(db);
      if (Number(r.numAffectedRows ?? 0) === 1) return;
      if (waited === 30_000)
        console.log(`Waiting for another migration (${opt.lockTable}.is_locked = 1; if none runs, set it to 0).`);
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(
      `Another migration has held ${opt.lockTable} for 10 minutes; if none runs, UPDATE ${opt.lockTable} SET is_locked = 0.`,
    );
  }

  override async releaseMigrationLock(db: Kysely<any>, opt: MigrationLockOptions): Promise<void> {
    const table = opt.lockTableSchema ? sql.table(`${opt.lockTableSchema}.${opt.lockTable}`) : sql.table(opt.lockTable);
    await sql`UPDATE ${table} SET is_locked = 0 WHERE id = ${opt.lockRowId}`.execute(db);
  }
}

class AnxunMysqlDialect extends MysqlDialect {
  override createAdapter() {
    return new LeaseLockMysqlAdapter();
  }
}

export function createDatabase(
  url: string,
  connectionLimit = 10,
  causalReads = false,
): { db: Kysely<Database>; pool: Pool } {
  const pool = createPool(poolOptions(url, connectionLimit));
  // Store and compare every DATETIME in UTC, whatever the server's zone; on a multi-node cluster, read causally.
  const setup = causalReads ? "SET time_zone = '+00:00', wsrep_sync_wait = 1" : "SET time_zone = '+00:00'";
  pool.on("connection", (conn) => void conn.query(setup));
  const db = new Kysely<Database>({ dialect: new AnxunMysqlDialect({ pool }) });
  return { db, pool };
}

type Handle = ReturnType<typeof createDatabase>;
const globalForDb = globalThis as unknown as { __anxunDb?: Handle };

/** The one Kysely instance of this process (kept across dev rebuilds). */
function handle(): Handle {
  if (!globalForDb.__anxunDb) {
    globalForDb.__anxunDb = createDatabase(env().DATABASE_URL, env().DB_POOL_SIZE, env().DB_CAUSAL_READS === "1");
  }
  return globalForDb.__anxunDb;
}

/** MySQL errors after which the whole transaction may simply run again: a deadlock, or (Galera) a certification conflict. */
const RETRYABLE = new Set([1213 /* ER_LOCK_DEADLOCK, also Galera's "WSREP detected deadlock/conflict" */]);

export function isRetryable(error: unknown): boolean {
  return !!error && typeof error === "object" && RETRYABLE.has(Number((error as { errno?: number }).errno));
}

/**
 * Run `fn` again (up to `attempts` times, with a random back-off that doubles each time, at most about 1.3 s in all)
 * when it fails with a deadlock or a Galera certification conflict. Only for work whose effects are all in the database
 * transaction that failed, since a failed transaction was rolled back whole. Eight attempts: on a three-node cluster a
 * burst of hand-ins at the deadline conflicted on neighbouring index gaps more often than four attempts absorbed.
 */
export async function withRetry<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (error) {
      if (i >= attempts || !isRetryable(error)) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(400, 5 * 2 ** i)));
    }
  }
}

/**
 * A transaction builder whose execute() retries the whole callback on deadlocks and certification conflicts, so every
 * `db.transaction().execute(...)` of the app is safe on a multi-primary cluster (Galera) without changes at the call site:
 * a transaction callback only does database work through its `trx`, which the failed attempt rolled back.
 */
function retrying<T extends object>(builder: T): T {
  return new Proxy(builder, {
    get(target, prop) {
      const value = (target as Record<string | symbol, unknown>)[prop];
      if (typeof value !== "function") return value;
      if (prop === "execute")
        return (fn: unknown) => withRetry(() => (value as (...a: unknown[]) => Promise<unknown>).call(target, fn));
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        return result && typeof result === "object" && typeof (result as { execute?: unknown }).execute === "function"
          ? retrying(result)
          : result;
      };
    },
  });
}

export const db = new Proxy({} as Kysely<Database>, {
  get(_target, prop) {
    const real = handle().db as unknown as Record<string | symbol, unknown>;
    const value = real[prop];
    if (prop === "transaction") return () => retrying((value as () => object).call(real));
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(real) : value;
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
