import { Mysql2Adapter } from "@lucia-auth/adapter-mysql";
import { Lucia, TimeSpan } from "lucia";
import { rawPool } from "../../lib/db.server";
import { env } from "../../lib/env.server";
import type { Role } from "../../../db/types";

/**
 * Lucia v3 is the only code that touches the session table (docs/decisions/0002-lucia-v3-sessions.md).
 * The session's lifetime is kept in MySQL, where lucia extends it on use (renewal) and deletes it at expiry. The
 * cookie's Max-Age is the same SESSION_DAYS (lucia's `expires: false` would make it 400 days); when lucia renews a
 * session, the response sends the cookie again (entry.server.tsx, takeRenewedSessionCookie()).
 */
function createLucia() {
  return new Lucia(new Mysql2Adapter(rawPool().promise(), { user: "user", session: "session" }), {
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
