/**
 * A hostile question file through the real running server (scripts/server.js, the production build): a 2 MB
 * Moodle XML or GIFT file of a million unclosed `<a` tags, and deep nesting, is answered with a clear problem in under
 * a second, and meanwhile the same process keeps answering other requests (GET /login) quickly, because the file is
 * read in a worker thread. Needs the production build (npm run build; npm test does).
 */
import os from "node:os";
import path from "node:path";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../db/seed/demo";
import { loginThrough, ROOT, startBuiltServer, hasBuild as hasServerBuild, type BuiltServer } from "../support/server";

const hasBuild = hasServerBuild && existsSync(path.join(ROOT, "build/workers/parse-worker.js"));
if (!hasBuild) console.log("SKIPPED import-off-loop tests: no production build (run `npm run build`; npm test does)");

let server: BuiltServer | undefined;
afterAll(() => server?.stop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GET /login every `every` ms until stopped; each answer's latency. */
function probe(base: string, every = 25) {
  const latencies: number[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const t = performance.now();
      const res = await fetch(`${base}/login`);
      await res.arrayBuffer();
      latencies.push(performance.now() - t);
      await sleep(every);
    }
  })();
  return {
    latencies,
    stop: async () => {
      running = false;
      await done;
      return latencies;
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe.skipIf(!hasBuild)("a hostile question file on the running server", () => {
  let base = "";
  let cookie = "";
  beforeAll(async () => {
    server = await startBuiltServer();
    base = server.base;
    cookie = await loginThrough(base, "officer", DEMO_PASSWORD);
  }, 120_000);

  const upload = async (name: string, body: string) => {
    const form = new FormData();
    form.set("file", new File([body], name));
    form.set("topic", "压力测试");
    const t = performance.now();
    // The page as the browser gets it after 检查文件: the preview rendered with the added and skipped questions.
    const res = await fetch(`${base}/questions/import`, {
      method: "POST",
      body: form,
      headers: { origin: base, cookie },
      redirect: "manual",
    });
    const html = await res.text();
    return { status: res.status, html, ms: performance.now() - t };
  };

  it("answers in under a second while GET /login keeps answering within 100 ms", async () => {
    // The first file starts the process's parse worker (loading the parsers); the figures are for the files after it.
    const warm = await upload("warm.gift", "::w1::进入有限空间作业前应当：{=先通风后检测 ~先检测后通风}\n");
    expect(warm.status).toBe(200);
    expect(warm.html).toContain("进入有限空间作业前应当");

    const idle = probe(base);
    await sleep(1500);
    const baseline = await idle.stop();

    const xml = `<quiz><question type="multichoice"><name><text>q</text></name><questiontext format="html"><text><![CDATA[${"<a".repeat(1_000_000)}]]></text></questiontext></question></quiz>`;
    const gift = `::g1::[html]${"<a".repeat(1_000_000)}{=对 ~错}\n`;
    const deep = `<quiz>${"<a>".repeat(700_000)}</quiz>`;
    expect(xml.length).toBeGreaterThan(2_000_000);
    expect(gift.length).toBeGreaterThan(2_000_000);
    expect(deep.length).toBeGreaterThan(2_000_000);

    const results: { name: string; ms: number; reason: string }[] = [];
    const during = probe(base);
    await sleep(100);
    for (const [name, body] of [
      ["hostile.xml", xml],
      ["hostile.gift", gift],
      ["deep.xml", deep],
    ] as const) {
      const r = await upload(name, body);
      expect(r.status, name).toBe(200);
      results.push({
        name,
        ms: Math.round(r.ms),
        reason: /题干的 HTML 超过 \d+ KB|嵌套超过 \d+ 层/.exec(r.html)?.[0] ?? r.html.slice(0, 200),
      });
    }
    await sleep(100);
    const loaded = await during.stop();
    console.log(
      `import-off-loop (load average ${os.loadavg()[0].toFixed(1)}): uploads ${JSON.stringify(results)}; GET /login idle median ${median(baseline).toFixed(1)} ms max ${Math.max(...baseline).toFixed(1)} ms; ` +
        `during uploads n=${loaded.length} median ${median(loaded).toFixed(1)} ms max ${Math.max(...loaded).toFixed(1)} ms`,
    );

    expect(results.find((r) => r.name === "hostile.xml")!.reason).toContain("超过");
    expect(results.find((r) => r.name === "hostile.gift")!.reason).toContain("超过");
    expect(results.find((r) => r.name === "deep.xml")!.reason).toContain("嵌套超过");
    // Under a second on a quiet machine (docs/benchmarks.md); the shared test machine gets twice that.
    for (const r of results) expect(r.ms, r.name).toBeLessThan(2000);
    // Requests kept being answered throughout, none held behind a parse: with the parse on the event loop a probe
    // waits for the whole file (the hostile XML held it for ~600 ms). On a quiet machine every answer is < 100 ms; a
    // busy one's own jitter (three times the idle maximum, at least 300 ms) is allowed for; the < 100 ms figure on a
    // quiet machine is in docs/benchmarks.md.
    expect(loaded.length).toBeGreaterThan(5);
    expect(Math.max(...loaded)).toBeLessThan(Math.max(300, 3 * Math.max(...baseline)));
  }, 120_000);

  it("bounds a multipart upload while it streams: a body past the limit is cut off with a clear 413", async () => {
    // No declared length (a stream), 8 MB: the server stops reading at the upload limit instead of buffering it all.
    const big = new ReadableStream<Uint8Array>({
      start(controller) {
        const boundary = "----anxun";
        controller.enqueue(
          new TextEncoder().encode(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.gift"\r\n\r\n`,
          ),
        );
        for (let i = 0; i < 128; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(0x61));
        controller.enqueue(new TextEncoder().encode(`\r\n--${boundary}--\r\n`));
        controller.close();
      },
    });
    const res = await fetch(`${base}/questions/import`, {
      method: "POST",
      body: big,
      duplex: "half",
      headers: { origin: base, cookie, "content-type": "multipart/form-data; boundary=----anxun" },
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("文件过大");
  }, 60_000);
});
