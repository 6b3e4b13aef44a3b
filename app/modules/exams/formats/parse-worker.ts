/**
 * The worker thread that reads one question file (parse.ts). Built on its own into build/import-worker.js
 * (`npm run build:workers`); from the sources (tests) it is loaded through tsx. A worker is kept and reused: each
 * message { id, format, data } is answered with { id, ... } and the parsed file.
 */
import { parentPort } from "node:worker_threads";
import type { QuestionFormat } from "./index";
import { parseQuestionFile } from "./parse";

parentPort!.on("message", async (message: { id: number; format: QuestionFormat; data: Uint8Array }) => {
  try {
    const bytes = Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength);
    parentPort!.postMessage({ id: message.id, ok: true, result: await parseQuestionFile(message.format, bytes) });
  } catch (error) {
    parentPort!.postMessage({
      id: message.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    });
  }
});
