/**
 * Call-out under load (`npm run bench:callout`, not part of npm test): a team of 500 members is called out; every member
 * taps 收到 at a random moment within `--seconds` (default 120) and 到达 a few seconds later, each from a phone of its
 * own (device cookie), while the regulator's board is polled every 3 seconds. Checks that no tap is lost (the board
 * ends at 500/500 and every row has both times) and reports tap and board latencies. Needs `npm run build` first.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { createPool } from "mysql2/promise";
import { machine, ROOT, startServer, writeSection } from "./harness";
import { makeIdNumber } from "../../db/seed/identifiers";

const { values: opts } = parseArgs({
  options: { members: { type: "string", default: "500" }, seconds: { type: "string", default: "120" } },
});
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function main() {
  const members = Number(opts.members);
  const windowSeconds = Number(opts.seconds);
  const url = new URL(process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/anxun");
  url.pathname = "/anxun_bench_callout";
  const databaseUrl = url.toString();
  execFileSync("npx", ["tsx", "scripts/db.ts", "reset"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: "ignore",
  });
  process.env.DATABASE_URL = databaseUrl;
  const { hashIdNumber } = await import("../../app/modules/org/id-hash.server");
  const { maskIdNumber } = await import("../../app/modules/org/identifiers");
  const { startCallout } = await import("../../app/modules/rescue/callouts.server");
  const { closeDatabase, db } = await import("../../app/lib/db.server");
  const pool = createPool({ uri: databaseUrl, connectionLimit: 2 });
  const [[town]] = await pool.query<any[]>("SELECT id, path FROM region WHERE level = 'town' ORDER BY id LIMIT 1");
  const [team] = await pool.query<any>(
    "INSERT INTO rescue_team (name, kind, region_id, region_path, equipment, standard_minutes, required_strength, first_n, created_by) VALUES (?, 'social', ?, ?, '', 30, ?, 10, 'bench')",
    ["基准测试救援队", town.id, town.path, Math.floor(members * 0.8)],
  );
  const ids = Array.from({ length: members }, (_, i) => makeIdNumber("339955", `19${70 + (i % 30)}-02-1${i % 10}`, i));
  await pool.query(
    "INSERT INTO rescue_member (team_id, region_path, name, phone, id_number_hash, id_number_masked, core) VALUES ?",
    [
      ids.map((id, i) => [
        team.insertId,
        town.path,
        `队员${i}`,
        `1390000${String(i).padStart(4, "0")}`,
        hashIdNumber(id),
        maskIdNumber(id),
        1,
      ]),
    ],
  );
  const [[regulatorUser]] = await pool.query<any[]>(
    "SELECT user.id, user.display_name, region.path FROM user JOIN region ON region.id = user.region_id WHERE username = 'regulator'",
  );
  const actor = {
    userId: regulatorUser.id,
    username: "regulator",
    displayName: regulatorUser.display_name,
    role: "regulator" as const,
    enterpriseId: null,
    regionPath: regulatorUser.path,
    personId: null,
  };
  const teamRow = await db
    .selectFrom("rescue_team")
    .selectAll()
    .where("id", "=", Number(team.insertId))
    .executeTakeFirstOrThrow();
  const started = await startCallout(actor, teamRow, "基准测试集结");
  if (!started.ok) throw new Error(started.message);
  const [links] = await pool.query<any[]>("SELECT token FROM callout_member WHERE callout_id = ? ORDER BY id", [
    started.id,
  ]);
  await closeDatabase();

  const stop = await startServer("site", databaseUrl, 3300, { ANXUN_NO_JOBS: "1" });
  const site = "http://127.0.0.1:3300";
  try {
    const login = await fetch(`${site}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: site, "content-type": "application/x-www-form-urlencoded" },
      body: "username=regulator&password=Anxun2026",
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const boardTimes: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const t = performance.now();
        const res = await fetch(`${site}/rescue/callouts/${started.id}/live`, { headers: { cookie } });
        if (res.status !== 200) throw new Error(`board answered ${res.status}`);
        await res.json();
        boardTimes.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 3000));
      }
    })();
    const tapTimes: number[] = [];
    let failures = 0;
    const post = async (token: string, device: string, intent: string) => {
      const t = performance.now();
      const res = await fetch(`${site}/callout/${token}`, {
        method: "POST",
        redirect: "manual",
        headers: {
          origin: site,
          cookie: `anxun_rescue_device=${device}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: `intent=${intent}`,
      });
      await res.arrayBuffer();
      tapTimes.push(performance.now() - t);
      if (res.status !== 200) failures++;
    };
    const t0 = performance.now();
    await Promise.all(
      links.map(async ({ token }: { token: string }) => {
        const device = randomBytes(16).toString("hex");
        await new Promise((r) => setTimeout(r, Math.random() * windowSeconds * 1000));
        await post(token, device, "ack");
        await new Promise((r) => setTimeout(r, 1000 + Math.random() * 4000));
        await post(token, device, "arrive");
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    polling = false;
    await poller;
    const final = (await (
      await fetch(`${site}/rescue/callouts/${started.id}/live`, { headers: { cookie } })
    ).json()) as { result: { acknowledged: number; arrived: number } };
    const [[counts]] = await pool.query<any[]>(
      "SELECT SUM(acked_at IS NOT NULL) AS acked, SUM(arrived_at IS NOT NULL) AS arrived FROM callout_member WHERE callout_id = ?",
      [started.id],
    );
    const lost = members * 2 - Number(counts.acked) - Number(counts.arrived);
    const md = [
      `Call-out of a ${members}-member team (\`npm run bench:callout -- --members ${members} --seconds ${windowSeconds}\`, ${machine()}): every member taps 收到 at a random`,
      `moment within ${windowSeconds} s and 到达 1–5 s later from a phone of its own, while the board (\`/rescue/callouts/:id/live\`) is polled every 3 s.`,
      "",
      "| figure | value |",
      "| --- | --- |",
      `| taps sent / refused | ${tapTimes.length} / ${failures} |`,
      `| taps lost (database rows without both times) | **${lost}** |`,
      `| board at the end (acknowledged / arrived) | ${final.result.acknowledged} / ${final.result.arrived} |`,
      `| tap latency p50 / p99 ms | ${pct(tapTimes, 0.5).toFixed(0)} / ${pct(tapTimes, 0.99).toFixed(0)} |`,
      `| board latency p50 / p99 / max ms (${boardTimes.length} polls) | ${pct(boardTimes, 0.5).toFixed(0)} / ${pct(boardTimes, 0.99).toFixed(0)} / ${Math.max(...boardTimes).toFixed(0)} |`,
      `| wall time s | ${elapsed.toFixed(1)} |`,
      "",
      `Ratio board p99 / tap p50: ${(pct(boardTimes, 0.99) / pct(tapTimes, 0.5)).toFixed(1)} (one board read of ${members} rows against one tap, same run).`,
    ].join("\n");
    writeSection("callout", `## Call-out 拉动集结\n\n${md}`);
    console.log(md);
    if (lost !== 0 || failures !== 0) throw new Error(`${lost} taps lost, ${failures} refused`);
  } finally {
    stop();
    await pool.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
