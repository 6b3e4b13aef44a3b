import { RateLimiterMySQL, type RateLimiterRes } from "rate-limiter-flexible";
import { databaseName, rawPool } from "../../lib/db.server";

/**
 * Counters live in MySQL so that every app process shares them. Failed logins only are counted:
 * 5 per account and 30 per IP address in 15 minutes.
 */
const WINDOW_SECONDS = 15 * 60;
export const LOGIN_LIMITS = { perAccount: 5, perIp: 30, windowSeconds: WINDOW_SECONDS };

type Limiter = RateLimiterMySQL;
const limiters = new Map<string, Limiter>();

/** One limiter per name, created lazily against this process's database. */
export function limiter(name: string, points: number, durationSeconds: number): Limiter {
  let found = limiters.get(name);
  if (!found) {
    found = new RateLimiterMySQL({
      storeClient: rawPool(),
      storeType: "pool",
      dbName: databaseName(),
      tableName: "rate_limit",
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: name,
      points,
      duration: durationSeconds,
    });
    limiters.set(name, found);
  }
  return found;
}

/** Seconds until the key may try again, or 0 when it is not blocked. */
export async function blockedFor(l: Limiter, key: string): Promise<number> {
  const res = await l.get(key);
  if (!res || res.consumedPoints < l.points) return 0;
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/** Count one event; returns seconds to wait when the limit is now passed, else 0. */
export async function hit(l: Limiter, key: string): Promise<number> {
  try {
    await l.consume(key);
    return 0;
  } catch (rejection) {
    if (rejection instanceof Error) throw rejection;
    return Math.max(1, Math.ceil((rejection as RateLimiterRes).msBeforeNext / 1000));
  }
}

export const loginLimiters = () => ({
  account: limiter("login_account", LOGIN_LIMITS.perAccount, WINDOW_SECONDS),
  ip: limiter("login_ip", LOGIN_LIMITS.perIp, WINDOW_SECONDS),
});
