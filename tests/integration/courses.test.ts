import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { action as lessonAction, loader as lessonLoader } from "../../app/routes/courses.$slug.$lesson";
import { loader as assignmentsLoader, action as assignmentsAction } from "../../app/routes/assignments._index";
import { loader as assignmentLoader } from "../../app/routes/assignments.$id";
import { loader as exportLoader } from "../../app/routes/assignments.export";
import { action as offlineAction } from "../../app/routes/training.offline";
import { loader as trainingLoader } from "../../app/routes/training._index";
import { loader as searchLoader } from "../../app/routes/search";
import { loader as homeLoader } from "../../app/routes/_index";
import { catalog } from "../../app/modules/courses/catalog.server";
import { caseOf, cookieOf, personIdsOf, refusalOf, request, run } from "../support/actors";

const A = "安澜宏达化工有限公司";
const B = "安澜金属制品有限公司";
const COURSE = "work-safety-law";
const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
const lessons = () => catalog().bySlug.get(COURSE)!.lessons;
const lessonParams = (slug: string) => ({ slug: COURSE, lesson: slug });

async function workerPersonId() {
  return (await db.selectFrom("user").select("person_id").where("username", "=", "worker").executeTakeFirstOrThrow())
    .person_id!;
}

/** Pretend the person read every lesson long enough (time is otherwise counted between heartbeats). */
async function readEnough(personId: number) {
  const ids = await db
    .selectFrom("lesson")
    .innerJoin("course", "course.id", "lesson.course_id")
    .select("lesson.id")
    .where("course.slug", "=", COURSE)
    .execute();
  for (const { id } of ids) {
    await sql`INSERT INTO lesson_progress (person_id, lesson_id, seconds_spent, last_seen_at) VALUES (${personId}, ${id}, 100000, UTC_TIMESTAMP())
      ON DUPLICATE KEY UPDATE seconds_spent = 100000`.execute(db);
  }
}

describe("reading and completing lessons", () => {
  it("serves the lesson without self-check answers and grades a self-check on the server", async () => {
    const cookie = await cookieOf("worker");
    const first = lessons()[0];
    const res = await run(() =>
      lessonLoader(args(request(`/courses/${COURSE}/${first.slug}`, cookie), lessonParams(first.slug))),
    );
    expect(res.status).toBe(200);
    const key = catalog().answers[`${COURSE}/${first.slug}#${first.selfChecks[0].id}`];
    expect(JSON.stringify(res.data)).not.toContain(key.explanation);
    const wrong = key.answer === "A" ? "B" : "A";
    const graded = await run(() =>
      lessonAction(
        args(
          request(`/courses/${COURSE}/${first.slug}`, cookie, {
            intent: "selfcheck",
            checkId: first.selfChecks[0].id,
            answer: first.selfChecks[0].type === "judge" ? (key.answer === "true" ? "false" : "true") : wrong,
          }),
          lessonParams(first.slug),
        ),
      ),
    );
    expect(graded.data).toMatchObject({ correct: false, answer: key.answer, explanation: key.explanation });
    const bad = await run(() =>
      lessonAction(
        args(
          request(`/courses/${COURSE}/${first.slug}`, cookie, { intent: "selfcheck", checkId: "nope" }),
          lessonParams(first.slug),
        ),
      ),
    );
    expect(bad.status).toBe(422);
  });

  it("refuses to complete a lesson before its reading time, with a Chinese reason", async () => {
    const cookie = await cookieOf("worker");
    const first = lessons()[0];
    const res = await run(() =>
      lessonAction(
        args(request(`/courses/${COURSE}/${first.slug}`, cookie, { intent: "complete" }), lessonParams(first.slug)),
      ),
    );
    expect(res.status).toBe(409);
    expect(refusalOf(res).formError).toContain("有效学习时间不足");
  });

  it("credits the course hours exactly once, even when the last completion is sent twice at the same time", async () => {
    const cookie = await cookieOf("worker");
    const personId = await workerPersonId();
    await readEnough(personId);
    const all = lessons();
    for (const l of all.slice(0, -1)) {
      const r = await run(() =>
        lessonAction(
          args(request(`/courses/${COURSE}/${l.slug}`, cookie, { intent: "complete" }), lessonParams(l.slug)),
        ),
      );
      expect(r.data).toMatchObject({ ok: true, courseCompleted: false });
    }
    const last = all.at(-1)!;
    const both = await Promise.all(
      [1, 2, 3].map(() =>
        run(() =>
          lessonAction(
            args(request(`/courses/${COURSE}/${last.slug}`, cookie, { intent: "complete" }), lessonParams(last.slug)),
          ),
        ),
      ),
    );
    expect(both.every((r) => "ok" in r.data && r.data.ok && r.data.courseCompleted)).toBe(true);
    expect(both.map((r) => caseOf(r.data, "ok", true).hoursCredited).sort()).toEqual([0, 0, 1.5]);
    const records = await db
      .selectFrom("training_record")
      .selectAll()
      .where("person_id", "=", personId)
      .where("source", "=", "course")
      .execute();
    expect(records).toHaveLength(1);
    expect(Number(records[0].hours)).toBe(1.5);
    const home = await run(() => homeLoader(args(request("/", cookie))));
    expect(home.data.hours!.done).toBe(1.5);
    expect(home.data.assignments!.find((a: { slug: string }) => a.slug === COURSE)!.status).toBe("completed");
  });

  it("records progress only for the logged-in person: a forged personId is ignored, and an account without a person is refused", async () => {
    const cookie = await cookieOf("officer");
    const [someone] = await personIdsOf(B);
    const first = lessons()[1];
    await run(() =>
      lessonAction(
        args(
          request(`/courses/${COURSE}/${first.slug}`, cookie, { intent: "heartbeat", personId: String(someone.id) }),
          lessonParams(first.slug),
        ),
      ),
    );
    const forged = await db
      .selectFrom("lesson_progress")
      .select("person_id")
      .where("person_id", "=", someone.id)
      .execute();
    expect(forged).toEqual([]);
    const admin = await cookieOf("admin");
    const refused = await run(() =>
      lessonAction(
        args(request(`/courses/${COURSE}/${first.slug}`, admin, { intent: "complete" }), lessonParams(first.slug)),
      ),
    );
    expect(refused.status).toBe(403);
  });
});

