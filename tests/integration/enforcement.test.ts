import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { toLocalInput } from "../../app/lib/calendar";
import { now, todayIso } from "../../app/lib/clock.server";
import { db } from "../../app/lib/db.server";
import { hashPassword } from "../../app/modules/auth/password.server";
import { catalog } from "../../app/modules/courses/catalog.server";
import { addDays, addMonths } from "../../app/lib/calendar";
import { DEMO_PASSWORD } from "../../db/seed/demo";
import { loader as homeLoader } from "../../app/routes/_index";
import { loader as ratesLoader } from "../../app/routes/enforcement._index";
import { action as unitAction, loader as unitLoader } from "../../app/routes/enforcement.units.$id";
import { action as lessonAction } from "../../app/routes/courses.$slug.$lesson";
import { loader as examsLoader } from "../../app/routes/exams._index";
import { action as startAction } from "../../app/routes/exams.$id.start";
import { loader as trainingLoader } from "../../app/routes/training._index";
import { cookieOf, okData, request, run } from "../support/actors";

const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
const cookies: Record<string, string> = {};
const units: Record<string, number> = {};
let inspectorPerson = 0;

const unitPage = (who: string, id: number) =>
  run(() => unitLoader(args(request(`/enforcement/units/${id}`, cookies[who]), { id: String(id) })));
const unitPost = (who: string, id: number, form: Record<string, string>) =>
  run(() => unitAction(args(request(`/enforcement/units/${id}`, cookies[who], form), { id: String(id) })));
const ratesPage = (who: string, query = "") =>
  run(() => ratesLoader(args(request(`/enforcement${query}`, cookies[who]))));

/** The 执法证 holders of a unit counted by hand: active people with a certificate in force today. */
async function handCount(unitId: number) {
  const today = todayIso();
  const row = await sql<{ required: number; holding: number }>`
    SELECT COUNT(*) AS required,
      SUM(EXISTS (SELECT 1 FROM certificate c WHERE c.person_id = p.id AND c.kind = 'law_enforcement'
                  AND c.valid_from <= ${today} AND c.valid_until >= ${today})) AS holding
    FROM person p WHERE p.enterprise_id = ${unitId} AND p.active = 1`.execute(db);
  return { required: Number(row.rows[0].required), holding: Number(row.rows[0].holding) };
}

beforeAll(async () => {
  const qingshan = await db.selectFrom("region").select("id").where("name", "=", "青山县").executeTakeFirstOrThrow();
  await db
    .insertInto("user")
    .values({
      id: "regqingshanxxxxx",
      username: "reg_qingshan",
      password_hash: await hashPassword(DEMO_PASSWORD),
      role: "regulator",
      display_name: "青山县应急管理局",
      enterprise_id: null,
      region_id: qingshan.id,
      person_id: null,
    })
    .execute();
  for (const u of ["regulator", "reg_qingshan", "inspector", "inspector2", "worker", "officer", "admin"])
    cookies[u] = await cookieOf(u);
  for (const u of await db
    .selectFrom("enforcement_unit")
    .innerJoin("enterprise", "enterprise.id", "enforcement_unit.enterprise_id")
    .select(["enterprise.id", "enterprise.name"])
    .execute())
    units[u.name.slice(0, 3)] = u.id;
  inspectorPerson = (
    await db.selectFrom("user").select("person_id").where("username", "=", "inspector").executeTakeFirstOrThrow()
  ).person_id!;
});

describe("enforcement units in the demo city", () => {
  it("links the inspector, inspector2 and regulator accounts to people of units in their regions", async () => {
    const rows = await db
      .selectFrom("user")
      .innerJoin("person", "person.id", "user.person_id")
      .innerJoin("enforcement_unit", "enforcement_unit.enterprise_id", "person.enterprise_id")
      .innerJoin("region", "region.id", "user.region_id")
      .select(["user.username", "enforcement_unit.region_path", "region.path"])
      .where("user.username", "in", ["inspector", "inspector2", "regulator"])
      .execute();
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r.region_path).toBe(r.path);
  });
});

