/**
 * Make sure a MySQL/MariaDB server answers: DATABASE_URL's server when set, else 127.0.0.1:3306, else a
 * project-local server started from the binaries on PATH with its data under .data/mysql (git-ignored).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import { serverConnection } from "../db/migrate";

export const DEFAULT_URL = "mysql://root@127.0.0.1:3306/anxun";
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const DATA = path.join(ROOT, ".data");

async function reachable(url: string): Promise<boolean> {
  try {
    const conn = await serverConnection(url);
    await conn.query("SELECT 1");
    await conn.end();
    return true;
  } catch {
    return false;
  }
}

function findBinary(names: string[]): string | null {
  const dirs = [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/local/sbin", "/usr/local/mysql/bin", "/usr/local/bin"];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  return null;
}

async function startLocalServer(url: string): Promise<void> {
  const server = findBinary(["mariadbd", "mysqld"]);
  if (!server) {
    throw new Error(
      "No MySQL/MariaDB server is reachable at " + new URL(url).host + " and none is installed.\n" +
      "Install one (Debian/Ubuntu: `sudo apt-get install mariadb-server`; macOS: `brew install mariadb`), " +
      "or set DATABASE_URL=mysql://user:password@host:3306/anxun to use your own server.",
    );
  }
  const dataDir = path.join(DATA, "mysql");
  const port = new URL(url).port || "3306";
  mkdirSync(DATA, { recursive: true });
  const isMaria = path.basename(server).startsWith("mariadb");
  const asRoot = process.getuid?.() === 0 ? ["--user=root"] : [];
  if (!existsSync(path.join(dataDir, "mysql"))) {
    console.log(`Initialising a project-local database server in ${dataDir} ...`);
    const installer = isMaria ? findBinary(["mariadb-install-db", "mysql_install_db"]) : null;
    const init = installer
      ? spawnSync(installer, [`--datadir=${dataDir}`, "--auth-root-authentication-method=normal", "--skip-test-db", ...asRoot], { stdio: "inherit" })
      : spawnSync(server, ["--initialize-insecure", `--datadir=${dataDir}`, ...asRoot], { stdio: "inherit" });
    if (init.status !== 0) throw new Error(`Could not initialise ${dataDir} (exit ${init.status}).`);
  }
  console.log(`Starting ${path.basename(server)} on 127.0.0.1:${port} (data in .data/mysql, log in .data/mysql.log) ...`);
  const log = openSync(path.join(DATA, "mysql.log"), "a");
  const child = spawn(server, [
    `--datadir=${dataDir}`, `--port=${port}`, "--bind-address=127.0.0.1",
    `--socket=${path.join(DATA, "mysql.sock")}`, `--pid-file=${path.join(DATA, "mysql.pid")}`, ...asRoot,
  ], { detached: true, stdio: ["ignore", log, log] });
  child.unref();
  for (let i = 0; i < 120; i++) {
    if (await reachable(url)) return;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("The local database server did not start: see .data/mysql.log.");
}

export async function ensureServer(): Promise<string> {
  const url = process.env.DATABASE_URL ?? DEFAULT_URL;
  if (await reachable(url)) return url;
  const host = new URL(url).hostname;
  if (process.env.DATABASE_URL && !["127.0.0.1", "localhost"].includes(host)) {
    throw new Error(`Cannot reach the database server at ${new URL(url).host} (DATABASE_URL). Check that it runs and the credentials are right.`);
  }
  await startLocalServer(url);
  return url;
}
