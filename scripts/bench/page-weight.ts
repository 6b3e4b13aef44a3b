/**
 * Page weight on a phone (not part of `npm test`): `npm run bench:weight` (builds first) or, on a fresh build,
 * `npx tsx scripts/bench/page-weight.ts [--port 3302] [--budget 150]`.
 *
 * Resets and seeds database `anxun_bench_weight`, issues an on-site quiz, starts the production build, then loads each
 * page in Chromium (/usr/bin/chromium, 390×844 phone) with an empty cache and sums the JavaScript it loads:
 *   - transferred: bytes on the wire (the body as the server sent it: gzip or brotli from `compression`),
 *   - gzip: each script gzipped at level 6 (what the budget is written in, whatever the browser negotiated),
 *   - raw: decoded bytes.
 * Budget: at most 150 KB gzip of JavaScript for login, quiz join (/q and /q/<token>), quiz paper, exam paper and home.
 * Writes the table into docs/benchmarks.md (section page-weight) and exits non-zero when a budgeted page is over.
 */
import { chromium, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { machine, ROOT, startServer, writeSection } from "./harness";
import { makeIdNumber } from "../../db/seed/identifiers";

const { values: opts } = parseArgs({
  options: { port: { type: "string", default: "3302" }, budget: { type: "string", default: "150" } },
});
const PORT = Number(opts.port);
const BUDGET_KB = Number(opts.budget);
const site = `http://127.0.0.1:${PORT}`;
const PHONE = {
  serviceWorkers: "block" as const,
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  locale: "zh-CN",
  timezoneId: "Asia/Shanghai",
};

interface Weight {
  page: string;
  path: string;
  budget: boolean;
  scripts: number;
  transferred: number;
  gzip: number;
  raw: number;
  zod: boolean;
  echarts: boolean;
}

/** Load `path` in `page` with an empty cache and sum its scripts. `action` may navigate (e.g. submit a form) instead. */
async function weigh(
  page: Page,
  name: string,
  path: string,
  budget: boolean,
  action?: () => Promise<unknown>,
): Promise<Weight> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const scripts: { url: string; body: Promise<Buffer> }[] = [];
  const wireSizes = new Map<string, number>();
  cdp.on("Network.loadingFinished", (e) => wireSizes.set(e.requestId, e.encodedDataLength));
  const requestIds = new Map<string, string>();
  cdp.on("Network.responseReceived", (e) => {
    if (e.type === "Script") requestIds.set(e.response.url, e.requestId);
  });
  const onResponse = (response: import("@playwright/test").Response) => {
    if (response.request().resourceType() !== "script") return;
    scripts.push({ url: response.url(), body: response.body().catch(() => Buffer.alloc(0)) });
  };
  page.on("response", onResponse);
  if (action) await action();
  else await page.goto(site + path, { waitUntil: "networkidle" });
  await page.waitForLoadState("networkidle");
  page.off("response", onResponse);
  let transferred = 0;
  let gzip = 0;
  let raw = 0;
  let zod = false;
  let echarts = false;
  for (const s of scripts) {
    const body = await s.body;
    raw += body.length;
    gzip += gzipSync(body, { level: 6 }).length;
    const id = requestIds.get(s.url);
    // encodedDataLength includes the response headers: a few hundred bytes per script.
    transferred += id !== undefined ? (wireSizes.get(id) ?? body.length) : body.length;
    const text = body.toString("utf8");
    if (/ZodError|\$ZodType|zod_default/.test(text)) zod = true;
    if (/echarts|zrender/i.test(text)) echarts = true;
  }
  await cdp.detach();
  return {
    page: name,
    path: path || page.url().replace(site, ""),
    budget,
    scripts: scripts.length,
    transferred,
    gzip,
    raw,
    zod,
    echarts,
  };
}

