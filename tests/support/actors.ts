import { expect } from "vitest";
import { db } from "../../app/lib/db.server";
import type { Actor } from "../../app/modules/auth/policy";
import { login } from "../../app/modules/auth/session.server";
import { DEMO_PASSWORD } from "../../db/seed/demo";

/** The Actor of a demo account, as getActor() would build it. */
export async function actorOf(username: string): Promise<Actor> {
  const u = await db
    .selectFrom("user")
    .leftJoin("region", "region.id", "user.region_id")
    .select([
      "user.id",
      "user.username",
      "user.display_name",
      "user.role",
      "user.enterprise_id",
      "user.person_id",
      "region.path",
    ])
    .where("username", "=", username)
    .executeTakeFirstOrThrow();
  return {
    userId: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    enterpriseId: u.enterprise_id,
    regionPath: u.path,
    personId: u.person_id,
  };
}

/** A session cookie header for a demo account, through the real login. */
export async function cookieOf(username: string, password = DEMO_PASSWORD): Promise<string> {
  const result = await login(username, password, `10.0.0.${Math.floor(Math.random() * 200) + 1}`);
  if (!result.ok) throw new Error(`login failed for ${username}: ${result.message}`);
  return result.cookie.split(";")[0];
}

const ORIGIN = "http://localhost";

/** A request as the browser would send it to a loader (GET) or an action (POST form). */
export function request(path: string, cookie: string | null, form?: Record<string, string> | FormData): Request {
  const headers = new Headers({ "x-anxun-client-ip": "127.0.0.1", origin: ORIGIN });
  if (cookie) headers.set("cookie", cookie);
  if (!form) return new Request(ORIGIN + path, { headers });
  const body = form instanceof FormData ? form : new URLSearchParams(form);
  return new Request(ORIGIN + path, { method: "POST", headers, body });
}

/**
 * What a test sees of a loader's or action's value: `data()` unwrapped to its data; a `Response` (a redirect, a file,
 * `json()`) has no data a test reads, so `null`; anything else as it was returned.
 */
export type RunData<T> = T extends Response
  ? null
  : T extends { type: string; data: infer D; init: ResponseInit | null }
    ? D
    : T;

/** A loader's or action's answer: its status, its data (typed from what the function returns) and its headers. */
export type Ran<D> = { status: number; data: D; headers: Headers };
/** What the narrowing helpers below read of an answer (tests' own wrappers may drop the headers). */
type Answer<D> = { status: number; data: D };

function isDataWithInit(value: unknown): value is { type: string; data: unknown; init: ResponseInit | null } {
  return !!value && typeof value === "object" && (value as { type?: unknown }).type === "DataWithResponseInit";
}

/** Run a loader/action and give back its status and data, whether it returned or threw. */
export async function run<T>(fn: () => T): Promise<Ran<RunData<Awaited<T>>>> {
  const settle = (value: unknown): Ran<unknown> => {
    if (value instanceof Response) return { status: value.status, data: null, headers: value.headers };
    if (isDataWithInit(value)) {
      return { status: value.init?.status ?? 200, data: value.data, headers: new Headers(value.init?.headers) };
    }
    return { status: 200, data: value, headers: new Headers() };
  };
  let settled: Ran<unknown>;
  try {
    settled = settle(await fn());
  } catch (thrown) {
    if (thrown instanceof Response || isDataWithInit(thrown)) settled = settle(thrown);
    else throw thrown;
  }
  // The type is what `fn` returns (unwrapped as RunData says). What it throws is not in that type: a thrown Response
  // (a redirect) gives `data: null`, a thrown `data({ message })` (app/lib/http.ts) is read with thrownMessage().
  return settled as Ran<RunData<Awaited<T>>>;
}

/** What a route answers when it refuses: a form's `ActionFailure` or a fetcher's `Refusal` (`ok: false`), or a page's banner. */
type Refusing = { ok: false } | { formError: string };
/** The refusals among a route's answers. */
export type Refused<D> = Extract<D, Refusing>;
/** A route's answers that were granted: neither a refusal nor a bare Response. */
export type Granted<D> = Exclude<NonNullable<D>, Refusing>;