describe("the 执法证 holding rate", () => {
  it("per unit matches a hand count, and the city's total is the sum of its units", async () => {
    const page = await ratesPage("regulator");
    expect(page.status).toBe(200);
    let required = 0;
    let holding = 0;
    for (const u of page.data.units) {
      const hand = await handCount(u.id);
      expect({ required: u.required, holding: u.holding }).toEqual(hand);
      required += hand.required;
      holding += hand.holding;
    }
    expect(page.data.units).toHaveLength(4);
    expect({ required: page.data.required, holding: page.data.holding }).toEqual({ required, holding });
    // 滨江区: five people, one lapsed 15 days ago and one newly hired without one.
    const binjiang = page.data.units.find((u: { id: number }) => u.id === units["滨江区"])!;
    expect({ required: binjiang.required, holding: binjiang.holding }).toEqual({ required: 5, holding: 3 });
    expect(page.data.expired.map((p: { name: string }) => p.name)).toEqual(["钱伟"]);
    expect(page.data.none.map((p: { name: string }) => p.name)).toEqual(["吴晓东"]);
    expect(page.data.expiring.map((p: { name: string }) => p.name)).toEqual(["卫东升", "刘海燕", "孙丽娟"]);
    // The district row rolls up its unit; the district page shows only its own.
    const row = page.data.children.find((c: { name: string }) => c.name === "滨江区")!;
    expect({ required: row.required, holding: row.holding, units: row.units }).toEqual({
      required: 5,
      holding: 3,
      units: 1,
    });
    const district = await ratesPage("regulator", `?region=${row.id}`);
    expect(district.data.units.map((u: { id: number }) => u.id)).toEqual([units["滨江区"]]);
    expect(district.data.parent).not.toBeNull();
  });

  it("registers a 执法证 with the kind's validity, and the unit's rate follows", async () => {
    const unit = units["滨江区"];
    const person = await db
      .selectFrom("person")
      .select("id")
      .where("enterprise_id", "=", unit)
      .where("name", "=", "吴晓东")
      .executeTakeFirstOrThrow();
    const validFrom = addDays(todayIso(), -1);
    // Bad input: a clear message and nothing written.
    const bad = await unitPost("regulator", unit, {
      intent: "certificate",
      personId: String(person.id),
      number: "",
      validFrom,
    });
    expect(bad.status).toBe(422);
    const other = await db
      .selectFrom("person")
      .select("id")
      .where("enterprise_id", "=", units["青山县"])
      .executeTakeFirstOrThrow();
    const foreign = await unitPost("regulator", unit, {
      intent: "certificate",
      personId: String(other.id),
      number: "ZF-T-2",
      validFrom,
    });
    expect(foreign.status).toBe(422);
    const ok = await unitPost("regulator", unit, {
      intent: "certificate",
      personId: String(person.id),
      number: "ZF-T-1",
      validFrom,
    });
    expect(ok.status).toBe(200);
    const cert = await db
      .selectFrom("certificate")
      .select(["kind", "expires_on", "valid_until"])
      .where("person_id", "=", person.id)
      .executeTakeFirstOrThrow();
    expect(cert).toEqual({
      kind: "law_enforcement",
      expires_on: addDays(addMonths(validFrom, 60), -1),
      valid_until: addDays(addMonths(validFrom, 60), -1),
    });
    const page = await unitPage("regulator", unit);
    expect(page.data.people.find((p: { id: number }) => p.id === person.id)!.state).toBe("holding");
    expect(await handCount(unit)).toEqual({ required: 5, holding: 4 });
    const audit = await db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", "person")
      .where("entity_id", "=", String(person.id))
      .execute();
    expect(audit.map((a) => a.action)).toContain("certificate.created");
  });
});

