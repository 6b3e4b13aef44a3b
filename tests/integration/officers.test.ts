import ExcelJS from "exceljs";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { addDays, toLocalInput } from "../../app/lib/calendar";
import { now, resetClock, todayIso } from "../../app/lib/clock.server";
import { db } from "../../app/lib/db.server";
import { requiredHours } from "../../app/modules/courses/rules";
import { examsForPerson } from "../../app/modules/exams/exams.server";
import { rebuildCockpit, refreshCockpitEnterprise } from "../../app/modules/cockpit/summary.server";
import { loader as rosterLoader, action as rosterAction } from "../../app/routes/exams.$id.roster";
import { loader as exportLoader } from "../../app/routes/exams.$id.roster.export";
import { loader as assignmentLoader, action as assignmentAction } from "../../app/routes/assignments.$id";
import { loader as cockpitLoader } from "../../app/routes/cockpit";
import { loader as regionLoader } from "../../app/routes/certification.region.$id";
import { caseOf, cookieOf, personIdsOf, request, run } from "../support/actors";

const A = "安澜宏达化工有限公司";
const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
afterEach(() => resetClock());

async function enterpriseOf(name: string) {
  return db.selectFrom("enterprise").select(["id", "region_path"]).where("name", "=", name).executeTakeFirstOrThrow();
}

/** An exam of enterprise A for its workers and special operators, open now, with attempts written as the grader would. */
async function examWithAttempts() {
  const e = await enterpriseOf(A);
  const template = await db
    .selectFrom("exam_template")
    .select("id")
    .where("purpose", "=", "exam")
    .orderBy("id")
    .executeTakeFirstOrThrow();
  const officer = await db.selectFrom("user").select("id").where("username", "=", "officer").executeTakeFirstOrThrow();
  const t = now();
  const res = await db
    .insertInto("exam")
    .values({
      template_id: template.id,
      enterprise_id: e.id,
      title: "名单测试考试",
      posts: "worker,special_operator",
      opens_at: new Date(t.getTime() - 3 * 86400_000),
      closes_at: new Date(t.getTime() + 3 * 86400_000),
      created_by: officer.id,
    })
    .executeTakeFirstOrThrow();
  const examId = Number(res.insertId);
  const people = (await personIdsOf(A))
    .filter((p) => p.post === "worker" || p.post === "special_operator")
    .sort((a, b) => a.id - b.id);
  const [passer, failer, runner] = people;
  const attempt = (
    personId: number,
    no: number,
    score: number | null,
    passed: number | null,
    minutes: number,
    open = false,
  ) => ({
    template_id: template.id,
    exam_id: examId,
    person_id: personId,
    attempt_no: no,
    started_at: new Date(t.getTime() - 3600_000),
    deadline_at: new Date(t.getTime() + (open ? 3600_000 : -1000)),
    submitted_at: open ? null : new Date(t.getTime() - 3600_000 + minutes * 60_000),
    closed_by: open ? null : ("person" as const),
    score,
    passed,
    total_points: 100,
  });
  await db
    .insertInto("attempt")
    .values([
      attempt(passer.id, 1, 50, 0, 20),
      attempt(passer.id, 2, 90, 1, 30),
      attempt(failer.id, 1, 40, 0, 12),
      attempt(runner.id, 1, null, null, 0, true),
    ])
    .execute();
  return { examId, e, people, passer, failer, runner, absent: people.slice(3) };
}

