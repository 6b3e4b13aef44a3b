/**
 * Exam day at city scale (`npm run bench -- --only examday [--sizes 2000,5000,10000,20000] [--scale 5] [--questions 6]`).
 *
 * The day being simulated, for N examinees of one enterprise's exam: everyone logs in (password, argon2) and starts
 * within 5 minutes (the "synchronized" variant: within 60 s); each answers one question every 20–40 s (uniform random
 * think time); 5 % lose their connection once (the request in flight is cut, the next answers wait in the page's
 * offline queue for three think times, then the queue is resent in order); at the deadline everyone hands in at once.
 *
 * Time compression (this box cannot hold real time for four sizes): with --scale s, N/s examinees run s times faster
 * (spread 300/s s or 60/s s, think times (20–40)/s s). Logins/s, starts/s and answers/s are then those of N real
 * examinees; what is smaller by s is the number of papers open at once and the hand-in burst (N/s at one moment).
 * The exam is also shorter: each examinee answers --questions of the 40 (positions spread over all three types).
 * Everything runs on 127.0.0.1; every loop is bounded.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createPool, type Pool } from "mysql2/promise";
import { machine, ROOT, writeSection } from "./harness";

const PORT = 3295;
const SITE = `http://127.0.0.1:${PORT}`;
const LETTERS = "ABCDEFGH";

interface Options {
  sizes: number[];
  scale: number;
  questions: number;
  workers: number;
  variants: ("spread" | "sync")[];
  /** Database nodes of a multi-primary cluster: the app processes are spread over them (ANXUN_DATABASE_URLS). */
  nodes: string[];
}
interface Examinee {
  username: string;
  cookie: string;
  attemptId: number;
  answers: Map<number, string>;
  seq: number;
}
type Kind = "login" | "start" | "autosave" | "handin";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

async function startSite(
  databaseUrl: string,
  workers: number,
  nodeUrls: string[] = [],
): Promise<{ stop: () => void; pids: number[]; child: ChildProcess }> {
  const child = spawn("node", ["scripts/cluster.js"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(PORT),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      ANXUN_WORKERS: String(workers),
      ANXUN_INSECURE_COOKIES: "1",
      DB_POOL_SIZE: "20",
      ANXUN_DATABASE_URLS: nodeUrls.join(","),
    },
  });
  let out = "";
  child.stdout!.on("data", (d) => {
    out += d;
    // The site's own error records (pino level 50 and up) are shown: a benchmark's errors must say what failed.
    for (const line of String(d).split("\n")) if (/"level":(5|6)\d/.test(line)) console.error(line.slice(0, 8000));
  });
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`site exited: ${out}`);
    try {
      if ((await fetch(`${SITE}/login`)).status === 200) break;
    } catch {
      /* not up */
    }
    if (i > 240) throw new Error("site did not answer in 60 s");
    await sleep(250);
  }
  const pids = /pids ([\d, ]+)\)/.exec(out)?.[1].split(", ").map(Number) ?? [child.pid!];
  return { stop: () => child.kill("SIGTERM"), pids, child };
}

/** `count` accounts (password Anxun2026, as the demo accounts) for new workers of the exam's enterprise. */
async function makeAccounts(pool: Pool, prefix: string, count: number, enterpriseId: number) {
  const [[hash]] = await pool.query<any[]>("SELECT password_hash FROM user WHERE username = 'worker'");
  const usernames: string[] = [];
  for (let start = 0; start < count; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 1000); i++)
      rows.push([enterpriseId, `考生${prefix}${i}`, `${prefix}-${i}`, `${prefix}-${i}`.slice(0, 18), "worker"]);
    const [ins] = await pool.query<any>(
      "INSERT INTO person (enterprise_id, name, id_number_hash, id_number_masked, post) VALUES ?",
      [rows.map((r) => [r[0], r[1], createHash("sha256").update(`examday:${r[2]}`).digest("hex"), r[3], r[4]])],
    );
    void ins;
    // Read the new ids back by name rather than assume consecutive auto-increment values (Galera steps them).
    const [made] = await pool.query<any[]>("SELECT id, name FROM person WHERE enterprise_id = ? AND name IN (?)", [
      enterpriseId,
      rows.map((r) => r[1]),
    ]);
    const idOf = new Map(made.map((m) => [m.name as string, Number(m.id)]));
    const users = rows.map((r, k) => [
      `${prefix}u${start + k}`.slice(0, 32),
      `${prefix}-${start + k}`,
      hash.password_hash,
      "worker",
      r[1],
      enterpriseId,
      idOf.get(r[1] as string),
    ]);
    await pool.query(
      "INSERT INTO user (id, username, password_hash, role, display_name, enterprise_id, person_id) VALUES ?",
      [users],
    );
    usernames.push(...users.map((u) => u[1] as string));
  }
  return usernames;
}

