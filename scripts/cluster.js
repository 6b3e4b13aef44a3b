/**
 * `npm start`: one app process (scripts/server.js) per core, all on one port (node:cluster shares the socket
 * and hands connections out round-robin). All state is in MySQL, so any process may answer any request.
 * Background jobs run in exactly one process (the others get ANXUN_NO_JOBS); the jobs are safe in several
 * processes anyway (row locks, idempotent updates, job_state claims), so a restart overlap does no harm.
 *
 *   ANXUN_WORKERS=n   number of processes (default: the cores this process may use); 1 runs the server here.
 *   ANXUN_DATABASE_URLS=url1,url2,…   spread the processes over the nodes of a multi-primary cluster (Galera): process i
 *                     gets DATABASE_URL = url(i mod count), and a process started after a crash keeps its node.
 */
import cluster from "node:cluster";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const SERVER = path.join(path.dirname(fileURLToPath(import.meta.url)), "server.js");
const requested = process.env.ANXUN_WORKERS;
const count = requested ? Number(requested) : os.availableParallelism();
if (!Number.isInteger(count) || count < 1 || count > 256) {
  console.error(`ANXUN_WORKERS must be a whole number from 1 to 256, not "${requested}".`);
  process.exit(1);
}

const nodeUrls = (process.env.ANXUN_DATABASE_URLS ?? "")
  .split(",")
  .map((u) => u.trim())
  .filter(Boolean);

if (count === 1) {
  await import(SERVER);
} else {
  cluster.setupPrimary({ exec: SERVER });
  /** worker id → { jobs: does it run the background jobs, slot: its place, which names its database node } */
  const roles = new Map();
  let stopping = false;
  const recentExits = [];

  const fork = (jobs, slot) => {
    // Without ANXUN_NO_JOBS in the parent's environment, the jobs process simply inherits none.
    const env = jobs ? {} : { ANXUN_NO_JOBS: "1" };
    if (nodeUrls.length) env.DATABASE_URL = nodeUrls[slot % nodeUrls.length];
    // Processes on different nodes must see each other's commits (a session made through one node): causal reads.
    if (nodeUrls.length > 1) env.DB_CAUSAL_READS = "1";
    const worker = cluster.fork(env);
    roles.set(worker.id, { jobs, slot });
    return worker;
  };

  const workers = Array.from({ length: count }, (_, i) => fork(i === 0, i));
  const jobsNote = process.env.ANXUN_NO_JOBS
    ? "background jobs off (ANXUN_NO_JOBS)"
    : `background jobs in pid ${workers[0].process.pid}`;
  const nodesNote = nodeUrls.length ? `, spread over ${nodeUrls.length} database nodes` : "";
  console.log(
    `Anxun: ${count} app processes (pids ${workers.map((w) => w.process.pid).join(", ")}), ${jobsNote}${nodesNote}.`,
  );

  cluster.on("exit", (worker, code, signal) => {
    const { jobs, slot } = roles.get(worker.id);
    roles.delete(worker.id);
    if (stopping) {
      if (roles.size === 0) process.exit(0);
      return;
    }
    // A crash loop (e.g. no database) should end the launcher, not spin.
    const now = Date.now();
    recentExits.push(now);
    while (recentExits.length && recentExits[0] < now - 60_000) recentExits.shift();
    if (recentExits.length > count * 3) {
      console.error(
        `App processes keep exiting (last: pid ${worker.process.pid}, ${signal ?? `code ${code}`}); stopping.`,
      );
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
      process.exitCode = 1;
      if (roles.size === 0) process.exit(1);
      return;
    }
    const next = fork(jobs, slot);
    console.error(
      `App process ${worker.process.pid} exited (${signal ?? `code ${code}`}); started ${next.process.pid}${jobs ? " (background jobs)" : ""}.`,
    );
  });

  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.on(signal, () => {
      stopping = true;
      if (roles.size === 0) process.exit(0);
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
      setTimeout(() => process.exit(0), 10_000).unref();
    });
  }
}
