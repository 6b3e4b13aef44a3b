import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { advanceClock, resetClock, setClock } from "../../app/lib/clock.server";
import { db } from "../../app/lib/db.server";
import { catalog } from "../../app/modules/courses/catalog.server";
import { action as lessonAction, loader as lessonLoader } from "../../app/routes/courses.$slug.$lesson";
import { loader as trainingLoader } from "../../app/routes/training._index";
import { caseOf, cookieOf, newWorkerAccount, okData, refusalOf, request, run } from "../support/actors";

const COURSE = "confined-spaces";
const args = (req: Request, slug: string) => ({ request: req, params: { slug: COURSE, lesson: slug }, context: {} });
const lessons = () => catalog().bySlug.get(COURSE)!.lessons;
const post = (cookie: string, slug: string, form: Record<string, string>) =>
  run(() => lessonAction(args(request(`/courses/${COURSE}/${slug}`, cookie, form), slug)));
/** The study state a lesson action answered (start, heartbeat, check-in, resume). */
const studyOf = (r: Awaited<ReturnType<typeof post>>) => caseOf(okData(r), "intent", "study").study;
const beat = (cookie: string, slug: string, sessionId: number, signal = "beat") =>
  post(cookie, slug, { intent: "signal", sessionId: String(sessionId), signal });

/** Steps of 15 s, as the page sends heartbeats while visible. */
async function studyFor(cookie: string, slug: string, sessionId: number, seconds: number) {
  let last;
  for (let t = 0; t < seconds; t += 15) {
    advanceClock(15_000);
    last = await beat(cookie, slug, sessionId);
  }
  return last!;
}

afterEach(async () => {
  resetClock();
  await db
    .updateTable("study_rule")
    .set({ checkin_min_seconds: 600, checkin_max_seconds: 1200, checkin_answer_seconds: 120 })
    .where("region_path", "=", "/")
    .execute();
});

async function personOf(username: string) {
  return (await db.selectFrom("user").select("person_id").where("username", "=", username).executeTakeFirstOrThrow())
    .person_id!;
}