function refusing(value: unknown): boolean {
  if (!value || typeof value !== "object") return false;
  const v = value as { ok?: unknown; formError?: unknown };
  return v.ok === false || (v.ok === undefined && typeof v.formError === "string");
}

/** The data of a granted answer: asserts a status below 400 and data that is not a refusal, and types it so. */
export function okData<D>(r: Answer<D>): Granted<D> {
  expect(r.status, "status of a granted answer").toBeLessThan(400);
  expect(r.data, "data of a granted answer").not.toBeNull();
  expect(refusing(r.data), "a granted answer is no refusal").toBe(false);
  return r.data as Granted<D>;
}

/** The refusal a route answered (returned, status 400 or above), typed as the route's refusal shape. */
export function refusalOf<D>(r: Answer<D>): Refused<D> {
  expect(r.status, "status of a refusal").toBeGreaterThanOrEqual(400);
  expect(refusing(r.data), "a refusal").toBe(true);
  return r.data as Refused<D>;
}

/**
 * The message of a refusal a loader or action threw with `httpError()` / `forbidden()` / `notFound()`
 * (`app/lib/http.ts`): `data({ message }, { status })`, which the route's return type does not show.
 */
export function thrownMessage(r: Answer<unknown>): string {
  expect(r.status, "status of a thrown refusal").toBeGreaterThanOrEqual(400);
  const message = (r.data as { message?: unknown } | null)?.message;
  expect(typeof message, "a thrown refusal's message").toBe("string");
  return message as string;
}

/** One case of a union told apart by a tag (`stage`, `intent`, `ok`…): asserts the tag and narrows the type to that case. */
export function caseOf<D extends object, const K extends string, const V extends string | number | boolean>(
  data: D | null,
  key: K,
  value: V,
): Extract<D, Record<K, V>> {
  expect((data as Record<string, unknown> | null)?.[key], `${key} of the answer`).toBe(value);
  return data as Extract<D, Record<K, V>>;
}

type KeysOfUnion<D> = D extends unknown ? keyof D : never;
type ValueIn<D, K extends PropertyKey> = D extends unknown ? (K extends keyof D ? D[K] : undefined) : never;

/**
 * A property that only some cases of a union carry (e.g. a drill's `scenario`, which only the full view has), read as
 * plain JavaScript reads it: `undefined` where the case lacks it. No assertion; the test asserts on the value.
 */
export function member<D extends object, K extends KeysOfUnion<D>>(data: D, key: K): ValueIn<D, K> {
  return (data as Record<PropertyKey, unknown>)[key] as ValueIn<D, K>;
}

export async function personIdsOf(enterpriseName: string) {
  const rows = await db
    .selectFrom("person")
    .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
    .select(["person.id", "person.post", "person.enterprise_id"])
    .where("enterprise.name", "=", enterpriseName)
    .execute();
  return rows;
}

/** A worker account for another person of an enterprise (the demo city links only a few people to accounts). */
export async function newWorkerAccount(enterpriseName: string, username: string): Promise<string> {
  const { hashPassword } = await import("../../app/modules/auth/password.server");
  const taken = new Set(
    (await db.selectFrom("user").select("person_id").where("person_id", "is not", null).execute()).map(
      (u) => u.person_id,
    ),
  );
  const person = (await personIdsOf(enterpriseName)).find((p) => !taken.has(p.id) && p.post === "worker")!;
  await db
    .insertInto("user")
    .values({
      id: username.padEnd(16, "x").slice(0, 16),
      username,
      password_hash: await hashPassword(DEMO_PASSWORD),
      role: "worker",
      display_name: username,
      enterprise_id: person.enterprise_id,
      region_id: null,
      person_id: person.id,
    })
    .execute();
  return cookieOf(username);
}
