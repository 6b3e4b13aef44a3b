import { ENFORCEMENT_INDUSTRY } from "../org/labels";
import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import { addDays, addMonths, addYears, startOfDay } from "../../lib/calendar";
import { todayIso } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import type { Database } from "../../../db/types";

/** The counts each cockpit KPI is a ratio of (numerator / denominator), per enterprise and per region and month. */
export const COUNT_COLUMNS = [
  "hours_people",
  "hours_met",
  "newhire_people",
  "newhire_trained",
  "quiz_taken",
  "quiz_passed",
  "plans",
  "plans_on_time",
] as const;
export type CountColumn = (typeof COUNT_COLUMNS)[number];
export type Counts = Record<CountColumn, number>;
const ZERO: Counts = Object.fromEntries(COUNT_COLUMNS.map((c) => [c, 0])) as Counts;

/**
 * One enterprise's counts as of `today` (or every enterprise's, set-based, when `enterpriseId` is null):
 * - 学时达标: active people in a post with a yearly-hours rule, and those whose hours this calendar year reach it
 *   (new hires: the pre-job hours, as hoursStatus() counts them);
 * - 新增从业人员培训: people hired in the last 12 months, and those with the pre-job hours of their post and industry
 *   (training_hours_rule phase 'initial': 24 or 72 学时) recorded on or before their hire date;
 * - 逢查必考: graded on-site quiz papers of the last 12 months (doubtful or voided identities left out), and passes;
 * - 演练按期: active emergency plans, and those not past their drill due date.
 */