describe("学时 from active study", () => {
  it("counts one lesson at a time: a second window pauses the first, and only one of two simultaneous windows counts", async () => {
    const cookie = await newWorkerAccount("安澜宏达化工有限公司", "study_two");
    const [a, b] = lessons();
    const first = await post(cookie, a.slug, { intent: "start" });
    expect(studyOf(first)).toMatchObject({ state: "counting", counted: 0 });
    const second = await post(cookie, b.slug, { intent: "start" });
    const idA = studyOf(first).sessionId;
    const idB = studyOf(second).sessionId;
    // Both windows keep beating for a minute; the server counts only the newest.
    for (let i = 0; i < 4; i++) {
      advanceClock(15_000);
      const [ra, rb] = await Promise.all([beat(cookie, a.slug, idA), beat(cookie, b.slug, idB)]);
      expect(studyOf(ra).state).toBe("elsewhere");
      expect(studyOf(rb).state).toBe("counting");
    }
    const person = await personOf("study_two");
    const progress = await db
      .selectFrom("lesson_progress")
      .innerJoin("lesson", "lesson.id", "lesson_progress.lesson_id")
      .select(["lesson.slug", "seconds_spent"])
      .where("person_id", "=", person)
      .execute();
    const spent = Object.fromEntries(progress.map((p) => [p.slug, p.seconds_spent]));
    expect(spent[a.slug] ?? 0).toBe(0);
    expect(spent[b.slug]).toBe(60);
    // The archive shows the pause with its reason.
    const events = await db
      .selectFrom("study_event")
      .select(["session_id", "kind"])
      .where("person_id", "=", person)
      .orderBy("id")
      .execute();
    expect(events).toContainEqual({ session_id: idA, kind: "elsewhere" });
  });

  it("counts nothing while the page is hidden, and a heartbeat gap is capped", async () => {
    const cookie = await newWorkerAccount("安澜宏达化工有限公司", "study_hidden");
    const [a] = lessons();
    const s = studyOf(await post(cookie, a.slug, { intent: "start" })).sessionId;
    const checkinAt = async () =>
      (await db.selectFrom("study_session").select("checkin_at").where("id", "=", s).executeTakeFirstOrThrow())
        .checkin_at;
    const due = await checkinAt();
    advanceClock(10_000);
    await beat(cookie, a.slug, s, "hidden");
    advanceClock(600_000);
    const back = await beat(cookie, a.slug, s, "visible");
    expect(studyOf(back).counted).toBe(10);
    // Check-ins are spaced by time on the page: ten minutes away move the next one ten minutes on.
    const moved = (await checkinAt()).getTime() - due.getTime();
    expect(moved).toBeGreaterThanOrEqual(600_000);
    expect(moved).toBeLessThan(601_000);
    advanceClock(300_000); // a tab left open without heartbeats earns at most one cap
    const after = await beat(cookie, a.slug, s);
    expect(studyOf(after).counted).toBe(40);
  });

  it("stops counting at a check-in until it is answered; a late answer is refused and changes nothing; missing it pauses", async () => {
    await db
      .updateTable("study_rule")
      .set({ checkin_min_seconds: 30, checkin_max_seconds: 30, checkin_answer_seconds: 60 })
      .where("region_path", "=", "/")
      .execute();
    const cookie = await newWorkerAccount("安澜宏达化工有限公司", "study_checkin");
    const [a] = lessons();
    const s = studyOf(await post(cookie, a.slug, { intent: "start" })).sessionId;
    const prompted = await studyFor(cookie, a.slug, s, 45);
    expect(studyOf(prompted).state).toBe("checkin");
    expect(studyOf(prompted).counted).toBe(30); // not a second past the check-in
    const nonce = studyOf(prompted).checkin!.nonce;
    // Answered in time: counting resumes.
    advanceClock(5_000);
    const ok = await post(cookie, a.slug, { intent: "checkin", sessionId: String(s), nonce });
    expect(studyOf(ok).state).toBe("counting");
    // Next check-in goes unanswered: a late answer is a 409 with a Chinese reason, and the time is not counted.
    const again = await studyFor(cookie, a.slug, s, 45);
    expect(studyOf(again).state).toBe("checkin");
    const counted = studyOf(again).counted;
    advanceClock(61_000);
    const late = await post(cookie, a.slug, {
      intent: "checkin",
      sessionId: String(s),
      nonce: studyOf(again).checkin!.nonce,
    });
    expect(late.status).toBe(409);
    expect(refusalOf(late).formError).toContain("签到已超时");
    const missed = await beat(cookie, a.slug, s);
    expect(studyOf(missed)).toMatchObject({ state: "missed", counted });
    advanceClock(15_000);
    expect(studyOf(await beat(cookie, a.slug, s)).counted).toBe(counted);
    const resumed = await post(cookie, a.slug, { intent: "resume", sessionId: String(s) });
    expect(studyOf(resumed).state).toBe("counting");
    const kinds = (
      await db.selectFrom("study_event").select("kind").where("session_id", "=", s).orderBy("id").execute()
    ).map((e) => e.kind);
    expect(kinds).toEqual(["start", "checkin_prompt", "checkin_ok", "checkin_prompt", "checkin_missed", "resume"]);
  });

  it("refuses another person's study session and bad signals", async () => {
    const mine = await newWorkerAccount("安澜宏达化工有限公司", "study_mine");
    const other = await cookieOf("worker");
    const [a] = lessons();
    const s = studyOf(await post(mine, a.slug, { intent: "start" })).sessionId;
    expect((await beat(other, a.slug, s)).status).toBe(404);
    expect((await post(mine, a.slug, { intent: "signal", sessionId: String(s), signal: "fast-forward" })).status).toBe(
      422,
    );
    expect(
      (await post(mine, a.slug, { intent: "checkin", sessionId: String(s), nonce: "0000000000000000" })).status,
    ).toBe(409);
  });

  it("asks a lesson's share of the course's declared hours, and the page loader writes nothing", async () => {
    const cookie = await newWorkerAccount("安澜宏达化工有限公司", "study_need");
    const [a] = lessons();
    const before = await db
      .selectFrom("study_session")
      .select(sql<number>`COUNT(*)`.as("n"))
      .executeTakeFirstOrThrow();
    const page = await run(() => lessonLoader(args(request(`/courses/${COURSE}/${a.slug}`, cookie), a.slug)));
    const after = await db
      .selectFrom("study_session")
      .select(sql<number>`COUNT(*)`.as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const course = await db
      .selectFrom("course")
      .select(["hours", "id"])
      .where("slug", "=", COURSE)
      .executeTakeFirstOrThrow();
    const all = await db
      .selectFrom("lesson")
      .select(["chars"])
      .where("course_id", "=", course.id)
      .where("active", "=", 1)
      .execute();
    const share = Number(page.data.study!.needed) / (Number(course.hours) * 30 * 60);
    expect(share).toBeCloseTo(
      all.length
        ? (
            await db
              .selectFrom("lesson")
              .select("chars")
              .where("course_id", "=", course.id)
              .where("slug", "=", a.slug)
              .executeTakeFirstOrThrow()
          ).chars / all.reduce((s, l) => s + l.chars, 0)
        : 1,
      2,
    );
  });
});

describe("days in China", () => {
  async function finishCourse(cookie: string, username: string) {
    const person = await personOf(username);
    const ids = await db
      .selectFrom("lesson")
      .innerJoin("course", "course.id", "lesson.course_id")
      .select("lesson.id")
      .where("course.slug", "=", COURSE)
      .execute();
    for (const { id } of ids) {
      await sql`INSERT INTO lesson_progress (person_id, lesson_id, seconds_spent, last_seen_at) VALUES (${person}, ${id}, 100000, UTC_TIMESTAMP())
        ON DUPLICATE KEY UPDATE seconds_spent = 100000`.execute(db);
    }
    for (const l of lessons()) await post(cookie, l.slug, { intent: "complete" });
    return db
      .selectFrom("training_record")
      .select(["trained_on", "hours", "credit_rule"])
      .where("person_id", "=", person)
      .where("source", "=", "course")
      .executeTakeFirstOrThrow();
  }

  it("records a course finished at 23:30 UTC on the next day, Beijing time", async () => {
    const cookie = await newWorkerAccount("安澜金属制品有限公司", "study_late");
    setClock(new Date("2026-11-29T23:30:00Z"));
    const record = await finishCourse(cookie, "study_late");
    expect(record.trained_on).toBe("2026-11-30");
    expect(record.credit_rule).toBe("active_study");
  });

  it("counts a course finished at 16:30 UTC on 31 December toward the new year's 学时", async () => {
    const cookie = await newWorkerAccount("安澜金属制品有限公司", "study_newyear");
    setClock(new Date("2026-12-31T16:30:00Z"));
    const record = await finishCourse(cookie, "study_newyear");
    expect(record.trained_on).toBe("2027-01-01");
    const page = await run(() => trainingLoader({ request: request("/training", cookie), params: {}, context: {} }));
    expect(JSON.stringify(page.data)).toContain("2027");
  });
});

describe("the training archive 一人一档", () => {
  it("shows a person's sessions and events to themselves, their officer and the region's regulator, and refuses another enterprise", async () => {
    const { loader: archiveLoader } = await import("../../app/routes/people.$id_.study");
    const cookie = await newWorkerAccount("安澜金属制品有限公司", "study_archive");
    const [a] = lessons();
    const s = studyOf(await post(cookie, a.slug, { intent: "start" })).sessionId;
    advanceClock(15_000);
    await beat(cookie, a.slug, s);
    const person = await personOf("study_archive");
    const read = async (who: string | null) =>
      run(() =>
        archiveLoader({
          request: request(`/people/${person}/study`, who),
          params: { id: String(person) },
          context: {},
        }),
      );
    const own = await read(cookie);
    expect(own.status).toBe(200);
    expect(own.data.archive.sessions[0]).toMatchObject({ activeSeconds: 15, state: "counting" });
    expect(own.data.archive.sessions[0].events.map((e: { kind: string }) => e.kind)).toEqual(["start"]);
    expect((await read(await cookieOf("officer2"))).status).toBe(200);
    expect((await read(await cookieOf("regulator"))).status).toBe(200);
    expect((await read(await cookieOf("officer"))).status).toBe(403);
    expect((await read(await cookieOf("worker"))).status).toBe(403);
  });
});

describe("学时 rules as data, per region", () => {
  it("the admin sets a stricter rule for a district; its learners need more study; AQ 8011-2023's floor and other roles are refused", async () => {
    const { action: rulesAction, loader: rulesLoader } = await import("../../app/routes/study-rules");
    const admin = await cookieOf("admin");
    const district = await db
      .selectFrom("enterprise")
      .innerJoin("region", "region.id", "enterprise.region_id")
      .select(["region.path"])
      .where("enterprise.name", "=", "安澜金属制品有限公司")
      .executeTakeFirstOrThrow();
    const parent = await db
      .selectFrom("region")
      .select(["id", "path"])
      .where("path", "=", district.path.split("/").slice(0, 3).join("/") + "/")
      .executeTakeFirstOrThrow();
    const form = {
      regionId: String(parent.id),
      onlineMinutesPerHour: "45",
      offlineMinutesPerHour: "45",
      checkinMinMinutes: "10",
      checkinMaxMinutes: "20",
      checkinAnswerSeconds: "120",
      basis: "本省网络培训每学时不少于45分钟",
    };
    const save = (cookie: string, body: Record<string, string>) =>
      run(() => rulesAction({ request: request("/study-rules", cookie, body), params: {}, context: {} }));
    // Looser than the standard: refused with the field named, nothing written.
    const loose = await save(admin, { ...form, onlineMinutesPerHour: "20" });
    expect(loose.status).toBe(422);
    expect(refusalOf(loose).fieldErrors.onlineMinutesPerHour).toContain("不能少于 30");
    expect(
      await db.selectFrom("study_rule").select("region_path").where("region_path", "=", parent.path).executeTakeFirst(),
    ).toBeUndefined();
    const officer = await cookieOf("officer");
    expect((await save(officer, form)).status).toBe(403);
    const regulator = await cookieOf("regulator");
    expect(
      (await run(() => rulesLoader({ request: request("/study-rules", regulator), params: {}, context: {} }))).status,
    ).toBe(403);
    expect((await save(admin, form)).data.ok).toBe(true);
    const { studyRuleFor } = await import("../../app/modules/courses/study.server");
    expect((await studyRuleFor(district.path)).onlineMinutesPerHour).toBe(45);
    expect((await studyRuleFor("/999/")).onlineMinutesPerHour).toBe(30);
    await db.deleteFrom("study_rule").where("region_path", "=", parent.path).execute();
  });
});