describe("inspectors as learners", () => {
  it("a regulator assigns a course to an inspector, who sees it at home, studies it, and the hours count", async () => {
    const unit = units["滨江区"];
    const course = catalog().bySlug.get("confined-spaces")!;
    const courseRow = await db
      .selectFrom("course")
      .select(["id", "hours"])
      .where("slug", "=", course.slug)
      .executeTakeFirstOrThrow();
    const dueOn = addDays(todayIso(), 20);
    const res = await unitPost("regulator", unit, {
      intent: "assign",
      courseId: String(courseRow.id),
      target: "person",
      targetPersonId: String(inspectorPerson),
      dueOn,
    });
    expect(res.status).toBe(200);
    expect(okData(res).done).toContain("培训任务已布置");
    const home = await run(() => homeLoader(args(request("/", cookies.inspector))));
    expect(home.status).toBe(200);
    expect(home.data.name).toBe("王立新");
    const todo = home.data.todo!.find((t: { title: string }) => t.title.includes(course.title));
    expect(todo).toBeTruthy();
    const inbox = await db
      .selectFrom("notification")
      .select("title")
      .where("person_id", "=", inspectorPerson)
      .execute();
    expect(inbox.map((n) => n.title)).toContain(`新的培训任务：${course.title}`);

    // Study: the lessons' time as the page would have counted it, then each lesson completed through its page.
    const lessons = await db.selectFrom("lesson").select("id").where("course_id", "=", courseRow.id).execute();
    for (const { id } of lessons)
      await sql`INSERT INTO lesson_progress (person_id, lesson_id, seconds_spent, last_seen_at) VALUES (${inspectorPerson}, ${id}, 100000, UTC_TIMESTAMP())
        ON DUPLICATE KEY UPDATE seconds_spent = 100000`.execute(db);
    for (const l of course.lessons) {
      const done = await run(() =>
        lessonAction(
          args(request(`/courses/${course.slug}/${l.slug}`, cookies.inspector, { intent: "complete" }), {
            slug: course.slug,
            lesson: l.slug,
          }),
        ),
      );
      expect(done.status).toBe(200);
    }
    const record = await db
      .selectFrom("training_record")
      .select(["hours", "enterprise_id"])
      .where("person_id", "=", inspectorPerson)
      .where("source", "=", "course")
      .executeTakeFirstOrThrow();
    expect(Number(record.hours)).toBe(Number(courseRow.hours));
    expect(record.enterprise_id).toBe(unit);
    const training = await run(() => trainingLoader(args(request("/training", cookies.inspector))));
    expect(training.data.status!.done).toBe(Number(courseRow.hours));
    const page = await unitPage("regulator", unit);
    expect(page.data.people.find((p: { id: number }) => p.id === inspectorPerson)!.hours).toBe(Number(courseRow.hours));
    const task = page.data.assignments.find((a: { courseId: number }) => a.courseId === courseRow.id)!;
    expect({ assigned: task.assigned, completed: task.completed }).toEqual({ assigned: 1, completed: 1 });
  });

  it("an exam for the unit's inspectors: the regulator publishes it, the inspector sees and starts it", async () => {
    const unit = units["滨江区"];
    const template = await db
      .selectFrom("exam_template")
      .select("id")
      .where("enterprise_id", "is", null)
      .where("purpose", "=", "exam")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const t = now().getTime();
    const form = {
      intent: "exam",
      templateId: String(template.id),
      title: "执法人员安全生产法律法规考试",
      opensAt: toLocalInput(new Date(t - 3600_000)),
      closesAt: toLocalInput(new Date(t + 7 * 86400_000)),
    };
    const missing = await unitPost("regulator", unit, { ...form, title: "" });
    expect(missing.status).toBe(422);
    const res = await unitPost("regulator", unit, form);
    expect(res.status).toBe(200);
    const exam = await db
      .selectFrom("exam")
      .select(["id", "enterprise_id"])
      .where("title", "=", form.title)
      .executeTakeFirstOrThrow();
    expect(exam.enterprise_id).toBe(unit);
    const mine = await run(() => examsLoader(args(request("/exams", cookies.inspector))));
    const listed = mine.data.mine!.find((e: { id: number }) => e.id === exam.id)!;
    expect(listed.canStart).toBe(true);
    // Another district's inspector does not get it.
    const theirs = await run(() => examsLoader(args(request("/exams", cookies.inspector2))));
    expect(theirs.data.mine!.map((e: { id: number }) => e.id)).not.toContain(exam.id);
    const started = await run(() =>
      startAction(args(request(`/exams/${exam.id}/start`, cookies.inspector, {}), { id: String(exam.id) })),
    );
    expect(started.status).toBe(302);
    expect(started.headers.get("location")).toMatch(/^\/attempts\/\d+/);
    const attempt = await db
      .selectFrom("attempt")
      .select("person_id")
      .where("exam_id", "=", exam.id)
      .executeTakeFirstOrThrow();
    expect(attempt.person_id).toBe(inspectorPerson);
  });
});

describe("who may keep enforcement training", () => {
  it("refuses a regulator of another region, inspectors, workers and enterprise officers", async () => {
    const unit = units["滨江区"];
    const course = await db.selectFrom("course").select("id").orderBy("id").executeTakeFirstOrThrow();
    const assign = {
      intent: "assign",
      courseId: String(course.id),
      target: "everyone",
      dueOn: addDays(todayIso(), 10),
    };
    const before = await db
      .selectFrom("course_assignment")
      .select(sql<number>`COUNT(*)`.as("n"))
      .executeTakeFirstOrThrow();
    for (const who of ["reg_qingshan", "inspector", "inspector2", "worker", "officer"]) {
      expect((await unitPage(who, unit)).status, who).toBe(403);
      expect((await unitPost(who, unit, assign)).status, who).toBe(403);
      expect(
        (
          await unitPost(who, unit, {
            intent: "certificate",
            personId: String(inspectorPerson),
            number: "X1",
            validFrom: todayIso(),
          })
        ).status,
        who,
      ).toBe(403);
    }
    const after = await db
      .selectFrom("course_assignment")
      .select(sql<number>`COUNT(*)`.as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    // The region pages: a district regulator sees their own district, not the city or another district.
    const binjiang = await db.selectFrom("region").select("id").where("name", "=", "滨江区").executeTakeFirstOrThrow();
    expect((await ratesPage("reg_qingshan", `?region=${binjiang.id}`)).status).toBe(403);
    const own = await ratesPage("reg_qingshan");
    expect(own.status).toBe(200);
    expect(own.data.units.map((u: { id: number }) => u.id)).toEqual([units["青山县"]]);
    expect(own.data.parent).toBeNull();
    for (const who of ["inspector", "worker", "officer"]) expect((await ratesPage(who)).status, who).toBe(403);
    // The admin sees everything; the city regulator's own unit too.
    expect((await unitPage("admin", unit)).status).toBe(200);
    expect((await unitPage("regulator", units["安澜市"])).status).toBe(200);
    // Unknown units are 404, never 500.
    expect((await unitPage("regulator", 999999)).status).toBe(404);
    expect(
      (await run(() => unitLoader(args(request("/enforcement/units/abc", cookies.regulator), { id: "abc" })))).status,
    ).toBe(404);
  });
});
