import { listScope } from "../auth/policy";
import ExcelJS from "exceljs";
import { sql } from "kysely";
import type { DrillMode, RegionLevel } from "../../../db/types";
import { now, todayIso } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { httpError } from "../../lib/http";
import type { PageParams } from "../../lib/paging";
import { keysetPageByPair } from "../../lib/paging.server";
import { idParam, z } from "../../lib/validation";
import type { Actor } from "../auth/policy";
import { MODE_LABELS } from "./labels";
import { addMonths, AGE_BUCKETS, ageBucket, OPEN_RECTIFICATION } from "./rules";
import { addDays, zoneOffset } from "../../lib/calendar";

/**
 * Regulators' view of emergency drills in a region subtree: how many active plans were drilled within their interval
 * (by sub-region and industry), the enterprises with overdue plans, drills conducted by mode, and open rectification
 * items by age. Every figure is a grouped read of one index range on the subtree's `region_path LIKE '/1/4/%'` prefix:
 *   plans          emergency_plan_compliance (active, region_path, industry_code, due_on), covering; the overdue
 *                  enterprises walk enterprise_drill_due (earliest plan due date, kept on write) for one page
 *   drills         drill_region_ended (region_path, ended_at, mode), covering; upcoming ones drill_upcoming (covering);
 *                  both bounded in time too, by naming the subtree's region paths (see subtreePaths)
 *   rectifications rectification_region (status, region_path, created_at, due_on), covering
 * Figures at 30k enterprises: docs/benchmarks.md (npm run bench -- --only drills).
 */

const MODES: DrillMode[] = ["scripted", "unscripted", "double_blind"];

/** Days before the due date that a plan counts as "due soon" (still compliant). */
const SOON_DAYS = 30;
export const OVERDUE_PAGE_SIZE = 20;
/** Most overdue enterprises an export lists. */
const EXPORT_MAX_ENTERPRISES = 5000;

const blankIsMissing = (v: unknown) => (v === "" ? undefined : v);

/** `?region=<id>` of the compliance page and its export (the overdue list pages by `after`/`before`, paging.ts). */
export const ComplianceQuery = z.object({
  region: z.preprocess(blankIsMissing, idParam.optional()),
});
export type ComplianceQuery = z.output<typeof ComplianceQuery>;

/** The query of the page's URL; a malformed one is a 400 with a Chinese message, never a 500. */
export function complianceQueryOf(url: URL): ComplianceQuery {
  const parsed = ComplianceQuery.safeParse({
    region: url.searchParams.get("region") ?? undefined,
  });
  if (!parsed.success)
    httpError(400, `查询参数不正确：${parsed.error.issues.map((i) => `区域${i.message}`).join("；")}`);
  return parsed.data;
}

export type ComplianceRegion = { id: number; name: string; path: string; level: RegionLevel; parent_id: number | null };

/**
 * The region the page shows: the one asked for, else the actor's own (the city root for an admin). Undefined when
 * the asked region does not exist or the actor has no region of their own (enterprise accounts).
 */
export async function complianceRegion(
  actor: Actor,
  regionId: number | undefined,
): Promise<ComplianceRegion | undefined> {
  const base = db.selectFrom("region").select(["id", "name", "path", "level", "parent_id"]);
  if (regionId !== undefined) return base.where("id", "=", regionId).executeTakeFirst();
  if (actor.regionPath) return base.where("path", "=", actor.regionPath).executeTakeFirst();
  if (listScope(actor).kind === "all")
    return base.where("parent_id", "is", null).orderBy("id").limit(1).executeTakeFirst();
  return undefined;
}

export type Tally = { plans: number; compliant: number; dueSoon: number; overdue: number; rate: number | null };
const tally = (plans: number, compliant: number, dueSoon: number): Tally => ({
  plans,
  compliant,
  dueSoon,
  overdue: plans - compliant,
  rate: plans ? compliant / plans : null,
});
const add = (a: Tally, b: Tally) => tally(a.plans + b.plans, a.compliant + b.compliant, a.dueSoon + b.dueSoon);
const EMPTY = tally(0, 0, 0);

const utcMidnight = (iso: string) => new Date(`${iso}T00:00:00Z`);

/**
 * Active plans drilled within their interval (`due_on >= today`) by child region, by industry and overall: one
 * grouped read of the covering index range. Plans sitting at the region itself (not in a child) are "本级".
 */
