/**
 * Benchmark harness: start the built site and a bare node:http + mysql2 server side by side on the same
 * database, load both with autocannon in the same run, and report the site as a ratio of the bare limit.
 */
import autocannon from "autocannon";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createPool } from "mysql2/promise";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export interface Load {
  path: string;
  method?: "GET" | "POST" | "PUT";
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  seconds?: number;
}

export interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Bytes per response, headers included. */
  bytes: number;
}

async function waitFor(url: string, child: ChildProcess, seconds = 60) {
  try {
    await fetch(url);
    throw new Error(`${url} already answers before the server started: stop the old process first`);
  } catch (e) {
    if (e instanceof Error && e.message.includes("already answers")) throw e;
  }
  for (let i = 0; i < seconds * 4; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer in ${seconds} s`);
}

export async function startServer(
  kind: "site" | "bare",
  databaseUrl: string,
  port: number,
  extraEnv: Record<string, string> = {},
): Promise<() => void> {
  const child =
    kind === "site"
      ? spawn("node", ["scripts/server.js"], {
          cwd: ROOT,
          env: {
            ...process.env,
            DATABASE_URL: databaseUrl,
            PORT: String(port),
            NODE_ENV: "production",
            ANXUN_DEMO: "1",
            ANXUN_INSECURE_COOKIES: "1",
            DB_POOL_SIZE: "10",
            ...extraEnv,
          },
          stdio: ["ignore", "ignore", "inherit"],
        })
      : spawn("node", ["--import", "tsx", "scripts/bench/bare-server.ts"], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port) },
          stdio: ["ignore", "ignore", "inherit"],
        });
  await waitFor(`http://127.0.0.1:${port}/login`, child);
  return () => child.kill("SIGTERM");
}

export async function measure(base: string, load: Load): Promise<Figures> {
  const run = (seconds: number) =>
    autocannon({
      url: base + load.path,
      method: load.method ?? "GET",
      headers: load.headers,
      body: load.body,
      connections: load.connections ?? 20,
      duration: seconds,
    });
  await run(2); // warm up: JIT, pools, caches
  const r = await run(load.seconds ?? 10);
  // A figure made of error pages would be a lie: refuse it.
  if (r.non2xx > r.requests.total * 0.01 || r.errors > 0)
    throw new Error(`${base}${load.path}: ${r.non2xx} non-2xx answers and ${r.errors} errors of ${r.requests.total}`);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    bytes: r.requests.total ? Math.round(r.throughput.total / r.requests.total) : 0,
  };
}

/** Log in through the real form and return the session cookie. */
export async function loginCookie(base: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ username, password }),
  });
  const cookie = res.headers.get("set-cookie");
  if (!cookie) throw new Error(`login as ${username} failed: ${res.status}`);
  return cookie.split(";")[0];
}

export const row = (name: string, site: Figures, bare: Figures) =>
  `| ${name} | ${site.rps.toFixed(0)} | ${bare.rps.toFixed(0)} | **${(site.rps / bare.rps).toFixed(2)}** | ${site.p50} | ${site.p99} | ${bare.p50} | ${site.errors + site.non2xx} | ${(site.bytes / 1024).toFixed(1)} / ${(bare.bytes / 1024).toFixed(1)} |`;

export const TABLE_HEAD =
  "| route | site req/s | bare req/s | ratio | site p50 ms | site p99 ms | bare p50 ms | site errors | KB per answer site / bare |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |";

/** Replace (or append) the section between `<!-- bench:NAME -->` markers in docs/benchmarks.md. */
export function writeSection(name: string, markdown: string) {
  const file = path.join(ROOT, "docs/benchmarks.md");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    text =
      "# Benchmarks\n\nFigures from `scripts/bench/`; each section says the command that produced it. The machine is shared and\nnoisy: compare ratios measured in the same run, not absolute numbers across runs.\n";
  }
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  text = i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
}

export function machine() {
  const cpus = readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU";
  return `${new Date().toISOString().slice(0, 10)}, ${cpus}, node ${process.version}`;
}

/**
 * A generated city in database `name` (scripts/generate-city.ts), made when it is missing, lacks `markerTable` (a table
 * of the newest migration the benchmark needs) or has another size. Returns its URL.
 */
export async function ensureCity(
  base: URL,
  name: string,
  size: { people: number; enterprises?: number },
  markerTable: string,
) {
  const url = new URL(base);
  url.pathname = `/${name}`;
  const pool = createPool({ uri: new URL("/", base).toString().replace(/\/$/, ""), connectionLimit: 1 });
  const [rows] = await pool.query<any[]>(
    "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
    [name, markerTable],
  );
  let ready = Number(rows[0].n) > 0;
  if (ready) {
    const [[c]] = await pool.query<any[]>(
      `SELECT (SELECT COUNT(*) FROM \`${name}\`.person) AS people, (SELECT COUNT(*) FROM \`${name}\`.enterprise) AS enterprises`,
    );
    ready =
      Number(c.people) === size.people &&
      (size.enterprises === undefined || Number(c.enterprises) === size.enterprises);
  }
  await pool.end();
  if (!ready) {
    console.log(
      `generating ${name} (${size.people} people${size.enterprises ? `, ${size.enterprises} enterprises` : ""}) ...`,
    );
    execFileSync(
      "npx",
      [
        "tsx",
        "scripts/generate-city.ts",
        "--people",
        String(size.people),
        ...(size.enterprises ? ["--enterprises", String(size.enterprises)] : []),
        "--database",
        name,
      ],
      { cwd: ROOT, stdio: "inherit" },
    );
  }
  return url.toString();
}
