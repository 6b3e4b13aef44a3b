/**
 * A three-node MariaDB Galera cluster on this machine, for testing the app on a multi-primary database:
 *   npx tsx scripts/galera.ts start     install galera-4 if missing (root, Debian), bootstrap node 1, join nodes 2 and 3
 *   npx tsx scripts/galera.ts status    cluster size and state of each node
 *   npx tsx scripts/galera.ts stop      stop the three nodes (data stays in .data/galera; `rm -rf .data/galera` to forget it)
 * Nodes answer on 127.0.0.1:3311, 3312 and 3313 (root, no password); Galera replication on 4567/4577/4587. Every node runs
 * with --no-defaults and its own data, socket, pid and log under .data/galera/nodeN (ANXUN_GALERA_DIR moves them).
 * Run the integration tests against node 1 (each test file creates its database there; all nodes get it):
 *   DATABASE_URL=mysql://root@127.0.0.1:3311/anxun npx vitest run --config tests/vitest.config.ts --project integration
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { createConnection } from "mysql2/promise";
import { localServerFiles, reachable, startLocalServer } from "./mysql-server";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const DIR = process.env.ANXUN_GALERA_DIR ?? path.join(ROOT, ".data/galera");
const PROVIDER = "/usr/lib/galera/libgalera_smm.so";
const NODES = [1, 2, 3].map((n) => ({
  n,
  port: 3300 + 10 + n,
  gcomm: 4557 + 10 * n,
  files: localServerFiles(path.join(DIR, `node${n}`)),
  url: `mysql://root@127.0.0.1:${3310 + n}/`,
}));
const ADDRESS = `gcomm://${NODES.map((x) => `127.0.0.1:${x.gcomm}`).join(",")}`;

function ensureProvider() {
  if (existsSync(PROVIDER)) return;
  if (process.getuid?.() !== 0)
    throw new Error(`${PROVIDER} is missing: install it with \`sudo apt-get install -y galera-4\` (Debian/Ubuntu).`);
  console.log("Installing galera-4 ...");
  const r = spawnSync("apt-get", ["install", "-y", "galera-4"], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (r.status !== 0 || !existsSync(PROVIDER)) throw new Error("apt-get install -y galera-4 failed");
}

function nodeArgs(node: (typeof NODES)[number], bootstrap: boolean): string[] {
  const g = node.gcomm;
  return [
    "--wsrep-on=ON",
    `--wsrep-provider=${PROVIDER}`,
    "--wsrep-cluster-name=anxun",
    `--wsrep-node-name=node${node.n}`,
    `--wsrep-cluster-address=${bootstrap ? "gcomm://" : ADDRESS}`,
    `--wsrep-node-address=127.0.0.1:${g}`,
    `--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:${g};ist.recv_addr=127.0.0.1:${g + 1};gcache.size=64M`,
    // A joiner gets its first copy by mysqldump into its running server (rsync SST's daemon drops to uid nobody as root
    // and cannot write a private data directory; mariabackup is often not installed).
    `--wsrep-sst-receive-address=127.0.0.1:${node.port}`,
    "--wsrep-sst-method=mysqldump",
    "--wsrep-sst-auth=root:",
    // What Galera needs: row events, InnoDB, interleaved auto-increment (each node steps ids by the cluster size).
    "--binlog-format=ROW",
    "--default-storage-engine=InnoDB",
    "--innodb-autoinc-lock-mode=2",
    "--innodb-buffer-pool-size=96M",
    "--innodb-flush-log-at-trx-commit=2",
    "--max-connections=400",
  ];
}

async function status() {
  for (const node of NODES) {
    try {
      const conn = await createConnection({ uri: node.url });
      const [rows] = await conn.query<any[]>(
        "SHOW STATUS WHERE Variable_name IN ('wsrep_cluster_size', 'wsrep_local_state_comment', 'wsrep_ready')",
      );
      await conn.end();
      console.log(
        `node${node.n} 127.0.0.1:${node.port}: ${rows.map((r) => `${r.Variable_name.replace("wsrep_", "")}=${r.Value}`).join(" ")}`,
      );
    } catch (e) {
      console.log(`node${node.n} 127.0.0.1:${node.port}: not answering (${e instanceof Error ? e.message : e})`);
    }
  }
}

async function waitSynced(node: (typeof NODES)[number], size: number) {
  for (let i = 0; i < 480; i++) {
    try {
      const conn = await createConnection({ uri: node.url });
      const [rows] = await conn.query<any[]>(
        "SHOW STATUS WHERE Variable_name IN ('wsrep_cluster_size', 'wsrep_local_state_comment')",
      );
      await conn.end();
      const v = Object.fromEntries(rows.map((r) => [r.Variable_name, r.Value]));
      if (Number(v.wsrep_cluster_size) >= size && v.wsrep_local_state_comment === "Synced") return;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`node${node.n} did not reach a synced cluster of ${size}: see ${node.files.logFile}`);
}

async function start() {
  ensureProvider();
  const fresh = !existsSync(path.join(NODES[0].files.dataDir, "grastate.dat"));
  for (const [i, node] of NODES.entries()) {
    if (await reachable(node.url)) {
      console.log(`node${node.n} already answers on ${node.port}.`);
      continue;
    }
    // Node 1 starts a new cluster when none of the others runs (safe_to_bootstrap marks the last one to stop).
    const othersUp = (await Promise.all(NODES.filter((x) => x !== node).map((x) => reachable(x.url)))).some(Boolean);
    const bootstrap = i === 0 && !othersUp;
    if (bootstrap && !fresh) {
      const state = path.join(node.files.dataDir, "grastate.dat");
      spawnSync("sed", ["-i", "s/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/", state]);
    }
    const extra = nodeArgs(node, bootstrap);
    if (bootstrap) extra.push("--wsrep-new-cluster");
    await startLocalServer(node.files, node.url, extra, 120);
    await waitSynced(node, i + 1);
  }
  await status();
  console.log(
    `Run the tests on it: DATABASE_URL=${NODES[0].url}anxun npx vitest run --config tests/vitest.config.ts --project integration`,
  );
}

async function stop() {
  // Stop the joiners first and node 1 last, so node 1 is the one safe to bootstrap from next time.
  for (const node of [...NODES].reverse()) {
    const pidFile = node.files.pidFile;
    if (!existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      rmSync(pidFile, { force: true });
      continue;
    }
    for (let i = 0; i < 240; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    console.log(`node${node.n} stopped.`);
  }
}

const command = process.argv[2] ?? "start";
const run = command === "start" ? start : command === "stop" ? stop : command === "status" ? status : null;
if (!run) {
  console.error("usage: tsx scripts/galera.ts start|status|stop");
  process.exit(2);
}
run().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
