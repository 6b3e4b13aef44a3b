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

/** Run a loader/action and give back its status and data, whether it returned or threw. */
export async function run(
  fn: () => Promise<unknown> | unknown,
): Promise<{ status: number; data: any; headers: Headers }> {
  const settle = (value: any) => {
    if (value instanceof Response) return { status: value.status, data: null, headers: value.headers };
    if (value && typeof value === "object" && value.type === "DataWithResponseInit") {
      return { status: value.init?.status ?? 200, data: value.data, headers: new Headers(value.init?.headers) };
    }
    return { status: 200, data: value, headers: new Headers() };
  };
  try {
    return settle(await fn());
  } catch (thrown) {
    if (
      thrown instanceof Response ||
      (thrown && typeof thrown === "object" && (thrown as any).type === "DataWithResponseInit")
    )
      return settle(thrown);
    throw thrown;
  }
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