export async function planCompliance(region: Pick<ComplianceRegion, "id" | "path">, today = todayIso()) {
  // Grouped in the index's own order (region_path, industry_code): a streaming aggregate, no temporary table; at most
  // one row per region and industry comes back, and the child a path belongs to is worked out here.
  const rows = await db
    .selectFrom("emergency_plan")
    .select([
      "region_path",
      "industry_code",
      sql<number>`COUNT(*)`.as("plans"),
      sql<number>`SUM(due_on >= ${today})`.as("compliant"),
      sql<number>`SUM(due_on >= ${today} AND due_on <= ${addDays(today, SOON_DAYS)})`.as("due_soon"),
    ])
    .where("active", "=", 1)
    .where("region_path", "like", `${region.path}%`)
    .groupBy(["region_path", "industry_code"])
    .execute();

  const byChild = new Map<string, Tally>();
  const byIndustry = new Map<string, Tally>();
  let total = EMPTY;
  for (const r of rows) {
    const t = tally(Number(r.plans), Number(r.compliant), Number(r.due_soon));
    const child = r.region_path.slice(region.path.length).split("/")[0];
    byChild.set(child, add(byChild.get(child) ?? EMPTY, t));
    byIndustry.set(r.industry_code, add(byIndustry.get(r.industry_code) ?? EMPTY, t));
    total = add(total, t);
  }

  // Every child region is listed (one with no plans shows "—"), plus any that holds plans but is no longer a child.
  const children = await db
    .selectFrom("region")
    .select(["id", "name"])
    .where("parent_id", "=", region.id)
    .orderBy("id")
    .execute();
  const known = new Set(children.map((c) => String(c.id)));
  const strays = [...byChild.keys()]
    .filter((k) => k !== "" && !known.has(k))
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  const strayNames = strays.length
    ? await db.selectFrom("region").select(["id", "name"]).where("id", "in", strays).execute()
    : [];
  const childRows: { id: number | null; name: string; own: boolean }[] = [
    ...children.map((c) => ({ id: c.id, name: c.name, own: false })),
    ...strayNames.map((c) => ({ id: c.id, name: c.name, own: false })),
    ...(byChild.has("") ? [{ id: null, name: "本级", own: true }] : []),
  ];

  const codes = [...byIndustry.keys()];
  const industries = codes.length
    ? await db.selectFrom("industry").select(["code", "name", "sort"]).where("code", "in", codes).execute()
    : [];
  const industryOf = new Map(industries.map((i) => [i.code, i]));

  return {
    total,
    byRegion: childRows.map((c) => ({ ...c, ...(byChild.get(c.id === null ? "" : String(c.id)) ?? EMPTY) })),
    byIndustry: codes
      .map((code) => ({
        code,
        name: industryOf.get(code)?.name ?? code,
        sort: industryOf.get(code)?.sort ?? 999,
        ...byIndustry.get(code)!,
      }))
      .sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code)),
  };
}

/**
 * Enterprises of the subtree with at least one active plan past its due date, longest overdue first, one keyset page
 * after (or before) the key "drill_due_on~id" (no OFFSET: a deep page is one index range too). The overdue rows come
 * from the compliance index range; names and each enterprise's plan count are then read by key for the page only.
 */
export async function overdueEnterprises(
  regionPath: string,
  paging: PageParams = {},
  pageSize = OVERDUE_PAGE_SIZE,
  today = todayIso(),
) {
  // Walks enterprise_drill_due (drill_due_on, id, region_path) from the key on, filtering the subtree in the index,
  // and stops after one page: only the page's enterprise rows are read.
  const query = db
    .selectFrom("enterprise")
    .innerJoin("region", "region.id", "enterprise.region_id")
    .select([
      "enterprise.id",
      "enterprise.name",
      "enterprise.industry_code",
      "enterprise.drill_due_on",
      "region.name as region_name",
    ])
    .where("enterprise.drill_due_on", "<", today)
    .where("enterprise.region_path", "like", `${regionPath}%`);
  const {
    rows: pageRows,
    next,
    prev,
  } = await keysetPageByPair(
    query,
    {
      columns: ["enterprise.drill_due_on", "enterprise.id"],
      of: (r) => [String(r.drill_due_on), r.id],
      kinds: ["day", "number"],
    },
    paging,
    pageSize,
  );
  const ids = pageRows.map((r) => r.id);
  const [counts, industries] = ids.length
    ? await Promise.all([
        db
          .selectFrom("emergency_plan")
          .select([
            "enterprise_id",
            sql<number>`COUNT(*)`.as("plans"),
            sql<number>`SUM(due_on < ${today})`.as("overdue"),
            sql<number>`SUM(due_on < ${today} AND last_drilled_on IS NULL)`.as("never"),
          ])
          .where("enterprise_id", "in", ids)
          .where("active", "=", 1)
          .groupBy("enterprise_id")
          .execute(),
        db
          .selectFrom("industry")
          .select(["code", "name"])
          .where("code", "in", [...new Set(pageRows.map((e) => e.industry_code))])
          .execute(),
      ])
    : [[], []];
  const countOf = new Map(counts.map((c) => [c.enterprise_id, c]));
  const industryNames = new Map(industries.map((i) => [i.code, i.name]));
  return {
    next,
    prev,
    rows: pageRows.map((e) => {
      const c = countOf.get(e.id);
      return {
        enterpriseId: e.id,
        name: e.name,
        regionName: e.region_name,
        industry: industryNames.get(e.industry_code) ?? e.industry_code,
        plans: Number(c?.plans ?? 0),
        overdue: Number(c?.overdue ?? 0),
        neverDrilled: Number(c?.never ?? 0),
        oldestDue: String(e.drill_due_on),
        href: `/drills?enterpriseId=${e.id}`,
      };
    }),
  };
}

