import { sql } from "kysely";
import { lastMonths } from "../../lib/calendar";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { COUNT_COLUMNS, type Counts } from "./summary.server";

import { KPIS, type Kpi, type Ratio } from "./labels";
export { KPIS, KPI_LABELS, type Kpi } from "./labels";

const ratio = (num: number, den: number): Ratio => ({ num, den, rate: den > 0 ? num / den : null });
const kpisOf = (
  c: Counts | undefined,
  cert: { required: number; holding: number } | undefined,
): Record<Kpi, Ratio> => ({
  cert: ratio(cert?.holding ?? 0, cert?.required ?? 0),
  hours: ratio(c?.hours_met ?? 0, c?.hours_people ?? 0),
  newhire: ratio(c?.newhire_trained ?? 0, c?.newhire_people ?? 0),
  quiz: ratio(c?.quiz_passed ?? 0, c?.quiz_taken ?? 0),
  drill: ratio(c?.plans_on_time ?? 0, c?.plans ?? 0),
});
const counts = (r: Record<string, unknown>) =>
  Object.fromEntries(COUNT_COLUMNS.map((c) => [c, Number(r[c] ?? 0)])) as Counts;

/** The region a cockpit opens on: the actor's own region, or (admins) the top of the tree. */
export async function cockpitRoot(regionPath: string | null) {
  let q = db.selectFrom("region").select(["id", "name", "path", "level"]);
  q = regionPath ? q.where("path", "=", regionPath) : q.where("parent_id", "is", null).orderBy("id").limit(1);
  return q.executeTakeFirst();
}

/**
 * Everything on the cockpit of one region, read only from kept summaries: the five KPIs now, their 12-month trend,
 * the sub-regions ranked, and the ten worst enterprises on the chosen KPI. A handful of primary-key or index-range
 * reads whatever the city's size (the worst list sorts the region's enterprise summary rows).
 */
export async function cockpit(region: { id: number; name: string; path: string }, kpi: Kpi) {
  const months = lastMonths(now(), 12);
  const current = months[months.length - 1];
  const children = await db
    .selectFrom("region")
    .select(["id", "name", "path"])
    .where("parent_id", "=", region.id)
    .where("active", "=", 1)
    .orderBy("id")
    .execute();
  const ids = [region.id, ...children.map((c) => c.id)];
  const [monthRows, certNow, certMonths] = await Promise.all([
    db.selectFrom("cockpit_month").selectAll().where("region_id", "in", ids).where("month", ">=", months[0]).execute(),
    db
      .selectFrom("cert_summary_region")
      .select(["region_id", sql<number>`SUM(required)`.as("required"), sql<number>`SUM(holding)`.as("holding")])
      .where("region_id", "in", ids)
      .groupBy("region_id")
      .execute(),
    db
      .selectFrom("cert_summary_month")
      .select(["month", "required", "holding"])
      .where("region_id", "=", region.id)
      .where("month", ">=", months[0])
      .execute(),
  ]);
  const certOf = new Map(
    certNow.map((r) => [r.region_id, { required: Number(r.required), holding: Number(r.holding) }]),
  );
  const nowOf = new Map(monthRows.filter((r) => r.month === current).map((r) => [r.region_id, counts(r)]));
  const own = kpisOf(nowOf.get(region.id), certOf.get(region.id));
  const trendRows = new Map(monthRows.filter((r) => r.region_id === region.id).map((r) => [r.month, counts(r)]));
  const certTrend = new Map(
    certMonths.map((r) => [r.month, { required: Number(r.required), holding: Number(r.holding) }]),
  );
  const trend = Object.fromEntries(
    KPIS.map((k) => [
      k,
      months.map((month) => {
        // This month is the live figure shown above (one number on one page); earlier months are their kept rows.
        if (month === current) return { month, rate: own[k].rate };
        const ks = kpisOf(trendRows.get(month), certTrend.get(month));
        return {
          month,
          rate: k === "cert" ? (certTrend.has(month) ? ks.cert.rate : null) : trendRows.has(month) ? ks[k].rate : null,
        };
      }),
    ]),
  ) as Record<Kpi, { month: string; rate: number | null }[]>;
  const ranking = children
    .map((c) => ({ id: c.id, name: c.name, kpis: kpisOf(nowOf.get(c.id), certOf.get(c.id)) }))
    .sort((a, b) => (a.kpis[kpi].rate ?? 2) - (b.kpis[kpi].rate ?? 2));
  return { region, kpi, kpis: own, trend, ranking, worst: await worstEnterprises(region.id, kpi), months };
}

/** The ten enterprises of a region subtree doing worst on one KPI (only those it applies to), as kept by rankWorst(). */
export async function worstEnterprises(regionId: number, kpi: Kpi) {
  const rows = await db
    .selectFrom("cockpit_worst")
    .innerJoin("enterprise", "enterprise.id", "cockpit_worst.enterprise_id")
    .select(["enterprise.id", "enterprise.name", "cockpit_worst.num", "cockpit_worst.den"])
    .where("cockpit_worst.region_id", "=", regionId)
    .where("cockpit_worst.kpi", "=", kpi)
    .orderBy("cockpit_worst.position")
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, ...ratio(Number(r.num), Number(r.den)) }));
}

export type CockpitData = Awaited<ReturnType<typeof cockpit>>;

/** The cockpit as a workbook: KPIs, trend, sub-regions and worst enterprises, counts as numbers and rates as percentages. */
export async function cockpitWorkbook(d: CockpitData) {
  const { typedWorkbook } = await import("../../lib/excel.server");
  const { KPI_LABELS } = await import("./labels");
  const rateCols = KPIS.map((k) => ({ header: KPI_LABELS[k], width: 16, kind: "percent" as const }));
  return typedWorkbook([
    {
      name: "指标",
      columns: [
        { header: "指标", width: 20, kind: "text" },
        { header: "达标数", width: 12, kind: "integer" },
        { header: "应计数", width: 12, kind: "integer" },
        { header: "比率", width: 12, kind: "percent" },
      ],
      rows: KPIS.map((k) => [KPI_LABELS[k], d.kpis[k].num, d.kpis[k].den, d.kpis[k].rate]),
    },
    {
      name: "月度趋势",
      columns: [{ header: "月份", width: 10, kind: "text" }, ...rateCols],
      rows: d.months.map((m, i) => [m, ...KPIS.map((k) => d.trend[k][i].rate)]),
    },
    {
      name: "下级区域",
      columns: [{ header: "区域", width: 16, kind: "text" }, ...rateCols],
      rows: d.ranking.map((r) => [r.name, ...KPIS.map((k) => r.kpis[k].rate)]),
    },
    {
      name: `${KPI_LABELS[d.kpi]}最低企业`.slice(0, 31),
      columns: [
        { header: "企业", width: 32, kind: "text" },
        { header: "达标数", width: 12, kind: "integer" },
        { header: "应计数", width: 12, kind: "integer" },
        { header: KPI_LABELS[d.kpi], width: 16, kind: "percent" },
      ],
      rows: d.worst.map((e) => [e.name, e.num, e.den, e.rate]),
    },
  ]);
}
