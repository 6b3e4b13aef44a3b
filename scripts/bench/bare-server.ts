/**
 * The bare limit: node:http + mysql2 doing the same database work as the site's routes, with no framework,
 * no React and no checks beyond the session. Each benchmark compares the site against these handlers in the same run.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { createPool } from "mysql2/promise";

const pool = createPool({ uri: process.env.DATABASE_URL, connectionLimit: 10, timezone: "Z", dateStrings: ["DATE"] });
pool.on("connection", (conn) => void conn.query("SET time_zone = '+00:00'"));

// The bare pages write what the site's pages write, by hand: the same head, header, navigation menu and tab bar,
// the same script tags and module preloads, and the page's data again as JSON for the browser (what the site sends
// for hydration), every dynamic value escaped. Only the framework is missing. Sizes are printed by the benchmark.
const esc = (v: unknown) =>
  String(v ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
const json = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c");
const CSS = `<link rel="stylesheet" href="/build/_assets/styles.css"/>`;
const PRELOADS = Array.from(
  { length: 18 },
  (_, i) => `<link rel="modulepreload" href="/build/_shared/chunk-${i}ABCDEFG.js"/>`,
).join("");
const NAV = [
  ["/", "首页"],
  ["/courses", "课程"],
  ["/exams", "考试"],
  ["/practice", "练习"],
  ["/training", "我的学时"],
  ["/drills", "演练"],
  ["/me", "我的"],
];
const TABS = [
  ["/", "首页", "M3 11.5 12 4l9 7.5V20a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1v-8.5Z"],
  [
    "/courses",
    "学习",
    "M4 5.5A2.5 2.5 0 0 1 6.5 3H20v15H6.5A2.5 2.5 0 0 0 4 20.5v-15ZM6.5 18H20v3H6.5a1.5 1.5 0 0 1 0-3Z",
  ],
  ["/exams", "考试", "M7 3h10a2 2 0 0 1 2 2v16l-3-2-2 2-2-2-2 2-2-2-3 2V5a2 2 0 0 1 2-2Zm1 5v2h8V8H8Zm0 4v2h6v-2H8Z"],
  ["/me", "我的", "M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9Zm0 2c-4.4 0-8 2.2-8 5v2h16v-2c0-2.8-3.6-5-8-5Z"],
];
const BELL = `<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"></path></svg>`;
const link = (to: string, label: string, here: string) =>
  `<a${to === here ? ' aria-current="page" class="active"' : ""} href="${to}">${esc(label)}</a>`;

function shell(user: any, unread: number, here: string) {
  const nav = NAV.map(([to, label]) => link(to, label, here)).join("");
  const badge = unread ? `<span class="count">${unread >= 100 ? "99+" : unread}</span>` : "";
  return `<header class="topbar topbar-worker"><a class="brand" href="/">安训</a><nav class="nav nav-wide" aria-label="主导航">${nav}</nav><div class="top-actions"><a class="inbox-link" href="/inbox" aria-label="站内信">${BELL}${badge}</a><details class="menu"><summary aria-label="菜单"><span class="menu-icon" aria-hidden="true"></span><span class="menu-name">${esc(user.display_name)}</span></summary><div class="menu-panel"><p class="menu-who"><strong>${esc(user.display_name)}</strong><br/><span class="small">从业人员</span></p><nav class="menu-nav" aria-label="全部功能">${nav}${link("/inbox", "站内信", here)}</nav><div class="menu-account"><a href="/account/password">修改密码</a><form method="post" action="/logout"><button type="submit" class="secondary">退出</button></form></div></div></details></div></header><nav class="tabbar" aria-label="底部导航">${TABS.map(([to, label, d]) => `<a${to === here ? ' aria-current="page" class="active"' : ""} href="${to}"><svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false"><path fill="currentColor" d="${d}"></path></svg><span>${label}</span></a>`).join("")}</nav>`;
}

/** The page: head, the page's markup, the scripts with the response's nonce and the data for the browser. */
function page(nonce: string, title: string, header: string, main: string, routes: string[], data: unknown) {
  const manifest = Object.fromEntries(
    routes.map((id) => [
      id,
      { id, module: `/build/${id}-ABCDEFGH.js`, imports: ["/build/_shared/chunk-0ABCDEFG.js"], hasLoader: true },
    ]),
  );
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charSet="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><title>${esc(title)}</title>${CSS}</head><body><a class="skip" href="#main">跳到正文</a>${header}<main id="main"${header.includes("tabbar") ? ' class="with-tabbar"' : ""}>${main}</main><script nonce="${nonce}">${SCROLL_SCRIPT}</script>${PRELOADS}<script nonce="${nonce}" type="module" async="">window.__manifest = ${JSON.stringify({ routes: manifest, version: "3da0599b" }, null, 2)};import("/build/entry.client.js");</script><script nonce="${nonce}">window.__data = ${json(data)};</script></body></html>`;
}
// As long as the scroll-restoration script the site inlines on every page.
const SCROLL_SCRIPT =
  `(() => { let k = "positions"; try { let p = JSON.parse(sessionStorage.getItem(k) || "{}"); let y = p[window.history.state && window.history.state.key] ; if (typeof y === "number") window.scrollTo(0, y); } catch (e) { sessionStorage.removeItem(k); } })();`.repeat(
    4,
  );