// Enforcement units are organizations, not enterprises under supervision (decision 0029): their people's training
// has its own page (/enforcement), so the cockpit's enterprise figures leave them out.
function countsSelect(today: string, enterpriseId: number | null) {
  const yearAgo = addYears(today, -1);
  const yearStart = `${today.slice(0, 4)}-01-01`;
  const onlyE = (col: string): RawBuilder<unknown> =>
    enterpriseId === null ? sql`` : sql`AND ${sql.ref(col)} = ${enterpriseId}`;
  const onlyP = (col: string): RawBuilder<unknown> =>
    enterpriseId === null
      ? sql``
      : sql`AND ${sql.ref(col)} IN (SELECT id FROM person WHERE enterprise_id = ${enterpriseId})`;
  return sql<{ enterprise_id: number; region_path: string; cert_required: number; cert_holding: number } & Counts>`
    SELECT e.id AS enterprise_id, e.region_path,
      COALESCE(h.people, 0) AS hours_people, COALESCE(h.met, 0) AS hours_met,
      COALESCE(h.newp, 0) AS newhire_people, COALESCE(h.newt, 0) AS newhire_trained,
      COALESCE(qz.taken, 0) AS quiz_taken, COALESCE(qz.passed, 0) AS quiz_passed,
      COALESCE(pl.plans, 0) AS plans, COALESCE(pl.ontime, 0) AS plans_on_time,
      COALESCE(cs.required, 0) AS cert_required, COALESCE(cs.holding, 0) AS cert_holding
    FROM enterprise e
    LEFT JOIN (
      SELECT p.enterprise_id,
        COUNT(r.hours) AS people,
        SUM(r.hours IS NOT NULL AND COALESCE(y.h, 0) >= r.hours) AS met,
        SUM(p.hire_date > ${yearAgo} AND p.hire_date <= ${today}) AS newp,
        SUM(p.hire_date > ${yearAgo} AND p.hire_date <= ${today} AND ri.hours IS NOT NULL AND COALESCE(pre.h, 0) >= ri.hours) AS newt
      FROM person p
      JOIN enterprise pe ON pe.id = p.enterprise_id
      JOIN industry i ON i.code = pe.industry_code
      LEFT JOIN training_hours_rule r ON r.post = p.post AND r.high_risk = i.high_risk
        AND r.phase = IF(p.hire_date > ${yearAgo} AND p.hire_date <= ${today}, 'initial', 'annual')
      LEFT JOIN training_hours_rule ri ON ri.post = p.post AND ri.high_risk = i.high_risk AND ri.phase = 'initial'
      LEFT JOIN (SELECT person_id, SUM(hours) AS h FROM training_record WHERE trained_on >= ${yearStart} AND trained_on <= ${today} ${onlyP("person_id")}
        GROUP BY person_id) y ON y.person_id = p.id
      LEFT JOIN (SELECT tr.person_id, SUM(tr.hours) AS h FROM training_record tr JOIN person tp ON tp.id = tr.person_id
        WHERE tp.hire_date > ${yearAgo} AND tr.trained_on <= tp.hire_date ${onlyE("tp.enterprise_id")} GROUP BY tr.person_id) pre ON pre.person_id = p.id
      WHERE p.active = 1 AND (p.hire_date IS NULL OR p.hire_date <= ${today}) ${onlyE("p.enterprise_id")}
      GROUP BY p.enterprise_id
    ) h ON h.enterprise_id = e.id
    LEFT JOIN (
      SELECT oq.enterprise_id, COUNT(*) AS taken, SUM(at.passed) AS passed
      FROM onsite_quiz oq JOIN quiz_participant qp ON qp.quiz_id = oq.id JOIN attempt at ON at.id = qp.attempt_id
      WHERE oq.created_at >= ${startOfDay(yearAgo)} AND oq.created_at < ${startOfDay(addDays(today, 1))} AND at.submitted_at IS NOT NULL AND at.passed IS NOT NULL
        AND qp.identity IN ('ok', 'confirmed') ${onlyE("oq.enterprise_id")}
      GROUP BY oq.enterprise_id
    ) qz ON qz.enterprise_id = e.id
    LEFT JOIN (
      SELECT enterprise_id, COUNT(*) AS plans, SUM(due_on >= ${today}) AS ontime FROM emergency_plan WHERE active = 1 ${onlyE("enterprise_id")}
      GROUP BY enterprise_id
    ) pl ON pl.enterprise_id = e.id
    LEFT JOIN (
      SELECT enterprise_id, SUM(required) AS required, SUM(holding) AS holding FROM cert_summary_enterprise WHERE 1 = 1 ${onlyE("enterprise_id")}
      GROUP BY enterprise_id
    ) cs ON cs.enterprise_id = e.id
    WHERE e.active = 1 AND e.industry_code <> ${ENFORCEMENT_INDUSTRY} ${onlyE("e.id")}`;
}

const ancestorsOf = (path: string) => path.split("/").filter(Boolean).map(Number);
const num = (r: Record<string, unknown>): Counts =>
  Object.fromEntries(COUNT_COLUMNS.map((c) => [c, Number(r[c] ?? 0)])) as Counts;

/**
 * Recount every enterprise and this month's row of every region (set-based; after a bulk load and once a day).
 * Earlier months' rows stay as they were last counted: they are the trend.
 */
export async function rebuildCockpit(q: Kysely<Database> = db, today = todayIso()) {
  const month = today.slice(0, 7);
  await sql`DELETE FROM cockpit_enterprise`.execute(q);
  await sql`INSERT INTO cockpit_enterprise (enterprise_id, region_path, counted_on, cert_required, cert_holding, ${sql.join(COUNT_COLUMNS.map((c) => sql.ref(c)))})
    SELECT c.enterprise_id, c.region_path, ${today}, c.cert_required, c.cert_holding, ${sql.join(COUNT_COLUMNS.map((c) => sql.ref(`c.${c}`)))}
    FROM (${countsSelect(today, null)}) c`.execute(q);
  const byPath = await sql<
    { region_path: string } & Counts
  >`SELECT region_path, ${sql.join(COUNT_COLUMNS.map((c) => sql`SUM(${sql.ref(c)}) AS ${sql.ref(c)}`))}
    FROM cockpit_enterprise GROUP BY region_path`.execute(q);
  const totals = new Map<number, Counts>();
  for (const r of byPath.rows) {
    for (const regionId of ancestorsOf(r.region_path)) {
      const t = totals.get(regionId) ?? { ...ZERO };
      for (const c of COUNT_COLUMNS) t[c] += Number(r[c] ?? 0);
      totals.set(regionId, t);
    }
  }
  await q.transaction().execute(async (trx) => {
    await trx.deleteFrom("cockpit_month").where("month", "=", month).execute();
    const rows = [...totals.entries()].map(([region_id, t]) => ({ month, region_id, ...t }));
    for (let i = 0; i < rows.length; i += 1000)
      await trx
        .insertInto("cockpit_month")
        .values(rows.slice(i, i + 1000))
        .execute();
  });
  await rankWorst(q, null);
}

