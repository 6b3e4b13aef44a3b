import { readdirSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { db } from "../../app/lib/db.server";
import { advanceClock, now, resetClock } from "../../app/lib/clock.server";
import { action as startAction } from "../../app/routes/exams.$id.start";
import { action as handInAction, loader as paperLoader } from "../../app/routes/attempts.$id._index";
import { loader as reviewLoader } from "../../app/routes/attempts.$id.review";
import { loader as rescueLoader } from "../../app/routes/rescue._index";
import { loader as scheduleLoader } from "../../app/routes/rescue.schedules.$id";
import { loader as checkLoader } from "../../app/routes/rescue.spot-checks.$id";
import { runJobs } from "../../app/jobs.server";
import { cookieOf, request, run } from "../support/actors";
import { writesDuring } from "../support/writes";

/** Issue 18: no GET handler writes to the database. Loaders run with every statement watched. */
const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
afterEach(() => resetClock());

const ACCOUNTS = ["admin", "regulator", "inspector", "officer", "worker", "evaluator"];

/** The URL of a flat route file without parameters ("people._index.tsx" → "/people"), or null when it has some. */
function urlOf(file: string): string | null {
  const name = file.replace(/\.tsx?$/, "");
  if (name.includes("$")) return null;
  const parts = name
    .split(".")
    .filter((s) => !s.startsWith("_"))
    .map((s) => s.replace(/_$/, ""));
  return `/${parts.join("/")}`;
}

/**
 * Parameters for the routes that take them: a real row of the table each one names (the first), so the loaders get
 * past "not found" for the accounts that may see it. Routes not listed (personal links, photos, documents) are
 * covered by their own tests; the list fails when a new parameterised route appears, so it is kept up to date.
 */
const PARAMS: Record<string, () => Promise<Record<string, string> | null>> = {};
const firstOf =
  (table: string, column = "id", param = "id", where?: string) =>
  async () => {
    const [rows] = (await sql
      .raw(`SELECT ${column} AS v FROM \`${table}\`${where ? ` WHERE ${where}` : ""} ORDER BY ${column} LIMIT 1`)
      .execute(db)
      .then((r) => [r.rows])) as [{ v: string | number }[]];
    return rows.length ? { [param]: String(rows[0].v) } : null;
  };
for (const [routes, lookup] of [
  [["accounts.$id"], firstOf("user")],
  [["assignments.$id"], firstOf("course_assignment")],
  [["attempts.$id._index", "attempts.$id.review"], firstOf("attempt")],
  [["certification.enterprise.$id", "enterprises.$id"], firstOf("enterprise")],
  [["certification.region.$id"], firstOf("region")],
  [["certification.sync.$id._index", "certification.sync.$id.export"], firstOf("cert_sync_job")],
  [["contests.$id._index", "contests.$id.board", "contests.$id.export"], firstOf("contest")],
  [["c.$token._index", "c.$token.board"], firstOf("contest", "token", "token")],
  [["courses.$slug._index"], firstOf("course", "slug", "slug")],
  [
    [
      "drills.$id._index",
      "drills.$id.edit",
      "drills.$id.evaluate",
      "drills.$id.log",
      "drills.$id.report",
      "drills.$id.files._index",
    ],
    firstOf("drill"),
  ],
  [["drills.plans.$id"], firstOf("emergency_plan")],
  [["enforcement.units.$id"], firstOf("enforcement_unit", "enterprise_id")],
  [["exam-sites.sites.$id"], firstOf("exam_site")],
  [
    [
      "exam-sites.sessions.$id._index",
      "exam-sites.sessions.$id.live",
      "exam-sites.sessions.$id.sheet",
      "exam-sites.sessions.$id.plan",
    ],
    firstOf("exam_session"),
  ],
  [["exam-templates.$id._index", "exam-templates.$id.stats"], firstOf("exam_template")],
  [["exams.$id.roster", "exams.$id.roster.export", "exams.$id.start"], firstOf("exam")],
  [["follow-ups.$id.link", "follow-ups.$id.retest"], firstOf("follow_up")],
  [["inspections.$id._index", "inspections.$id.print"], firstOf("inspection")],
  [["media.questions.$hash"], firstOf("question_media", "hash", "hash")],
  [["people.$id", "people.$id_.study"], firstOf("person")],
  [["q.$token._index", "q.$token.result"], firstOf("onsite_quiz", "token", "token")],
  [["questions.$id"], firstOf("question")],
  [["quizzes.$id._index", "quizzes.$id.live", "quizzes.$id.sheet"], firstOf("onsite_quiz")],
  [["rectifications.$id"], firstOf("rectification")],
  [["regulations.$code"], firstOf("regulation", "code", "code")],
  [["rescue.callouts.$id", "rescue.callouts.$id.live"], firstOf("callout")],
  [["rescue.schedules.$id"], firstOf("spot_schedule")],
  [["rescue.spot-checks.$id"], firstOf("spot_check")],
  [["rescue.teams.$id"], firstOf("rescue_team")],
  [["rescue.town-drills.$id"], firstOf("town_drill")],
] as [string[], () => Promise<Record<string, string> | null>][])
  for (const r of routes) PARAMS[r] = lookup;
/** Parameterised routes left to their own tests (personal links and secrets, photos, PDFs, autosave endpoints). */
const ELSEWHERE =
  /^(\$|attempts\.\$id\.(answers|leave)|c\.\$token\.(certificate|play)|callout|courses\.\$slug\.\$lesson|documents|drills\.\$id\.(photos|files\.\$fileId)|exam-sites\.sessions\.\$id\.photo|people\.\$id_\.study_\.photos|practice\.wrong|q\.\$token\.(answers|leave|paper)|quizzes\.\$id\.photos|r\.|rectifications\.\$id\.photos|rescue\.callouts\.\$id\.photos|s\.)/;

describe("no GET handler writes (issue 18)", () => {
  it("the recorder sees writes (so the checks below can fail)", async () => {
    const cookie = await cookieOf("worker");
    const examId = (await db.selectFrom("exam").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
    const writes = await writesDuring(() =>
      startAction(args(request(`/exams/${examId}/start`, cookie, {}), { id: String(examId) })),
    );
    expect(writes).toContain("insert attempt");
  });

  it("every page without parameters, for every kind of account", async () => {
    const files = readdirSync("app/routes").filter((f) => urlOf(f) !== null);
    expect(files.length).toBeGreaterThan(50);
    const cookies = Object.fromEntries(
      await Promise.all(ACCOUNTS.map(async (u) => [u, await cookieOf(u)] as const)),
    ) as Record<string, string>;
    const found: string[] = [];
    for (const file of files) {
      const mod = (await import(/* @vite-ignore */ path.resolve("app/routes", file))) as {
        loader?: (a: unknown) => Promise<unknown>;
      };
      if (!mod.loader) continue;
      for (const who of [...ACCOUNTS, null]) {
        const url = urlOf(file)!;
        const writes = await writesDuring(() => mod.loader!(args(request(url, who ? cookies[who] : null))));
        if (writes.length) found.push(`${url} as ${who ?? "anonymous"}: ${writes.join(", ")}`);
      }
    }
    expect(found).toEqual([]);
  }, 240_000);

  it("a paper past its deadline is not graded by its GET: the page's POST or the job grades it", async () => {
    const cookie = await cookieOf("worker");
    const examId = (await db.selectFrom("exam").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
    const started = await run(() =>
      startAction(args(request(`/exams/${examId}/start`, cookie, {}), { id: String(examId) })),
    );
    const id = started.headers.get("location")!.split("/").pop()!;
    const attempt = await db
      .selectFrom("attempt")
      .select("deadline_at")
      .where("id", "=", Number(id))
      .executeTakeFirstOrThrow();
    advanceClock(attempt.deadline_at.getTime() - now().getTime() + 10 * 60_000);

    let page: Awaited<ReturnType<typeof run<ReturnType<typeof paperLoader>>>> | undefined;
    const writes = await writesDuring(async () => {
      page = await run(() => paperLoader(args(request(`/attempts/${id}`, cookie), { id })));
    });
    expect(writes).toEqual([]);
    // The page comes at 00:00, so it hands in at once (the countdown's zero).
    expect(page!.status).toBe(200);
    expect(page!.data.remainingSeconds).toBe(0);
    const row = async () =>
      db
        .selectFrom("attempt")
        .select(["submitted_at", "closed_by"])
        .where("id", "=", Number(id))
        .executeTakeFirstOrThrow();
    expect((await row()).submitted_at).toBeNull();
    // The review waits for the grade (sends back to the paper) and writes nothing either.
    expect(await writesDuring(() => reviewLoader(args(request(`/attempts/${id}/review`, cookie), { id })))).toEqual([]);

    // The hand-in POST after the deadline takes no answers and grades what was saved in time.
    const handed = await run(() => handInAction(args(request(`/attempts/${id}`, cookie, { q1: "A" }), { id })));
    expect(handed.status).toBe(409);
    expect(handed.data.handInError).toContain("截止");
    expect(await row()).toMatchObject({ closed_by: "deadline" });
    expect((await row()).submitted_at).not.toBeNull();
    const review = await run(() => reviewLoader(args(request(`/attempts/${id}/review`, cookie), { id })));
    expect(review.status).toBe(200);
  });

  it("a paper nobody opens after its deadline is graded by the background job", async () => {
    const cookie = await cookieOf("evaluator");
    const examId = (await db.selectFrom("exam").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
    const started = await run(() =>
      startAction(args(request(`/exams/${examId}/start`, cookie, {}), { id: String(examId) })),
    );
    const id = Number(started.headers.get("location")!.split("/").pop());
    const attempt = await db.selectFrom("attempt").select("deadline_at").where("id", "=", id).executeTakeFirstOrThrow();
    advanceClock(attempt.deadline_at.getTime() - now().getTime() + 60_000);
    await runJobs();
    const row = await db
      .selectFrom("attempt")
      .select(["submitted_at", "closed_by"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.closed_by).toBe("deadline");
    expect(row.submitted_at).not.toBeNull();
    const paper = await run(() => paperLoader(args(request(`/attempts/${id}`, cookie), { id: String(id) })));
    expect(paper.status).toBe(302);
    expect(paper.headers.get("location")).toBe(`/attempts/${id}/review`);
  });

  it("rescue pages read a spot check whose sealed time has come; the job starts it", async () => {
    const regulator = await cookieOf("regulator");
    const team = await db
      .selectFrom("rescue_team")
      .select(["id", "region_path"])
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const { action: newCheckAction } = await import("../../app/routes/rescue.spot-checks.new");
    const { toLocalInput } = await import("../../app/lib/calendar");
    const at = (m: number) => toLocalInput(new Date(now().getTime() + m * 60_000));
    const f = new FormData();
    for (const [k, v] of Object.entries({
      target: `team:${team.id}`,
      title: "无写入检查",
      scenario: "夜间集结",
      windowStart: at(60),
      windowEnd: at(60 * 24 * 5),
      plannedAt: at(60 * 24 * 2),
    }))
      f.append(k, v);
    const planned = await run(() => newCheckAction(args(request("/rescue/spot-checks/new", regulator, f))));
    expect(planned.status).toBe(302);
    const id = planned.headers.get("location")!.split("/").pop()!;
    advanceClock(2 * 86400_000 + 60 * 60_000);
    const status = async () =>
      (await db.selectFrom("spot_check").select("status").where("id", "=", Number(id)).executeTakeFirstOrThrow())
        .status;
    expect(await status()).toBe("planned");
    const schedule = await db.selectFrom("spot_schedule").select("id").orderBy("id").executeTakeFirst();
    for (const who of ["regulator", "inspector", "officer", "worker", "admin"]) {
      const cookie = await cookieOf(who);
      const pages = [
        () => rescueLoader(args(request("/rescue", cookie))),
        () => checkLoader(args(request(`/rescue/spot-checks/${id}`, cookie), { id })),
        ...(schedule
          ? [
              () =>
                scheduleLoader(args(request(`/rescue/schedules/${schedule.id}`, cookie), { id: String(schedule.id) })),
            ]
          : []),
      ];
      for (const page of pages) expect(await writesDuring(page), who).toEqual([]);
    }
    expect(await status()).toBe("planned");
    await runJobs();
    expect(await status()).toBe("running");
  });
  it("every page with parameters, on a real row, for every kind of account (after the tests above made rows)", async () => {
    const files = readdirSync("app/routes")
      .map((f) => f.replace(/\.tsx?$/, ""))
      .filter((f) => f.includes("$") && !ELSEWHERE.test(f));
    expect(files.filter((f) => !PARAMS[f])).toEqual([]); // a new route: add its parameters above
    const cookies = Object.fromEntries(
      await Promise.all(ACCOUNTS.map(async (u) => [u, await cookieOf(u)] as const)),
    ) as Record<string, string>;
    const found: string[] = [];
    let called = 0;
    for (const file of files) {
      const params = await PARAMS[file]();
      if (!params) continue;
      const mod = (await import(/* @vite-ignore */ path.resolve("app/routes", `${file}.tsx`))) as {
        loader?: (a: unknown) => Promise<unknown>;
      };
      if (!mod.loader) continue;
      const url = `/${file
        .split(".")
        .filter((p) => !p.startsWith("_"))
        .map((p) => p.replace(/_$/, "").replace(/^\$(\w+)$/, (_, k: string) => params[k]))
        .join("/")}`;
      for (const who of ACCOUNTS) {
        called++;
        const writes = await writesDuring(() => mod.loader!(args(request(url, cookies[who]), params)));
        if (writes.length) found.push(`${url} as ${who}: ${writes.join(", ")}`);
      }
    }
    expect(called).toBeGreaterThan(200);
    expect(found).toEqual([]);
  }, 240_000);
});