/** The security headers the site sends with a page, with a fresh nonce. */
function pageHeaders(nonce: string) {
  return {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": `default-src 'self'; script-src 'self' 'nonce-${nonce}' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'`,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
  };
}

function sessionId(cookie: string | undefined) {
  return /anxun_session=([a-z0-9]+)/.exec(cookie ?? "")?.[1] ?? null;
}

export type Reply = [number, string, Record<string, string>?];
export type Handler = (url: URL, cookie: string | undefined, body: string) => Promise<Reply>;

/** The same work as the site's getActor(): its one prepared statement for the session and its user. */
export async function actorOf(cookie: string | undefined) {
  const id = sessionId(cookie);
  if (!id) return null;
  const [[row]] = await pool.execute<any[]>(
    "SELECT s.user_id, s.expires_at, u.username, u.display_name, u.role, u.enterprise_id, u.region_id, u.person_id, u.active FROM `session` s INNER JOIN `user` u ON u.id = s.user_id WHERE s.id = ?",
    [id],
  );
  return row && row.active && new Date(row.expires_at) > new Date() ? { ...row, id: row.user_id } : null;
}

/** The root loader's 站内信 badge, on every page of a logged-in user. */
async function unreadOf(user: any) {
  const [[r]] = await pool.query<any[]>(
    "select COUNT(*) as `n` from (select 1 as `x` from `notification` where `read_at` is null and (`user_id` = ? or `person_id` = ?) limit ?) as `t`",
    [user.id, user.person_id, 100],
  );
  return Number(r.n);
}

const LOGIN_FORM = `<div class="login card"><h1>登录安训</h1><p class="muted">安全生产培训、考试、持证与应急演练管理</p><form method="post" action="/login" class="stack" novalidate=""><input type="hidden" name="next" value="/"/><div class="field"><label for="f-username">用户名<span aria-hidden="true" class="muted"> *</span></label><input id="f-username" name="username" type="text" required="" autoComplete="username" value=""/></div><div class="field"><label for="f-password">密码<span aria-hidden="true" class="muted"> *</span></label><input id="f-password" name="password" type="password" required="" autoComplete="current-password"/></div><button type="submit">登录</button></form></div>`;

