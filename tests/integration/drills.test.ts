import ExcelJS from "exceljs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { advanceClock, now, resetClock } from "../../app/lib/clock.server";
import { db } from "../../app/lib/db.server";
import { toLocalInput } from "../../app/lib/calendar";
import { loader as homeLoader } from "../../app/routes/_index";
import { loader as auditLoader } from "../../app/routes/audit";
import { action as drillAction, loader as drillLoader } from "../../app/routes/drills.$id._index";
import { action as editAction, loader as editLoader } from "../../app/routes/drills.$id.edit";
import { action as evaluateAction, loader as evaluateLoader } from "../../app/routes/drills.$id.evaluate";
import { action as logAction, loader as logLoader } from "../../app/routes/drills.$id.log";
import { loader as photoLoader } from "../../app/routes/drills.$id.photos.$photoId";
import { loader as reportLoader } from "../../app/routes/drills.$id.report";
import { loader as drillsLoader } from "../../app/routes/drills._index";
import { loader as calendarLoader } from "../../app/routes/drills.calendar";
import { loader as complianceLoader } from "../../app/routes/drills.compliance";
import { loader as complianceExportLoader } from "../../app/routes/drills.compliance.export";
import { action as newDrillAction, loader as newDrillLoader } from "../../app/routes/drills.new";
import { loader as planLoader } from "../../app/routes/drills.plans.$id";
import { action as planNewAction } from "../../app/routes/drills.plans.new";
import { action as rectificationAction, loader as rectificationLoader } from "../../app/routes/rectifications.$id";
import { loader as rectPhotoLoader } from "../../app/routes/rectifications.$id.photos.$photoId";
import { cookieOf, member, newWorkerAccount, okData, personIdsOf, refusalOf, request, run } from "../support/actors";

const A = "安澜宏达化工有限公司";
const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
afterEach(() => resetClock());

// Markers that must never reach anyone without a role before the drill starts.
const SECRET = {
  title: "液氯储罐泄漏双盲-机密标题",
  scenario: "2号液氯储罐法兰泄漏-机密情景",
  inject: "风向转为东南-机密注入",
  objectives: "检验夜班报警-机密目标",
};

const cookies: Record<string, string> = {};
let planId = 0;
let users: Record<string, string> = {};
let people: { id: number; post: string; enterprise_id: number }[] = [];
let workerPerson = 0;

function form(entries: [string, string][]) {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}

const inDays = (d: number, h = 0) => toLocalInput(new Date(now().getTime() + d * 86400_000 + h * 3600_000));

function drillForm(over: Record<string, string | string[]> = {}) {
  const base: Record<string, string | string[]> = {
    planId: String(planId),
    title: SECRET.title,
    form: "live",
    mode: "double_blind",
    announceWindow: "1",
    windowStart: inDays(2),
    windowEnd: inDays(9),
    plannedStart: inDays(4, 3),
    objectives: SECRET.objectives,
    scenario: SECRET.scenario,
    teams: "罐区班组",
    participants: [String(workerPerson), String(people.find((p) => p.post === "special_operator")!.id)],
    evaluators: [users.inspector, users.evaluator],
    "injects.0.title": "风向变化",
    "injects.0.body": SECRET.inject,
    "injects.0.offsetMinutes": "5",
    "injects.1.title": "伤员",
    "injects.1.body": "一名操作工吸入氯气",
    "injects.1.offsetMinutes": "",
    ...over,
  };
  return form(
    Object.entries(base).flatMap(([k, v]) =>
      Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]],
    ),
  );
}

async function plan(over: Record<string, string | string[]> = {}, cookie = cookies.officer) {
  return run(() => newDrillAction(args(request(`/drills/new?planId=${planId}`, cookie, drillForm(over)))));
}

const idOf = (location: string | null) => location!.split("/").pop()!;
const text = (x: unknown) => JSON.stringify(x);