async function main() {
  const url = new URL(process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/anxun");
  url.pathname = "/anxun_bench_weight";
  const databaseUrl = url.toString();
  execFileSync("npx", ["tsx", "scripts/db.ts", "reset"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: "ignore",
  });
  process.env.DATABASE_URL = databaseUrl;
  const { createInspection } = await import("../../app/modules/inspections/inspections.server");
  const { createQuiz } = await import("../../app/modules/inspections/quiz.server");
  const { db, closeDatabase } = await import("../../app/lib/db.server");
  const enterprise = await db
    .selectFrom("person")
    .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
    .innerJoin("user", "user.person_id", "person.id")
    .select(["enterprise.id", "enterprise.region_path"])
    .where("user.username", "=", "worker")
    .executeTakeFirstOrThrow();
  const inspector = await db
    .selectFrom("user")
    .innerJoin("region", "region.id", "user.region_id")
    .select(["user.id", "user.display_name", "region.path"])
    .where("user.username", "=", "inspector")
    .executeTakeFirstOrThrow();
  const actor = {
    userId: inspector.id,
    username: "inspector",
    displayName: inspector.display_name,
    role: "inspector" as const,
    enterpriseId: null,
    regionPath: inspector.path,
    personId: null,
  };
  const inspectionId = await createInspection(
    actor,
    { id: enterprise.id, regionPath: enterprise.region_path },
    { inspectedOn: "2026-11-30", inspectors: "页面重量" },
    "bench",
  );
  const quiz = await createQuiz(
    actor,
    inspectionId,
    { principal: 0, safety_manager: 0, special_operator: 0, worker: 10, minutes: 30 },
    "bench",
  );
  if (!quiz.ok) throw new Error(quiz.message);
  const { token } = await db
    .selectFrom("onsite_quiz")
    .select("token")
    .where("id", "=", quiz.id)
    .executeTakeFirstOrThrow();
  const lesson = await db
    .selectFrom("lesson")
    .innerJoin("course", "course.id", "lesson.course_id")
    .select(["course.slug as course", "lesson.slug"])
    .orderBy("lesson.id")
    .limit(1)
    .executeTakeFirstOrThrow();
  await closeDatabase();

  const stop = await startServer("site", databaseUrl, PORT, { TRUST_PROXY: "loopback" });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const results: Weight[] = [];
  try {
    // People without an account: login, quiz join, the quiz paper.
    const anon = await (await browser.newContext(PHONE)).newPage();
    results.push(await weigh(anon, "登录 login", "/login", true));
    results.push(await weigh(anon, "测验入口 quiz join", "/q", true));
    results.push(await weigh(anon, "扫码加入 quiz join by link", `/q/${token}`, true));
    await anon.getByLabel("姓名").fill("页面测试");
    await anon.getByLabel("身份证号码").fill(makeIdNumber("339977", "1985-03-02", 7));
    await anon.getByRole("button", { name: "开始答题" }).click();
    // Not on the roster: the page asks for the post, then lets them in as 名册外人员.
    await anon.getByLabel("您的岗位").selectOption("worker");
    await anon.getByRole("button", { name: "开始答题" }).click();
    await anon.waitForURL(/\/paper$/).catch(async (e) => {
      throw new Error(
        `joining the quiz failed: ${(await anon.locator("main").innerText()).replace(/\s+/g, " ").slice(0, 600)}`,
        { cause: e },
      );
    });
    results.push(await weigh(anon, "测验答题 quiz paper", `/q/${token}/paper`, true));

    // A worker: home, the exam list, the exam paper, a lesson.
    const worker = await (await browser.newContext(PHONE)).newPage();
    await worker.goto(`${site}/login`);
    await worker.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await worker.getByLabel("用户名").fill("worker");
    await worker.getByLabel("密码").fill("Anxun2026");
    await worker.getByRole("button", { name: "登录" }).click();
    await worker.waitForURL(`${site}/`);
    results.push(await weigh(worker, "首页 home", "/", true));
    results.push(await weigh(worker, "考试列表 exam list", "/exams", false));
    const start = await worker.locator('a[href^="/exams/"][href$="/start"]').first().getAttribute("href");
    if (!start) throw new Error("the demo worker has no exam to start");
    await worker.goto(site + start);
    await worker.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await worker.getByRole("button", { name: "开始考试" }).click();
    await worker.getByRole("button", { name: "确认开始" }).click();
    await worker.waitForURL(/\/attempts\/\d+$/);
    const paper = new URL(worker.url()).pathname;
    results.push(await weigh(worker, "考试答题 exam paper", paper, true));
    results.push(await weigh(worker, "课程小节 lesson", `/courses/${lesson.course}/${lesson.slug}`, false));
    results.push(await weigh(worker, "练习 practice", "/practice", false));
  } finally {
    await browser.close();
    stop();
  }

  const kb = (n: number) => (n / 1024).toFixed(1);
  const over = results.filter((r) => r.budget && r.gzip > BUDGET_KB * 1024);
  const table = [
    "| page | scripts | JS transferred KB | JS gzip KB | JS raw KB | budget ≤ " +
      BUDGET_KB +
      " KB gzip | zod in browser | echarts |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...results.map(
      (r) =>
        `| ${r.page} \`${r.path.replace(token, "<token>").replace(/\/attempts\/\d+/, "/attempts/<id>")}\` | ${r.scripts} | ${kb(r.transferred)} | **${kb(r.gzip)}** | ${kb(r.raw)} | ${r.budget ? (r.gzip <= BUDGET_KB * 1024 ? "✓" : "✗ over") : "–"} | ${r.zod ? "yes" : "no"} | ${r.echarts ? "yes" : "no"} |`,
    ),
  ].join("\n");
  console.log(table);
  writeSection(
    "page-weight",
    `## Page weight on a phone: JavaScript per page

\`npm run bench:weight\` (${machine()}): each page loaded once in Chromium at 390×844 with the cache disabled (what a
phone pays on its first visit); scripts summed. "transferred" is what went over the wire (the server compresses with
gzip or brotli as the browser asks; response headers included), "gzip" is each script gzipped at level 6, the figure
the ${BUDGET_KB} KB budget is written in. Before this work the quiz join page /q loaded 704 KB of JS (193 KB transferred), 455 KB
of it zod; the exam list and a lesson about 450 KB (≈200 KB transferred).

${table}`,
  );
  if (over.length) {
    console.error(`over budget: ${over.map((r) => r.page).join(", ")}`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