describe("exam roster and 补考", () => {
  it("lists everyone the exam was meant for with a true status, best and last score, attempts and time", async () => {
    const { examId, people, passer, failer, runner, absent } = await examWithAttempts();
    const officer = await cookieOf("officer");
    const res = await run(() =>
      rosterLoader(args(request(`/exams/${examId}/roster`, officer), { id: String(examId) })),
    );
    expect(res.status).toBe(200);
    const rows = res.data.roster.rows as {
      personId: number;
      status: string;
      best: number | null;
      last: number | null;
      attempts: number;
      lastSeconds: number | null;
    }[];
    const byId = new Map(rows.map((r) => [r.personId, r]));
    expect(byId.get(passer.id)).toMatchObject({ status: "passed", best: 90, last: 90, attempts: 2, lastSeconds: 1800 });
    expect(byId.get(failer.id)).toMatchObject({ status: "failed", best: 40, last: 40, attempts: 1, lastSeconds: 720 });
    expect(byId.get(runner.id)).toMatchObject({ status: "running", attempts: 1, last: null });
    for (const p of absent) expect(byId.get(p.id)).toMatchObject({ status: "absent", attempts: 0, best: null });
    expect(rows.length).toBe(people.length);
    expect(res.data.roster.counts).toEqual({ passed: 1, failed: 1, running: 1, absent: absent.length });
    // Filters: only the failed one; keyset paging starts after the given id.
    const failed = await run(() =>
      rosterLoader(args(request(`/exams/${examId}/roster?status=failed`, officer), { id: String(examId) })),
    );
    expect(failed.data.roster.rows.map((r: { personId: number }) => r.personId)).toEqual([failer.id]);
    const after = await run(() =>
      rosterLoader(args(request(`/exams/${examId}/roster?after=${people[1].id}`, officer), { id: String(examId) })),
    );
    expect(after.data.roster.rows[0].personId).toBe(people[2].id);
  });

  it("exports the roster with numbers as numbers, and refuses another enterprise's officer", async () => {
    const { examId, failer } = await examWithAttempts();
    const res = (await exportLoader(
      args(request(`/exams/${examId}/roster/export`, await cookieOf("officer")), { id: String(examId) }),
    )) as Response;
    expect(res.headers.get("content-type")).toContain("spreadsheetml");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const sheet = wb.worksheets[0];
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      "姓名",
      "岗位",
      "状态",
      "最高分",
      "最后一次得分",
      "考试次数",
      "最后一次用时（分钟）",
      "最后交卷日期",
    ]);
    const name = (await db.selectFrom("person").select("name").where("id", "=", failer.id).executeTakeFirstOrThrow())
      .name;
    let found = false;
    sheet.eachRow((row, n) => {
      if (n === 1 || row.getCell(1).value !== name || row.getCell(3).value !== "不合格") return;
      found = true;
      expect(row.getCell(4).value).toBe(40);
      expect(row.getCell(6).value).toBe(1);
      expect(row.getCell(7).value).toBe(12);
      expect(row.getCell(8).value).toBeInstanceOf(Date);
    });
    expect(found).toBe(true);
    const officer2 = await cookieOf("officer2");
    expect(
      (await run(() => rosterLoader(args(request(`/exams/${examId}/roster`, officer2), { id: String(examId) }))))
        .status,
    ).toBe(403);
    expect(
      (await run(() => exportLoader(args(request(`/exams/${examId}/roster/export`, officer2), { id: String(examId) }))))
        .status,
    ).toBe(403);
  });

  it("schedules a 补考 for those who failed or missed it and notifies them; a past window or a passer is refused with nothing saved", async () => {
    const { examId, passer, failer, absent } = await examWithAttempts();
    const officer = await cookieOf("officer");
    const post = (form: Record<string, string | string[]>) => {
      const body = new FormData();
      for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x);
      return run(() => rosterAction(args(request(`/exams/${examId}/roster`, officer, body), { id: String(examId) })));
    };
    const t = now();
    const count = async () => ({
      exams: Number(
        (
          await db
            .selectFrom("exam")
            .select(sql<number>`COUNT(*)`.as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      notes: Number(
        (
          await db
            .selectFrom("notification")
            .select(sql<number>`COUNT(*)`.as("n"))
            .where("kind", "=", "makeup_exam")
            .executeTakeFirstOrThrow()
        ).n,
      ),
    });
    const before = await count();
    const past = await post({
      personIds: [String(failer.id)],
      opensAt: toLocalInput(new Date(t.getTime() - 2 * 86400_000)),
      closesAt: toLocalInput(new Date(t.getTime() - 86400_000)),
    });
    expect(past.status).toBe(422);
    expect(past.data.fieldErrors.closesAt).toContain("已经过去");
    const pastStart = await post({
      personIds: [String(failer.id)],
      opensAt: toLocalInput(new Date(t.getTime() - 86400_000)),
      closesAt: toLocalInput(new Date(t.getTime() + 86400_000)),
    });
    expect(pastStart.status).toBe(422);
    expect(pastStart.data.fieldErrors.opensAt).toContain("不能早于现在");
    const passed = await post({
      personIds: [String(passer.id)],
      opensAt: toLocalInput(new Date(t.getTime() + 86400_000)),
      closesAt: toLocalInput(new Date(t.getTime() + 2 * 86400_000)),
    });
    expect(passed.status).toBe(422);
    expect(passed.data.fieldErrors.personIds).toContain("合格");
    const outsider = (await personIdsOf("安澜金属制品有限公司"))[0];
    const foreign = await post({
      personIds: [String(outsider.id)],
      opensAt: toLocalInput(new Date(t.getTime() + 86400_000)),
      closesAt: toLocalInput(new Date(t.getTime() + 2 * 86400_000)),
    });
    expect(foreign.status).toBe(422);
    expect(await count()).toEqual(before);

    const ok = await post({
      personIds: [String(failer.id), String(absent[0].id)],
      opensAt: toLocalInput(new Date(t.getTime() + 120_000)),
      closesAt: toLocalInput(new Date(t.getTime() + 2 * 86400_000)),
    });
    expect(ok.status).toBe(302);
    const makeupId = Number(new URL(ok.headers.get("location")!, "http://x").searchParams.get("scheduled"));
    expect(await count()).toEqual({ exams: before.exams + 1, notes: before.notes + 2 });
    const makeup = await db.selectFrom("exam").selectAll().where("id", "=", makeupId).executeTakeFirstOrThrow();
    expect(makeup.makeup_of).toBe(examId);
    expect(
      (
        await db
          .selectFrom("exam_person")
          .select("person_id")
          .where("exam_id", "=", makeupId)
          .orderBy("person_id")
          .execute()
      ).map((r) => r.person_id),
    ).toEqual([failer.id, absent[0].id].sort((a, b) => a - b));
    expect(
      (
        await db
          .selectFrom("audit_log")
          .select("action")
          .where("entity_type", "=", "exam")
          .where("entity_id", "=", String(makeupId))
          .execute()
      ).map((r) => r.action),
    ).toEqual(["exam.makeup_scheduled"]);
    // The 补考 is on the failer's list, not on the passer's; the other enterprise's officer cannot schedule one.
    expect((await examsForPerson(failer.id)).some((e) => e.id === makeupId)).toBe(true);
    expect((await examsForPerson(passer.id)).some((e) => e.id === makeupId)).toBe(false);
    const body = new FormData();
    body.append("personIds", String(failer.id));
    body.append("opensAt", toLocalInput(new Date(t.getTime() + 86400_000)));
    body.append("closesAt", toLocalInput(new Date(t.getTime() + 2 * 86400_000)));
    const officer2 = await cookieOf("officer2");
    const refused = await run(() =>
      rosterAction(args(request(`/exams/${examId}/roster`, officer2, body), { id: String(examId) })),
    );
    expect(refused.status).toBe(403);
    // The makeup's own roster lists exactly the two people named for it.
    const roster = await run(() =>
      rosterLoader(args(request(`/exams/${makeupId}/roster`, officer), { id: String(makeupId) })),
    );
    expect(roster.data.roster.rows.map((r: { personId: number }) => r.personId).sort()).toEqual(
      [failer.id, absent[0].id].sort(),
    );
  });
});