beforeAll(async () => {
  for (const u of ["officer", "officer2", "worker", "evaluator", "inspector", "inspector2", "regulator", "admin"])
    cookies[u] = await cookieOf(u);
  cookies.bystander = await newWorkerAccount(A, "bystander");
  users = Object.fromEntries(
    (await db.selectFrom("user").select(["id", "username"]).execute()).map((u) => [u.username, u.id]),
  );
  people = await personIdsOf(A);
  workerPerson = (
    await db.selectFrom("user").select("person_id").where("username", "=", "worker").executeTakeFirstOrThrow()
  ).person_id!;
  const res = await run(() =>
    planNewAction(
      args(
        request("/drills/plans/new", cookies.officer, {
          type: "special",
          title: "液氯泄漏专项应急预案",
          scenarios: "液氯储罐、管线泄漏",
          responseRoles: "总指挥：主要负责人\n抢险组：生产部",
          issuedOn: "2026-01-05",
          intervalMonths: "",
        }),
      ),
    ),
  );
  expect(res.status).toBe(302);
  planId = Number(idOf(res.headers.get("location")));
});

describe("emergency plans", () => {
  it("take the interval the rules require, refuse a longer one, and compute the drill status", async () => {
    const p = await db.selectFrom("emergency_plan").selectAll().where("id", "=", planId).executeTakeFirstOrThrow();
    expect(p.interval_months).toBe(6); // hazardous chemicals: every half-year
    expect(p.due_on).toBe("2026-07-05");
    const page = await run(() =>
      planLoader(args(request(`/drills/plans/${planId}`, cookies.officer), { id: String(planId) })),
    );
    expect(page.data.plan.drill.status).toBe("overdue");
    const longer = await run(() =>
      planNewAction(
        args(
          request("/drills/plans/new", cookies.officer, {
            type: "special",
            title: "x",
            scenarios: "x",
            responseRoles: "x",
            issuedOn: "2026-01-05",
            intervalMonths: "12",
          }),
        ),
      ),
    );
    expect(longer.status).toBe(422);
    expect(longer.data.fieldErrors.intervalMonths).toContain("至少每 6 个月");
    const other = await run(() =>
      planLoader(args(request(`/drills/plans/${planId}`, cookies.officer2), { id: String(planId) })),
    );
    expect(other.status).toBe(403);
    const outside = await run(() =>
      planLoader(args(request(`/drills/plans/${planId}`, cookies.inspector2), { id: String(planId) })),
    );
    expect(outside.status).toBe(403);
    // The enterprise's drill list and calendar: refused to another enterprise's officer and another district's inspector.
    const a = people[0].enterprise_id;
    for (const who of ["officer2", "inspector2"]) {
      expect(
        (await run(() => drillsLoader(args(request(`/drills?enterpriseId=${a}`, cookies[who]))))).status,
        who,
      ).toBe(403);
      expect(
        (await run(() => calendarLoader(args(request(`/drills/calendar?enterpriseId=${a}`, cookies[who]))))).status,
        who,
      ).toBe(403);
    }
    expect((await run(() => drillsLoader(args(request(`/drills?enterpriseId=${a}`, cookies.inspector))))).status).toBe(
      200,
    );
    expect((await run(() => drillsLoader(args(request("/drills?enterpriseId=abc", cookies.officer))))).status).toBe(
      400,
    );
    expect(
      (await run(() => calendarLoader(args(request("/drills/calendar?month=2026-13", cookies.officer))))).status,
    ).toBe(400);
    // A worker reads the plans but not every open rectification item of the enterprise.
    const worker = await run(() => drillsLoader(args(request("/drills", cookies.worker))));
    expect(worker.data.enterprise!.plans.length).toBeGreaterThan(0);
    expect(worker.data.enterprise!.open).toEqual([]);
    expect(
      (await run(() => drillsLoader(args(request("/drills", cookies.officer))))).data.enterprise!.open.length,
    ).toBeGreaterThan(0);
  });
});

