/**
 * Several app processes on one database behave as one: a session made by one process is honoured (and ended)
 * by the other, failed logins count across both, a quiz joined on one shows on the board served by the other,
 * and background jobs running in both grade an expired attempt once. Also: `scripts/cluster.js` (npm start)
 * forks ANXUN_WORKERS processes and gives the background jobs to exactly one. Needs the production build.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { sql } from "kysely";
import { action as newInspectionAction } from "../../app/routes/inspections.new";
import { action as issueAction } from "../../app/routes/inspections.$id._index";
import { loader as boardLoader } from "../../app/routes/quizzes.$id._index";
import { dailyCertificationSweep } from "../../app/modules/certification/summary.server";
import { makeIdNumber } from "../../db/seed/identifiers";
import { DEMO_PASSWORD } from "../../db/seed/demo";
import { cookieOf, newWorkerAccount, personIdsOf, request, run } from "../support/actors";

const ROOT = path.resolve(import.meta.dirname, "../..");
const hasBuild = existsSync(path.join(ROOT, "build/index.js"));
if (!hasBuild) console.log("SKIPPED processes tests: no production build (run `npm run build`; npm test does)");
const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startSite(script: string, env: Record<string, string>) {
  const port = await freePort();
  const child = spawn("node", [script], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      ANXUN_INSECURE_COOKIES: "1",
      DB_POOL_SIZE: "4",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${script} exited: ${out}`);
    try {
      if ((await fetch(`${base}/login`)).status === 200) break;
    } catch {
      /* not yet */
    }
    if (i > 240) throw new Error(`${script} did not answer: ${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { base, child, output: () => out };
}

const post = (base: string, p: string, form: Record<string, string>, cookie?: string) =>
  fetch(base + p, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams(form),
    headers: { origin: base, "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
  });
const get = (base: string, p: string, cookie?: string) =>
  fetch(base + p, { redirect: "manual", headers: cookie ? { cookie } : {} });

describe.skipIf(!hasBuild)("two app processes on one database", () => {
  let a: string;
  let b: string;
  beforeAll(async () => {
    // Both run the background jobs, every 300 ms, to show that two at once do no harm.
    const env = { DATABASE_URL: process.env.DATABASE_URL!, ANXUN_JOBS_INTERVAL_MS: "300", ANXUN_NO_JOBS: "" };
    [a, b] = (await Promise.all([startSite("scripts/server.js", env), startSite("scripts/server.js", env)])).map(
      (s) => s.base,
    );
  }, 120_000);

  it("share sessions: logged in on one, known to the other; logged out on the other, gone on the first", async () => {
    const login = await post(a, "/login", { username: "worker", password: DEMO_PASSWORD });
    expect(login.status).toBe(302);
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const home = await get(b, "/", cookie);
    expect(home.status).toBe(200);
    const name = (
      await db.selectFrom("user").select("display_name").where("username", "=", "worker").executeTakeFirstOrThrow()
    ).display_name;
    expect(await home.text()).toContain(name);
    expect((await post(b, "/logout", {}, cookie)).status).toBe(302);
    const after = await get(a, "/", cookie);
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toContain("/login");
  });

  it("share login rate limits: failures on both count toward one lockout, which both enforce", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20 && !statuses.includes(429); i++) {
      statuses.push((await post(i % 2 ? b : a, "/login", { username: "officer2", password: "wrong-password" })).status);
    }
    expect(statuses).toContain(429);
    // More failures than one process alone saw before the lockout.
    const failures = statuses.filter((s) => s === 401).length;
    expect(failures).toBeGreaterThan(1);
    for (const site of [a, b])
      expect((await post(site, "/login", { username: "officer2", password: DEMO_PASSWORD })).status).toBe(429);
  });

  it("share quiz boards: a join on one process is on the board served by the other", async () => {
    const inspector = await cookieOf("inspector");
    const enterpriseId = (await personIdsOf("安澜宏达化工有限公司"))[0].enterprise_id;
    const created = await run(() =>
      newInspectionAction(
        args(
          request(`/inspections/new?enterpriseId=${enterpriseId}`, inspector, {
            inspectedOn: "2026-11-23",
            inspectors: "王检查",
            place: "罐区",
          }),
        ),
      ),
    );
    const inspectionId = created.headers.get("location")!.split("/").pop()!;
    const issued = await run(() =>
      issueAction(
        args(
          request(`/inspections/${inspectionId}`, inspector, {
            principal: "0",
            safety_manager: "0",
            special_operator: "0",
            worker: "2",
            minutes: "60",
          }),
          { id: inspectionId },
        ),
      ),
    );
    const quizId = issued.headers.get("location")!.split("/").pop()!;
    const token = (
      await run(() => boardLoader(args(request(`/quizzes/${quizId}`, inspector), { id: quizId })))
    ).data.joinUrl.split("/q/")[1];
    const joined = await post(a, `/q/${token}`, {
      name: "跨进程临时工",
      idNumber: makeIdNumber("110105", "1991-03-03", 321),
      post: "worker",
    });
    expect(joined.status).toBe(302);
    const board = await get(b, `/quizzes/${quizId}/live`, inspector);
    expect(board.status).toBe(200);
    const { participants } = (await board.json()) as { participants: { name: string }[] };
    expect(participants.map((p) => p.name)).toContain("跨进程临时工");
  });

  it("run background jobs in both at once: an expired attempt is graded exactly once", async () => {
    const started = [];
    for (const name of ["two-proc-1", "two-proc-2", "two-proc-3"]) {
      const cookie = await newWorkerAccount("安澜宏达化工有限公司", name);
      const examId = (await db.selectFrom("exam").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
      const res = await post(a, `/exams/${examId}/start`, {}, cookie);
      expect(res.status).toBe(302);
      started.push(Number(res.headers.get("location")!.split("/").pop()));
    }
    // Time is up for all three (moving the deadline stands in for waiting an hour).
    await db
      .updateTable("attempt")
      .set({ deadline_at: sql`UTC_TIMESTAMP() - INTERVAL 1 SECOND` })
      .where("id", "in", started)
      .execute();
    for (let i = 0; i < 100; i++) {
      const open = await db
        .selectFrom("attempt")
        .select("id")
        .where("id", "in", started)
        .where("submitted_at", "is", null)
        .execute();
      if (!open.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const graded = await db
      .selectFrom("attempt")
      .select(["closed_by", "score", "person_id"])
      .where("id", "in", started)
      .execute();
    expect(graded.map((g) => g.closed_by)).toEqual(["deadline", "deadline", "deadline"]);
    // Grading twice would count each unanswered question wrong twice.
    await new Promise((r) => setTimeout(r, 1000));
    const wrong = await db
      .selectFrom("wrong_answer")
      .select(({ fn }) => [fn.max("wrong_count").as("most"), fn.countAll().as("n")])
      .where(
        "person_id",
        "in",
        graded.map((g) => g.person_id!),
      )
      .executeTakeFirstOrThrow();
    expect(Number(wrong.n)).toBe(3 * 40);
    expect(Number(wrong.most)).toBe(1);
  });

  it("claim the daily certification sweep once when two ask for it at the same moment", async () => {
    await db.updateTable("job_state").set({ value: "2026-01-01" }).where("name", "=", "cert_sweep").execute();
    const results = await Promise.all([dailyCertificationSweep("2099-01-01"), dailyCertificationSweep("2099-01-01")]);
    expect(results.filter((n) => n > 0)).toHaveLength(1);
    expect(results.filter((n) => n === 0)).toHaveLength(1);
    // Put the demo summaries back as they were for today (the far-future sweep counted every certificate as lapsed).
    const { rebuildSummaries } = await import("../../app/modules/certification/summary.server");
    await rebuildSummaries(db);
  });
});

describe.skipIf(!hasBuild)("npm start (scripts/cluster.js)", () => {
  it("forks ANXUN_WORKERS app processes on one port and gives the background jobs to exactly one", async () => {
    const site = await startSite("scripts/cluster.js", {
      DATABASE_URL: process.env.DATABASE_URL!,
      ANXUN_WORKERS: "2",
      ANXUN_NO_JOBS: "",
    });
    const m = /(\d+) app processes \(pids ([\d, ]+)\), background jobs in pid (\d+)/.exec(site.output());
    expect(m, site.output()).not.toBeNull();
    const pids = m![2].split(", ").map(Number);
    expect(pids).toHaveLength(2);
    const withJobs = pids.filter(
      (pid) => !/(^|\0)ANXUN_NO_JOBS=1(\0|$)/.test(readFileSync(`/proc/${pid}/environ`, "utf8")),
    );
    expect(withJobs).toEqual([Number(m![3])]);
    for (let i = 0; i < 6; i++) expect((await get(site.base, "/login")).status).toBe(200);
    // Stopping the launcher stops its processes.
    site.child.kill("SIGTERM");
    await new Promise((r) => site.child.once("exit", r));
    await new Promise((r) => setTimeout(r, 500));
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  }, 120_000);
});