/** Beyond this many regions in a subtree, time-bounded drill counts fall back to the plain prefix range. */
const MAX_SUBTREE_REGIONS = 1000;

/**
 * The region paths of a subtree (one range of the region table's path index), so that a time-bounded drill count is
 * one range per path on (region_path, ended_at | window_start) and reads only the drills of the period, rather than
 * every drill the subtree ever had under a `LIKE` prefix (which bounds only the first key part). Null when too many.
 */
async function subtreePaths(regionPath: string): Promise<string[] | null> {
  const rows = await db
    .selectFrom("region")
    .select("path")
    .where("path", "like", `${regionPath}%`)
    .limit(MAX_SUBTREE_REGIONS + 1)
    .execute();
  return rows.length > MAX_SUBTREE_REGIONS ? null : rows.map((r) => r.path);
}

/**
 * Drills conducted (ended) in the last 12 months by mode, unscripted and double-blind each on its own, and how many
 * planned drills are still to come. Conducted ones are read from drill_region_ended (covering); a drill window is
 * at most 31 days, so upcoming ones start no earlier than 31 days ago: a bounded range of drill_upcoming
 * (status, region_path, window_end, window_start).
 */
export async function drillActivity(regionPath: string, today = todayIso(), at = now()) {
  const since = addMonths(today, -12);
  const paths = await subtreePaths(regionPath);
  const scoped = () => {
    const q = db.selectFrom("drill");
    return paths
      ? q.where("region_path", "in", paths.length ? paths : [regionPath])
      : q.where("region_path", "like", `${regionPath}%`);
  };
  const [ended, upcoming] = await Promise.all([
    scoped()
      .select(["mode", sql<number>`COUNT(*)`.as("n")])
      .where("ended_at", ">=", utcMidnight(since))
      .where("ended_at", "<=", at)
      .groupBy("mode")
      .execute(),
    scoped()
      .select(sql<number>`COUNT(*)`.as("n"))
      .where("window_start", ">=", new Date(at.getTime() - 31 * 86400_000))
      .where("status", "=", "planned")
      .where("window_end", ">=", at)
      .executeTakeFirstOrThrow(),
  ]);
  const count = new Map(ended.map((r) => [r.mode, Number(r.n)]));
  const byMode = MODES.map((mode) => ({ mode, label: MODE_LABELS[mode], count: count.get(mode) ?? 0 }));
  return {
    since,
    byMode,
    conducted: byMode.reduce((s, m) => s + m.count, 0),
    scripted: count.get("scripted") ?? 0,
    unscripted: count.get("unscripted") ?? 0,
    doubleBlind: count.get("double_blind") ?? 0,
    upcoming: Number(upcoming.n),
  };
}

/** Open rectification items (open or submitted) by age since they were raised, and how many are past their due date. */
export async function openRectifications(regionPath: string, today = todayIso()) {
  const rows = await db
    .selectFrom("rectification")
    .select([
      sql<string>`DATE_FORMAT(CONVERT_TZ(created_at, '+00:00', ${zoneOffset()}), '%Y-%m-%d')`.as("day"),
      sql<number>`COUNT(*)`.as("n"),
      sql<number>`SUM(due_on < ${today})`.as("overdue"),
    ])
    .where("status", "in", OPEN_RECTIFICATION)
    .where("region_path", "like", `${regionPath}%`)
    .groupBy(sql`1`)
    .execute();
  const buckets = AGE_BUCKETS.map((b) => ({ key: b.key, label: b.label, open: 0, overdue: 0 }));
  for (const r of rows) {
    const b = buckets.find((x) => x.key === ageBucket(r.day, today))!;
    b.open += Number(r.n);
    b.overdue += Number(r.overdue);
  }
  return {
    buckets,
    open: buckets.reduce((s, b) => s + b.open, 0),
    overdue: buckets.reduce((s, b) => s + b.overdue, 0),
  };
}

