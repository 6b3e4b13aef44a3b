/**
 * Exam engine benchmarks (called by scripts/bench/run.ts --only exams):
 *  1. draw: a 100-question paper from banks of 2,000 and 200,000 questions (module call, median ms, ratio);
 *  2. autosave: answers/s of the site vs the bare server, 200 examinees at once;
 *  3. a crowd: 500 examinees with random pauses and dropped connections; every answer counted in the database.
 */
import autocannon from "autocannon";
import { execFileSync } from "node:child_process";
import { createPool } from "mysql2/promise";
import { randomBytes } from "node:crypto";
import { machine, ROOT, startServer, writeSection } from "./harness";

const TOPICS = Array.from({ length: 40 }, (_, i) => `知识点${i + 1}`);
const POSTS = ["principal", "safety_manager", "special_operator", "worker"];
const INDUSTRIES = ["hazardous_chemicals", "metallurgy", "dust_explosion", "construction", "other_industry_trade"];

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A database holding only a synthetic bank of `n` questions, pools built. */
async function syntheticBank(base: URL, n: number) {
  const url = new URL(base);
  url.pathname = `/anxun_bench_bank_${n}`;
  execFileSync("npx", ["tsx", "scripts/db.ts", "reset"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url.toString() },
    stdio: "ignore",
  });
  const pool = createPool({ uri: url.toString(), connectionLimit: 2 });
  await pool.query("DELETE FROM question_pool");
  await pool.query("DELETE FROM question_pool_size");
  await pool.query("DELETE FROM attempt_answer");
  await pool.query("DELETE FROM attempt_item");
  await pool.query("DELETE FROM attempt");
  await pool.query("DELETE FROM wrong_answer");
  await pool.query("UPDATE question SET current_version_id = NULL");
  await pool.query("DELETE FROM question_version");
  await pool.query("DELETE FROM question");
  const types = ["single", "single", "multiple", "judge"];
  for (let start = 0; start < n; start += 5000) {
    const rows = [];
    for (let i = start; i < Math.min(n, start + 5000); i++) {
      const posts = POSTS.filter((_, k) => (i >> k) % 2 === 0 || k === 3).join(",");
      rows.push([
        i + 1,
        0,
        `syn-${i + 1}`,
        i + 1,
        types[i % 4],
        TOPICS[i % TOPICS.length],
        1 + (i % 5),
        posts,
        i % 7 === 0 ? INDUSTRIES[i % 5] : "",
        "content",
      ]);
    }
    await pool.query(
      "INSERT INTO question (id, owner_enterprise_id, external_id, current_version_id, type, topic, difficulty, posts, industries, source) VALUES ?",
      [rows],
    );
    await pool.query("INSERT INTO question_version (id, question_id, version, stem, options, answer) VALUES ?", [
      rows.map((r) => [
        r[0],
        r[0],
        1,
        `题目 ${r[0]}`,
        r[4] === "judge" ? "[]" : JSON.stringify(["甲", "乙", "丙", "丁"]),
        r[4] === "judge" ? "true" : r[4] === "multiple" ? "AB" : "A",
      ]),
    ]);
  }
  await pool.end();
  const { createDatabase } = await import("../../app/lib/db.server");
  const { rebuildPools } = await import("../../app/modules/exams/bank.server");
  const handle = createDatabase(url.toString(), 4);
  await rebuildPools(handle.db);
  return handle;
}