describe("assignments and hours stay inside the enterprise", () => {
  it("an officer assigns a course to a post; the assignees see it; bad input is answered 422", async () => {
    const cookie = await cookieOf("officer");
    const course = await db.selectFrom("course").select("id").where("slug", "=", "hot-work").executeTakeFirstOrThrow();
    const bad = await run(() =>
      assignmentsAction(
        args(request("/assignments", cookie, { courseId: String(course.id), target: "post", dueOn: "2020-01-01" })),
      ),
    );
    expect(bad.status).toBe(422);
    expect(bad.data.fieldErrors).toMatchObject({ targetPost: "请选择岗位", dueOn: "截止日期不能早于今天" });
    const ok = await run(() =>
      assignmentsAction(
        args(
          request("/assignments", cookie, {
            courseId: String(course.id),
            target: "post",
            targetPost: "worker",
            dueOn: "2099-01-01",
          }),
        ),
      ),
    );
    expect(ok.status).toBe(302);
    const id = ok.headers.get("location")!.split("/").pop()!;
    const detail = await run(() => assignmentLoader(args(request(`/assignments/${id}`, cookie), { id })));
    expect(detail.data.assignment.assigned).toBe(6);
    expect(detail.data.assignment.overdue).toBe(0);
    // Once the due date has passed, everyone who has not finished is overdue, on the list and on the officer's home page.
    await db.updateTable("course_assignment").set({ due_on: "2026-01-01" }).where("id", "=", Number(id)).execute();
    const late = await run(() => assignmentLoader(args(request(`/assignments/${id}`, cookie), { id })));
    expect(late.data.assignment.overdue).toBe(6);
    expect(late.data.assignment.people[0].status).toBe("overdue");
    const officerHome = await run(() => homeLoader(args(request("/", cookie))));
    expect(officerHome.data.overdue).toBeGreaterThanOrEqual(6);
    const worker = await cookieOf("worker");
    const home = await run(() => homeLoader(args(request("/", worker))));
    expect(home.data.assignments!.map((a: { slug: string }) => a.slug)).toContain("hot-work");
  });

  it("a worker cannot read the enterprise's assignments; an officer of A cannot read B's or assign in B", async () => {
    const worker = await cookieOf("worker");
    expect((await run(() => assignmentsLoader(args(request("/assignments", worker))))).status).toBe(403);
    const officer2 = await cookieOf("officer2");
    const a = (await personIdsOf(A))[0].enterprise_id;
    expect((await run(() => assignmentsLoader(args(request(`/assignments?enterpriseId=${a}`, officer2))))).status).toBe(
      403,
    );
    expect(
      (await run(() => exportLoader(args(request(`/assignments/export?enterpriseId=${a}`, officer2))))).status,
    ).toBe(403);
    const aAssignment = await db
      .selectFrom("course_assignment")
      .select("id")
      .where("enterprise_id", "=", a)
      .executeTakeFirstOrThrow();
    expect(
      (
        await run(() =>
          assignmentLoader(args(request(`/assignments/${aAssignment.id}`, officer2), { id: String(aAssignment.id) })),
        )
      ).status,
    ).toBe(403);
    const course = await db.selectFrom("course").select("id").executeTakeFirstOrThrow();
    const before = await db.selectFrom("course_assignment").select("id").execute();
    const forged = await run(() =>
      assignmentsAction(
        args(
          request(`/assignments?enterpriseId=${a}`, officer2, {
            courseId: String(course.id),
            target: "everyone",
            dueOn: "2099-01-01",
          }),
        ),
      ),
    );
    expect(forged.status).toBe(403);
    expect(await db.selectFrom("course_assignment").select("id").execute()).toHaveLength(before.length);
    // A regulator of the city may read, not assign.
    const regulator = await cookieOf("regulator");
    expect(
      (await run(() => assignmentsLoader(args(request(`/assignments?enterpriseId=${a}`, regulator))))).status,
    ).toBe(200);
    // inspector2 (青山县) is outside 滨江区.
    const inspector2 = await cookieOf("inspector2");
    expect((await run(() => trainingLoader(args(request(`/training?enterpriseId=${a}`, inspector2))))).status).toBe(
      403,
    );
  });

  it("exports the completion list as an Excel file", async () => {
    const officer = await cookieOf("officer");
    const res = await run(() => exportLoader(args(request("/assignments/export", officer))));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("spreadsheetml");
  });

  it("an officer records offline training into the ledger; people of another enterprise are refused and nothing is written", async () => {
    const cookie = await cookieOf("officer");
    const people = await personIdsOf(A);
    const [outsider] = await personIdsOf(B);
    const form = new URLSearchParams({ title: "有限空间作业专项培训", trainedOn: "2026-03-02", hours: "2.5" });
    form.append("personIds", String(people[0].id));
    form.append("personIds", String(outsider.id));
    const mixed = await run(() =>
      offlineAction(
        args(
          new Request("http://localhost/training/offline", {
            method: "POST",
            body: form,
            headers: { cookie, "x-anxun-client-ip": "1.1.1.1" },
          }),
        ),
      ),
    );
    expect(mixed.status).toBe(422);
    expect(await db.selectFrom("training_record").select("id").where("source", "=", "offline").execute()).toEqual([]);
    form.delete("personIds");
    form.append("personIds", String(people[0].id));
    form.append("personIds", String(people[1].id));
    const ok = await run(() =>
      offlineAction(
        args(new Request("http://localhost/training/offline", { method: "POST", body: form, headers: { cookie } })),
      ),
    );
    expect(ok.status).toBe(302);
    const rows = await db
      .selectFrom("training_record")
      .select(["person_id", "hours"])
      .where("source", "=", "offline")
      .execute();
    expect(rows.map((r) => Number(r.hours))).toEqual([2.5, 2.5]);
    const bad = await run(() =>
      offlineAction(args(request("/training/offline", cookie, { title: "", trainedOn: "2099-01-01", hours: "0.3" }))),
    );
    expect(Object.keys(bad.data.fieldErrors).sort()).toEqual(["hours", "personIds", "title", "trainedOn"]);
    const ledger = await run(() => trainingLoader(args(request("/training", cookie))));
    expect(ledger.data.rows!.find((r: { id: number }) => r.id === people[0].id)!.done).toBeGreaterThanOrEqual(2.5);
  });
});

describe("search", () => {
  it("finds a lesson by any two-or-more character phrase in it", async () => {
    const cookie = await cookieOf("worker");
    for (const course of catalog().catalog.courses) {
      const lesson = course.lessons[course.lessons.length - 1];
      const phrase = lesson.text.slice(Math.floor(lesson.text.length / 2), Math.floor(lesson.text.length / 2) + 4);
      const res = await run(() => searchLoader(args(request(`/search?q=${encodeURIComponent(phrase)}`, cookie))));
      expect(
        res.data.hits.map((h: { lessonSlug: string }) => h.lessonSlug),
        phrase,
      ).toContain(lesson.slug);
    }
    const short = await run(() => searchLoader(args(request("/search?q=%E9%80%9A", cookie))));
    expect(short.data).toMatchObject({ tooShort: true, hits: [] });
  });
});
