import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { MAX_CONCURRENT_IMPORTS } from "../../lib/excel.server";
import type { QuestionFormat } from "./formats/index";
import type { ParsedFile } from "./formats/parse";

/** The longest a question file may take to read; past it the worker is stopped and the upload refused. */
export const PARSE_TIMEOUT_MS = 20_000;
const UNREADABLE = "无法读取该文件：文件过于复杂或已损坏，请检查后重试。";

/**
 * Start a parse worker: the bundle next to the server build (build/workers/parse-worker.js, made by
 * `npm run build:workers`), or, when running from the TypeScript sources (tests, scripts), the source through tsx.
 */
function spawn(): Worker {
  const here = import.meta.url;
  const built = new URL("./workers/parse-worker.js", here);
  const limits = { resourceLimits: { maxOldGenerationSizeMb: 512 } };
  if (!here.endsWith(".ts") && existsSync(fileURLToPath(built))) return new Worker(built, limits);
  // tsx's ESM entry (require.resolve finds its CommonJS twin next to it).
  const tsx = pathToFileURL(
    createRequire(here)
      .resolve("tsx/esm/api")
      .replace(/index\.cjs$/, "index.mjs"),
  ).href;
  const source = new URL("./formats/parse-worker.ts", here).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source)}); });`,
    { eval: true, ...limits },
  );
}

/**
 * Idle workers kept for the next file (starting one costs far more than most files: loading the parsers), at most
 * as many as imports may run at once (withImportSlot). An idle worker does not keep the process alive.
 */
const idle: Worker[] = [];
let nextId = 1;

function release(worker: Worker) {
  worker.removeAllListeners("message").removeAllListeners("error").removeAllListeners("exit");
  if (idle.length < MAX_CONCURRENT_IMPORTS) {
    worker.unref();
    worker.once("exit", () => idle.splice(idle.indexOf(worker) >>> 0, 1));
    idle.push(worker);
  } else {
    void worker.terminate();
  }
}

/**
 * Read a question file in a worker thread. The parsers are linear and yield between questions, but a 2 MB file is
 * still hundreds of milliseconds of work that would otherwise hold every other request of the process. A file that
 * takes longer than PARSE_TIMEOUT_MS, or breaks the worker, is refused and its worker stopped.
 */
export function parseInWorker(format: QuestionFormat, data: Buffer): Promise<ParsedFile> {
  return new Promise((resolve) => {
    const worker = idle.pop() ?? spawn();
    worker.removeAllListeners("exit");
    worker.ref();
    const id = nextId++;
    let settled = false;
    const finish = (r: ParsedFile, healthy: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (healthy) release(worker);
      else void worker.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ error: UNREADABLE }, false), PARSE_TIMEOUT_MS);
    worker.on("message", (m: { id: number } & ({ ok: true; result: ParsedFile } | { ok: false; message: string })) => {
      if (m.id !== id) return;
      if (!m.ok) return finish({ error: UNREADABLE }, true);
      const r = m.result;
      if (!("error" in r)) {
        // Structured clone hands Buffers back as Uint8Arrays.
        for (const q of r.questions)
          for (const f of q.files ?? []) f.data = Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength);
      }
      finish(r, true);
    });
    worker.once("error", (e) => {
      console.error("question file parse worker failed:", e);
      finish({ error: UNREADABLE }, false);
    });
    worker.once("exit", () => finish({ error: UNREADABLE }, false));
    const copy = new Uint8Array(data.byteLength);
    copy.set(data);
    worker.postMessage({ id, format, data: copy }, [copy.buffer]);
  });
}
