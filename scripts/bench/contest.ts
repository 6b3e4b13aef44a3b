/**
 * Knowledge contest at city scale (npm run bench:contest -- --registered 1000000 --peak 2000 --minutes 2):
 *
 * 1. `registered` participants already on the board of one contest (bulk-inserted with random best scores and times,
 *    through MariaDB's sequence engine), so the leaderboard reads run against a board of that size;
 * 2. a time-compressed peak: `peak` new people join within `minutes`, each starts an entry and answers its 10
 *    questions at a compressed human pace (0.3–1.5 s instead of 3–15 s), while a tenth of them read the board and
 *    their rank every 3 s;
 * 3. reports p50/p99 of join, start, answer, board page, deep keyset page and "my rank" reads, and the leaderboard
 *    lag: from an entry's commit to the first board read that shows the person's rank; checks nothing was lost
 *    (every finished entry is on the board with its score).
 *
 * It calls the module functions in this process (the same code the routes call, one MySQL pool), not HTTP.
 */
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { ROOT } from "./harness";

const pct = (xs: number[], p: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] : NaN;
const fmt = (xs: number[]) => `p50 ${pct(xs, 0.5).toFixed(1)} ms · p99 ${pct(xs, 0.99).toFixed(1)} ms (n=${xs.length})`;

