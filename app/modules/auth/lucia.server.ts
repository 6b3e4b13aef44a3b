import { Mysql2Adapter } from "@lucia-auth/adapter-mysql";
import { Lucia, TimeSpan, type DatabaseSession, type DatabaseUser } from "lucia";
import type { RowDataPacket } from "mysql2";
import { rawPool } from "../../lib/db.server";
import { env } from "../../lib/env.server";
import type { Role } from "../../../db/types";

/**
 * Lucia v3 is the only code that touches the session table (docs/decisions/0002-lucia-v3-sessions.md).
 * The session's lifetime is kept in MySQL, where lucia extends it on use (renewal) and deletes it at expiry. The
 * cookie's Max-Age is the same SESSION_DAYS (lucia's `expires: false` would make it 400 days); when lucia renews a
 * session, the response sends the cookie again (entry.server.tsx, takeRenewedSessionCookie()).
 */
/**
 * Lucia's MySQL adapter reads the session and its user with two statements on every request; this reads both with
 * one prepared statement (only the user columns lucia needs). Everything else is the adapter's own.
 */
class OneReadAdapter extends Mysql2Adapter {
  override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [rows] = await rawPool()
      .promise()
      .execute<RowDataPacket[]>(
        "SELECT s.user_id, s.expires_at, u.username, u.display_name, u.role, u.enterprise_id, u.region_id, u.person_id, u.active FROM `session` s INNER JOIN `user` u ON u.id = s.user_id WHERE s.id = ?",
        [sessionId],
      );
    const r = rows[0];
    if (!r) return [null, null];
    const { user_id: userId, expires_at: expiresAt, ...attributes } = r;
    return [
      {
        id: sessionId,
        userId,
        expiresAt: expiresAt instanceof Date ? expiresAt : new Date(`${expiresAt} GMT`),
        attributes: {},
      },
      { id: userId, attributes: attributes as DatabaseUser["attributes"] },
    ];
  }
}

function createLucia() {
  return new Lucia(new OneReadAdapter(rawPool().promise(), { user: "user", session: "session" }), {
    sessionExpiresIn: new TimeSpan(env().SESSION_DAYS, "d"),
    sessionCookie: {
      name: "anxun_session",
      expires: true,
      attributes: { secure: env().NODE_ENV === "production" && !process.env.ANXUN_INSECURE_COOKIES, sameSite: "lax" },
    },
    getUserAttributes: (attributes) => ({
      username: attributes.username,
      displayName: attributes.display_name,
      role: attributes.role,
      enterpriseId: attributes.enterprise_id,
      regionId: attributes.region_id,
      personId: attributes.person_id,
      active: Boolean(attributes.active),
    }),
  });
}

let instance: ReturnType<typeof createLucia> | undefined;
export function lucia() {
  instance ??= createLucia();
  return instance;
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: {
      username: string;
      display_name: string;
      role: Role;
      enterprise_id: number | null;
      region_id: number | null;
      person_id: number | null;
      active: number;
    };
  }
}
