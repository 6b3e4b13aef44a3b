/**
 * Count the SQL statements one page sends: `npx tsx scripts/bench/queries.ts [--user worker] [path ...]`
 * (DATABASE_URL as for the site; the production build must exist). The built Remix handler answers real
 * Requests in this process; every statement on the app's pool (Kysely, lucia, rate limits) is counted.
 */
import { createRequestHandler } from "@remix-run/node";
import path from "node:path";
import { parseArgs } from "node:util";
import { createDatabase } from "../../app/lib/db.server";
import { ROOT } from "./harness";

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { user: { type: "string", default: "worker" }, verbose: { type: "boolean" } },
});
const url = process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/anxun";
const handle = createDatabase(url, 4);
(globalThis as any).__anxunDb = handle;
let log: string[] = [];
handle.pool.on("connection", (conn: any) => {
  for (const method of ["query", "execute"]) {
    const original = conn[method].bind(conn);
    conn[method] = (...a: any[]) => {
      const text = typeof a[0] === "string" ? a[0] : a[0]?.sql;
      if (text && !/^SET time_zone/.test(text)) log.push(text.replace(/\s+/g, " ").slice(0, 160));
      return original(...a);
    };
  }
});

const build = await import(path.join(ROOT, "build/index.js"));
const handler = createRequestHandler(build, "production");
const origin = "http://localhost";
const login = await handler(
  new Request(`${origin}/login`, {
    method: "POST",
    body: new URLSearchParams({ username: opts.user!, password: "Anxun2026" }),
    headers: {
      origin,
      host: "localhost",
      "x-anxun-client-ip": "10.9.9.9",
      "content-type": "application/x-www-form-urlencoded",
    },
  }),
);
const cookie = login.headers.get("set-cookie")?.split(";")[0];
if (!cookie) throw new Error(`login failed: ${login.status}`);
for (const p of positionals.length ? positionals : ["/login", "/", "/courses/work-safety-law/01-principal-duties"]) {
  const headers = { cookie: p === "/login" ? "" : cookie, host: "localhost", "x-anxun-client-ip": "10.9.9.9" };
  await handler(new Request(origin + p, { headers })); // warm: lazy work of a first visit is not the page's cost
  log = [];
  const res = await handler(new Request(origin + p, { headers }));
  await res.text();
  console.log(`${p}: ${res.status}, ${log.length} statements`);
  if (opts.verbose) for (const q of log) console.log(`   ${q}`);
}
await handle.db.destroy();
