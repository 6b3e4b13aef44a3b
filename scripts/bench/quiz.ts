/**
 * On-site quiz under load (run.ts --only quiz): 300 people join the same quiz within 60 seconds, each gets a
 * paper, answers 10 questions and hands in, while the inspector's board is polled every 3 seconds.
 * Measures join-to-paper latency (median, p99) and the board's latency; checks every paper was handed in.
 */
import { execFileSync } from "node:child_process";
import { createPool } from "mysql2/promise";
import { machine, ROOT, startServer, writeSection } from "./harness";
import { makeIdNumber } from "../../db/seed/identifiers";

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

export async function quizBenchmark(people = 300, windowSeconds = 60) {
  const url = new URL(process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/anxun");
  url.pathname = "/anxun_bench_quiz";
  const databaseUrl = url.toString();
  execFileSync("npx", ["tsx", "scripts/db.ts", "reset"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: "ignore",
  });
  process.env.DATABASE_URL = databaseUrl;
  const { hashIdNumber } = await import("../../app/modules/org/id-hash.server");
  const { maskIdNumber } = await import("../../app/modules/org/identifiers");
  const { createInspection } = await import("../../app/modules/inspections/inspections.server");
  const { createQuiz } = await import("../../app/modules/inspections/quiz.server");
  const { closeDatabase } = await import("../../app/lib/db.server");
  const pool = createPool({ uri: databaseUrl, connectionLimit: 2 });
  const [[enterprise]] = await pool.query<any[]>("SELECT id, region_path FROM enterprise ORDER BY id LIMIT 1");
  // Area code 339988 is used by no demo person, so these never collide with the seed.
  const workers = Array.from({ length: people }, (_, i) => ({
    name: `工人${i}`,
    idNumber: makeIdNumber("339988", `19${70 + (i % 30)}-01-15`, i),
  }));
  await pool.query("INSERT INTO person (enterprise_id, name, id_number_hash, id_number_masked, post) VALUES ?", [
    workers.map((w) => [enterprise.id, w.name, hashIdNumber(w.idNumber), maskIdNumber(w.idNumber), "worker"]),
  ]);
  const [[inspectorUser]] = await pool.query<any[]>(
    "SELECT user.id, user.username, user.display_name, region.path FROM user JOIN region ON region.id = user.region_id WHERE username = 'inspector'",
  );
  const actor = {
    userId: inspectorUser.id,
    username: "inspector",
    displayName: inspectorUser.display_name,
    role: "inspector" as const,
    enterpriseId: null,
    regionPath: inspectorUser.path,
    personId: null,
  };
  const inspectionId = await createInspection(
    actor,
    { id: enterprise.id, regionPath: enterprise.region_path },
    { inspectedOn: "2026-11-23", inspectors: "基准测试" },
    "bench",
  );
  const quiz = await createQuiz(
    actor,
    inspectionId,
    { principal: 0, safety_manager: 0, special_operator: 0, worker: people, minutes: 30 },
    "bench",
  );
  if (!quiz.ok) throw new Error(quiz.message);
  const [[{ token }]] = await pool.query<any[]>("SELECT token FROM onsite_quiz WHERE id = ?", [quiz.id]);
  await closeDatabase();

  const stop = await startServer("site", databaseUrl, 3300, { TRUST_PROXY: "loopback" });
  const site = "http://127.0.0.1:3300";
  try {
    const login = await fetch(`${site}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: site, "content-type": "application/x-www-form-urlencoded" },
      body: "username=inspector&password=Anxun2026",
    });
    const inspectorCookie = login.headers.get("set-cookie")!.split(";")[0];
    const boardTimes: number[] = [];
    const boardCounts: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const t = performance.now();
        const res = await fetch(`${site}/quizzes/${quiz.id}/live`, { headers: { cookie: inspectorCookie } });
        const body = (await res.json()) as { participants: unknown[] };
        boardTimes.push(performance.now() - t);
        boardCounts.push(body.participants.length);
        await new Promise((r) => setTimeout(r, 3000));
      }
    })();
    const joinToPaper: number[] = [];
    let handedIn = 0;
    const started = performance.now();
    await Promise.all(
      workers.map(async (w, i) => {
        await new Promise((r) => setTimeout(r, (i / people) * windowSeconds * 1000));
        const ip = `10.${(i >> 8) & 255}.${i & 255}.7`;
        const headers = { origin: site, "x-forwarded-for": ip };
        const t0 = performance.now();
        const joined = await fetch(`${site}/q/${token}`, {
          method: "POST",
          redirect: "manual",
          headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ name: w.name, idNumber: w.idNumber }),
        });
        const cookie = joined.headers.get("set-cookie")?.split(";")[0];
        if (!cookie) throw new Error(`join failed: ${joined.status} ${await joined.text()}`);
        const paper = await fetch(`${site}/q/${token}/paper`, { headers: { ...headers, cookie } });
        const html = await paper.text();
        if (paper.status !== 200 || !html.includes("question")) throw new Error(`paper failed: ${paper.status}`);
        joinToPaper.push(performance.now() - t0);
        for (let position = 1; position <= 10; position++) {
          await new Promise((r) => setTimeout(r, 200 + Math.random() * 800));
          const res = await fetch(`${site}/q/${token}/answers`, {
            method: "POST",
            headers: { ...headers, cookie, "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({
              position: String(position),
              answer: position > 8 ? "true" : "A",
              seq: String(position),
            }),
          });
          if (!res.ok) throw new Error(`answer failed: ${res.status}`);
        }
        const hand = await fetch(`${site}/q/${token}/paper`, {
          method: "POST",
          redirect: "manual",
          headers: { ...headers, cookie, "content-type": "application/x-www-form-urlencoded" },
          body: "",
        });
        if (hand.status !== 302) throw new Error(`hand-in failed: ${hand.status}`);
        handedIn++;
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    polling = false;
    await poller;
    const [[row]] = await pool.query<any[]>(
      "SELECT COUNT(*) AS n, SUM(attempt.submitted_at IS NOT NULL) AS done FROM quiz_participant JOIN attempt ON attempt.id = quiz_participant.attempt_id WHERE quiz_id = ?",
      [quiz.id],
    );
    await pool.end();
    const figures = {
      joined: Number(row.n),
      submitted: Number(row.done),
      handedIn,
      elapsed,
      p50: pct(joinToPaper, 0.5),
      p99: pct(joinToPaper, 0.99),
      boardP50: pct(boardTimes, 0.5),
      boardP99: pct(boardTimes, 0.99),
      boardPolls: boardTimes.length,
      boardGrew: boardCounts.join(" → "),
    };
    console.log(figures);
    writeSection(
      "quiz",
      [
        "## On-site quiz: 300 people join within 60 seconds",
        "",
        `Command: \`npm run bench -- --only quiz\`. Run: ${machine()}. One site process; every joiner from its own address (rate limits are per IP).`,
        `Each joiner posts name + ID number, loads their paper, answers 10 questions 0.2–1 s apart and hands in; the inspector's board is polled every 3 s.`,
        "",
        "| measure | value |",
        "| --- | --- |",
        `| joined / handed in (database) | ${figures.joined} / ${figures.submitted} |`,
        `| join → paper, median | **${figures.p50.toFixed(0)} ms** |`,
        `| join → paper, p99 | **${figures.p99.toFixed(0)} ms** |`,
        `| board poll, median / p99 (${figures.boardPolls} polls) | ${figures.boardP50.toFixed(0)} ms / ${figures.boardP99.toFixed(0)} ms |`,
        `| people on the board over time | ${figures.boardGrew} |`,
        `| wall time | ${elapsed.toFixed(0)} s |`,
      ].join("\n"),
    );
    if (figures.submitted !== people) throw new Error("not every paper was handed in");
  } finally {
    stop();
  }
}