/** Everything the compliance page shows for one region. */
export async function regionCompliance(
  region: ComplianceRegion,
  paging: PageParams = {},
  pageSize = OVERDUE_PAGE_SIZE,
) {
  const today = todayIso();
  const [plans, enterprises, drills, rectifications] = await Promise.all([
    planCompliance(region, today),
    overdueEnterprises(region.path, paging, pageSize, today),
    drillActivity(region.path, today),
    openRectifications(region.path, today),
  ]);
  return { region, today, plans, enterprises, drills, rectifications };
}

const PERCENT = "0.0%";

/** The page's figures as a workbook: 按区域, 按行业, 逾期企业, 演练方式, 整改账龄. */
export async function complianceWorkbook(region: ComplianceRegion) {
  const today = todayIso();
  const [plans, enterprises, drills, rectifications] = await Promise.all([
    planCompliance(region, today),
    overdueEnterprises(region.path, {}, EXPORT_MAX_ENTERPRISES, today),
    drillActivity(region.path, today),
    openRectifications(region.path, today),
  ]);
  const workbook = new ExcelJS.Workbook();
  const sheet = (
    name: string,
    headers: { header: string; width?: number }[],
    rows: (string | number | null)[][],
    percentColumns: number[] = [],
  ) => {
    const ws = workbook.addWorksheet(name);
    ws.columns = headers.map((h) => ({ header: h.header, width: h.width ?? 14 }));
    ws.getRow(1).font = { bold: true };
    for (const row of rows) ws.addRow(row);
    for (const c of percentColumns) ws.getColumn(c).numFmt = PERCENT;
    return ws;
  };
  const tallyHeaders = [
    { header: "有效预案", width: 10 },
    { header: "按期演练", width: 10 },
    { header: "其中 30 天内到期", width: 16 },
    { header: "逾期未演练", width: 12 },
    { header: "按期演练率", width: 12 },
  ];
  const tallyCells = (t: Tally) => [t.plans, t.compliant, t.dueSoon, t.overdue, t.rate];
  sheet(
    "按区域",
    [{ header: "区域", width: 20 }, ...tallyHeaders],
    [...plans.byRegion.map((r) => [r.name, ...tallyCells(r)]), [`合计（${region.name}）`, ...tallyCells(plans.total)]],
    [6],
  );
  sheet(
    "按行业",
    [{ header: "行业", width: 16 }, ...tallyHeaders],
    [...plans.byIndustry.map((r) => [r.name, ...tallyCells(r)]), ["合计", ...tallyCells(plans.total)]],
    [6],
  );
  const overdueSheet = sheet(
    "逾期企业",
    [
      { header: "企业", width: 30 },
      { header: "所属区域", width: 14 },
      { header: "行业", width: 14 },
      { header: "有效预案", width: 10 },
      { header: "逾期预案", width: 10 },
      { header: "其中从未演练", width: 14 },
      { header: "最早应演练日期", width: 16 },
    ],
    enterprises.rows.map((e) => [e.name, e.regionName, e.industry, e.plans, e.overdue, e.neverDrilled, e.oldestDue]),
  );
  if (enterprises.next) overdueSheet.addRow([`仅导出逾期最久的 ${EXPORT_MAX_ENTERPRISES} 家企业`]);
  sheet(
    "演练方式",
    [
      { header: "演练方式", width: 16 },
      { header: `近 12 个月完成次数（${drills.since} 起）`, width: 28 },
    ],
    [...drills.byMode.map((m) => [m.label, m.count]), ["合计", drills.conducted], ["已计划待开展", drills.upcoming]],
  );
  sheet(
    "整改账龄",
    [
      { header: "账龄", width: 14 },
      { header: "未关闭整改项", width: 14 },
      { header: "其中已逾期", width: 12 },
    ],
    [
      ...rectifications.buckets.map((b) => [b.label, b.open, b.overdue]),
      ["合计", rectifications.open, rectifications.overdue],
    ],
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
