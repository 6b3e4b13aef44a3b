/**
 * The bare limit: node:http + mysql2 doing the same database work as the site's routes, with no framework,
 * no React and no checks. Each benchmark compares the site against these handlers in the same run.
 */
import { createServer } from "node:http";
import { createPool } from "mysql2/promise";

const pool = createPool({ uri: process.env.DATABASE_URL, connectionLimit: 10, timezone: "Z", dateStrings: ["DATE"] });
const html = (body: string) => `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>安训</title></head><body>${body}</body></html>`;
// About the size of the site's login page.
const LOGIN = html(`<form method="post"><label>用户名<input name="username"></label><label>密码<input name="password" type="password"></label><button>登录</button></form>${" ".repeat(2500)}`);

function sessionId(cookie: string | undefined) {
  return /anxun_session=([a-z0-9]+)/.exec(cookie ?? "")?.[1] ?? null;
}

export type Handler = (url: URL, cookie: string | undefined, body: string) => Promise<[number, string]>;

/** The same work as getActor(): the session row and its user (lucia runs these two). */
export async function actorOf(cookie: string | undefined) {
  const id = sessionId(cookie);
  if (!id) return null;
  const [[session]] = await pool.query<any[]>("SELECT * FROM session WHERE id = ?", [id]);
  const [[user]] = await pool.query<any[]>("SELECT user.* FROM session INNER JOIN user ON user.id = session.user_id WHERE session.id = ?", [id]);
  return session && user ? user : null;
}

export const handlers: Record<string, Handler> = {
  "/login": async () => [200, LOGIN],
  "/": async (_url, cookie) => {
    const user = await actorOf(cookie);
    if (!user) return [302, ""];
    const [[person]] = await pool.query<any[]>(
      "SELECT person.id, person.name, person.post, person.hire_date, enterprise.name AS enterprise_name FROM person INNER JOIN enterprise ON enterprise.id = person.enterprise_id WHERE person.id = ?",
      [user.person_id]);
    return [200, html(`<h1>您好，${user.display_name}</h1><dl><dd>${person?.name}</dd><dd>${person?.post}</dd><dd>${person?.enterprise_name}</dd></dl>`)];
  },
};

/** Later benchmarks register their bare handlers here. */
export const extraHandlers: Record<string, Handler> = {};

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const handler = handlers[url.pathname] ?? extraHandlers[url.pathname];
  if (!handler) {
    res.writeHead(404).end();
    return;
  }
  try {
    const [status, body] = await handler(url, req.headers.cookie, Buffer.concat(chunks).toString());
    res.writeHead(status, { "content-type": "text/html; charset=utf-8" }).end(body);
  } catch (e) {
    res.writeHead(500).end(String(e));
  }
});
server.listen(Number(process.env.PORT ?? 3301), "127.0.0.1");
