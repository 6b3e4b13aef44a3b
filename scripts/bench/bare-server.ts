/**
 * The bare limit: node:http + mysql2 doing the same database work as the site's routes, with no framework,
 * no React and no checks. Each benchmark compares the site against these handlers in the same run.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { createPool } from "mysql2/promise";

const pool = createPool({ uri: process.env.DATABASE_URL, connectionLimit: 10, timezone: "Z", dateStrings: ["DATE"] });
const html = (body: string) =>
  `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>安训</title></head><body>${body}</body></html>`;
// About the size of the site's login page.
const LOGIN = html(
  `<form method="post"><label>用户名<input name="username"></label><label>密码<input name="password" type="password"></label><button>登录</button></form>${" ".repeat(2500)}`,
);

function sessionId(cookie: string | undefined) {
  return /anxun_session=([a-z0-9]+)/.exec(cookie ?? "")?.[1] ?? null;
}

export type Handler = (url: URL, cookie: string | undefined, body: string) => Promise<[number, string]>;

/** The same work as getActor(): the session row and its user (lucia runs these two). */
export async function actorOf(cookie: string | undefined) {
  const id = sessionId(cookie);
  if (!id) return null;
  const [[session]] = await pool.query<any[]>("SELECT * FROM session WHERE id = ?", [id]);
  const [[user]] = await pool.query<any[]>(
    "SELECT user.* FROM session INNER JOIN user ON user.id = session.user_id WHERE session.id = ?",
    [id],
  );
  return session && user ? user : null;
}

export const handlers: Record<string, Handler> = {
  "/login": async () => [200, LOGIN],
  "/": async (_url, cookie) => {
    const user = await actorOf(cookie);
    if (!user) return [302, ""];
    const [[person]] = await pool.query<any[]>(
      "SELECT person.id, person.name, person.post, person.hire_date, enterprise.name AS enterprise_name FROM person INNER JOIN enterprise ON enterprise.id = person.enterprise_id WHERE person.id = ?",
      [user.person_id],
    );
    return [
      200,
      html(
        `<h1>您好，${user.display_name}</h1><dl><dd>${person?.name}</dd><dd>${person?.post}</dd><dd>${person?.enterprise_name}</dd></dl>`,
      ),
    ];
  },
};

// The lesson page: the same queries as the site's loader (lesson row, start the time count, progress) and
// the compiled lesson from the same catalog file, wrapped in a minimal page.
const catalog = JSON.parse(readFileSync(path.join(process.cwd(), ".cache/content/catalog.json"), "utf8")) as {
  courses: { slug: string; lessons: { slug: string; code: string; title: string }[] }[];
};

async function lessonPage(url: URL, cookie: string | undefined): Promise<[number, string]> {
  const [, , courseSlug, lessonSlug] = url.pathname.split("/");
  const user = await actorOf(cookie);
  if (!user) return [302, ""];
  const lesson = catalog.courses.find((c) => c.slug === courseSlug)?.lessons.find((l) => l.slug === lessonSlug);
  const [[row]] = await pool.query<any[]>(
    "SELECT lesson.id, lesson.course_id, lesson.chars FROM lesson INNER JOIN course ON course.id = lesson.course_id WHERE course.slug = ? AND lesson.slug = ? AND lesson.active = 1",
    [courseSlug, lessonSlug],
  );
  if (!lesson || !row) return [404, ""];
  await pool.query(
    "INSERT IGNORE INTO lesson_progress (person_id, lesson_id, seconds_spent, last_seen_at) VALUES (?, ?, 0, UTC_TIMESTAMP())",
    [user.person_id, row.id],
  );
  const [progress] = await pool.query<any[]>(
    "SELECT lesson.id, lesson_progress.seconds_spent, lesson_progress.completed_at FROM lesson LEFT JOIN lesson_progress ON lesson_progress.lesson_id = lesson.id AND lesson_progress.person_id = ? WHERE lesson.course_id = ? AND lesson.active = 1",
    [user.person_id, row.course_id],
  );
  return [200, html(`<h1>${lesson.title}</h1><p>${progress.length}</p><script>${lesson.code}</script>`)];
}

// Answer autosave: the session, the attempt and item row, then the ordered upsert (what saveAnswer does).
async function saveAnswerBare(url: URL, cookie: string | undefined, body: string): Promise<[number, string]> {
  const user = await actorOf(cookie);
  if (!user) return [401, ""];
  const attemptId = Number(url.pathname.split("/")[2]);
  const form = new URLSearchParams(body);
  const [[row]] = await pool.query<any[]>(
    `SELECT attempt.person_id, attempt.deadline_at, attempt.submitted_at, attempt_item.option_order, question.type FROM attempt
     INNER JOIN attempt_item ON attempt_item.attempt_id = attempt.id INNER JOIN question ON question.id = attempt_item.question_id
     WHERE attempt.id = ? AND attempt_item.position = ?`,
    [attemptId, Number(form.get("position"))],
  );
  if (!row || row.person_id !== user.person_id) return [404, ""];
  await pool.query(
    `INSERT INTO attempt_answer (attempt_id, position, answer, client_seq, saved_at) VALUES (?, ?, ?, ?, UTC_TIMESTAMP(3))
     ON DUPLICATE KEY UPDATE answer = IF(VALUES(client_seq) > client_seq, VALUES(answer), answer),
       saved_at = IF(VALUES(client_seq) > client_seq, VALUES(saved_at), saved_at), client_seq = GREATEST(client_seq, VALUES(client_seq))`,
    [attemptId, Number(form.get("position")), form.get("answer"), Number(form.get("seq"))],
  );
  return [200, JSON.stringify({ ok: true })];
}

/** Handlers matched by path prefix. */
export const prefixHandlers: [string, Handler][] = [
  ["/courses/", lessonPage],
  ["/attempts/", saveAnswerBare],
];

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const handler = handlers[url.pathname] ?? prefixHandlers.find(([prefix]) => url.pathname.startsWith(prefix))?.[1];
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