/** One examinee's day. Records latencies; returns nothing (the examinee object holds the answers given). */
async function examineeDay(
  e: Examinee,
  plan: {
    loginAt: number;
    examId: number;
    positions: number[];
    types: Map<number, string>;
    thinkMs: () => number;
    dropAt: number | null;
    handInAt: number;
    t0: number;
  },
  record: (k: Kind, ms: number, ok: boolean) => void,
  counters: { resent: number; retries: number; cut: number },
) {
  const timed = async (kind: Kind, fn: () => Promise<Response>) => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const t = performance.now();
      const res = await fn().catch(() => null);
      const ok = !!res && res.status < 400;
      record(kind, performance.now() - t, ok);
      if (ok) return res!;
      counters.retries++;
      await sleep(1000);
    }
    throw new Error(`${kind} of ${e.username} failed 20 times`);
  };
  const form = (body: Record<string, string>) => ({
    method: "POST",
    redirect: "manual" as const,
    body: new URLSearchParams(body),
    headers: {
      origin: SITE,
      "content-type": "application/x-www-form-urlencoded",
      ...(e.cookie ? { cookie: e.cookie } : {}),
    },
  });
  await sleep(plan.t0 + plan.loginAt - Date.now());
  const login = await timed("login", () =>
    fetch(`${SITE}/login`, form({ username: e.username, password: "Anxun2026" })),
  );
  e.cookie = login.headers.get("set-cookie")!.split(";")[0];
  const started = await timed("start", () => fetch(`${SITE}/exams/${plan.examId}/start`, form({})));
  e.attemptId = Number(started.headers.get("location")!.split("/").pop());
  const send = (position: number, answer: string, seq: number) =>
    timed("autosave", () =>
      fetch(`${SITE}/attempts/${e.attemptId}/answers`, form({ position: String(position), answer, seq: String(seq) })),
    );
  const queue: [number, string, number][] = [];
  let offlineUntil = 0;
  for (let k = 0; k < plan.positions.length; k++) {
    await sleep(plan.thinkMs());
    const position = plan.positions[k];
    const type = plan.types.get(position)!;
    const answer =
      type === "judge"
        ? Math.random() < 0.5
          ? "true"
          : "false"
        : type === "multiple"
          ? ["AB", "ACD", "BC", "ABCD"][Math.floor(Math.random() * 4)]
          : LETTERS[Math.floor(Math.random() * 4)];
    e.answers.set(position, answer);
    const seq = ++e.seq;
    if (plan.dropAt === k) {
      // The connection drops mid-request; this answer and the next ones wait in the offline queue.
      counters.cut++;
      const abort = new AbortController();
      const lost = fetch(`${SITE}/attempts/${e.attemptId}/answers`, {
        ...form({ position: String(position), answer, seq: String(seq) }),
        signal: abort.signal,
      }).catch(() => null);
      setTimeout(() => abort.abort(), Math.random() * 5);
      await lost;
      offlineUntil = Date.now() + 3 * plan.thinkMs();
    }
    if (Date.now() < offlineUntil) {
      queue.push([position, answer, seq]);
      continue;
    }
    // Back online: the queue goes out first, in order.
    for (const [p, a, s] of queue.splice(0)) {
      counters.resent++;
      await send(p, a, s);
    }
    await send(position, answer, seq);
  }
  if (queue.length) await sleep(Math.max(0, offlineUntil - Date.now()));
  for (const [p, a, s] of queue.splice(0)) {
    counters.resent++;
    await send(p, a, s);
  }
  await sleep(plan.handInAt - Date.now());
  // The hand-in form carries the answers on the page, as the browser sends it.
  const fields: Record<string, string> = {};
  for (const [p, a] of e.answers) fields[`q${p}`] = a;
  return async () => {
    await timed("handin", () => fetch(`${SITE}/attempts/${e.attemptId}`, form(fields)));
  };
}