async function drawBenchmark(base: URL) {
  const { drawPaper } = await import("../../app/modules/exams/draw.server");
  const { seededRandom } = await import("../../app/modules/exams/draw");
  const rules = [
    {
      type: "single" as const,
      count: 60,
      topic: null,
      minDifficulty: 1,
      maxDifficulty: 4,
      post: "examinee" as const,
      industry: "enterprise",
      points: 1,
    },
    {
      type: "multiple" as const,
      count: 20,
      topic: null,
      minDifficulty: 1,
      maxDifficulty: 5,
      post: "examinee" as const,
      industry: "enterprise",
      points: 2,
    },
    {
      type: "judge" as const,
      count: 20,
      topic: null,
      minDifficulty: 1,
      maxDifficulty: 5,
      post: "any" as const,
      industry: "any",
      points: 1,
    },
  ];
  const who = { post: "worker" as const, industry: "metallurgy", enterpriseId: 1 };
  const out: Record<number, number> = {};
  for (const n of [2000, 200000]) {
    const started = Date.now();
    const handle = await syntheticBank(base, n);
    console.log(`bank of ${n} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const random = seededRandom(n);
    for (let i = 0; i < 20; i++) await drawPaper(rules, who, random, handle.db);
    const times = [];
    for (let i = 0; i < 200; i++) {
      const t = process.hrtime.bigint();
      const paper = await drawPaper(rules, who, random, handle.db);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (paper.length !== 100) throw new Error("short paper");
    }
    out[n] = median(times);
    await handle.db.destroy();
    console.log(`draw from ${n}: median ${out[n].toFixed(2)} ms`);
  }
  return out;
}

/** Examinees with accounts, sessions and an open attempt at the demo exam. */
async function examinees(databaseUrl: string, count: number) {
  const pool = createPool({ uri: databaseUrl, connectionLimit: 4 });
  const [[exam]] = await pool.query<any[]>("SELECT id, enterprise_id FROM exam ORDER BY id LIMIT 1");
  const [[hash]] = await pool.query<any[]>("SELECT password_hash FROM user LIMIT 1");
  const people = [];
  for (let i = 0; i < count; i++) {
    const id = randomBytes(3).toString("hex");
    const idNumber = `bench${i}${id}`.padEnd(18, "0").slice(0, 18);
    const [res] = await pool.query<any>(
      "INSERT INTO person (enterprise_id, name, id_number_hash, id_number_masked, post) VALUES (?, ?, SHA2(?, 256), ?, 'worker')",
      [exam.enterprise_id, `考生${i}`, idNumber, idNumber],
    );
    const userId = `bench${i}${id}`.slice(0, 16);
    await pool.query(
      "INSERT INTO user (id, username, password_hash, role, display_name, enterprise_id, person_id) VALUES (?, ?, ?, 'worker', ?, ?, ?)",
      [userId, `bench-${i}-${id}`, hash.password_hash, `考生${i}`, exam.enterprise_id, res.insertId],
    );
    const session = randomBytes(20).toString("hex").slice(0, 40);
    await pool.query(
      "INSERT INTO session (id, user_id, expires_at) VALUES (?, ?, DATE_ADD(UTC_TIMESTAMP(), INTERVAL 1 DAY))",
      [session, userId],
    );
    people.push({ cookie: `anxun_session=${session}`, attemptId: 0 });
  }
  await pool.end();
  return { examId: exam.id as number, people };
}

async function start(site: string, examId: number, p: { cookie: string; attemptId: number }) {
  const res = await fetch(`${site}/exams/${examId}/start`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: p.cookie, origin: site },
  });
  const location = res.headers.get("location") ?? "";
  p.attemptId = Number(location.split("/").pop());
  if (!p.attemptId) throw new Error(`start failed: ${res.status}`);
}

async function autosave(base: string, people: { cookie: string; attemptId: number }[], seconds: number) {
  let next = 0;
  const run = (duration: number) =>
    autocannon({
      url: base,
      connections: people.length,
      duration,
      setupClient(client: any) {
        const p = people[next++ % people.length];
        let seq = 0;
        client.setRequests([
          {
            method: "POST",
            path: `/attempts/${p.attemptId}/answers`,
            headers: { cookie: p.cookie, origin: base, "content-type": "application/x-www-form-urlencoded" },
            setupRequest(req: any) {
              seq++;
              return { ...req, body: `position=${1 + (seq % 40)}&answer=${seq % 40 >= 30 ? "true" : "A"}&seq=${seq}` };
            },
          },
        ]);
      },
    } as any);
  await run(2);
  const r = await run(seconds);
  if (r.non2xx > r.requests.total * 0.01 || r.errors)
    throw new Error(`${base}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

/** 500 examinees, random pauses, 10% of answers sent over a connection that is dropped and then resent. */
async function crowd(
  site: string,
  databaseUrl: string,
  examId: number,
  people: { cookie: string; attemptId: number }[],
) {
  const sent = new Map<string, string>();
  let dropped = 0;
  let retries = 0;
  const started = Date.now();
  await Promise.all(
    people.map(async (p) => {
      await start(site, examId, p);
      for (let position = 1; position <= 40; position++) {
        await new Promise((r) => setTimeout(r, Math.random() * 400));
        const answer =
          position > 30
            ? Math.random() < 0.5
              ? "true"
              : "false"
            : position > 20
              ? "AB"
              : "ABCD"[Math.floor(Math.random() * 4)];
        const body = new URLSearchParams({ position: String(position), answer, seq: String(position) });
        if (Math.random() < 0.1) {
          // The phone loses its connection mid-request; the page resends from its queue later.
          dropped++;
          const abort = new AbortController();
          const lost = fetch(`${site}/attempts/${p.attemptId}/answers`, {
            method: "POST",
            body,
            headers: { cookie: p.cookie, origin: site },
            signal: abort.signal,
          }).catch(() => null);
          setTimeout(() => abort.abort(), Math.random() * 5);
          await lost;
          await new Promise((r) => setTimeout(r, 200 + Math.random() * 800));
        }
        for (let attempt = 0; ; attempt++) {
          const res = await fetch(`${site}/attempts/${p.attemptId}/answers`, {
            method: "POST",
            body,
            headers: { cookie: p.cookie, origin: site },
          }).catch(() => null);
          if (res?.ok) break;
          retries++;
          if (attempt > 20) throw new Error(`answer ${position} of attempt ${p.attemptId} never saved`);
          await new Promise((r) => setTimeout(r, 200));
        }
        sent.set(`${p.attemptId}:${position}`, answer);
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  const pool = createPool({ uri: databaseUrl, connectionLimit: 2 });
  const ids = people.map((p) => p.attemptId);
  const [rows] = await pool.query<any[]>(
    "SELECT attempt_id, position, answer FROM attempt_answer WHERE attempt_id IN (?)",
    [ids],
  );
  const [orders] = await pool.query<any[]>(
    "SELECT attempt_id, position, option_order FROM attempt_item WHERE attempt_id IN (?)",
    [ids],
  );
  await pool.end();
  const orderOf = new Map(orders.map((o: any) => [`${o.attempt_id}:${o.position}`, o.option_order as string]));
  const LETTERS = "ABCDEFGH";
  let matching = 0;
  for (const r of rows) {
    const given = sent.get(`${r.attempt_id}:${r.position}`)!;
    const order = orderOf.get(`${r.attempt_id}:${r.position}`)!;
    const stored = order
      ? [...given]
          .map((l) => LETTERS[Number(order[LETTERS.indexOf(l)])])
          .sort()
          .join("")
      : given;
    if (stored === r.answer) matching++;
  }
  return { examinees: people.length, sent: sent.size, stored: rows.length, matching, dropped, retries, elapsed };
}

export async function examBenchmarks(seconds: number) {
  const base = new URL(process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/anxun");
  const draw = await drawBenchmark(base);

  const url = new URL(base);
  url.pathname = "/anxun_bench_exam";
  const databaseUrl = url.toString();
  execFileSync("npx", ["tsx", "scripts/db.ts", "reset"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: "ignore",
  });
  const { examId, people } = await examinees(databaseUrl, 700);
  const stopSite = await startServer("site", databaseUrl, 3300);
  const stopBare = await startServer("bare", databaseUrl, 3301);
  try {
    const site = "http://127.0.0.1:3300";
    const savers = people.slice(0, 200);
    for (const p of savers) await start(site, examId, p);
    const siteSave = await autosave(site, savers, seconds);
    const bareSave = await autosave("http://127.0.0.1:3301", savers, seconds);
    console.log("autosave", siteSave, bareSave);
    const crowdResult = await crowd(site, databaseUrl, examId, people.slice(200, 700));
    console.log("crowd", crowdResult);
    writeSection(
      "exams",
      [
        "## Exams: drawing papers, autosave, a crowd of examinees",
        "",
        `Command: \`npm run bench -- --only exams\`. Run: ${machine()}.`,
        "",
        "**Draw** (module call `drawPaper`, server time incl. MariaDB round trips, median of 200 draws after 20 warm-ups): a 100-question paper",
        "(60 single, 20 multiple for the examinee's post and industry, 20 true/false of any post) from synthetic banks.",
        "",
        "| bank size | median ms |",
        "| --- | --- |",
        `| 2,000 | ${draw[2000].toFixed(2)} |`,
        `| 200,000 | ${draw[200000].toFixed(2)} |`,
        `| **ratio 200,000 / 2,000** | **${(draw[200000] / draw[2000]).toFixed(2)}** (target < 2) |`,
        "",
        `**Autosave** \`POST /attempts/:id/answers\`, 200 examinees at once (one connection each, ${seconds} s after a 2 s warm-up). The bare`,
        "server does the same database work (session, attempt + item row, ordered upsert) with node:http + mysql2. The site answers this",
        "path in `scripts/server.js` before Remix, with the route's own module function (docs/decisions/0009); through Remix the same",
        "benchmark measured a ratio of 0.34.",
        "",
        "| server | answers/s | p50 ms | p99 ms |",
        "| --- | --- | --- | --- |",
        `| site (one process) | ${siteSave.rps.toFixed(0)} | ${siteSave.p50} | ${siteSave.p99} |`,
        `| bare node:http + mysql2 | ${bareSave.rps.toFixed(0)} | ${bareSave.p50} | ${bareSave.p99} |`,
        `| **ratio** | **${(siteSave.rps / bareSave.rps).toFixed(2)}** (target ≥ 0.5) | | |`,
        "",
        `**Crowd**: ${crowdResult.examinees} examinees start the same exam at once and answer 40 questions each with random pauses (0–400 ms);`,
        `${crowdResult.dropped} answers went out on a connection cut mid-request and were resent from the queue (${crowdResult.retries} retries in all).`,
        `Answers given: ${crowdResult.sent}; rows in \`attempt_answer\`: **${crowdResult.stored}**; rows equal to the last answer given: **${crowdResult.matching}**`,
        `(one row per question by primary key, so none twice). Wall time ${crowdResult.elapsed.toFixed(0)} s.`,
      ].join("\n"),
    );
    if (crowdResult.stored !== crowdResult.sent || crowdResult.matching !== crowdResult.sent)
      throw new Error("answers lost or wrong");
  } finally {
    stopSite();
    stopBare();
  }
}

/** Autosave of the site vs the bare server, 200 examinees at once (for `--only pages`, next to the page ratios of the same run). */
export async function autosaveRatio(databaseUrl: string, site: string, bare: string, seconds: number) {
  const { examId, people } = await examinees(databaseUrl, 200);
  for (const p of people) await start(site, examId, p);
  const s = await autosave(site, people, seconds);
  const b = await autosave(bare, people, seconds);
  return { site: s, bare: b };
}
