import ExcelJS from "exceljs";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { todayIso } from "../../app/modules/certification/summary.server";
import { drillActivity, overdueEnterprises } from "../../app/modules/drills/compliance.server";
import { refreshEnterpriseDrillDue } from "../../app/modules/drills/plans.server";
import { loader as complianceLoader } from "../../app/routes/drills.compliance";
import { loader as exportLoader } from "../../app/routes/drills.compliance.export";
import type { DrillMode, DrillState, RectificationStatus } from "../../db/types";
import { seedDrills } from "../../db/seed/drills";
import { makeUscc } from "../../db/seed/identifiers";
import { cookieOf, request, run, thrownMessage } from "../support/actors";

const A = "安澜宏达化工有限公司"; // 滨江区
const args = (req: Request) => ({ request: req, params: {}, context: {} });
const T = todayIso();
const day = (n: number) => new Date(Date.parse(`${T}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);
const daysFromNow = (n: number) => new Date(Date.now() + n * 86400_000);

/** A district of its own ("测试区", towns 甲街道 and 乙街道) holding exactly the plans, drills and items below. */
const test = { district: 0, townA: 0, townB: 0, path: "", e1: 0, e2: 0, e3: 0 };
const cookies: Record<string, string> = {};
let city = { id: 0, path: "" };
let binjiang = 0;
let qingshan = 0;

async function addRegion(name: string, level: "district" | "town", parent: { id: number; path: string }) {
  const res = await db
    .insertInto("region")
    .values({ name, level, code: null, parent_id: parent.id, path: "" })
    .executeTakeFirstOrThrow();
  const id = Number(res.insertId);
  const path = `${parent.path}${id}/`;
  await db.updateTable("region").set({ path }).where("id", "=", id).execute();
  return { id, path };
}

async function addEnterprise(name: string, town: { id: number; path: string }, industry: string, serial: number) {
  const res = await db
    .insertInto("enterprise")
    .values({
      name,
      uscc: makeUscc("339904", 9000 + serial),
      region_id: town.id,
      region_path: town.path,
      industry_code: industry,
      risk_level: "yellow",
      address: null,
      contact_phone: null,
    })
    .executeTakeFirstOrThrow();
  return Number(res.insertId);
}

const enterpriseRow = (id: number) =>
  db
    .selectFrom("enterprise")
    .select(["id", "region_path", "industry_code"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();

async function addPlan(enterpriseId: number, dueIn: number, opts: { active?: boolean; drilled?: boolean } = {}) {
  const e = await enterpriseRow(enterpriseId);
  const res = await db
    .insertInto("emergency_plan")
    .values({
      enterprise_id: e.id,
      region_path: e.region_path,
      industry_code: e.industry_code,
      type: "special",
      title: "测试专项应急预案",
      scenarios: "测试情景",
      response_roles: "测试职责",
      issued_on: day(-400),
      interval_months: 6,
      last_drilled_on: opts.drilled === false ? null : day(-100),
      due_on: day(dueIn),
      active: opts.active === false ? 0 : 1,
      created_by: "testorganizer",
    })
    .executeTakeFirstOrThrow();
  await db.transaction().execute((trx) => refreshEnterpriseDrillDue(trx, e.id));
  return Number(res.insertId);
}

async function addDrill(
  enterpriseId: number,
  planId: number,
  mode: DrillMode,
  status: DrillState,
  when: { endedDaysAgo?: number; windowStartIn: number },
) {
  const e = await enterpriseRow(enterpriseId);
  const windowStart = daysFromNow(when.windowStartIn);
  const ended = when.endedDaysAgo === undefined ? null : daysFromNow(-when.endedDaysAgo);
  const res = await db
    .insertInto("drill")
    .values({
      plan_id: planId,
      enterprise_id: e.id,
      region_path: e.region_path,
      industry_code: e.industry_code,
      organizer_user_id: "testorganizer",
      title: "测试演练",
      form: "live",
      mode,
      announce_window: 1,
      window_start: windowStart,
      window_end: new Date(windowStart.getTime() + 2 * 86400_000),
      planned_start: null,
      objectives: "目标",
      scenario: "情景",
      teams: "抢险组",
      status,
      started_at: ended ? new Date(ended.getTime() - 3600_000) : status === "running" ? new Date() : null,
      ended_at: ended,
      closed_at: null,
      summary: null,
    })
    .executeTakeFirstOrThrow();
  return Number(res.insertId);
}

async function addItem(
  drillId: number,
  enterpriseId: number,
  ownerId: number,
  createdDaysAgo: number,
  dueIn: number,
  status: RectificationStatus,
) {
  const e = await enterpriseRow(enterpriseId);
  const res = await db
    .insertInto("rectification")
    .values({
      drill_id: drillId,
      enterprise_id: e.id,
      region_path: e.region_path,
      finding: "测试发现的问题",
      criterion_id: null,
      owner_person_id: ownerId,
      due_on: day(dueIn),
      status,
      evidence: null,
      submitted_at: null,
      verified_by: null,
      verified_at: null,
      verification_note: null,
      raised_by: "testorganizer",
    })
    .executeTakeFirstOrThrow();
  await sql`UPDATE rectification SET created_at = ${`${day(-createdDaysAgo)} 08:00:00`} WHERE id = ${Number(res.insertId)}`.execute(
    db,
  );
}

beforeAll(async () => {
  // The demo seed may or may not plant the drill demo data yet; seedDrills does nothing the second time.
  await seedDrills(db, T);
  const root = await db
    .selectFrom("region")
    .select(["id", "path"])
    .where("parent_id", "is", null)
    .orderBy("id")
    .executeTakeFirstOrThrow();
  city = root;
  binjiang = (await db.selectFrom("region").select("id").where("name", "=", "滨江区").executeTakeFirstOrThrow()).id;
  qingshan = (await db.selectFrom("region").select("id").where("name", "=", "青山县").executeTakeFirstOrThrow()).id;
  for (const u of ["admin", "regulator", "inspector", "inspector2", "officer", "worker"])
    cookies[u] = await cookieOf(u);

  const district = await addRegion("测试区", "district", root);
  const townA = await addRegion("甲街道", "town", district);
  const townB = await addRegion("乙街道", "town", district);
  Object.assign(test, { district: district.id, townA: townA.id, townB: townB.id, path: district.path });
  test.e1 = await addEnterprise("测试甲化工有限公司", townA, "hazardous_chemicals", 1);
  test.e2 = await addEnterprise("测试乙建筑有限公司", townB, "construction", 2);
  test.e3 = await addEnterprise("测试丙纺织有限公司", townB, "other_industry_trade", 3);
  const person = await db
    .insertInto("person")
    .values({
      enterprise_id: test.e1,
      name: "测试责任人",
      id_number_hash: "x".repeat(64),
      id_number_masked: "339904********0000",
      phone: null,
      post: "safety_manager",
      hire_date: null,
    })
    .executeTakeFirstOrThrow();
  const owner = Number(person.insertId);

  // Plans. 甲街道: drilled, due soon, overdue (never drilled), and one inactive that does not count.
  const p1 = await addPlan(test.e1, 100);
  await addPlan(test.e1, 10);
  await addPlan(test.e1, -5, { drilled: false });
  await addPlan(test.e1, -100, { active: false });
  // 乙街道: drilled, overdue by a day, due today (still within its interval), and a third enterprise's drilled plan.
  const p5 = await addPlan(test.e2, 200);
  await addPlan(test.e2, -1);
  await addPlan(test.e2, 0);
  const p8 = await addPlan(test.e3, 50);

  // Drills: conducted in the last 12 months 1 scripted, 2 unscripted, 1 double-blind; one too old, one cancelled,
  // one running, one planned in the coming days (upcoming) and one planned whose window has passed (not upcoming).
  const d1 = await addDrill(test.e1, p1, "scripted", "ended", { endedDaysAgo: 10, windowStartIn: -12 });
  await addDrill(test.e2, p5, "unscripted", "closed", { endedDaysAgo: 20, windowStartIn: -21 });
  await addDrill(test.e2, p5, "unscripted", "closed", { endedDaysAgo: 40, windowStartIn: -41 });
  await addDrill(test.e3, p8, "double_blind", "closed", { endedDaysAgo: 30, windowStartIn: -31 });
  await addDrill(test.e1, p1, "scripted", "closed", { endedDaysAgo: 400, windowStartIn: -401 });
  await addDrill(test.e2, p5, "double_blind", "cancelled", { windowStartIn: -60 });
  await addDrill(test.e3, p8, "unscripted", "running", { windowStartIn: -1 });
  await addDrill(test.e3, p8, "double_blind", "planned", { windowStartIn: 7 });
  await addDrill(test.e1, p1, "scripted", "planned", { windowStartIn: -10 });

  // Rectification items: open ones aged 5, 10, 45, 100, 200 days (3 past due); closed and accepted ones do not count.
  await addItem(d1, test.e1, owner, 5, 10, "open");
  await addItem(d1, test.e1, owner, 10, -2, "submitted");
  await addItem(d1, test.e1, owner, 45, -15, "open");
  await addItem(d1, test.e1, owner, 100, 5, "open");
  await addItem(d1, test.e1, owner, 200, -100, "open");
  await addItem(d1, test.e1, owner, 3, -1, "closed");
  await addItem(d1, test.e1, owner, 400, -300, "accepted");
});

const page = (who: string, query = "") =>
  run(() => complianceLoader(args(request(`/drills/compliance${query}`, cookies[who]))));

describe("the demo drill data", () => {
  it("plants plans in every state and only past drills, once", async () => {
    const demo = db.selectFrom("emergency_plan").where("region_path", "not like", `${test.path}%`);
    const counts = await demo
      .select([
        sql<number>`SUM(due_on < ${T})`.as("overdue"),
        sql<number>`SUM(due_on >= ${T} AND due_on <= ${day(30)})`.as("soon"),
        sql<number>`SUM(due_on > ${day(30)})`.as("drilled"),
        sql<number>`SUM(last_drilled_on IS NULL)`.as("never"),
        sql<number>`COUNT(DISTINCT enterprise_id)`.as("enterprises"),
      ])
      .executeTakeFirstOrThrow();
    expect(Number(counts.enterprises)).toBe(10);
    for (const k of ["overdue", "soon", "drilled", "never"] as const) expect(Number(counts[k])).toBeGreaterThan(0);
    const drills = await db
      .selectFrom("drill")
      .select(["mode", "status", "window_end", "ended_at", "started_at"])
      .where("region_path", "not like", `${test.path}%`)
      .execute();
    expect(drills.length).toBeGreaterThan(10);
    expect(new Set(drills.map((d) => d.mode))).toEqual(new Set(["scripted", "unscripted", "double_blind"]));
    for (const d of drills) {
      expect(["ended", "closed"]).toContain(d.status);
      expect(d.window_end.getTime()).toBeLessThan(Date.now());
      expect(d.ended_at!.getTime()).toBeLessThan(Date.now());
      expect(d.started_at).not.toBeNull();
    }
    // The chemical works has an open, overdue rectification item owned by one of its people.
    const open = await db
      .selectFrom("rectification")
      .innerJoin("enterprise", "enterprise.id", "rectification.enterprise_id")
      .innerJoin("person", "person.id", "rectification.owner_person_id")
      .select(["rectification.due_on", "person.enterprise_id", "rectification.enterprise_id as eid"])
      .where("enterprise.name", "=", A)
      .where("rectification.status", "=", "open")
      .execute();
    expect(open.length).toBe(1);
    expect(open[0].due_on < T).toBe(true);
    expect(open[0].enterprise_id).toBe(open[0].eid);
    expect(await seedDrills(db, T)).toBe(false);
  });

  it("shows the demo city with the chemical works among the overdue enterprises", async () => {
    const res = await page("regulator", `?region=${binjiang}`);
    expect(res.status).toBe(200);
    const hongda = res.data.enterprises.rows.find((r: { name: string }) => r.name === A)!;
    expect(hongda).toBeTruthy();
    expect(hongda.href).toBe(`/drills?enterpriseId=${hongda.enterpriseId}`);
    expect(res.data.rectifications.overdue).toBeGreaterThanOrEqual(1);
    expect(res.data.plans.total.plans).toBeGreaterThan(0);
  });
});

describe("drill compliance of a region subtree", () => {
  it("gives the share of active plans drilled within their interval per child region, per industry and overall", async () => {
    const res = await page("regulator", `?region=${test.district}`);
    expect(res.status).toBe(200);
    const { plans } = res.data;
    expect(plans.total).toEqual({ plans: 7, compliant: 5, dueSoon: 2, overdue: 2, rate: 5 / 7 });
    expect(plans.byRegion.map((r) => [r.id, r.name, r.plans, r.compliant, r.dueSoon, r.overdue])).toEqual([
      [test.townA, "甲街道", 3, 2, 1, 1],
      [test.townB, "乙街道", 4, 3, 1, 1],
    ]);
    expect(plans.byRegion[0].rate).toBeCloseTo(2 / 3);
    expect(plans.byRegion[1].rate).toBeCloseTo(3 / 4);
    expect(
      plans.byIndustry.map((r: { name: string; plans: number; compliant: number }) => [r.name, r.plans, r.compliant]),
    ).toEqual([
      ["危险化学品", 3, 2],
      ["建筑施工", 3, 2],
      ["其他工贸", 1, 1],
    ]);
    // Drilling down into a town: its enterprises sit at the town itself.
    const town = await page("regulator", `?region=${test.townA}`);
    expect(town.data.region.id).toBe(test.townA);
    expect(town.data.plans.byRegion).toEqual([
      { id: null, name: "本级", own: true, plans: 3, compliant: 2, dueSoon: 1, overdue: 1, rate: 2 / 3 },
    ]);
    expect(town.data.canGoUp).toBe(true);
    // The city includes the test district's plans as one of its children.
    const cityPage = await page("regulator");
    expect(cityPage.data.region.id).toBe(city.id);
    expect(cityPage.data.canGoUp).toBe(false);
    const testRow = cityPage.data.plans.byRegion.find((r) => r.id === test.district)!;
    expect([testRow.plans, testRow.compliant]).toEqual([7, 5]);
    expect(cityPage.data.plans.byRegion.map((r: { name: string }) => r.name)).toEqual(
      expect.arrayContaining(["滨江区", "临港区", "青山县", "测试区"]),
    );
  });

  it("lists the enterprises with overdue plans, longest overdue first, in keyset pages", async () => {
    const res = await page("regulator", `?region=${test.district}`);
    expect([res.data.enterprises.next, res.data.enterprises.prev]).toEqual([null, null]);
    expect(res.data.enterprises.rows).toEqual([
      {
        enterpriseId: test.e1,
        name: "测试甲化工有限公司",
        regionName: "甲街道",
        industry: "危险化学品",
        plans: 3,
        overdue: 1,
        neverDrilled: 1,
        oldestDue: day(-5),
        href: `/drills?enterpriseId=${test.e1}`,
      },
      {
        enterpriseId: test.e2,
        name: "测试乙建筑有限公司",
        regionName: "乙街道",
        industry: "建筑施工",
        plans: 3,
        overdue: 1,
        neverDrilled: 0,
        oldestDue: day(-1),
        href: `/drills?enterpriseId=${test.e2}`,
      },
    ]);
    // One per page: the key is "oldest due date~id", and the pages walk forward and back.
    const first = await overdueEnterprises(test.path, {}, 1);
    expect([first.rows.map((r) => r.enterpriseId), first.next, first.prev]).toEqual([
      [test.e1],
      `${day(-5)}~${test.e1}`,
      null,
    ]);
    const second = await overdueEnterprises(test.path, { after: first.next! }, 1);
    expect([second.rows.map((r) => r.enterpriseId), second.next]).toEqual([[test.e2], null]);
    const back = await overdueEnterprises(test.path, { before: second.prev! }, 1);
    expect([back.rows.map((r) => r.enterpriseId), back.prev]).toEqual([[test.e1], null]);
    const beyond = await page(
      "regulator",
      `?region=${test.district}&after=${encodeURIComponent(`${day(-1)}~${test.e2}`)}`,
    );
    expect(beyond.data.enterprises.rows).toEqual([]);
    // A malformed key reads the first page, as every keyset list does.
    for (const key of ["x", "2026-13~", "1~2~3", "~5"]) {
      const odd = await page("regulator", `?region=${test.district}&after=${encodeURIComponent(key)}`);
      expect(
        odd.data.enterprises.rows.map((r: { enterpriseId: number }) => r.enterpriseId),
        key,
      ).toEqual([test.e1, test.e2]);
    }
  });

  it("counts drills conducted in the last 12 months by mode, unscripted and double-blind separately, and upcoming ones", async () => {
    const res = await page("regulator", `?region=${test.district}`);
    const { drills } = res.data;
    expect(
      drills.byMode.map((m: { mode: string; label: string; count: number }) => [m.mode, m.label, m.count]),
    ).toEqual([
      ["scripted", "有脚本演练", 1],
      ["unscripted", "无脚本演练", 2],
      ["double_blind", "双盲演练", 1],
    ]);
    expect([drills.conducted, drills.scripted, drills.unscripted, drills.doubleBlind, drills.upcoming]).toEqual([
      4, 1, 2, 1, 1,
    ]);
    // One town only: 乙街道 has the two unscripted drills and the double-blind one.
    const townB = await drillActivity(`${test.path}${test.townB}/`);
    expect([townB.scripted, townB.unscripted, townB.doubleBlind, townB.upcoming]).toEqual([0, 2, 1, 1]);
  });

  it("sorts open rectification items by age and counts the overdue ones", async () => {
    const res = await page("regulator", `?region=${test.district}`);
    const r = res.data.rectifications;
    expect(r.buckets.map((b: { key: string; open: number; overdue: number }) => [b.key, b.open, b.overdue])).toEqual([
      ["d30", 2, 1],
      ["d90", 1, 1],
      ["d180", 1, 0],
      ["older", 1, 1],
    ]);
    expect([r.open, r.overdue]).toEqual([5, 3]);
  });
});

describe("who may see drill compliance", () => {
  it("the regulator sees the whole city, inspectors only their district, enterprise accounts nothing", async () => {
    expect((await page("regulator", `?region=${binjiang}`)).status).toBe(200);
    expect((await page("regulator", `?region=${qingshan}`)).status).toBe(200);
    const own = await page("inspector2");
    expect([own.status, own.data.region.id, own.data.canGoUp]).toEqual([200, qingshan, false]);
    const refused = await page("inspector2", `?region=${binjiang}`);
    expect(refused.status).toBe(403);
    expect(thrownMessage(refused)).toContain("不在您的辖区");
    expect((await page("inspector2", `?region=${city.id}`)).status).toBe(403);
    expect((await page("inspector", `?region=${test.district}`)).status).toBe(403);
    expect((await page("inspector", `?region=${binjiang}`)).status).toBe(200);
    const admin = await page("admin");
    expect([admin.status, admin.data.region.id]).toEqual([200, city.id]);
    for (const who of ["officer", "worker"]) {
      expect((await page(who)).status).toBe(403);
      expect((await page(who, `?region=${binjiang}`)).status).toBe(403);
      expect(
        (await run(() => exportLoader(args(request(`/drills/compliance/export?region=${binjiang}`, cookies[who])))))
          .status,
      ).toBe(403);
    }
    expect(
      (await run(() => exportLoader(args(request(`/drills/compliance/export?region=${binjiang}`, cookies.inspector2)))))
        .status,
    ).toBe(403);
    const anonymous = await run(() => complianceLoader(args(request("/drills/compliance", null))));
    expect([anonymous.status, anonymous.headers.get("location")]).toEqual([302, "/login?next=%2Fdrills%2Fcompliance"]);
  });

  it("answers malformed parameters with a 4xx and a Chinese message, never a 500", async () => {
    for (const query of ["?region=abc", "?region=0", "?region=-3", "?region=1.5", "?region=1e400"]) {
      const res = await page("regulator", query);
      expect(res.status, query).toBe(400);
      expect(thrownMessage(res), query).toMatch(/查询参数不正确/);
    }
    const missing = await page("regulator", "?region=99999999");
    expect([missing.status, thrownMessage(missing)]).toEqual([404, "该区域不存在。"]);
    expect((await page("regulator", "?region=")).status).toBe(200);
    expect(
      (await run(() => exportLoader(args(request("/drills/compliance/export?region=abc", cookies.regulator))))).status,
    ).toBe(400);
  });
});

describe("the Excel export", () => {
  it("holds the page's figures, one sheet per table", async () => {
    const res = await exportLoader(
      args(request(`/drills/compliance/export?region=${test.district}`, cookies.regulator)),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("spreadsheetml");
    expect(res.headers.get("content-disposition")).toContain(encodeURIComponent("测试区"));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(["按区域", "按行业", "逾期企业", "演练方式", "整改账龄"]);
    const rows = (name: string) => {
      const out: unknown[][] = [];
      wb.getWorksheet(name)!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
      return out;
    };
    const byRegion = rows("按区域");
    expect(byRegion[0]).toEqual(["区域", "有效预案", "按期演练", "其中 30 天内到期", "逾期未演练", "按期演练率"]);
    expect(byRegion.slice(1).map((r) => r.slice(0, 5))).toEqual([
      ["甲街道", 3, 2, 1, 1],
      ["乙街道", 4, 3, 1, 1],
      ["合计（测试区）", 7, 5, 2, 2],
    ]);
    expect(byRegion[3][5]).toBeCloseTo(5 / 7);
    expect(
      rows("按行业")
        .slice(1)
        .map((r) => r.slice(0, 3)),
    ).toEqual([
      ["危险化学品", 3, 2],
      ["建筑施工", 3, 2],
      ["其他工贸", 1, 1],
      ["合计", 7, 5],
    ]);
    expect(rows("逾期企业").slice(1)).toEqual([
      ["测试甲化工有限公司", "甲街道", "危险化学品", 3, 1, 1, day(-5)],
      ["测试乙建筑有限公司", "乙街道", "建筑施工", 3, 1, 0, day(-1)],
    ]);
    expect(rows("演练方式").slice(1)).toEqual([
      ["有脚本演练", 1],
      ["无脚本演练", 2],
      ["双盲演练", 1],
      ["合计", 4],
      ["已计划待开展", 1],
    ]);
    expect(rows("整改账龄").slice(1)).toEqual([
      ["30 天以内", 2, 1],
      ["31–90 天", 1, 1],
      ["91–180 天", 1, 0],
      ["180 天以上", 1, 1],
      ["合计", 5, 3],
    ]);
  });
});
