/**
 * Hostile question files against the production build (run.ts --only interchange): each 2 MB file is uploaded to
 * the import page while another client requests the login page every 10 ms. Measures the upload's time and the
 * slowest answer the other client got meanwhile (what an import costs everyone else).
 */
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { loginCookie, machine, ROOT, startServer, writeSection } from "./harness";

const PORT = 3310;

function files(): { name: string; label: string; body: string }[] {
  const mb2 = 2 * 1024 * 1024;
  const wrap = (html: string) =>
    `<quiz><question type="multichoice"><name><text>q</text></name><questiontext format="html"><text><![CDATA[${html}]]></text></questiontext></question></quiz>`;
  const many = Array.from(
    { length: 2000 },
    (_, i) =>
      `<question type="multichoice"><name><text>q${i}</text></name><questiontext format="html"><text><![CDATA[${"<b>".repeat(300)}题干${i}]]></text></questiontext><answer fraction="100"><text>甲</text></answer><answer fraction="0"><text>乙</text></answer></question>`,
  ).join("\n");
  return [
    { name: "a.xml", label: "Moodle XML, one field of unclosed `<a` (2 MB)", body: wrap("<a".repeat(mb2 / 2)) },
    {
      name: "b.xml",
      label: "Moodle XML, 20,000 nested elements",
      body: `<quiz>${"<x>".repeat(20_000)}</quiz>`.padEnd(mb2, " "),
    },
    { name: "c.xml", label: "Moodle XML, 2,000 questions with 300 unclosed `<b>` each", body: `<quiz>${many}</quiz>` },
    { name: "d.gift", label: "GIFT, `[html]` stem of unclosed `<a` (2 MB)", body: `[html]${"<a".repeat(mb2 / 2)} {T}` },
    {
      name: "e.xml",
      label: "Moodle XML with a DOCTYPE and 2 MB after it",
      body: `<!DOCTYPE q [<!ENTITY e "x">]><quiz>${"&e;".repeat(mb2 / 3)}</quiz>`,
    },
  ];
}

export async function interchangeBenchmark() {
  const url = new URL(process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/anxun");
  url.pathname = "/anxun_bench_interchange";
  const databaseUrl = url.toString();
  execFileSync("npx", ["tsx", "scripts/db.ts", "reset"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: "ignore",
  });
  const stop = await startServer("site", databaseUrl, PORT, { ANXUN_NO_JOBS: "1" });
  const site = `http://127.0.0.1:${PORT}`;
  const rows: string[] = [];
  try {
    const cookie = await loginCookie(site, "officer", "Anxun2026");
    // Control: the same client with no upload running, for 3 s (what the machine's load alone costs).
    {
      let worst = 0;
      const end = performance.now() + 3000;
      while (performance.now() < end) {
        const t = performance.now();
        await fetch(`${site}/login`);
        worst = Math.max(worst, performance.now() - t);
        await new Promise((r) => setTimeout(r, 10));
      }
      rows.push(`| no upload (control, 3 s) | – | – | ${worst.toFixed(0)} | – |`);
    }
    for (const f of files()) {
      const bytes = Buffer.byteLength(f.body);
      // Warm-up request so the first measurement is not JIT time.
      await fetch(`${site}/login`);
      let running = true;
      let worst = 0;
      const pinger = (async () => {
        while (running) {
          const t = performance.now();
          await fetch(`${site}/login`);
          worst = Math.max(worst, performance.now() - t);
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      const form = new FormData();
      form.set("file", new File([f.body], f.name));
      const t = performance.now();
      const res = await fetch(`${site}/questions/import`, {
        method: "POST",
        headers: { cookie, origin: site },
        body: form,
      });
      const took = performance.now() - t;
      const text = await res.text();
      running = false;
      await pinger;
      const outcome =
        res.status >= 500
          ? `**${res.status}**`
          : /跳过|problem|超过|DOCTYPE|嵌套/.test(text)
            ? `${res.status}, reported`
            : String(res.status);
      rows.push(
        `| ${f.label} | ${(bytes / 1024 / 1024).toFixed(2)} MB | ${took.toFixed(0)} | ${worst.toFixed(0)} | ${outcome} |`,
      );
      console.log(rows[rows.length - 1]);
    }
  } finally {
    stop();
  }
  writeSection(
    "interchange",
    [
      "## Hostile question files",
      "",
      `\`npm run bench -- --only interchange\` (${machine()}). Each file is uploaded to \`/questions/import\` as the officer of a freshly seeded`,
      'database while a second client requests `/login` every 10 ms; "slowest other answer" is that client\'s worst latency during the upload',
      "(a request held behind a blocked event loop would show the whole parse time here). The control row is the same client with no",
      "upload running: on a shared, loaded machine it is the floor the other rows should be compared with.",
      "",
      `Load average when the run ended: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(", ")} (${cpus().length} cores).`,
      "",
      "| file | size | upload answered in ms | slowest other answer ms | outcome |",
      "| --- | --- | --- | --- | --- |",
      ...rows,
    ].join("\n"),
  );
}