async function runDay(
  pool: Pool,
  examId: number,
  enterpriseId: number,
  n: number,
  variant: "spread" | "sync",
  o: Options,
  pids: { app: number[]; db: number[] },
) {
  const count = Math.max(1, Math.round(n / o.scale));
  const prefix = `ed${n}${variant[0]}${Date.now() % 100000}`;
  const usernames = await makeAccounts(pool, prefix, count, enterpriseId);
  // Question types by position in the demo template: 20 single, 10 multiple, 10 true/false.
  const types = new Map<number, string>();
  for (let p = 1; p <= 40; p++) types.set(p, p <= 20 ? "single" : p <= 30 ? "multiple" : "judge");
  const positions = Array.from({ length: o.questions }, (_, k) => 1 + Math.floor((k * 40) / o.questions));
  const spreadMs = ((variant === "spread" ? 300 : 60) * 1000) / o.scale;
  const thinkMs = () => ((20 + 20 * Math.random()) * 1000) / o.scale;
  // The deadline: after the last possible starter has had time for every question (and a margin for login and start).
  const handInAt = Date.now() + 3000 + spreadMs + (o.questions + 2) * (40_000 / o.scale) + 5_000;
  const lat: Record<Kind, number[]> = { login: [], start: [], autosave: [], handin: [] };
  let errors = 0;
  const counters = { resent: 0, retries: 0, cut: 0 };
  const record = (k: Kind, ms: number, ok: boolean) => (ok ? lat[k].push(ms) : errors++);
  const examinees: Examinee[] = usernames.map((username) => ({
    username,
    cookie: "",
    attemptId: 0,
    answers: new Map(),
    seq: 0,
  }));
  const cpu0 = {
    app: pids.app.map(cpuSeconds),
    db: pids.db.reduce((t, p) => t + cpuSeconds(p), 0),
    gen: process.cpuUsage(),
  };
  const t0 = Date.now() + 3000;
  const wall0 = performance.now();
  let gaveUp = 0;
  const handIns = await Promise.all(
    examinees.map((e) =>
      examineeDay(
        e,
        {
          loginAt: Math.random() * spreadMs,
          examId,
          positions,
          types,
          thinkMs,
          dropAt: Math.random() < 0.05 ? Math.floor(Math.random() * o.questions) : null,
          handInAt,
          t0,
        },
        record,
        counters,
      ).catch((error) => {
        // An examinee whose requests kept failing: counted (their answers given stay in the comparison), no hand-in.
        gaveUp++;
        console.error(String(error));
        return async () => {};
      }),
    ),
  );
  const lateBy = Date.now() - handInAt;
  // Before the hand-in (which carries the answers again): every answer given must already be stored by autosave.
  const attemptIds = examinees.map((e) => e.attemptId);
  const check = async () => {
    const stored: any[] = [];
    const orders: any[] = [];
    for (let i = 0; i < attemptIds.length; i += 2000) {
      const ids = attemptIds.slice(i, i + 2000);
      stored.push(
        ...(
          await pool.query<any[]>("SELECT attempt_id, position, answer FROM attempt_answer WHERE attempt_id IN (?)", [
            ids,
          ])
        )[0],
      );
      orders.push(
        ...(
          await pool.query<any[]>(
            "SELECT attempt_id, position, option_order FROM attempt_item WHERE attempt_id IN (?)",
            [ids],
          )
        )[0],
      );
    }
    const orderOf = new Map(orders.map((r) => [`${r.attempt_id}:${r.position}`, r.option_order as string]));
    const storedOf = new Map(stored.map((r) => [`${r.attempt_id}:${r.position}`, r.answer as string]));
    let given = 0;
    let matching = 0;
    for (const e of examinees) {
      for (const [p, a] of e.answers) {
        given++;
        const order = orderOf.get(`${e.attemptId}:${p}`);
        const expected = order
          ? [...a]
              .map((l) => LETTERS[Number(order[LETTERS.indexOf(l)])])
              .sort()
              .join("")
          : a;
        if (storedOf.get(`${e.attemptId}:${p}`) === expected) matching++;
      }
    }
    return { given, stored: stored.length, matching };
  };
  const beforeHandIn = await check();
  const handInStart = performance.now();
  await Promise.all(handIns.map((h) => h()));
  const handInWall = (performance.now() - handInStart) / 1000;
  const wall = (performance.now() - wall0) / 1000;
  const cpu = {
    app: pids.app.map(cpuSeconds).reduce((s, v, i) => s + v - cpu0.app[i], 0),
    db: pids.db.length ? pids.db.reduce((t, p) => t + cpuSeconds(p), 0) - cpu0.db : NaN,
    gen: (() => {
      const u = process.cpuUsage(cpu0.gen);
      return (u.user + u.system) / 1e6;
    })(),
  };
  const after = await check();
  const submitted = [];
  for (let i = 0; i < attemptIds.length; i += 2000) {
    submitted.push(
      ...(
        await pool.query<any[]>("SELECT closed_by FROM attempt WHERE id IN (?) AND submitted_at IS NOT NULL", [
          attemptIds.slice(i, i + 2000),
        ])
      )[0],
    );
  }
  return {
    n,
    variant,
    count,
    lat,
    errors,
    gaveUp,
    counters,
    beforeHandIn,
    after,
    submitted: submitted.length,
    handInWall,
    wall,
    cpu,
    lateBy,
  };
}

