import { RateLimiterMySQL, type RateLimiterRes } from "rate-limiter-flexible";
import { databaseName, rawPool } from "../../lib/db.server";

/**
 * Counters live in MySQL so that every app process shares them. Failed logins only are counted, keyed on the
 * normalized account name (docs/decisions/0012-login-names-and-lockout.md):
 * - 5 per account from one client address (IPv6: its /64) in 15 minutes: that address may not try that account again
 *   until the window passes. A stranger can lock only themselves out of someone's account, never its owner.
 * - 30 per client address in 15 minutes, whatever names it tries.
 * - across all addresses, an account past `accountSoft` failures answers every attempt after a growing delay (up to
 *   `maxDelayMs`), right password or not: distributed guessing slows down, the owner can still log in.
 * - 5 wrong current passwords per account in 15 minutes on the password-change form.
 */
const WINDOW_SECONDS = 15 * 60;
export const LOGIN_LIMITS = {
  perAccount: 5,
  perIp: 30,
  accountSoft: 10,
  maxDelayMs: 5000,
  passwordChange: 5,
  windowSeconds: WINDOW_SECONDS,
};

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
  /** Keyed `<address>|<account>`. */
  account: limiter("login_ip_account", LOGIN_LIMITS.perAccount, WINDOW_SECONDS),
  ip: limiter("login_ip", LOGIN_LIMITS.perIp, WINDOW_SECONDS),
  /** Counts only (never blocks): drives the progressive delay. */
  accountTotal: limiter("login_account_total", 1_000_000, WINDOW_SECONDS),
  passwordChange: limiter("password_change", LOGIN_LIMITS.passwordChange, WINDOW_SECONDS),
});

/** Failures an account has seen in the window, from every address. */
export async function failuresOf(l: Limiter, key: string): Promise<number> {
  return (await l.get(key))?.consumedPoints ?? 0;
}

/** The delay before answering a login for an account with `failures` recent failures: 0, then 250 ms doubling, capped. */
export function progressiveDelayMs(failures: number): number {
  if (failures < LOGIN_LIMITS.accountSoft) return 0;
  return Math.min(LOGIN_LIMITS.maxDelayMs, 250 * 2 ** Math.min(10, failures - LOGIN_LIMITS.accountSoft));
}

/** The client address as a rate-limit key: IPv4 as is (also when IPv6-mapped), IPv6 by its /64, which one host holds. */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!ip.includes(":")) return ip;
  const [head, tail = ""] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = ip.includes("::")
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