describe("assignment status and 一键催学", () => {
  it("says 未开始 until someone studies, 学习中 once they did, 已完成 and 逾期 as they are; reminds the unfinished once a day", async () => {
    const e = await enterpriseOf(A);
    const course = await db
      .selectFrom("course")
      .innerJoin("lesson", "lesson.course_id", "course.id")
      .select(["course.id", "lesson.id as lesson_id"])
      .where("course.active", "=", 1)
      .where("course.posts", "like", "%worker%")
      .orderBy("course.id")
      .executeTakeFirstOrThrow();
    const officerUser = await db
      .selectFrom("user")
      .select("id")
      .where("username", "=", "officer")
      .executeTakeFirstOrThrow();
    const make = async (dueOn: string) =>
      Number(
        (
          await db
            .insertInto("course_assignment")
            .values({
              enterprise_id: e.id,
              course_id: course.id,
              target: "post",
              target_post: "worker",
              target_person_id: null,
              due_on: dueOn,
              due_days: null,
              created_by: officerUser.id,
            })
            .executeTakeFirstOrThrow()
        ).insertId,
      );
    const current = await make(addDays(todayIso(), 10));
    const workers = (await personIdsOf(A)).filter((p) => p.post === "worker").sort((a, b) => a.id - b.id);
    const activeWorkers = (
      await db
        .selectFrom("person")
        .select("id")
        .where("enterprise_id", "=", e.id)
        .where("post", "=", "worker")
        .where("active", "=", 1)
        .execute()
    ).map((p) => p.id);
    const [studied, done] = workers.filter((w) => activeWorkers.includes(w.id));
    await db
      .deleteFrom("course_completion")
      .where("course_id", "=", course.id)
      .where("person_id", "in", activeWorkers)
      .execute();
    await db.deleteFrom("lesson_progress").where("person_id", "in", activeWorkers).execute();
    await db.deleteFrom("study_session").where("person_id", "in", activeWorkers).execute();
    await db
      .insertInto("lesson_progress")
      .values({
        person_id: studied.id,
        lesson_id: course.lesson_id,
        seconds_spent: 60,
        last_seen_at: now(),
        completed_at: null,
      })
      .execute();
    await db
      .insertInto("course_completion")
      .values({ person_id: done.id, course_id: course.id, course_version: 1, active_seconds: 100 })
      .execute();
    const officer = await cookieOf("officer");
    const page = await run(() =>
      assignmentLoader(args(request(`/assignments/${current}`, officer), { id: String(current) })),
    );
    const status = new Map(
      (page.data.assignment.people as { personId: number; status: string }[]).map((p) => [p.personId, p.status]),
    );
    expect(status.get(studied.id)).toBe("in_progress");
    expect(status.get(done.id)).toBe("completed");
    const others = activeWorkers.filter((id) => id !== studied.id && id !== done.id);
    for (const id of others) expect(status.get(id)).toBe("not_started");
    expect(page.data.assignment.notStarted).toBe(others.length);

    const late = await make(addDays(todayIso(), -1));
    const latePage = await run(() =>
      assignmentLoader(args(request(`/assignments/${late}`, officer), { id: String(late) })),
    );
    const lateStatus = new Map(
      (latePage.data.assignment.people as { personId: number; status: string }[]).map((p) => [p.personId, p.status]),
    );
    expect(lateStatus.get(studied.id)).toBe("overdue");
    expect(lateStatus.get(done.id)).toBe("completed");

    const remind = (cookie: string) =>
      run(() =>
        assignmentAction(
          args(request(`/assignments/${current}`, cookie, { intent: "remind" }), { id: String(current) }),
        ),
      );
    const notes = async () =>
      Number(
        (
          await db
            .selectFrom("notification")
            .select(sql<number>`COUNT(*)`.as("n"))
            .where("kind", "=", "reminder")
            .where("dedupe_key", "like", `assignment-remind:${current}:%`)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const first = await remind(officer);
    expect(first.status).toBe(200);
    expect(await notes()).toBe(activeWorkers.length - 1);
    expect(
      (
        await db
          .selectFrom("notification")
          .select("person_id")
          .where("dedupe_key", "like", `assignment-remind:${current}:%`)
          .where("person_id", "=", done.id)
          .execute()
      ).length,
    ).toBe(0);
    const second = await remind(officer);
    expect(second.status).toBe(200);
    expect(second.data.message).toContain("今天已经提醒过");
    expect(await notes()).toBe(activeWorkers.length - 1);
    expect(
      (
        await db
          .selectFrom("audit_log")
          .select("id")
          .where("action", "=", "assignment.reminded")
          .where("entity_id", "=", String(current))
          .execute()
      ).length,
    ).toBe(2);
    const [officer2, regulator] = [await cookieOf("officer2"), await cookieOf("regulator")];
    expect((await remind(officer2)).status).toBe(403);
    expect((await remind(regulator)).status).toBe(403);
  });
});

describe("city cockpit", () => {
  it("shows figures equal to a hand count, kept up to date by the writes that change them", async () => {
    const e = await enterpriseOf(A);
    const today = todayIso();
    // Give the enterprise some hours so the counts are not all zero: one new hire with full pre-job hours before starting.
    const people = await db
      .selectFrom("person")
      .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
      .innerJoin("industry", "industry.code", "enterprise.industry_code")
      .select(["person.id", "person.post", "person.hire_date", "person.enterprise_id", "industry.high_risk"])
      .where("person.active", "=", 1)
      // Enforcement units' staff are not enterprise people: the cockpit leaves them out (decision 0029).
      .where("enterprise.industry_code", "<>", "law_enforcement")
      .execute();
    const rules = await db.selectFrom("training_hours_rule").selectAll().execute();
    const newHire = people.find((p) => p.enterprise_id === e.id && p.post === "worker")!;
    const hireDate = addDays(today, -20);
    await db.updateTable("person").set({ hire_date: hireDate }).where("id", "=", newHire.id).execute();
    newHire.hire_date = hireDate;
    const initial = rules.find(
      (r) => r.post === "worker" && r.high_risk === newHire.high_risk && r.phase === "initial",
    )!;
    await db
      .insertInto("training_record")
      .values({
        person_id: newHire.id,
        enterprise_id: e.id,
        source: "offline",
        source_key: "offline:test-prejob",
        title: "岗前培训",
        hours: Number(initial.hours),
        trained_on: addDays(hireDate, -3),
        note: null,
        recorded_by: null,
        credit_rule: null,
      })
      .execute();
    await rebuildCockpit(db);
    await refreshCockpitEnterprise(e.id);

    // Hand count over the whole city, person by person.
    const yearStart = `${today.slice(0, 4)}-01-01`;
    const records = await db.selectFrom("training_record").select(["person_id", "hours", "trained_on"]).execute();
    let hoursDen = 0,
      hoursMet = 0,
      newDen = 0,
      newMet = 0;
    for (const p of people) {
      const req = requiredHours(rules, p.post, Boolean(p.high_risk), p.hire_date, today);
      const mine = records.filter((r) => r.person_id === p.id);
      if (req) {
        hoursDen++;
        if (
          mine
            .filter((r) => r.trained_on >= yearStart && r.trained_on <= today)
            .reduce((s, r) => s + Number(r.hours), 0) >= req.hours
        )
          hoursMet++;
      }
      if (p.hire_date && p.hire_date > addDays(today, -365) && p.hire_date <= today) {
        const init = rules.find(
          (r) => r.post === p.post && Boolean(r.high_risk) === Boolean(p.high_risk) && r.phase === "initial",
        );
        newDen++;
        if (
          init &&
          mine.filter((r) => r.trained_on <= p.hire_date!).reduce((s, r) => s + Number(r.hours), 0) >=
            Number(init.hours)
        )
          newMet++;
      }
    }
    const plans = await db.selectFrom("emergency_plan").select(["due_on"]).where("active", "=", 1).execute();
    const regulator = await cookieOf("regulator");
    const res = await run(() => cockpitLoader(args(request("/cockpit", regulator))));
    expect(res.status).toBe(200);
    const k = res.data.kpis;
    expect(newMet).toBeGreaterThanOrEqual(1);
    expect({ den: k.hours.den, num: k.hours.num }).toEqual({ den: hoursDen, num: hoursMet });
    expect({ den: k.newhire.den, num: k.newhire.num }).toEqual({ den: newDen, num: newMet });
    expect({ den: k.drill.den, num: k.drill.num }).toEqual({
      den: plans.length,
      num: plans.filter((p) => p.due_on >= today).length,
    });
    const city = await db.selectFrom("region").select("id").where("parent_id", "is", null).executeTakeFirstOrThrow();
    const cert = await run(() =>
      regionLoader(args(request(`/certification/region/${city.id}`, regulator), { id: String(city.id) })),
    );
    expect({ den: k.cert.den, num: k.cert.num }).toEqual({
      den: cert.data.total.required,
      num: cert.data.total.holding,
    });
    // Sub-regions add up to the city and are ranked worst first; the worst enterprises are in the city.
    const ranking = res.data.ranking as { kpis: Record<string, { rate: number | null; den: number }> }[];
    expect(ranking.reduce((s, r) => s + r.kpis.hours.den, 0)).toBe(hoursDen);
    const rates = ranking.map((r) => r.kpis.cert.rate ?? 2);
    expect([...rates].sort((a, b) => a - b)).toEqual(rates);
    // The kept worst list is the hand-sorted one: lowest 持证率 first, then the larger enterprise, then the id.
    const certRows = await db
      .selectFrom("cert_summary_enterprise")
      .select(["enterprise_id", sql<number>`SUM(required)`.as("den"), sql<number>`SUM(holding)`.as("num")])
      .groupBy("enterprise_id")
      .execute();
    const hand = certRows
      .map((r) => ({ id: r.enterprise_id, num: Number(r.num), den: Number(r.den) }))
      .filter((r) => r.den > 0)
      .sort((a, b) => a.num / a.den - b.num / b.den || b.den - a.den || a.id - b.id)
      .slice(0, 10);
    expect(
      res.data.worst.map((w: { id: number; num: number; den: number }) => ({ id: w.id, num: w.num, den: w.den })),
    ).toEqual(hand);
  });

  it("refuses a region outside one's scope and roles without a region", async () => {
    const binjiang = await db.selectFrom("region").select("id").where("name", "=", "滨江区").executeTakeFirstOrThrow();
    const [inspector2, inspector, officer, admin] = [
      await cookieOf("inspector2"),
      await cookieOf("inspector"),
      await cookieOf("officer"),
      await cookieOf("admin"),
    ];
    expect((await run(() => cockpitLoader(args(request(`/cockpit?regionId=${binjiang.id}`, inspector2))))).status).toBe(
      403,
    );
    expect((await run(() => cockpitLoader(args(request(`/cockpit?regionId=${binjiang.id}`, inspector))))).status).toBe(
      200,
    );
    expect((await run(() => cockpitLoader(args(request("/cockpit", officer))))).status).toBe(403);
    expect((await run(() => cockpitLoader(args(request("/cockpit", admin))))).status).toBe(200);
  });
});

describe("exports people can use", () => {
  const sheetOf = async (res: Response) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    return wb;
  };

  it("writes the cockpit with rates as real percentages, and refuses a region outside one's scope", async () => {
    const { loader: cockpitExport } = await import("../../app/routes/cockpit.export");
    const binjiang = await db.selectFrom("region").select("id").where("name", "=", "滨江区").executeTakeFirstOrThrow();
    const inspector = await cookieOf("inspector");
    const wb = await sheetOf(
      (await cockpitExport(args(request(`/cockpit/export?regionId=${binjiang.id}`, inspector)))) as Response,
    );
    const kpis = wb.getWorksheet("指标")!;
    expect(kpis.getRow(2).getCell(1).value).toBe("持证率");
    const den = kpis.getRow(2).getCell(3).value as number;
    expect(typeof den).toBe("number");
    if (den > 0) {
      expect(typeof kpis.getRow(2).getCell(4).value).toBe("number");
      expect(kpis.getRow(2).getCell(4).value as number).toBeLessThanOrEqual(1);
    }
    expect(kpis.getRow(2).getCell(4).numFmt).toBe("0.0%");
    const inspector2 = await cookieOf("inspector2");
    expect(
      (await run(() => cockpitExport(args(request(`/cockpit/export?regionId=${binjiang.id}`, inspector2))))).status,
    ).toBe(403);
  });

  it("writes 逢查必考 statistics with one meaning per column and rates as fractions formatted by Excel", async () => {
    const { quizStatisticsWorkbook } = await import("../../app/modules/inspections/stats.server");
    const buffer = await quizStatisticsWorkbook({
      byRegion: [{ key: "2", label: "滨江区", people: 4, passed: 2, rate: 0.5 }],
      byIndustry: [],
      byPost: [],
      byMonth: [],
      repeated: [{ id: 1, name: "某企业", quizzes: 3, failedQuizzes: 2 }],
      topics: [{ topic: "有限空间", answers: 10, rate: 0.25 }],
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    const rates = wb.getWorksheet("合格率")!;
    expect(rates.getRow(1).values).toEqual([undefined, "维度", "项目", "参加人数", "合格人数", "不合格人数", "合格率"]);
    expect(rates.getRow(2).values).toEqual([undefined, "区域", "滨江区", 4, 2, 2, 0.5]);
    expect(rates.getRow(2).getCell(6).numFmt).toBe("0.0%");
    expect(wb.getWorksheet("薄弱知识点")!.getRow(2).values).toEqual([undefined, "有限空间", 10, 0.25]);
    expect(wb.getWorksheet("多次不合格企业")!.getRow(2).values).toEqual([undefined, "某企业", 3, 2]);
  });

  it("imports people whose hire date is a real Excel date cell, its serial in a text column, or typed text", async () => {
    const { action: importAction } = await import("../../app/routes/people.import");
    const { makeIdNumber } = await import("../../db/seed/identifiers");
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("人员");
    ws.addRow(["姓名", "身份证号码", "手机号", "岗位", "入职日期"]);
    ws.addRow(["日期甲", makeIdNumber("339901", "1988-02-03", 771), "", "从业人员", new Date("2024-03-01T00:00:00Z")]);
    const serial = ws.addRow(["日期乙", makeIdNumber("339901", "1988-02-03", 772), "", "从业人员", 45352]);
    serial.getCell(5).numFmt = "@";
    ws.addRow(["日期丙", makeIdNumber("339901", "1988-02-03", 773), "", "从业人员", "2024/3/1"]);
    ws.addRow(["日期丁", makeIdNumber("339901", "1988-02-03", 774), "", "从业人员", "三月一日"]);
    const e = await enterpriseOf(A);
    const form = new FormData();
    form.set("enterpriseId", String(e.id));
    form.set("file", new Blob([await wb.xlsx.writeBuffer()]), "people.xlsx");
    const officer = await cookieOf("officer");
    const preview = await run(() => importAction(args(request("/people/import", officer, form))));
    expect(preview.status).toBe(200);
    expect(caseOf(preview.data, "stage", "preview").valid.map((v: { row: number }) => v.row)).toEqual([2, 3, 4]);
    expect(JSON.stringify(caseOf(preview.data, "stage", "preview").valid)).toContain("2024-03-01");
    expect(
      caseOf(preview.data, "stage", "preview").problems.map((p: { row: number; column: string }) => [p.row, p.column]),
    ).toEqual([[5, "入职日期"]]);
  });
});
