/**
 * Benchmarks (not part of `npm test`): `npm run bench -- [--only foundation|courses|exams|quiz|certification|drills|interchange] [--database anxun_bench] [--seconds 10]`
 * `npm run bench` builds first: the site under test is the production build, never a stale one.
 * With no --database, a database `anxun_bench` is reset and seeded with the demo city first.
 * Results go to docs/benchmarks.md, each section with the command that produced it.
 */
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { loginCookie, machine, measure, ROOT, row, startServer, TABLE_HEAD, writeSection } from "./harness";

const { values: opts } = parseArgs({
  options: {
    only: { type: "string" },
    database: { type: "string" },
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "20" },
    user: { type: "string", default: "worker" },
    // the site listens here, the bare server on the next port (two engineers' runs must not share ports)
    port: { type: "string", default: "3300" },
    // examday
    sizes: { type: "string" },
    scale: { type: "string" },
    questions: { type: "string" },
    workers: { type: "string" },
    variants: { type: "string" },
    // examday on a cluster: the nodes' URLs, comma-separated (the first one is used to set up the database)
    nodes: { type: "string" },
  },
});

const SITE = Number(opts.port);
const BARE = SITE + 1;

async function main() {
  if (opts.only === "certification") {
    const { certificationBenchmark } = await import("./certification");
    await certificationBenchmark();
    return;
  }
  if (opts.only === "drills") {
    const { drillsBenchmark } = await import("./drills");
    await drillsBenchmark();
    return;
  }
  if (opts.only === "interchange") {
    const { interchangeBenchmark } = await import("./interchange");
    await interchangeBenchmark();
    return;
  }
  if (opts.only === "quiz") {
    const { quizBenchmark } = await import("./quiz");
    await quizBenchmark();
    return;
  }
  if (opts.only === "examday") {
    const { examdayBenchmark } = await import("./examday");
    await examdayBenchmark({
      sizes: (opts.sizes ?? "2000,5000,10000,20000").split(",").map(Number),
      scale: Number(opts.scale ?? 5),
      questions: Number(opts.questions ?? 6),
      workers: Number(opts.workers ?? 2),
      variants: (opts.variants ?? "spread,sync").split(",") as ("spread" | "sync")[],
      nodes: opts.nodes ? opts.nodes.split(",") : [],
    });
    return;
  }
  if (opts.only === "exams") {
    const { examBenchmarks } = await import("./exams");
    await examBenchmarks(Number(opts.seconds));
    return;
  }
  const base = new URL(process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/anxun");
  base.pathname = `/${opts.database ?? "anxun_bench"}`;
  const databaseUrl = base.toString();
  if (!opts.database) {
    execFileSync("npx", ["tsx", "scripts/db.ts", "reset"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: "inherit",
    });
  }
  const stopSite = await startServer("site", databaseUrl, SITE);
  const stopBare = await startServer("bare", databaseUrl, BARE);
  const site = `http://127.0.0.1:${SITE}`;
  const bare = `http://127.0.0.1:${BARE}`;
  const seconds = Number(opts.seconds);
  const connections = Number(opts.connections);
  /** Site / bare throughput of each page of this run, for the pages summary. */
  const ratios: Record<string, number> = {};
  try {
    if (!opts.only || opts.only === "foundation" || opts.only === "pages") {
      const cookie = await loginCookie(site, opts.user, "Anxun2026");
      const rows = [];
      for (const [name, path, headers] of [
        ["login page `GET /login`", "/login", {}],
        [`home page of a logged-in ${opts.user} \`GET /\``, "/", { cookie }],
      ] as const) {
        const s = await measure(site, { path, headers, seconds, connections });
        const b = await measure(bare, { path, headers, seconds, connections });
        rows.push(row(name, s, b));
        ratios[path === "/login" ? "login" : "home"] = s.rps / b.rps;
        console.log(rows.at(-1));
      }
      writeSection(
        "foundation",
        [
          "## Foundation: login page and a worker's home page",
          "",
          `Command: \`npm run bench -- --only foundation${opts.database ? ` --database ${opts.database}` : ""}\` (${connections} connections, ${seconds} s after a 2 s warm-up, one site process).`,
          `Database: ${opts.database ?? "anxun_bench (demo city)"}. Run: ${machine()}.`,
          "The bare server (scripts/bench/bare-server.ts, node:http + mysql2) sends the same SQL statements as the site's loaders, in",
          "the same order (home: the session, the 站内信 badge and the page's 15 reads; login: none, as the site without a session),",
          "and writes the same page by hand: head, header, menu and tab bar, script tags with a fresh nonce, the page's data as JSON",
          "for the browser, the security headers. What it leaves out is the framework: Remix, React, zod, the policy. KB per answer",
          "shows how close the two pages are in size. The site's anonymous login page is rendered once a minute (decision 0033).",
          "",
          TABLE_HEAD,
          ...rows,
        ].join("\n"),
      );
    }
    if (!opts.only || opts.only === "courses" || opts.only === "pages") {
      const cookie = await loginCookie(site, opts.user, "Anxun2026");
      const path = "/courses/work-safety-law/01-principal-duties";
      const s = await measure(site, { path, headers: { cookie }, seconds, connections });
      const b = await measure(bare, { path, headers: { cookie }, seconds, connections });
      const single = await measure(site, { path, headers: { cookie }, seconds, connections: 1 });
      ratios.lesson = s.rps / b.rps;
      console.log(row("lesson page", s, b), single.p50);
      writeSection(
        "courses",
        [
          "## Courses: a lesson page of a logged-in worker",
          "",
          `Command: \`npm run bench -- --only courses${opts.database ? ` --database ${opts.database}` : ""}\` (${connections} connections, ${seconds} s after a 2 s warm-up, one site process).`,
          `Database: ${opts.database ?? "anxun_bench (demo city)"}. Run: ${machine()}.`,
          "Both servers validate the session, read the 站内信 badge, the lesson row and the learner's enterprise, then the study rule",
          "and the course's characters beside the course progress (eight statements, nothing written), and send the compiled lesson",
          "(~20 KB of MDX code). The site also renders the lesson into HTML (its ~10 KB article), which the bare page does not, hence",
          "its larger size. Target: median under 20 ms.",
          "",
          TABLE_HEAD,
          row(`lesson page \`GET ${path}\``, s, b),
          "",
          `Median latency of the site with one connection at a time (no queueing): **${single.p50} ms** (p99 ${single.p99} ms).`,
        ].join("\n"),
      );
    }
    if (opts.only === "pages") {
      const { autosaveRatio } = await import("./exams");
      const r = await autosaveRatio(databaseUrl, site, bare, seconds);
      console.log("autosave", r);
      writeSection(
        "pages",
        [
          "## Page ratios of one run: login, home, lesson, autosave",
          "",
          `Command: \`npm run bench -- --only pages${opts.database ? ` --database ${opts.database}` : ""}${opts.port !== "3300" ? ` --port ${opts.port}` : ""}\` (${connections} connections for pages, 200 examinees for autosave, ${seconds} s each after a 2 s warm-up,`,
          `one site process against one bare process). Run: ${machine()}. The foundation and courses sections above come from this same run.`,
          "Targets: home ≥ 0.3, lesson ≥ 0.5, login ≥ 0.3, autosave ≥ 0.7 (ratio of the site's throughput to the bare server's).",
          "",
          "| server | answers/s | p50 ms | p99 ms |",
          "| --- | --- | --- | --- |",
          `| site (one process) | ${r.site.rps.toFixed(0)} | ${r.site.p50} | ${r.site.p99} |`,
          `| bare node:http + mysql2 | ${r.bare.rps.toFixed(0)} | ${r.bare.p50} | ${r.bare.p99} |`,
          `| **autosave ratio** | **${(r.site.rps / r.bare.rps).toFixed(2)}** (target ≥ 0.7) | | |`,
          "",
          `All four ratios of this run: ${[
            ["login", ratios.login, 0.3],
            ["home", ratios.home, 0.3],
            ["lesson", ratios.lesson, 0.5],
            ["autosave", r.site.rps / r.bare.rps, 0.7],
          ]
            .map(
              ([name, v, target]) =>
                `**${name} ${Number(v).toFixed(2)}** (≥ ${target}: ${Number(v) >= Number(target) ? "met" : "missed"})`,
            )
            .join(", ")}.`,
        ].join("\n"),
      );
    }
  } finally {
    stopSite();
    stopBare();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