/** The worker's home page: the same statements as the site's root and home loaders, in the same order. */
async function homePage(user: any, nonce: string): Promise<Reply> {
  const p = user.person_id;
  const year = new Date().getUTCFullYear();
  const q = async (sql: string, values: unknown[]) => (await pool.query<any[]>(sql, values))[0];
  const [unread, home, [assignments, progress], [hours, rules], owned, drills, exams, followUps, certificates, [name]] =
    await Promise.all([
      unreadOf(user),
      q(
        "select `person`.`id`, `person`.`name`, `person`.`post`, `person`.`hire_date`, `enterprise`.`name` as `enterprise_name` from `person` inner join `enterprise` on `enterprise`.`id` = `person`.`enterprise_id` where `person`.`id` = ?",
        [p],
      ),
      (async () => {
        const rows = await q(
          "select `course_assignment`.`id`, `course_assignment`.`course_id`, `course_assignment`.`target`, `course_assignment`.`target_post`, `course_assignment`.`target_person_id`, `course_assignment`.`due_on`, `course_assignment`.`due_days`, `course_assignment`.`created_at`, `course`.`slug`, `course`.`title`, `course`.`hours`, `course_completion`.`completed_at`, `person`.`post` as `person_post`, `person`.`hire_date` as `person_hire_date` from `person` inner join `course_assignment` on `course_assignment`.`enterprise_id` = `person`.`enterprise_id` inner join `course` on `course`.`id` = `course_assignment`.`course_id` left join `course_completion` on `course_completion`.`course_id` = `course_assignment`.`course_id` and `course_completion`.`person_id` = ? where `person`.`id` = ? and `course_assignment`.`active` = ? and `course`.`active` = ?",
          [p, p, 1, 1],
        );
        const ids = rows.map((r) => r.course_id);
        const started = ids.length
          ? await q(
              `SELECT lp.person_id, l.course_id FROM lesson_progress lp JOIN lesson l ON l.id = lp.lesson_id WHERE l.course_id IN (${ids.map(() => "?")}) AND lp.person_id IN (?) UNION SELECT s.person_id, s.course_id FROM study_session s WHERE s.course_id IN (${ids.map(() => "?")}) AND s.person_id IN (?)`,
              [...ids, p, ...ids, p],
            )
          : [];
        return [rows, started];
      })(),
      Promise.all([
        q(
          "select `person`.`post`, `person`.`hire_date`, `industry`.`high_risk`, (SELECT COALESCE(SUM(hours), 0) FROM training_record WHERE person_id = ? AND trained_on >= ? AND trained_on <= ?) as `h` from `person` inner join `enterprise` on `enterprise`.`id` = `person`.`enterprise_id` inner join `industry` on `industry`.`code` = `enterprise`.`industry_code` where `person`.`id` = ?",
          [p, `${year}-01-01`, `${year}-12-31`, p],
        ),
        q("select * from `training_hours_rule`", []),
      ]),
      q(
        "select `rectification`.`id`, `rectification`.`drill_id`, `rectification`.`finding`, `rectification`.`due_on`, `rectification`.`status`, `rectification`.`created_at`, `person`.`name` as `owner_name`, `rectification`.`owner_person_id` from `rectification` inner join `person` on `person`.`id` = `rectification`.`owner_person_id` where `rectification`.`owner_person_id` = ? and `rectification`.`status` in (?, ?) order by `rectification`.`due_on` limit ?",
        [p, "open", "submitted", 50],
      ),
      q(
        "(SELECT id FROM drill WHERE organizer_user_id = ? ORDER BY window_start DESC LIMIT ?) UNION ALL (SELECT drill_id AS id FROM drill_member WHERE user_id = ? ORDER BY drill_id DESC LIMIT ?) UNION ALL (SELECT drill_id AS id FROM drill_member WHERE person_id = ? ORDER BY drill_id DESC LIMIT ?)",
        [user.id, 10, user.id, 10, p, 10],
      ),
      (async () => {
        const [person] = await q("select `enterprise_id`, `post` from `person` where `id` = ?", [p]);
        const exams = await q(
          "select `exam`.`id`, `exam`.`title`, `exam`.`posts`, `exam`.`opens_at`, `exam`.`closes_at`, `exam`.`makeup_of`, `exam_template`.`time_limit_minutes`, `exam_template`.`attempts_allowed`, `exam_template`.`pass_mark` from `exam` inner join `exam_template` on `exam_template`.`id` = `exam`.`template_id` where `exam`.`enterprise_id` = ? and `exam`.`closes_at` > DATE_SUB(UTC_TIMESTAMP(), INTERVAL 30 DAY) order by `exam`.`closes_at`",
          [person.enterprise_id],
        );
        const named = new Set(
          (await q("select `exam_id` from `exam_person` where `person_id` = ?", [p])).map((r) => r.exam_id),
        );
        const mine = exams.filter((e) =>
          e.makeup_of === null ? e.posts.split(",").includes(person.post) : named.has(e.id),
        );
        const attempts = mine.length
          ? await q(
              `select \`id\`, \`exam_id\`, \`attempt_no\`, \`submitted_at\`, \`deadline_at\`, \`score\`, \`passed\` from \`attempt\` where \`person_id\` = ? and \`exam_id\` in (${mine.map(() => "?")}) order by \`attempt_no\``,
              [p, ...mine.map((e) => e.id)],
            )
          : [];
        return mine.map((e) => ({ ...e, attempts: attempts.filter((a) => a.exam_id === e.id) }));
      })(),
      q(
        "select `follow_up`.`id`, `follow_up`.`weak_topics`, `follow_up`.`retest_due`, `follow_up`.`closed_at`, `follow_up`.`closed_how`, `course`.`title` as `course_title`, `course`.`slug` as `course_slug` from `follow_up` left join `course` on `course`.`id` = `follow_up`.`course_id` where `follow_up`.`person_id` = ? order by `follow_up`.`id` desc limit ?",
        [p, 20],
      ),
      q("select * from `certificate` where `person_id` = ? order by `valid_until` desc", [p]),
      q("select `name` from `person` where `id` = ?", [p]),
    ]);
  const person = home[0];
  const done = Number(hours[0]?.h ?? 0);
  const todo = [
    ...assignments.map((a) => ({
      kind: "assignment",
      title: a.title,
      href: `/courses/${a.slug}`,
      meta: `截止 ${a.due_on ?? "—"}`,
      started: progress.some((s) => s.course_id === a.course_id),
    })),
    ...exams.map((e) => ({
      kind: "exam",
      title: e.title,
      href: `/exams/${e.id}`,
      meta: `${String(e.closes_at).slice(0, 10)} 截止`,
      attempts: e.attempts.length,
    })),
    ...followUps.map((f) => ({
      kind: "follow-up",
      title: f.course_title,
      href: `/follow-ups/${f.id}`,
      meta: f.retest_due,
    })),
    ...certificates.map((c) => ({
      kind: "certificate",
      title: c.item ?? c.category,
      href: `/certificates/${c.id}`,
      meta: c.valid_until,
    })),
    ...owned.map((r) => ({ kind: "rectification", title: r.finding, href: `/drills/${r.drill_id}`, meta: r.due_on })),
  ];
  const main = `<h1>您好，${esc(name?.name ?? user.display_name)}</h1><p class="muted">${esc(person?.enterprise_name)} · ${esc(person?.post)}</p><section aria-labelledby="todo"><h2 id="todo">待办 <span class="badge">${todo.length}</span></h2><ul class="todo-list">${todo.map((t) => `<li class="todo normal"><span class="kind">${esc(t.kind)}</span><div class="body"><a class="title" href="${esc(t.href)}">${esc(t.title)}</a><div class="meta">${esc(t.meta)}</div></div></li>`).join("")}</ul></section><section class="card" aria-labelledby="hours"><h2 id="hours">今年学时</h2><p><span class="stat">${done}</span><span class="muted"> / 要求 ${esc(rules.length)} 学时</span></p><div class="progress"><div style="width:${Math.min(100, done * 5)}%"></div></div><p class="small"><a href="/training">查看学时记录</a> · <a href="/practice">练习与错题本</a></p></section><p class="small">${drills.length} 项演练</p>`;
  const data = {
    root: {
      actor: { displayName: user.display_name, roleLabel: "从业人员" },
      nav: { items: NAV, tabs: TABS.map(([to, label]) => [to, label]) },
      unread,
      timeZone: "Asia/Shanghai",
    },
    home: {
      name: name?.name,
      person,
      assignments,
      hours: { done },
      todo,
      drills,
      today: new Date().toISOString().slice(0, 10),
    },
  };
  return [
    200,
    page(nonce, "首页 · 安训", shell(user, unread, "/"), main, ["root", "routes/_index"], data),
    pageHeaders(nonce),
  ];
}

