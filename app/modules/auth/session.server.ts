import { redirect } from "@remix-run/node";
import { db } from "../../lib/db.server";
import { forbidden } from "../../lib/http";
import { recordAudit } from "../audit/audit.server";
import { lucia } from "./lucia.server";
import { burnVerifyTime, hashPassword, verifyPassword } from "./password.server";
import { can, refusalMessage, type Action, type Actor, type Resource } from "./policy";
import { addressKey, blockedFor, failuresOf, hit, loginLimiters, progressiveDelayMs } from "./rate-limit.server";
import { normalizeUsername, USERNAME_PATTERN } from "./username";

export function clientIp(request: Request): string {
  // Set by scripts/server.js from the socket (or the trusted proxy's X-Forwarded-For).
  return request.headers.get("x-anxun-client-ip") ?? "unknown";
}

async function regionPathOf(regionId: number | null): Promise<string | null> {
  if (regionId === null) return null;
  const row = await db.selectFrom("region").select("path").where("id", "=", regionId).executeTakeFirst();
  return row?.path ?? null;
}

/** The session id from the Cookie header; a malformed header (lucia's parser throws on bad %-escapes) is none. */
function sessionIdOf(cookieHeader: string | null): string | null {
  try {
    const id = lucia().readSessionCookie(cookieHeader ?? "");
    return id && /^[a-z0-9]{16,64}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

// Sessions lucia renewed while answering a request, so that the response sends the cookie again with the new
// lifetime (entry.server.tsx). In-process is enough: the request and its response are in the same process. Entries
// not taken (e.g. the autosave fast path) are dropped oldest first.
const renewed = new Map<string, number>();
function noteRenewed(sessionId: string) {
  renewed.set(sessionId, Date.now());
  if (renewed.size > 10_000) renewed.delete(renewed.keys().next().value!);
}

/** A fresh session cookie when this request's session was renewed while it was answered, else null. */
export function takeRenewedSessionCookie(cookieHeader: string | null): string | null {
  const id = sessionIdOf(cookieHeader);
  if (!id || !renewed.delete(id)) return null;
  return lucia().createSessionCookie(id).serialize();
}

// The root loader and the page's loader run for the same request: validate its session once. Remix hands each
// loader its own copy of the Request, so besides the Request itself the key is the cookie of a lookup still in
// flight (dropped when it settles: nothing is cached beyond the moment both loaders ask).
const actorByRequest = new WeakMap<Request, Promise<Actor | null>>();
const actorInFlight = new Map<string, Promise<Actor | null>>();

/** The logged-in actor, or null. A malformed, unknown or expired cookie is simply no session. */
export function getActor(request: Request): Promise<Actor | null> {
  let actor = actorByRequest.get(request);
  if (!actor) {
    const cookie = request.headers.get("cookie") ?? "";
    actor = actorInFlight.get(cookie);
    if (!actor) {
      actor = actorFromCookie(cookie);
      actorInFlight.set(cookie, actor);
      const done = () => actorInFlight.delete(cookie);
      actor.then(done, done);
    }
    actorByRequest.set(request, actor);
  }
  return actor;
}

/** The actor of a Cookie header (also for the server's autosave fast path, which has no Fetch Request). */
export async function actorFromCookie(cookieHeader: string | null): Promise<Actor | null> {
  const sessionId = sessionIdOf(cookieHeader);
  if (!sessionId) return null;
  const { session, user } = await lucia().validateSession(sessionId);
  if (!session || !user) return null;
  if (session.fresh) noteRenewed(session.id);
  if (!user.active) {
    await lucia().invalidateUserSessions(user.id);
    return null;
  }
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    enterpriseId: user.enterpriseId,
    regionPath: await regionPathOf(user.regionId),
    personId: user.personId,
  };
}

export async function requireActor(request: Request): Promise<Actor> {
  const actor = await getActor(request);
  if (!actor) {
    const url = new URL(request.url);
    const next = url.pathname + url.search;
    throw redirect(next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`);
  }
  return actor;
}

/** Ask the policy; refuse with a 403 that says why, in Chinese. */
export function authorize(actor: Actor, action: Action, resource: Resource): void {
  if (!can(actor, action, resource)) forbidden(refusalMessage(actor, resource));
}

export type LoginResult =
  { ok: true; cookie: string; role: Actor["role"] } | { ok: false; status: 401 | 429; message: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Log in. The name is normalized first (username.ts), so every spelling of an account shares its counters; the
 * limits are explained in rate-limit.server.ts. A wrong password, an unknown name and a deactivated account get
 * the same answer, in the same time.
 */
export async function login(username: string, password: string, ip: string): Promise<LoginResult> {
  const limits = loginLimiters();
  const name = normalizeUsername(username);
  const address = addressKey(ip);
  const pairKey = `${address}|${name}`;
  const wait = Math.max(await blockedFor(limits.account, pairKey), await blockedFor(limits.ip, address));
  if (wait > 0) {
    return { ok: false, status: 429, message: `登录失败次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试。` };
  }
  const delay = progressiveDelayMs(await failuresOf(limits.accountTotal, name));
  if (delay) await sleep(delay);
  const user = USERNAME_PATTERN.test(name)
    ? await db
        .selectFrom("user")
        .select(["id", "password_hash", "active", "role"])
        .where("username", "=", name)
        .executeTakeFirst()
    : undefined;
  const passwordOk = user
    ? await verifyPassword(user.password_hash, password)
    : (await burnVerifyTime(password), false);
  if (!user || !passwordOk || !user.active) {
    await Promise.all([hit(limits.account, pairKey), hit(limits.ip, address), hit(limits.accountTotal, name)]);
    return { ok: false, status: 401, message: "用户名或密码不正确。" };
  }
  await limits.account.delete(pairKey);
  const session = await lucia().createSession(user.id, {});
  return { ok: true, cookie: lucia().createSessionCookie(session.id).serialize(), role: user.role };
}

export async function logout(request: Request): Promise<string> {
  const sessionId = sessionIdOf(request.headers.get("cookie"));
  if (sessionId) await lucia().invalidateSession(sessionId);
  return lucia().createBlankSessionCookie().serialize();
}

/** Change one's own password; every other session of the account ends. Returns the new session cookie. */
export async function changePassword(
  actor: Actor,
  current: string,
  next: string,
  ip: string,
): Promise<{ ok: true; cookie: string } | { ok: false; field: "current"; status: 422 | 429; message: string }> {
  const limits = loginLimiters();
  const wait = await blockedFor(limits.passwordChange, actor.userId);
  if (wait > 0)
    return {
      ok: false,
      field: "current",
      status: 429,
      message: `当前密码错误次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试。`,
    };
  const user = await db
    .selectFrom("user")
    .select("password_hash")
    .where("id", "=", actor.userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, current))) {
    await hit(limits.passwordChange, actor.userId);
    return { ok: false, field: "current", status: 422, message: "当前密码不正确" };
  }
  await limits.passwordChange.delete(actor.userId);
  const passwordHash = await hashPassword(next);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("user")
      .set({ password_hash: passwordHash, updated_at: new Date() })
      .where("id", "=", actor.userId)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "account.password_changed",
      entityType: "user",
      entityId: actor.userId,
      ip,
    });
  });
  await lucia().invalidateUserSessions(actor.userId);
  const session = await lucia().createSession(actor.userId, {});
  return { ok: true, cookie: lucia().createSessionCookie(session.id).serialize() };
}
