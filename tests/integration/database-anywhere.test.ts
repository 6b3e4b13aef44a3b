/**
 * "Starts anywhere": in a network namespace of its own (nothing on 3306, no system socket, no my.cnf in the
 * way thanks to --no-defaults), `scripts/db.ts` initialises and starts a project-local MariaDB, migrates and
 * seeds it, and the built site answers a page from it. As root the server runs with --user=root; when the
 * tests run as root they also check the normal-user path (uid nobody, no --user).
 */
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const isRoot = process.getuid?.() === 0;
// As root a plain network namespace; otherwise a user namespace too (root inside it, yourself outside).
const unshare = isRoot ? ["unshare", "-n"] : ["unshare", "-rn"];
const probe = spawnSync(unshare[0], [...unshare.slice(1), "sh", "-c", "ip link set lo up"], { encoding: "utf8" });
const why = probe.error
  ? `${unshare[0]} is not installed`
  : probe.status !== 0
    ? `\`${unshare.join(" ")}\` is not permitted here: ${(probe.stderr || "").trim()}`
    : null;
if (why) console.log(`SKIPPED database-anywhere tests: ${why}`);
const hasBuild = existsSync(path.join(ROOT, "build/index.js"));

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) {
    try {
      process.kill(Number(readFileSync(path.join(dir, "mysql.pid"), "utf8").trim()), "SIGKILL");
    } catch {
      /* not running */
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Run a shell script in a fresh network namespace with loopback up; returns its output. */
function inNamespace(script: string, env: Record<string, string>, prefix: string[] = []) {
  const r = spawnSync(
    unshare[0],
    [
      ...unshare.slice(1),
      "sh",
      "-c",
      `ip link set lo up && exec ${[...prefix, "sh", "-c", '"$ANXUN_TEST_SCRIPT"'].join(" ")}`,
    ],
    {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 150_000,
      env: { ...process.env, ...env, ANXUN_TEST_SCRIPT: script },
    },
  );
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe.skipIf(!!why)("a database that starts anywhere", () => {
  it("sets up a local server in an empty network namespace and the site answers from it", { timeout: 180_000 }, () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "anxun-db-"));
    dirs.push(dir);
    // Nothing may answer on 3306 in the namespace: the fallback server is what gets used.
    const page = hasBuild
      ? `PORT=3999 NODE_ENV=production ANXUN_INSECURE_COOKIES=1 ANXUN_NO_JOBS=1 node scripts/server.js & SITE=$!;
         node --input-type=module -e 'for (let i = 0; ; i++) { try { const r = await fetch("http://127.0.0.1:3999/login"); const t = await r.text(); console.log("PAGE", r.status, t.includes("登录")); break; } catch (e) { if (i > 360) throw e; await new Promise((r) => setTimeout(r, 250)); } }';
         kill $SITE`
      : "echo no build: page not checked";
    const r = inNamespace(
      `node -e 'require("net").connect(3306, "127.0.0.1").on("connect", () => process.exit(1)).on("error", () => console.log("NOTHING ON 3306"))' &&
       node --import tsx scripts/db.ts setup && ${page}`,
      { ANXUN_DB_DIR: dir, DATABASE_URL: "mysql://root@127.0.0.1:3306/anxun" },
    );
    expect(r.out).toContain("NOTHING ON 3306");
    expect(r.out, r.out).toContain("Applied migrations");
    expect(r.out).toContain("Loaded the demo city");
    if (hasBuild) expect(r.out).toContain("PAGE 200 true");
    expect(r.status, r.out).toBe(0);
    // Its own files, none in the system's directories.
    for (const f of ["mysql.sock", "mysql.pid", "mysql.log"]) expect(existsSync(path.join(dir, f))).toBe(true);
    if (isRoot) expect(readFileSync(path.join(dir, "mysql.log"), "utf8")).not.toMatch(/\[ERROR\].*(user|root)/i);
  });

  it.skipIf(!isRoot)("also runs as a normal user (uid nobody, no --user)", { timeout: 120_000 }, () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "anxun-db-"));
    dirs.push(dir);
    chownSync(dir, 65534, 65534);
    const r = inNamespace(
      "node --import tsx scripts/db.ts ensure",
      { ANXUN_DB_DIR: dir, HOME: dir, DATABASE_URL: "mysql://root@127.0.0.1:3306/anxun" },
      ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"],
    );
    expect(r.out, r.out).toContain("Database server ready at 127.0.0.1:3306");
    expect(r.status).toBe(0);
  });
});