/** Numerator and denominator columns of each KPI in cockpit_enterprise. */
export const KPI_COLUMNS = {
  cert: ["cert_holding", "cert_required"],
  hours: ["hours_met", "hours_people"],
  newhire: ["newhire_trained", "newhire_people"],
  quiz: ["quiz_passed", "quiz_taken"],
  drill: ["plans_on_time", "plans"],
} as const;
export const WORST_KEPT = 10;

/**
 * Keep the ten worst enterprises of each region (all regions, or the given ones) on each KPI: a window function over
 * the enterprise rows of each region's subtree, so the page reads ten rows instead of sorting a district.
 */
export async function rankWorst(q: Kysely<Database> | Transaction<Database>, regionIds: number[] | null) {
  const only = regionIds === null ? sql`` : sql`WHERE r.id IN (${sql.join(regionIds.length ? regionIds : [0])})`;
  if (regionIds === null) await sql`DELETE FROM cockpit_worst`.execute(q);
  else
    await sql`DELETE FROM cockpit_worst WHERE region_id IN (${sql.join(regionIds.length ? regionIds : [0])})`.execute(
      q,
    );
  for (const [kpi, [n, d]] of Object.entries(KPI_COLUMNS)) {
    await sql`INSERT INTO cockpit_worst (region_id, kpi, position, enterprise_id, num, den)
      SELECT region_id, ${kpi}, rn, enterprise_id, num, den FROM (
        SELECT r.id AS region_id, ce.enterprise_id, ce.${sql.ref(n)} AS num, ce.${sql.ref(d)} AS den,
          ROW_NUMBER() OVER (PARTITION BY r.id ORDER BY ce.${sql.ref(n)} / ce.${sql.ref(d)}, ce.${sql.ref(d)} DESC, ce.enterprise_id) AS rn
        FROM region r JOIN cockpit_enterprise ce ON ce.region_path LIKE CONCAT(r.path, '%') AND ce.${sql.ref(d)} > 0
        ${only}
      ) ranked WHERE rn <= ${WORST_KEPT}`.execute(q);
  }
}

/**
 * Rows for earlier months that have none (a new installation, the demo city): each counted from the records as of
 * that month's last day. Plans count as of today's due dates (a plan's earlier due dates are not kept), so the drill
 * figure of a backfilled month is an estimate; every other figure is what the records said then.
 */
export async function backfillCockpitMonths(q: Kysely<Database> = db, count = 11, today = todayIso()) {
  for (let i = count; i >= 1; i--) {
    const monthStart = `${addMonths(today.slice(0, 7) + "-01", -i)}`;
    const month = monthStart.slice(0, 7);
    const have = await q
      .selectFrom("cockpit_month")
      .select("region_id")
      .where("month", "=", month)
      .limit(1)
      .executeTakeFirst();
    if (have) continue;
    const monthEnd = addDays(addMonths(monthStart, 1), -1);
    const rows = (await countsSelect(monthEnd, null).execute(q)).rows;
    const totals = new Map<number, Counts>();
    for (const r of rows) {
      for (const regionId of ancestorsOf(r.region_path)) {
        const t = totals.get(regionId) ?? { ...ZERO };
        for (const c of COUNT_COLUMNS) t[c] += Number(r[c] ?? 0);
        totals.set(regionId, t);
      }
    }
    const values = [...totals.entries()].map(([region_id, t]) => ({ month, region_id, ...t }));
    for (let j = 0; j < values.length; j += 1000)
      await q
        .insertInto("cockpit_month")
        .values(values.slice(j, j + 1000))
        .execute();
  }
}

