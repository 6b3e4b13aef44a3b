/**
 * Make sure a MySQL/MariaDB server answers: DATABASE_URL's server when set, else 127.0.0.1:3306, else a
 * project-local server started from the binaries on PATH with its data under .data/mysql (git-ignored;
 * ANXUN_DB_DIR moves it).
 *
 * Every server the project starts (this fallback, the Galera nodes of scripts/galera.ts) runs with
 * `--no-defaults` and its own socket, pid and log files, so no /etc/mysql/my.cnf, ~/.my.cnf or system
 * socket directory (/run/mysqld, often missing or root-only) decides whether it starts. As root it is told
 * `--user=root` (mariadbd refuses to run as root otherwise); as a normal user it runs as that user.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { serverConnection } from "../db/migrate";

export const DEFAULT_URL = "mysql://root@127.0.0.1:3306/anxun";
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

export async function reachable(url: string): Promise<boolean> {
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
  const dirs = [
    ...(process.env.PATH ?? "").split(":"),
    "/usr/sbin",
    "/usr/local/sbin",
    "/usr/local/mysql/bin",
    "/usr/local/bin",
  ];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  return null;
}

export function serverBinary(): string {
  const server = findBinary(["mariadbd", "mysqld"]);
  if (!server) {
    throw new Error(
      "No MySQL/MariaDB server is reachable and none is installed.\n" +
        "Install one (Debian/Ubuntu: `sudo apt-get install mariadb-server`; macOS: `brew install mariadb`), " +
        "or set DATABASE_URL=mysql://user:password@host:3306/anxun to use your own server.",
    );
  }
  return server;
}

const asRoot = () => (process.getuid?.() === 0 ? ["--user=root"] : []);

/** A server's own files: everything it writes lives under `dir` (the socket in the temp dir when the path is too long for one). */
export interface LocalServer {
  dir: string;
  dataDir: string;
  socket: string;
  pidFile: string;
  logFile: string;
}

export function localServerFiles(dir: string, name = "mysql"): LocalServer {
  let socket = path.join(dir, `${name}.sock`);
  // A Unix socket path must fit in 108 bytes.
  if (Buffer.byteLength(socket) > 100)
    socket = path.join(os.tmpdir(), `anxun-${createHash("sha1").update(socket).digest("hex").slice(0, 12)}.sock`);
  return {
    dir,
    dataDir: path.join(dir, name),
    socket,
    pidFile: path.join(dir, `${name}.pid`),
    logFile: path.join(dir, `${name}.log`),
  };
}

/** Create the system tables of a new data directory (no-op when it has them). */
export function initialiseDataDir(files: LocalServer) {
  if (existsSync(path.join(files.dataDir, "mysql"))) return;
  const server = serverBinary();
  mkdirSync(files.dir, { recursive: true });
  console.log(`Initialising a database server in ${files.dataDir} ...`);
  const isMaria = path.basename(server).startsWith("mariadb");
  const installer = isMaria ? findBinary(["mariadb-install-db", "mysql_install_db"]) : null;
  const log = openSync(files.logFile, "a");
  // --no-defaults must come first; mariadb-install-db passes it on to the server it runs.
  const init = installer
    ? spawnSync(
        installer,
        [
          "--no-defaults",
          `--datadir=${files.dataDir}`,
          "--auth-root-authentication-method=normal",
          "--skip-test-db",
          "--skip-name-resolve",
          ...asRoot(),
        ],
        { stdio: ["ignore", log, log] },
      )
    : spawnSync(server, ["--no-defaults", "--initialize-insecure", `--datadir=${files.dataDir}`, ...asRoot()], {
        stdio: ["ignore", log, log],
      });
  if (init.status !== 0) {
    throw new Error(
      `Could not initialise ${files.dataDir} (exit ${init.status}): see ${files.logFile}\n${tail(files.logFile)}`,
    );
  }
}

/** The server's command line: no option files, its own socket, pid and log, listening on 127.0.0.1:port. */
export function serverArgs(files: LocalServer, port: number, extra: string[] = []): string[] {
  return [
    "--no-defaults",
    `--datadir=${files.dataDir}`,
    `--port=${port}`,
    "--bind-address=127.0.0.1",
    `--socket=${files.socket}`,
    `--pid-file=${files.pidFile}`,
    `--log-error=${files.logFile}`,
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_unicode_ci",
    "--skip-name-resolve",
    ...asRoot(),
    ...extra,
  ];
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/** Start a server in the background (it outlives this process) and wait until `url` answers. */
export async function startLocalServer(
  files: LocalServer,
  url: string,
  extra: string[] = [],
  waitSeconds = 60,
): Promise<ChildProcess> {
  initialiseDataDir(files);
  const server = serverBinary();
  const port = Number(new URL(url).port || 3306);
  console.log(
    `Starting ${path.basename(server)} on 127.0.0.1:${port} (data in ${files.dataDir}, log in ${files.logFile}) ...`,
  );
  const log = openSync(files.logFile, "a");
  const child = spawn(server, serverArgs(files, port, extra), { detached: true, stdio: ["ignore", log, log] });
  child.unref();
  for (let i = 0; i < waitSeconds * 4; i++) {
    if (await reachable(url)) return child;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The database server did not start: see ${files.logFile}\n${tail(files.logFile)}`);
}

export async function ensureServer(): Promise<string> {
  const url = process.env.DATABASE_URL ?? DEFAULT_URL;
  if (await reachable(url)) return url;
  const host = new URL(url).hostname;
  if (process.env.DATABASE_URL && !["127.0.0.1", "localhost"].includes(host)) {
    throw new Error(
      `Cannot reach the database server at ${new URL(url).host} (DATABASE_URL). Check that it runs and the credentials are right.`,
    );
  }
  await startLocalServer(localServerFiles(process.env.ANXUN_DB_DIR ?? path.join(ROOT, ".data")), url);
  return url;
}