async function main() {
  const { values } = parseArgs({
    options: {
      registered: { type: "string", default: "1000000" },
      peak: { type: "string", default: "2000" },
      minutes: { type: "string", default: "2" },
      "skip-reset": { type: "boolean", default: false },
    },
  });
  const registered = Number(values.registered);
  const peak = Number(values.peak);
  const windowMs = Number(values.minutes) * 60_000;
  const url = new URL(process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/anxun");
  url.pathname = "/anxun_bench_contest";
  process.env.DATABASE_URL = url.toString();
  process.env.DB_POOL_SIZE = "12";
  if (!values["skip-reset"])
    execFileSync("npx", ["tsx", "scripts/db.ts", "reset"], { cwd: ROOT, env: process.env, stdio: "ignore" });
  const { db, closeDatabase } = await import("../../app/lib/db.server");
  const { sql } = await import("kysely");
  const c = await import("../../app/modules/contests/contests.server");
  const { sortKey } = await import("../../app/modules/contests/rules");
  const { toDisplayed } = await import("../../app/modules/exams/grading");

  const contest = (await c.contestByToken("demo-contest-anlan-2026"))!;
  // Open all day, many entries per day, so the peak is not stopped by the limits.
  await db
    .updateTable("contest")
    .set({ attempts_per_day: 100, person_limit: 100, starts_at: new Date(Date.now() - 86400_000) })
    .where("id", "=", contest.id)
    .execute();
  const fresh = (await c.contestById(contest.id))!;
  const regions = await c.contestRegions(fresh);

  // 1. The registered board, in chunks of 100,000 (sequence engine: no client round trips).
  let t0 = performance.now();
  const have = Number(
    (
      await db
        .selectFrom("contest_participant")
        .select(sql<number>`COUNT(*)`.as("n"))
        .where("contest_id", "=", contest.id)
        .executeTakeFirstOrThrow()
    ).n,
  );
  for (let from = have; from < registered; from += 100_000) {
    const to = Math.min(registered, from + 100_000);
    await sql`INSERT INTO contest_participant (contest_id, ident_hash, ident_masked, name, group_region_id, secret_hash, entries, best_score, best_ms, sort_key)
      SELECT ${contest.id}, SHA2(CONCAT('bench', seq), 256), CONCAT('139****', LPAD(seq MOD 10000, 4, '0')), CONCAT('选手', seq), ${regions[0].id}, REPEAT('0', 64), 1,
        s.score, s.ms, s.score * 1000000000 + (999999999 - s.ms)
      FROM (SELECT seq, (seq * 7919 MOD 11) * 10 AS score, 20000 + (seq * 104729 MOD 180000) AS ms FROM seq_${sql.raw(String(from + 1))}_to_${sql.raw(String(to))}) s`.execute(
      db,
    );
  }
  // Bulk rows bypass the entry path: rebuild the kept rank counts (0022) once, as a bulk load would.
  await c.recountRankCounts(contest.id);
  const fill = (performance.now() - t0) / 1000;
  await sql`ANALYZE TABLE contest_participant`.execute(db);

  // 2. Reads against the big board, before the peak.
  const pageTimes: number[] = [];
  const deepTimes: number[] = [];
  const rankTimes: Record<string, number[]> = { top: [], middle: [], bottom: [] };
  for (let i = 0; i < 30; i++) {
    let t = performance.now();
    const first = await c.personBoard(contest.id, { limit: 10 });
    pageTimes.push(performance.now() - t);
    t = performance.now();
    // A keyset page deep in the board: after a key near the middle.
    await c.personBoard(contest.id, { limit: 10, after: { key: sortKey(50, 100_000), id: 1 } });
    deepTimes.push(performance.now() - t);
    for (const [name, key] of [
      ["top", first[0].key],
      ["middle", sortKey(50, 110_000)],
      ["bottom", sortKey(0, 199_000)],
    ] as const) {
      t = performance.now();
      await c.rankOfKey(contest.id, key);
      rankTimes[name].push(performance.now() - t);
    }
  }

  // 3. The compressed peak.
  const join: number[] = [],
    start: number[] = [],
    answer: number[] = [],
    board: number[] = [],
    myRank: number[] = [],
    lag: number[] = [];
  let finished = 0,
    errors = 0;
  const finishedAt = new Map<number, number>();
  const seenOnBoard = new Set<number>();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  t0 = performance.now();
  let running = true;
  const readers: Promise<void>[] = [];
  const reader = async (participantId: number) => {
    while (running) {
      let t = performance.now();
      await c.boards(contest.id, 10);
      board.push(performance.now() - t);
      t = performance.now();
      const me = await c.myStanding(contest.id, participantId);
      myRank.push(performance.now() - t);
      const done = finishedAt.get(participantId);
      if (me.rank !== null && done !== undefined && !seenOnBoard.has(participantId)) {
        seenOnBoard.add(participantId);
        lag.push(performance.now() - done);
      }
      await sleep(3000);
    }
  };
  const versions = new Map<number, { answer: string }>();
  const person = async (i: number) => {
    await sleep((i / peak) * windowMs);
    let t = performance.now();
    const j = await c.joinContest(fresh, {
      actor: null,
      name: `高峰${i}`,
      ident: `137${String(i).padStart(8, "0")}`,
      regionId: regions[i % regions.length].id,
    });
    join.push(performance.now() - t);
    if (!j.ok) {
      errors++;
      return;
    }
    if (i % 10 === 0) readers.push(reader(j.participantId));
    t = performance.now();
    const s = await c.startEntry(fresh, j.participantId);
    start.push(performance.now() - t);
    if (!s.ok) {
      errors++;
      return;
    }
    await c.advance(fresh, j.participantId);
    for (let q = 0; q < 10; q++) {
      const state = await c.playState(fresh, j.participantId);
      if (state.kind !== "question") break;
      await sleep(300 + Math.random() * 1200);
      const item = await db
        .selectFrom("contest_item")
        .select(["question_version_id", "option_order"])
        .where("entry_id", "=", state.entryId)
        .where("position", "=", state.position)
        .executeTakeFirstOrThrow();
      let v = versions.get(item.question_version_id);
      if (!v) {
        v = await db
          .selectFrom("question_version")
          .select("answer")
          .where("id", "=", item.question_version_id)
          .executeTakeFirstOrThrow();
        versions.set(item.question_version_id, v);
      }
      const given =
        Math.random() < 0.7
          ? state.type === "judge"
            ? v.answer
            : toDisplayed(v.answer, item.option_order)
          : state.type === "judge"
            ? "true"
            : "A";
      t = performance.now();
      const r = await c.answer(fresh, j.participantId, state.position, given);
      answer.push(performance.now() - t);
      if (!r.ok && r.status === 422) errors++;
      if (q < 9) await c.advance(fresh, j.participantId);
    }
    finishedAt.set(j.participantId, performance.now());
    finished++;
  };
  await Promise.all(Array.from({ length: peak }, (_, i) => person(i)));
  await sleep(3500);
  running = false;
  await Promise.all(readers);
  const peakSeconds = (performance.now() - t0) / 1000;

  // Nothing lost: every finished entry of the peak is on the board with its entry's score.
  const lost = Number(
    (
      await sql<{
        n: number;
      }>`SELECT COUNT(*) AS n FROM contest_entry e JOIN contest_participant p ON p.id = e.participant_id
    WHERE e.contest_id = ${contest.id} AND e.finished_at IS NOT NULL AND (p.best_score IS NULL OR p.best_score < e.score OR p.sort_key = 0)`.execute(
        db,
      )
    ).rows[0].n,
  );
  const openLeft = Number(
    (
      await sql<{
        n: number;
      }>`SELECT COUNT(*) AS n FROM contest_entry WHERE contest_id = ${contest.id} AND open_key IS NOT NULL`.execute(db)
    ).rows[0].n,
  );
  const total = Number(
    (
      await db
        .selectFrom("contest_participant")
        .select(sql<number>`COUNT(*)`.as("n"))
        .where("contest_id", "=", contest.id)
        .executeTakeFirstOrThrow()
    ).n,
  );
  // The kept rank counts against a recount of the finished people (0022): must be equal after the peak.
  const keptDiff = Number(
    (
      await sql<{ n: number }>`SELECT COUNT(*) AS n FROM (
        SELECT score, second, SUM(people) AS people FROM (
          SELECT score, second, people FROM contest_time_count WHERE contest_id = ${contest.id}
          UNION ALL
          SELECT best_score, FLOOR(LEAST(999999999, GREATEST(0, COALESCE(best_ms, 999999999))) / 1000), -1
          FROM contest_participant WHERE contest_id = ${contest.id} AND best_score IS NOT NULL
        ) u GROUP BY score, second HAVING SUM(people) <> 0) d`.execute(db)
    ).rows[0].n,
  );
  await closeDatabase();

  const lines = [
    `board: ${total.toLocaleString("en")} participants (${registered.toLocaleString("en")} bulk-registered in ${fill.toFixed(0)} s)`,
    `board page 1 (people, top 10):     ${fmt(pageTimes)}`,
    `keyset page in the middle:         ${fmt(deepTimes)}`,
    `"my rank" near the top:            ${fmt(rankTimes.top)}`,
    `"my rank" in the middle:           ${fmt(rankTimes.middle)}`,
    `"my rank" at the bottom:           ${fmt(rankTimes.bottom)}`,
    `peak: ${peak} joins in ${values.minutes} min (compressed), ${finished} entries finished, ${errors} errors, ${peakSeconds.toFixed(0)} s wall`,
    `join:                              ${fmt(join)}`,
    `start (draw + store the paper):    ${fmt(start)}`,
    `answer:                            ${fmt(answer)}`,
    `boards (3 boards, top 10) by readers: ${fmt(board)}`,
    `"my rank" by readers:              ${fmt(myRank)}`,
    `leaderboard lag (commit → seen by the next 3 s poll): ${fmt(lag)}`,
    `lost: ${lost} finished entries not on the board; open entries left: ${openLeft}`,
    `kept rank counts differing from a recount: ${keptDiff} buckets`,
  ];
  console.log(lines.join("\n"));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
