import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

// argon2id (the library's default) with OWASP's minimum parameters: 19 MiB, 2 passes.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * How much lower than the rest of the process password work runs (Linux nice, 0–19). A password costs about 50 ms of a
 * core: on exam day ten thousand logins in five minutes would take most of this box's two cores, and on libuv's four
 * threads they were scheduled as equals of the event loop that answers examinees' autosaves. On one lower-priority
 * thread, logins use the CPU that is left and queue when none is (decision 0034).
 */
const PASSWORD_NICE = Number(process.env.ANXUN_PASSWORD_NICE ?? 10);

// Plain CommonJS for an eval worker: no bundling needed, the same in the server build, tests and scripts.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
try {
  // /proc/thread-self names this thread's own task id; setpriority on it lowers only this thread.
  const tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop());
  require("node:os").setPriority(tid, workerData.nice);
} catch {}
const argon2 = require(workerData.argon2);
parentPort.on("message", ({ id, op, hash, password, options }) => {
  try {
    const value = op === "hash" ? argon2.hashSync(password, options) : argon2.verifySync(hash, password);
    parentPort.postMessage({ id, ok: true, value });
  } catch (e) {
    parentPort.postMessage({ id, ok: false, message: String((e && e.message) || e) });
  }
});
`;

type Pending = { resolve: (v: string | boolean) => void; reject: (e: Error) => void };
let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 1;

function passwordThread(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { argon2: createRequire(import.meta.url).resolve("@node-rs/argon2"), nice: PASSWORD_NICE },
  });
  w.on("message", (m: { id: number; ok: boolean; value?: string | boolean; message?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.value!);
    else p.reject(new Error(m.message));
    if (pending.size === 0) w.unref(); // an idle thread does not keep a script alive
  });
  const fail = (e: Error) => {
    worker = undefined;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  w.on("error", fail);
  w.on("exit", () => fail(new Error("password thread exited")));
  worker = w;
  return w;
}

function onPasswordThread<T extends string | boolean>(message: {
  op: "hash" | "verify";
  password: string;
  hash?: string;
  options?: typeof OPTIONS;
}): Promise<T> {
  const w = passwordThread();
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as Pending["resolve"], reject });
    w.ref();
    w.postMessage({ id, ...message });
  });
}

export const hashPassword = (password: string) => onPasswordThread<string>({ op: "hash", password, options: OPTIONS });

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await onPasswordThread<boolean>({ op: "verify", hash: passwordHash, password });
  } catch {
    return false;
  }
}

/** Compared against when the account does not exist, so the answer takes as long either way. */
let dummyHash: Promise<string> | undefined;
export async function burnVerifyTime(password: string) {
  // A failed hash (the thread died) is not kept: the next login makes it again instead of failing for good.
  dummyHash ??= hashPassword("anxun-no-such-account").catch((e: unknown) => {
    dummyHash = undefined;
    throw e;
  });
  await verifyPassword(await dummyHash, password);
}
