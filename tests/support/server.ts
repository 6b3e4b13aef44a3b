/** The production server (`scripts/server.js` on the build) started for a test file, on a free port of 127.0.0.1. */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const hasBuild = existsSync(path.join(ROOT, "build/index.js"));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface BuiltServer {
  base: string;
  child: ChildProcess;
  stop: () => void;
}

/** Start the built site against this test file's database and wait until it answers its login page. */
export async function startBuiltServer(): Promise<BuiltServer> {
  const port = await freePort();
  const child = spawn("node", ["scripts/server.js"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      ANXUN_INSECURE_COOKIES: "1",
      ANXUN_NO_JOBS: "1",
      DB_POOL_SIZE: "4",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error("scripts/server.js exited");
    try {
      if ((await fetch(`${base}/login`)).status === 200) break;
    } catch {
      /* not yet */
    }
    if (i > 240) throw new Error("scripts/server.js did not answer");
    await new Promise((r) => setTimeout(r, 250));
  }
  return { base, child, stop: () => child.exitCode === null && void child.kill("SIGTERM") };
}

/** A session cookie through the server's own login form. */
export async function loginThrough(base: string, username: string, password: string): Promise<string> {
  const login = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({ username, password }),
    headers: { origin: base, "content-type": "application/x-www-form-urlencoded" },
  });
  if (login.status !== 302) throw new Error(`login of ${username}: ${login.status}`);
  return login.headers.get("set-cookie")!.split(";")[0];
}