/**
 * Recount one enterprise after a write that changes its figures (hours recorded, a quiz graded, a plan drilled) and
 * apply the difference to this month's row of each of its regions, in one transaction.
 */
export async function refreshCockpitEnterprise(enterpriseId: number, today = todayIso()) {
  const month = today.slice(0, 7);
  await db.transaction().execute(async (trx) => {
    const old = await trx
      .selectFrom("cockpit_enterprise")
      .selectAll()
      .where("enterprise_id", "=", enterpriseId)
      .forUpdate()
      .executeTakeFirst();
    const fresh = (await countsSelect(today, enterpriseId).execute(trx)).rows[0];
    if (!fresh) return;
    const after = num(fresh);
    const before = old ? num(old) : { ...ZERO };
    const cert = { cert_required: Number(fresh.cert_required), cert_holding: Number(fresh.cert_holding) };
    await trx
      .insertInto("cockpit_enterprise")
      .values({ enterprise_id: enterpriseId, region_path: fresh.region_path, counted_on: today, ...after, ...cert })
      .onDuplicateKeyUpdate({ region_path: fresh.region_path, counted_on: today, ...after, ...cert })
      .execute();
    // A region move leaves the old path's counts and adds to the new one's.
    const moves: [string, Counts, number][] =
      old && old.region_path !== fresh.region_path
        ? [
            [old.region_path, before, -1],
            [fresh.region_path, after, 1],
          ]
        : [[fresh.region_path, Object.fromEntries(COUNT_COLUMNS.map((c) => [c, after[c] - before[c]])) as Counts, 1]];
    for (const [path, counts, sign] of moves) {
      if (COUNT_COLUMNS.every((c) => counts[c] === 0)) continue;
      for (const regionId of ancestorsOf(path)) {
        const values = Object.fromEntries(COUNT_COLUMNS.map((c) => [c, sign * counts[c]])) as Counts;
        await sql`INSERT INTO cockpit_month (month, region_id, ${sql.join(COUNT_COLUMNS.map((c) => sql.ref(c)))})
          VALUES (${month}, ${regionId}, ${sql.join(COUNT_COLUMNS.map((c) => values[c]))})
          ON DUPLICATE KEY UPDATE ${sql.join(COUNT_COLUMNS.map((c) => sql`${sql.ref(c)} = ${sql.ref(c)} + ${values[c]}`))}`.execute(
          trx,
        );
      }
    }
    // The worst lists of its regions (old and new), re-ranked with its new figures.
    await rankWorst(trx, [
      ...new Set([...ancestorsOf(fresh.region_path), ...(old ? ancestorsOf(old.region_path) : [])]),
    ]);
  });
}

/** Once a day (any process; a compare-and-set on job_state makes it once): recount everything for the new day. */
export async function dailyCockpitSweep(today = todayIso()) {
  const state = await db.selectFrom("job_state").select("value").where("name", "=", "cockpit_sweep").executeTakeFirst();
  if (state && state.value >= today) return false;
  const claimed = state
    ? Number(
        (
          await db
            .updateTable("job_state")
            .set({ value: today })
            .where("name", "=", "cockpit_sweep")
            .where("value", "=", state.value)
            .executeTakeFirst()
        ).numUpdatedRows ?? 0,
      )
    : Number(
        (await sql`INSERT IGNORE INTO job_state (name, value) VALUES ('cockpit_sweep', ${today})`.execute(db))
          .numAffectedRows ?? 0,
      );
  if (!claimed) return false;
  await rebuildCockpit(db, today);
  return true;
}