describe("planning a drill catches bad input with clear messages", () => {
  it.each([
    [{ evaluators: [] }, "evaluators", "请至少指定一名评估人员"],
    [
      { windowStart: "2020-01-01T09:00", windowEnd: "2020-01-02T09:00", plannedStart: "2020-01-01T10:00" },
      "windowStart",
      "演练时间不能早于当前时间",
    ],
    [{ plannedStart: "" }, "plannedStart", "双盲演练须设定计划开始时间"],
    [{ windowEnd: inDays(1) }, "windowEnd", "演练时间窗的结束须晚于开始"],
    [{ plannedStart: inDays(20) }, "plannedStart", "计划开始时间须在演练时间窗内"],
    [{ windowStart: "明天上午" }, "windowStart", "请填写演练时间窗的开始时间"],
  ])("%o → %s", async (over, field, message) => {
    const res = await plan(over as Record<string, string | string[]>);
    expect(res.status).toBe(422);
    expect(res.data.fieldErrors[field]).toContain(message);
  });

  it("refuses the organizer as evaluator, strangers as evaluators or participants, and other enterprises' officers", async () => {
    expect((await plan({ evaluators: [users.officer] })).data.fieldErrors.evaluators).toBe(
      "组织者不能同时担任评估人员",
    );
    expect((await plan({ evaluators: [users.inspector2] })).data.fieldErrors.evaluators).toContain(
      "不是本企业或属地监管部门的账号",
    );
    const elsewhere = (await personIdsOf("青山矿业有限公司"))[0].id;
    expect((await plan({ participants: [String(elsewhere)] })).data.fieldErrors.participants).toBe(
      "所选参演人员不属于本企业",
    );
    expect((await plan({}, cookies.officer2)).status).toBe(403);
    expect((await plan({}, cookies.worker)).status).toBe(403);
    expect(
      (await run(() => newDrillLoader(args(request(`/drills/new?planId=${planId}`, cookies.inspector))))).status,
    ).toBe(403);
  });
});