export const handlers: Record<string, Handler> = {
  "/login": async (_url, cookie) => {
    // The site's login loader looks for a session first (none: no cookie, no query).
    if (await actorOf(cookie)) return [302, ""];
    const nonce = randomBytes(16).toString("base64");
    const main = LOGIN_FORM;
    return [
      200,
      page(
        nonce,
        "登录 · 安训",
        `<header class="topbar"><a class="brand" href="/">安训</a></header>`,
        main,
        ["root", "routes/login"],
        {
          root: { actor: null, nav: { items: [], tabs: [] }, unread: 0, timeZone: "Asia/Shanghai" },
          "routes/login": null,
        },
      ),
      pageHeaders(nonce),
    ];
  },
  "/": async (_url, cookie) => {
    const user = await actorOf(cookie);
    if (!user) return [302, ""];
    return homePage(user, randomBytes(16).toString("base64"));
  },
};

// The lesson page: the same statements as the site's root and lesson loaders, in the same order, and the compiled
// lesson from the same catalog file.
const catalog = JSON.parse(readFileSync(path.join(process.cwd(), ".cache/content/catalog.json"), "utf8")) as {
  courses: { slug: string; title: string; lessons: { slug: string; code: string; title: string }[] }[];
};

async function lessonPage(url: URL, cookie: string | undefined): Promise<Reply> {
  const [, , courseSlug, lessonSlug] = url.pathname.split("/");
  const user = await actorOf(cookie);
  if (!user) return [302, ""];
  const course = catalog.courses.find((c) => c.slug === courseSlug);
  const lesson = course?.lessons.find((l) => l.slug === lessonSlug);
  const p = user.person_id;
  const q = async (sql: string, values: unknown[]) => (await pool.query<any[]>(sql, values))[0];
  const [unread, [row], [learner]] = await Promise.all([
    unreadOf(user),
    q(
      "select `lesson`.`id`, `lesson`.`course_id`, `lesson`.`chars`, `lesson`.`title`, `course`.`title` as `course_title`, `course`.`hours`, `course`.`version` from `lesson` inner join `course` on `course`.`id` = `lesson`.`course_id` where `course`.`slug` = ? and `lesson`.`slug` = ? and `lesson`.`active` = ? and `course`.`active` = ?",
      [courseSlug, lessonSlug, 1, 1],
    ),
    q(
      "select `enterprise`.`id` as `enterpriseId`, `enterprise`.`region_path` as `regionPath`, `enterprise`.`study_photo_checkin` as `photoCheckin` from `person` inner join `enterprise` on `enterprise`.`id` = `person`.`enterprise_id` where `person`.`id` = ?",
      [p],
    ),
  ]);
  if (!course || !lesson || !row) return [404, ""];
  const paths = String(learner.regionPath)
    .split("/")
    .filter(Boolean)
    .reduce((a, seg) => [...a, `${a.at(-1)}${seg}/`], ["/"]);
  const [[rule, [chars]], [progress, [completion]]] = await Promise.all([
    (async () => {
      const rules = await q(
        `select * from \`study_rule\` where \`region_path\` in (${paths.map(() => "?")}) order by LENGTH(region_path) desc limit ?`,
        [...paths, 1],
      );
      const total = await q(
        "select COALESCE(SUM(chars), 0) as `chars` from `lesson` where `course_id` = ? and `active` = ?",
        [row.course_id, 1],
      );
      return [rules[0], total];
    })(),
    (async () => {
      const lessons = await q(
        "select `lesson`.`id`, `lesson`.`slug`, `lesson_progress`.`seconds_spent`, `lesson_progress`.`completed_at` from `lesson` left join `lesson_progress` on `lesson_progress`.`lesson_id` = `lesson`.`id` and `lesson_progress`.`person_id` = ? where `lesson`.`course_id` = ? and `lesson`.`active` = ?",
        [p, row.course_id, 1],
      );
      const done = await q("select `completed_at` from `course_completion` where `person_id` = ? and `course_id` = ?", [
        p,
        row.course_id,
      ]);
      return [lessons, done];
    })(),
  ]);
  const mine = progress.find((l: any) => l.id === row.id);
  const i = course.lessons.indexOf(lesson);
  const needed = Math.round((Number(row.chars) / Math.max(1, Number(chars.chars))) * Number(row.hours) * 3600 * 0.5);
  const main = `<p class="small"><a href="/courses/${esc(course.slug)}">${esc(course.title)}</a> · 第 ${i + 1}/${course.lessons.length} 课</p><h1>${esc(lesson.title)}</h1><section class="card study-panel" aria-live="polite" aria-label="学习计时"><div class="study-figures"><span>已计入 <strong>${mine?.seconds_spent ?? 0} 秒</strong></span><span>还需 <strong>${needed} 秒</strong></span></div><progress max="100" value="0"></progress><details class="small"><summary>学时怎么算</summary>${esc(rule?.basis)}</details></section><article class="lesson"></article>`;
  const data = {
    root: {
      actor: { displayName: user.display_name, roleLabel: "从业人员" },
      nav: { items: NAV },
      unread,
      timeZone: "Asia/Shanghai",
    },
    lesson: {
      course: { slug: course.slug, title: course.title },
      lesson: { slug: lesson.slug, title: lesson.title, code: lesson.code, position: i + 1 },
      study: {
        counted: mine?.seconds_spent ?? 0,
        needed,
        completed: Boolean(mine?.completed_at),
        courseCompleted: Boolean(completion),
      },
    },
  };
  const nonce = randomBytes(16).toString("base64");
  return [
    200,
    page(
      nonce,
      `${lesson.title} · 安训`,
      shell(user, unread, "/courses"),
      main,
      ["root", "routes/courses.$slug.$lesson"],
      data,
    ),
    pageHeaders(nonce),
  ];
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
    const [status, body, headers] = await handler(url, req.headers.cookie, Buffer.concat(chunks).toString());
    res.writeHead(status, headers ?? { "content-type": "text/html; charset=utf-8" }).end(body);
  } catch (e) {
    res.writeHead(500).end(String(e));
  }
});
server.listen(Number(process.env.PORT ?? 3301), "127.0.0.1");