export async function examdayBenchmark(o: Options) {
  const inDatabase = (url: string) => {
    const u = new URL(url);
    u.pathname = "/anxun_bench_examday";
    return u.toString();
  };
  const nodeUrls = o.nodes.map(inDatabase);
  const databaseUrl = inDatabase(nodeUrls[0] ?? process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/anxun");
  execFileSync("npx", ["tsx", "scripts/db.ts", "reset"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: "ignore",
  });
  const pool = createPool({ uri: databaseUrl, connectionLimit: 4 });
  const [[exam]] = await pool.query<any[]>("SELECT id, enterprise_id FROM exam ORDER BY id LIMIT 1");
  // The exam stays open for the whole run.
  await pool.query(
    "UPDATE exam SET opens_at = UTC_TIMESTAMP() - INTERVAL 1 DAY, closes_at = UTC_TIMESTAMP() + INTERVAL 1 DAY, posts = 'principal,safety_manager,special_operator,worker' WHERE id = ?",
    [exam.id],
  );
  const site = await startSite(databaseUrl, o.workers, nodeUrls);
  // The database's CPU: the machine's server, or on a cluster the sum of its nodes (every mariadbd on the box).
  const dbPids = (() => {
    try {
      return execFileSync("pgrep", ["mariadbd|mysqld"], { encoding: "utf8" })
        .trim()
        .split("\n")
        .map(Number)
        .filter(Boolean);
    } catch {
      return [];
    }
  })();
  const results: Awaited<ReturnType<typeof runDay>>[] = [];
  try {
    for (const variant of o.variants) {
      for (const n of o.sizes) {
        console.log(`exam day: N=${n} (${Math.round(n / o.scale)} simulated at ${o.scale}x), ${variant} ...`);
        const r = await runDay(pool, exam.id, exam.enterprise_id, n, variant, o, { app: site.pids, db: dbPids });
        const f = (k: Kind) =>
          `${pct(r.lat[k], 50).toFixed(0)} / ${pct(r.lat[k], 95).toFixed(0)} / ${pct(r.lat[k], 99).toFixed(0)}`;
        console.log(
          JSON.stringify({
            n,
            variant,
            login: f("login"),
            start: f("start"),
            autosave: f("autosave"),
            handin: f("handin"),
            errors: r.errors,
            ...r.counters,
            before: r.beforeHandIn,
            after: r.after,
            submitted: r.submitted,
            wall: r.wall,
            cpu: r.cpu,
          }),
        );
        results.push(r);
      }
    }
  } finally {
    site.stop();
    await pool.end();
  }
  const line = (r: (typeof results)[number]) => {
    const f = (k: Kind) =>
      `${pct(r.lat[k], 50).toFixed(0)} / ${pct(r.lat[k], 95).toFixed(0)} / ${pct(r.lat[k], 99).toFixed(0)}`;
    const share = (s: number) => `${((100 * s) / r.wall).toFixed(0)} %`;
    const total = r.cpu.app + (Number.isNaN(r.cpu.db) ? 0 : r.cpu.db) + r.cpu.gen;
    const holds =
      pct(r.lat.autosave, 99) < 200 && r.beforeHandIn.matching === r.beforeHandIn.given && r.submitted === r.count;
    return (
      `| ${r.n.toLocaleString("en")} | ${r.variant === "spread" ? "5 min" : "60 s"} | ${r.count} | ${f("login")} | ${f("start")} | **${f("autosave")}** | ${f("handin")} | ${r.errors} | ` +
      `${r.beforeHandIn.given} / ${r.beforeHandIn.matching} | ${r.submitted} / ${r.count} | ${share(r.cpu.app)} | ${Number.isNaN(r.cpu.db) ? "?" : share(r.cpu.db)} | ${share(r.cpu.gen)} (${((100 * r.cpu.gen) / total).toFixed(0)} % of all) | ${holds ? "yes" : "**no**"} |`
    );
  };
  const held = results.filter(
    (r) => pct(r.lat.autosave, 99) < 200 && r.beforeHandIn.matching === r.beforeHandIn.given && r.submitted === r.count,
  );
  // The largest N below which every size tried also held: a size that held above one that failed says little.
  const largest = (v: string) => {
    let n = 0;
    for (const r of results.filter((x) => x.variant === v).sort((a, b) => a.n - b.n)) {
      if (!held.includes(r)) break;
      n = r.n;
    }
    return n;
  };
  const onlySync = o.variants.length === 1 && o.variants[0] === "sync";
  const onCluster = o.nodes.length > 0;
  writeSection(
    onCluster ? "examday-galera" : onlySync ? "examday-sync" : "examday",
    [
      onCluster
        ? `## Exam day on a ${o.nodes.length}-node Galera cluster`
        : onlySync
          ? "## Exam day, synchronized start (everyone within 60 s)"
          : "## Exam day at city scale",
      "",
      `Command: \`npm run bench -- --only examday --sizes ${o.sizes.join(",")} --scale ${o.scale} --questions ${o.questions} --variants ${o.variants.join(",")}${o.workers !== 2 ? ` --workers ${o.workers}` : ""}${onCluster ? ` --nodes ${o.nodes.join(",")}` : ""}\`. Run: ${machine()}.`,
      onCluster
        ? `Site: \`scripts/cluster.js\` with ${o.workers} app processes spread over the ${o.nodes.length} nodes (\`ANXUN_DATABASE_URLS\`), all nodes, the app and the load generator on this one 2-core box.`
        : `Site: \`scripts/cluster.js\` with ${o.workers} app processes (as \`npm start\` on this box), on the machine's MariaDB, which the load generator (one node process) shares the two cores with.`,
      "",
      "What is simulated: N examinees of one enterprise's exam log in with a password and start within 5 minutes (or within 60 s:",
      '"synchronized"), answer one question every 20–40 s, 5 % lose their connection once (the request in flight is cut, the next',
      "answers wait three think times in the offline queue, then the queue is resent in order), and everyone hands in at the deadline at once.",
      `Time compression: N/${o.scale} examinees run ${o.scale}× faster (spread and think times divided by ${o.scale}), so logins/s, starts/s and`,
      `answers/s are those of N examinees (N/300 logins/s, about N/30 answers/s); the papers open at once and the hand-in burst are N/${o.scale}.`,
      `The exam is shortened to ${o.questions} answers per examinee (positions spread over single, multiple and true/false questions).`,
      'Latencies in ms (p50 / p95 / p99) as the examinee sees them, incl. loopback. "Answers given / stored" is checked before the hand-in',
      "(which carries the answers again), so it counts what autosave and the offline queue stored. CPU as % of one core over the run's wall",
      "time: the app processes, MariaDB (every mariadbd on the box) and the load generator itself.",
      "",
      "| N | starts within | simulated | login | start | autosave | hand-in | errors | answers given / stored | handed in | CPU app | CPU MariaDB | CPU load generator | p99 autosave < 200 ms, nothing lost |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...results.map(line),
      "",
      `Connections cut mid-request: ${results.map((r) => r.counters.cut).join(", ")}; answers resent from the offline queue: ${results.map((r) => r.counters.resent).join(", ")};`,
      `retries after an error answer: ${results.map((r) => r.counters.retries).join(", ")} (in the order of the table).`,
      "",
      `**Largest N that held p99 autosave < 200 ms with nothing lost, every smaller size tried holding too: ${largest("spread") ? largest("spread").toLocaleString("en") : "none of those tried"} (starts over 5 minutes)` +
        (o.variants.includes("sync")
          ? `, ${largest("sync") ? largest("sync").toLocaleString("en") : "none of those tried"} (synchronized start).**`
          : ".**"),
    ].join("\n"),
  );
}