describe("a double-blind drill from plan to close", () => {
  let drillId = "";
  const get = <T>(
    loader: (a: ReturnType<typeof args>) => T,
    path: string,
    who: string,
    params: Record<string, string> = { id: drillId },
  ) => run(() => loader(args(request(path, cookies[who]), params)));

  /** Every route that returns drill data, as this account sees it: the secrets must appear in none. */
  async function everythingSeenBy(who: string) {
    const month = inDays(4, 3).slice(0, 7);
    const results = await Promise.all([
      get(drillLoader, `/drills/${drillId}`, who),
      get(logLoader, `/drills/${drillId}/log`, who),
      get(editLoader, `/drills/${drillId}/edit`, who),
      get(evaluateLoader, `/drills/${drillId}/evaluate`, who),
      get(reportLoader, `/drills/${drillId}/report`, who),
      get(drillsLoader, "/drills", who, {}),
      get(drillsLoader, `/drills?enterpriseId=${people[0].enterprise_id}`, who, {}),
      get(calendarLoader, `/drills/calendar?month=${month}`, who, {}),
      get(calendarLoader, `/drills/calendar?month=${month}&enterpriseId=${people[0].enterprise_id}`, who, {}),
      get(planLoader, `/drills/plans/${planId}`, who, { id: String(planId) }),
      get(complianceLoader, "/drills/compliance", who, {}),
      get(homeLoader, "/", who, {}),
      get(auditLoader, "/audit", who, {}),
    ]);
    const exported = await run(() => complianceExportLoader(args(request("/drills/compliance/export", cookies[who]))));
    let workbook = "";
    if (exported.status === 200) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(
        await (await complianceExportLoader(args(request("/drills/compliance/export", cookies[who])))).arrayBuffer(),
      );
      wb.eachSheet((s) =>
        s.eachRow((r) => {
          workbook += JSON.stringify(r.values);
        }),
      );
    }
    return { text: text(results.map((r) => r.data)) + workbook, statuses: results.map((r) => r.status) };
  }

  const plannedStartIso = () =>
    db
      .selectFrom("drill")
      .select("planned_start")
      .where("id", "=", Number(drillId))
      .executeTakeFirstOrThrow()
      .then((d) => d.planned_start!.toISOString());

  it("is planned by the officer with sealed content", async () => {
    const res = await plan();
    expect(res.status).toBe(302);
    drillId = idOf(res.headers.get("location"));
    // A second drill may not overlap the first's window.
    const overlap = await plan({ windowStart: inDays(5), windowEnd: inDays(12), plannedStart: inDays(6) });
    expect(overlap.data.fieldErrors.windowStart).toContain("重叠");
  });

  it("shows its sealed content to the organizer and the evaluators", async () => {
    for (const who of ["officer", "evaluator", "inspector"]) {
      const page = await get(drillLoader, `/drills/${drillId}`, who);
      expect(page.status).toBe(200);
      expect(text(page.data)).toContain(SECRET.scenario);
      expect(text(page.data)).toContain(SECRET.inject);
    }
  });

  it("never lets anyone else read the sealed content before the start, by any route", async () => {
    const start = await plannedStartIso();
    for (const who of ["worker", "bystander", "regulator", "admin", "officer2", "inspector2"]) {
      const seen = await everythingSeenBy(who);
      for (const secret of [...Object.values(SECRET), start])
        expect(seen.text, `${who} saw ${secret}`).not.toContain(secret);
    }
    // The participant is told a drill will happen in the window, and nothing else.
    const page = await get(drillLoader, `/drills/${drillId}`, "worker");
    expect(page.status).toBe(200);
    expect(page.data.view.visibility).toBe("window");
    expect(page.data.details).toBeNull();
    expect(Object.keys(page.data.view).sort()).toEqual([
      "enterpriseId",
      "enterpriseName",
      "id",
      "mode",
      "status",
      "title",
      "visibility",
      "windowEnd",
      "windowStart",
    ]);
    // A stranger to the drill, and other regions, are refused outright.
    expect((await get(drillLoader, `/drills/${drillId}`, "inspector2")).status).toBe(403);
    expect((await get(drillLoader, `/drills/${drillId}`, "officer2")).status).toBe(403);
    expect((await get(drillLoader, `/drills/${drillId}`, "bystander")).status).toBe(403);
  });

  it("hides an unannounced double-blind drill from the enterprise's own people entirely", async () => {
    const res = await plan({
      announceWindow: "",
      windowStart: inDays(20),
      windowEnd: inDays(25),
      plannedStart: inDays(21),
    });
    expect(res.status).toBe(302);
    const hidden = idOf(res.headers.get("location"));
    expect((await get(drillLoader, `/drills/${hidden}`, "worker", { id: hidden })).status).toBe(404);
    const list = await get(calendarLoader, `/drills/calendar?month=${inDays(20).slice(0, 7)}`, "worker", {});
    expect(list.data.drills.map((d: { id: number }) => d.id)).not.toContain(Number(hidden));
    expect((await get(drillsLoader, "/drills", "worker", {})).data.mine.map((d: { id: number }) => d.id)).not.toContain(
      Number(hidden),
    );
    // The regulator knows a drill is due in the window, not what.
    const regulator = await get(drillLoader, `/drills/${hidden}`, "regulator", { id: hidden });
    expect(regulator.data.view.visibility).toBe("window");
    await run(() =>
      drillAction(args(request(`/drills/${hidden}`, cookies.officer, { intent: "cancel" }), { id: hidden })),
    );
  });

  it("can be changed by its organizer until it starts", async () => {
    const edit = (who: string, over: Record<string, string | string[]> = {}) =>
      run(() => editAction(args(request(`/drills/${drillId}/edit`, cookies[who], drillForm(over)), { id: drillId })));
    const form = await get(editLoader, `/drills/${drillId}/edit`, "officer");
    expect(form.data.values.scenario).toBe(SECRET.scenario);
    expect(form.data.values["injects.0.body"]).toBe(SECRET.inject);
    expect((await edit("evaluator")).status).toBe(403);
    expect((await edit("officer", { windowEnd: inDays(1) })).status).toBe(422);
    expect((await edit("officer", { teams: "罐区班组、专职消防队" })).status).toBe(302); // its own window is no overlap
    const members = await db
      .selectFrom("drill_member")
      .select("role")
      .where("drill_id", "=", Number(drillId))
      .execute();
    expect(members).toHaveLength(4);
    expect(
      (await db.selectFrom("drill").select("teams").where("id", "=", Number(drillId)).executeTakeFirstOrThrow()).teams,
    ).toBe("罐区班组、专职消防队");
  });

  it("lets only the organizer start it; then the content opens to participants", async () => {
    expect(
      (
        await run(() =>
          drillAction(args(request(`/drills/${drillId}`, cookies.worker, { intent: "start" }), { id: drillId })),
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await run(() =>
          drillAction(args(request(`/drills/${drillId}`, cookies.evaluator, { intent: "start" }), { id: drillId })),
        )
      ).status,
    ).toBe(403);
    // Logging before the start is refused.
    expect(
      (
        await run(() =>
          logAction(
            args(request(`/drills/${drillId}/log`, cookies.evaluator, { milestone: "alarm" }), { id: drillId }),
          ),
        )
      ).status,
    ).toBe(409);
    const started = await run(() =>
      drillAction(args(request(`/drills/${drillId}`, cookies.officer, { intent: "start" }), { id: drillId })),
    );
    expect(started.status).toBe(200);
    expect(
      (
        await run(() =>
          editAction(args(request(`/drills/${drillId}/edit`, cookies.officer, drillForm()), { id: drillId })),
        )
      ).status,
    ).toBe(409);
    const page = await get(drillLoader, `/drills/${drillId}`, "worker");
    expect(page.data.view.visibility).toBe("full");
    expect(member(page.data.view, "scenario")).toBe(SECRET.scenario);
    // The timed inject is not shown to participants until its minute comes; the organizer sees the whole script.
    expect(text(page.data.details!.injects)).not.toContain(SECRET.inject);
    advanceClock(5 * 60_000);
    expect(text((await get(drillLoader, `/drills/${drillId}`, "worker")).data.details!.injects)).toContain(
      SECRET.inject,
    );
  });

  it("logs milestones from phones and computes response times from the log", async () => {
    const tap = (who: string, body: Record<string, string> | FormData) =>
      run(() => logAction(args(request(`/drills/${drillId}/log`, cookies[who], body), { id: drillId })));
    // Participants take part; they do not write the official log (every drill route checks the one policy rule).
    expect((await tap("worker", { milestone: "alarm" })).status).toBe(403);
    expect((await tap("worker", { note: "我觉得很顺利" })).status).toBe(403);
    expect((await tap("officer", { milestone: "alarm" })).status).toBe(200);
    // A double tap (or two phones at once) within a few seconds is one entry.
    advanceClock(3_000);
    const again = await tap("evaluator", { milestone: "alarm" });
    expect(okData(again).logged).toContain("未重复记录");
    expect(
      await db
        .selectFrom("drill_event")
        .select("id")
        .where("drill_id", "=", Number(drillId))
        .where("milestone", "=", "alarm")
        .execute(),
    ).toHaveLength(1);
    advanceClock(72_000);
    expect((await tap("evaluator", { milestone: "first_report" })).status).toBe(200);
    advanceClock(45_000);
    expect((await tap("officer", { milestone: "first_report" })).status).toBe(200); // a later tap of the same milestone does not count
    // A mistaken entry is voided with a reason, never deleted; without a reason nothing changes; only its author or the organizer may.
    advanceClock(10_000);
    expect((await tap("evaluator", { milestone: "all_clear" })).status).toBe(200);
    const mistaken = await db
      .selectFrom("drill_event")
      .select("id")
      .where("drill_id", "=", Number(drillId))
      .where("milestone", "=", "all_clear")
      .executeTakeFirstOrThrow();
    expect((await tap("evaluator", { intent: "void", eventId: String(mistaken.id), reason: "" })).status).toBe(422);
    expect(
      (await tap("evaluator", { intent: "void", eventId: String(mistaken.id), reason: "误触，尚未解除警报" })).status,
    ).toBe(200);
    const kept = await db
      .selectFrom("drill_event")
      .select(["voided_at", "void_reason", "voided_by"])
      .where("id", "=", mistaken.id)
      .executeTakeFirstOrThrow();
    expect(kept.void_reason).toBe("误触，尚未解除警报");
    expect(kept.voided_at).not.toBeNull();
    advanceClock(170_000);
    expect(
      (await tap("officer", { milestone: "evacuation_complete", note: "罐区 23 人全部撤至东门集合点" })).status,
    ).toBe(200);
    // A photo with a note; bytes that are not an image are refused.
    const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
    const withPhoto = new FormData();
    withPhoto.append("note", "现场警戒");
    withPhoto.append("photo", new File([png], "a.png", { type: "image/png" }));
    expect((await tap("evaluator", withPhoto)).status).toBe(200);
    const fake = new FormData();
    fake.append("note", "x");
    fake.append("photo", new File([Buffer.from("not an image")], "a.png", { type: "image/png" }));
    expect((await tap("evaluator", fake)).status).toBe(422);
    // A time in the future, an unknown milestone, an empty entry and a stranger are refused.
    expect(
      refusalOf(await tap("evaluator", { note: "x", at: toLocalInput(new Date(now().getTime() + 3600_000)) }))
        .fieldErrors.at,
    ).toBe("记录时间不能晚于当前时间");
    expect((await tap("evaluator", { milestone: "party" })).status).toBe(422);
    expect((await tap("evaluator", {})).status).toBe(422);
    expect((await tap("bystander", { milestone: "alarm" })).status).toBe(403);
    expect((await tap("regulator", { milestone: "alarm" })).status).toBe(403);

    const page = await get(drillLoader, `/drills/${drillId}`, "officer");
    expect(page.data.details!.log!.times).toMatchObject({
      first_report: 75,
      evacuation_complete: 300,
      all_clear: null,
    });
    const photoId = page.data.details!.log!.events.find((e: { photos: number[] }) => e.photos.length)!.photos[0];
    const photo = await get(photoLoader, "", "worker", { id: drillId, photoId: String(photoId) });
    expect(photo.status).toBe(200);
    expect(photo.headers.get("content-type")).toBe("image/png");
    expect((await get(photoLoader, "", "bystander", { id: drillId, photoId: String(photoId) })).status).toBe(403);
  });

  it("takes each evaluator's own sheet; incomplete, repeated or foreign submissions change nothing", async () => {
    const criteria = await db
      .selectFrom("evaluation_criterion")
      .select("id")
      .where("active", "=", 1)
      .orderBy("sort")
      .execute();
    const sheet = (rating: string, overall: string, intent = "submit", skip = 0) => {
      const f: Record<string, string> = { intent, overallRating: overall, overallComment: "响应总体有序" };
      criteria.slice(skip).forEach((c) => {
        f[`scores.c${c.id}.rating`] = rating;
      });
      f[`scores.c${criteria[criteria.length - 1].id}.comment`] = "善后安排不够具体";
      return f;
    };
    const send = (who: string, body: Record<string, string>) =>
      run(() => evaluateAction(args(request(`/drills/${drillId}/evaluate`, cookies[who], body), { id: drillId })));
    const incomplete = await send("inspector", sheet("P", "P", "submit", 3));
    expect(incomplete.status).toBe(422);
    expect(Object.keys(refusalOf(incomplete).fieldErrors)).toHaveLength(3);
    expect((await send("inspector", sheet("P", "P", "save", 3))).status).toBe(200); // a draft may be partial
    expect((await send("inspector", sheet("P", "P"))).status).toBe(302);
    expect((await send("inspector", sheet("U", "U"))).status).toBe(409);
    expect((await send("worker", sheet("U", "U"))).status).toBe(403);
    expect((await send("officer", sheet("U", "U"))).status).toBe(403);
    expect((await send("evaluator", { ...sheet("S", "S"), "scores.c999999.rating": "U" })).status).toBe(302);
    const results = (await get(drillLoader, `/drills/${drillId}`, "officer")).data.details!.results!;
    expect(results.evaluators).toHaveLength(2);
    expect(results.overall).toEqual({ score: 3.5, rating: "P" });
    expect(member(results.rows[0], "combined")).toEqual({ score: 3.5, rating: "P" });
  });

  let itemId = "";
  it("turns a finding into a rectification item that blocks closing until verified", async () => {
    const finding = (who: string, over: Record<string, string> = {}) =>
      run(() =>
        drillAction(
          args(
            request(`/drills/${drillId}`, cookies[who], {
              intent: "finding",
              finding: "应急广播在罐区听不清",
              ownerPersonId: String(workerPerson),
              dueOn: new Date(now().getTime() + 10 * 86400_000).toISOString().slice(0, 10),
              ...over,
            }),
            { id: drillId },
          ),
        ),
      );
    expect(refusalOf(await finding("evaluator", { dueOn: "2020-01-01" })).fieldErrors.dueOn).toBe(
      "整改期限不能早于今天",
    );
    expect(
      refusalOf(await finding("evaluator", { ownerPersonId: String((await personIdsOf("青山矿业有限公司"))[0].id) }))
        .fieldErrors.ownerPersonId,
    ).toContain("本企业");
    expect((await finding("worker")).status).toBe(403);
    expect((await finding("evaluator")).status).toBe(200);
    itemId = String(
      (
        await db
          .selectFrom("rectification")
          .select("id")
          .where("drill_id", "=", Number(drillId))
          .executeTakeFirstOrThrow()
      ).id,
    );

    expect(
      refusalOf(
        await run(() =>
          drillAction(args(request(`/drills/${drillId}`, cookies.officer, { intent: "close" }), { id: drillId })),
        ),
      ).formError,
    ).toContain("尚未结束");
    expect(
      (
        await run(() =>
          drillAction(args(request(`/drills/${drillId}`, cookies.officer, { intent: "end" }), { id: drillId })),
        )
      ).status,
    ).toBe(200);
    const refused = await run(() =>
      drillAction(args(request(`/drills/${drillId}`, cookies.officer, { intent: "close" }), { id: drillId })),
    );
    expect(refused.status).toBe(422);
    expect(refusalOf(refused).formError).toContain("还有 1 项整改未关闭或未被接受");
    // The plan's clock restarts from the drill.
    const p = await db
      .selectFrom("emergency_plan")
      .select(["last_drilled_on", "due_on"])
      .where("id", "=", planId)
      .executeTakeFirstOrThrow();
    expect(p.last_drilled_on).toBe(now().toISOString().slice(0, 10));
  });

  it("is closed with evidence by its owner and verified by the organizer; then the drill closes", async () => {
    const rect = (who: string, body: Record<string, string>) =>
      run(() => rectificationAction(args(request(`/rectifications/${itemId}`, cookies[who], body), { id: itemId })));
    expect((await rect("officer", { intent: "verify", decision: "close" })).status).toBe(409); // nothing submitted yet
    expect((await rect("bystander", { intent: "evidence", evidence: "x" })).status).toBe(403);
    expect((await rect("worker", { intent: "evidence", evidence: "" })).status).toBe(422);
    // Segregation of duties: the organizer submits evidence for the owner, and so cannot verify it; an evaluator sends it back.
    expect((await rect("officer", { intent: "evidence", evidence: "已安排整改" })).status).toBe(200);
    const self = await rect("officer", { intent: "verify", decision: "close", note: "自己验收" });
    expect(self.status).toBe(403);
    expect(
      (await db.selectFrom("rectification").select("status").where("id", "=", Number(itemId)).executeTakeFirstOrThrow())
        .status,
    ).toBe("submitted");
    expect((await rect("evaluator", { intent: "verify", decision: "reopen", note: "请附整改照片" })).status).toBe(200);
    const evidence = new FormData();
    evidence.append("intent", "evidence");
    evidence.append("evidence", "罐区加装 2 只防爆扬声器，已试音");
    evidence.append(
      "photo",
      new File([Buffer.from("ffd8ffe000104a4649460001", "hex")], "a.jpg", { type: "image/jpeg" }),
    );
    expect(
      (
        await run(() =>
          rectificationAction(args(request(`/rectifications/${itemId}`, cookies.worker, evidence), { id: itemId })),
        )
      ).status,
    ).toBe(200);
    const [photoId] = (
      await run(() => rectificationLoader(args(request(`/rectifications/${itemId}`, cookies.worker), { id: itemId })))
    ).data.photos;
    const photo = (who: string) =>
      run(() => rectPhotoLoader(args(request("", cookies[who]), { id: itemId, photoId: String(photoId) })));
    expect((await photo("worker")).headers.get("content-type")).toBe("image/jpeg");
    expect((await photo("officer2")).status).toBe(403);
    expect((await rect("worker", { intent: "verify", decision: "close" })).status).toBe(403);
    expect(refusalOf(await rect("officer", { intent: "verify", decision: "reopen" })).fieldErrors.note).toBeDefined();
    expect((await rect("officer", { intent: "verify", decision: "close", note: "现场试音清晰" })).status).toBe(200);
    expect((await rect("officer", { intent: "verify", decision: "close" })).status).toBe(409);
    const page = await run(() =>
      rectificationLoader(args(request(`/rectifications/${itemId}`, cookies.regulator), { id: itemId })),
    );
    expect(page.data.item.status).toBe("closed");
    expect(
      (
        await run(() =>
          rectificationLoader(args(request(`/rectifications/${itemId}`, cookies.officer2), { id: itemId })),
        )
      ).status,
    ).toBe(403);

    const closed = await run(() =>
      drillAction(
        args(request(`/drills/${drillId}`, cookies.officer, { intent: "close", summary: "双盲演练达到预期" }), {
          id: drillId,
        }),
      ),
    );
    expect(closed.status).toBe(200);
    expect(
      (await db.selectFrom("drill").select("status").where("id", "=", Number(drillId)).executeTakeFirstOrThrow())
        .status,
    ).toBe("closed");
    // A closed drill's log is final.
    expect(
      (
        await run(() =>
          logAction(args(request(`/drills/${drillId}/log`, cookies.evaluator, { note: "补记" }), { id: drillId })),
        )
      ).status,
    ).toBe(409);
    const report = await get(reportLoader, `/drills/${drillId}/report`, "regulator");
    expect(report.status).toBe(200);
    expect(report.data.log.times.first_report).toBe(75);
    expect(report.data.results.evaluators).toHaveLength(2);
  });
});

describe("officers' home page", () => {
  it("lists overdue rectification items of their enterprise only", async () => {
    const home = await run(() => homeLoader(args(request("/", cookies.officer))));
    expect(home.data.overdueItems!.length).toBeGreaterThan(0); // the demo city has one
    const other = await run(() => homeLoader(args(request("/", cookies.officer2))));
    expect(other.data.overdueItems).toEqual([]);
  });
});

describe("an enterprise that moves", () => {
  it("takes its plans, drills and rectification items to the new region", async () => {
    const { saveEnterprise } = await import("../../app/modules/org/enterprises.server");
    const { actorOf } = await import("../support/actors");
    const e = await db.selectFrom("enterprise").selectAll().where("name", "=", A).executeTakeFirstOrThrow();
    const town = await db
      .selectFrom("region")
      .select(["id", "path"])
      .where("name", "=", "石门镇")
      .executeTakeFirstOrThrow();
    const saved = await saveEnterprise(
      await actorOf("admin"),
      e.id,
      {
        name: e.name,
        uscc: e.uscc,
        regionId: town.id,
        industryCode: e.industry_code as never,
        riskLevel: e.risk_level,
        address: e.address ?? undefined,
        contactPhone: e.contact_phone ?? undefined,
      },
      "127.0.0.1",
    );
    expect(saved.ok).toBe(true);
    for (const table of ["emergency_plan", "drill", "rectification"] as const) {
      const paths = await db
        .selectFrom(table)
        .select("region_path")
        .distinct()
        .where("enterprise_id", "=", e.id)
        .execute();
      expect(
        paths.map((p) => p.region_path),
        table,
      ).toEqual([town.path]);
    }
  });
});
