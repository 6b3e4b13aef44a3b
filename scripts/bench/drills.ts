/**
 * Drill compliance at city scale (run.ts --only drills): the regulator's figures (`regionCompliance`: plan compliance,
 * overdue enterprises, drills by mode, open rectifications by age) for the city and one district, in a city of
 * 30,000 enterprises and one of 3,000, as module calls (each part alone, then the whole) and as the page over HTTP;
 * median and p95 of repeated runs, and the ratio between the two sizes. Generates `anxun_city_drills_30k` /
 * `anxun_city_drills_3k` with scripts/generate-city.ts when missing, then plants their emergency plans, drills and
 * rectification items afresh (seeded, dated back from today), and prints EXPLAIN (ANALYZE) of every query on the large one.
 */
import { Kysely, MysqlDialect, type LogEvent } from "kysely";
import { createConnection, createPool } from "mysql2/promise";
import type { DrillMode, DrillState, PlanType, RectificationStatus } from "../../db/types";
import { seededRandom } from "../../app/modules/exams/draw";
import { addMonths, PLAN_TYPE_LABELS, requiredIntervalMonths } from "../../app/modules/drills/rules";
import { ensureCity, loginCookie, machine, startServer, writeSection } from "./harness";

const CITIES = [
  ["anxun_city_drills_3k", 3_000],
  ["anxun_city_drills_30k", 30_000],
] as const;
const PEOPLE_PER_ENTERPRISE = 5;
const RUNS = 40;
const WARM = 5;
const DAY = 86400_000;

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Every enterprise gets a 综合应急预案, a 专项应急预案 (a second one for a quarter of them) and, for three in four, a
 * 现场处置方案 (~3 plans; 5 % retired), 0–5 drills over the last 18 months (2.5 on average; 55 % scripted, 30 %
 * unscripted, 15 % double-blind; some still planned, a few cancelled or running) and, for 15 % of the drills held,
 * one or two rectification items whose status and age follow the drill's. A plan's last drill and due date are
 * what the app's own write path would have left (addMonths(last drilled or issued, interval)).
 */
async function plantDrills(url: string, seed: number) {
  const started = Date.now();
  const rand = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)];
  const conn = await createConnection({ uri: url, timezone: "Z" });
  await conn.query("SET unique_checks = 0, foreign_key_checks = 0, time_zone = '+00:00'");
  for (const t of ["rectification", "drill", "emergency_plan"]) await conn.query(`TRUNCATE TABLE \`${t}\``);
  const insert = async (table: string, columns: string[], rows: unknown[][]) => {
    for (let i = 0; i < rows.length; i += 5000) {
      await conn.query(`INSERT INTO \`${table}\` (${columns.join(",")}) VALUES ?`, [rows.slice(i, i + 5000)]);
    }
  };
  const [enterprises] = await conn.query<any[]>(
    "SELECT e.id, e.region_path, e.industry_code, MIN(p.id) AS first_person, COUNT(*) AS people FROM enterprise e JOIN person p ON p.enterprise_id = e.id GROUP BY e.id ORDER BY e.id",
  );

  const at = Date.now();
  const DRILLS_PER_ENTERPRISE = [0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 5, 5]; // mean 2.5
  const MODES: DrillMode[] = [
    "scripted",
    "scripted",
    "scripted",
    "scripted",
    "scripted",
    "scripted",
    "scripted",
    "scripted",
    "scripted",
    "scripted",
    "scripted",
    "unscripted",
    "unscripted",
    "unscripted",
    "unscripted",
    "unscripted",
    "unscripted",
    "double_blind",
    "double_blind",
    "double_blind",
  ];
  const FINDINGS = [
    "应急广播覆盖不到仓库二楼",
    "疏散集合点清点人数超过 10 分钟",
    "正压式空气呼吸器气瓶压力不足",
    "应急物资柜钥匙无人保管",
    "现场指挥与中控室通讯不畅",
    "新员工不清楚报警电话和上报流程",
    "警戒区设置范围偏小",
    "消防水炮冷却启动迟缓",
  ];
  const plans: unknown[][] = [];
  const drills: unknown[][] = [];
  const items: unknown[][] = [];
  let planId = 0;
  let drillId = 0;
  for (const e of enterprises) {
    const organizer = `bench-officer-${e.id}`;
    const owner = Number(e.first_person) + (Number(e.people) > 1 ? 1 : 0); // the safety manager
    const types: PlanType[] = [
      "comprehensive",
      "special",
      ...(rand() < 0.25 ? ["special" as const] : []),
      ...(rand() < 0.75 ? ["onsite" as const] : []),
    ];
    const own = types.map((type) => ({
      id: ++planId,
      type,
      interval: requiredIntervalMonths(type, e.industry_code),
      issued: at - (60 + rand() * 2000) * DAY,
      active: rand() >= 0.05,
      last: null as string | null,
    }));
    const active = own.filter((p) => p.active);
    for (let k = pick(DRILLS_PER_ENTERPRISE); k > 0; k--) {
      const plan = pick(active.length ? active : own);
      const roll = rand();
      let status: DrillState;
      let start: number;
      if (roll < 0.08) {
        status = "planned";
        start = at + rand() * 60 * DAY;
      } // to come
      else if (roll < 0.1) {
        status = "planned";
        start = at - (40 + rand() * 200) * DAY;
      } // never held, window long past
      else if (roll < 0.13) {
        status = "cancelled";
        start = at - rand() * 548 * DAY;
      } else if (roll < 0.132) {
        status = "running";
        start = at - rand() * 3 * 3600_000;
      } else {
        start = at - (0.5 + rand() * 547.5) * DAY;
        if (start < plan.issued) start = plan.issued + rand() * (at - 0.5 * DAY - plan.issued);
        status = at - start < 45 * DAY || rand() < 0.2 ? "ended" : "closed";
      }
      start = Math.floor(start / 60_000) * 60_000;
      const windowDays = 1 + Math.floor(rand() * 30);
      const windowStart = Math.floor((start - rand() * windowDays * DAY) / 60_000) * 60_000;
      const mode = pick(MODES);
      const held = status === "ended" || status === "closed";
      const ended = held ? Math.min(at - 60_000, start + (1 + rand() * 3) * 3600_000) : null;
      const closed = status === "closed" ? Math.min(at - 60_000, ended! + (3 + rand() * 27) * DAY) : null;
      drillId++;
      drills.push([
        drillId,
        plan.id,
        e.id,
        e.region_path,
        e.industry_code,
        organizer,
        `${PLAN_TYPE_LABELS[plan.type]}演练`,
        rand() < 0.4 ? "tabletop" : "live",
        mode,
        mode === "double_blind" && rand() < 0.5 ? 0 : 1,
        new Date(windowStart),
        new Date(windowStart + windowDays * DAY),
        mode === "scripted" ? new Date(start) : null,
        "检验预案的可操作性和各组协同",
        "储罐区法兰泄漏，可燃气体报警",
        "抢险救援组,警戒疏散组,医疗救护组",
        status,
        status === "running" || held ? new Date(start) : null,
        ended ? new Date(ended) : null,
        closed ? new Date(closed) : null,
        held ? "演练按计划完成，发现问题已列入整改" : null,
      ]);
      if (!held) continue;
      const endedOn = iso(ended!);
      if (!plan.last || plan.last < endedOn) plan.last = endedOn;
      if (rand() >= 0.15) continue;
      for (let n = rand() < 0.5 ? 2 : 1; n > 0; n--) {
        const created = Math.min(at - 3600_000, ended! + rand() * 3 * DAY);
        const due = created + (14 + rand() * 46) * DAY;
        const r = rand();
        const itemStatus: RectificationStatus =
          status === "closed"
            ? r < 0.8
              ? "accepted"
              : "closed"
            : r < 0.45
              ? "open"
              : r < 0.65
                ? "submitted"
                : r < 0.8
                  ? "closed"
                  : "accepted";
        const submitted = itemStatus === "open" ? null : Math.min(at - 60_000, created + rand() * 20 * DAY);
        const verified =
          itemStatus === "closed" || itemStatus === "accepted"
            ? Math.min(at - 60_000, submitted! + (1 + rand() * 4) * DAY)
            : null;
        items.push([
          drillId,
          e.id,
          e.region_path,
          pick(FINDINGS),
          owner,
          iso(due),
          itemStatus,
          submitted ? "整改照片及说明" : null,
          submitted ? new Date(submitted) : null,
          verified ? "bench-inspector" : null,
          verified ? new Date(verified) : null,
          organizer,
          new Date(created),
        ]);
      }
    }
    for (const p of own) {
      plans.push([
        p.id,
        e.id,
        e.region_path,
        e.industry_code,
        p.type,
        PLAN_TYPE_LABELS[p.type],
        "本单位可能发生的生产安全事故及响应分级",
        "应急指挥部、抢险救援组、警戒疏散组、医疗救护组",
        iso(p.issued),
        p.interval,
        p.last,
        addMonths(p.last ?? iso(p.issued), p.interval),
        p.active ? 1 : 0,
        organizer,
      ]);
    }
  }
  await insert(
    "emergency_plan",
    [
      "id",
      "enterprise_id",
      "region_path",
      "industry_code",
      "type",
      "title",
      "scenarios",
      "response_roles",
      "issued_on",
      "interval_months",
      "last_drilled_on",
      "due_on",
      "active",
      "created_by",
    ],
    plans,
  );
  await insert(
    "drill",
    [
      "id",
      "plan_id",
      "enterprise_id",
      "region_path",
      "industry_code",
      "organizer_user_id",
      "title",
      "form",
      "mode",
      "announce_window",
      "window_start",
      "window_end",
      "planned_start",
      "objectives",
      "scenario",
      "teams",
      "status",
      "started_at",
      "ended_at",
      "closed_at",
      "summary",
    ],
    drills,
  );
  await insert(
    "rectification",
    [
      "drill_id",
      "enterprise_id",
      "region_path",
      "finding",
      "owner_person_id",
      "due_on",
      "status",
      "evidence",
      "submitted_at",
      "verified_by",
      "verified_at",
      "raised_by",
      "created_at",
    ],
    items,
  );
  await conn.query("SET unique_checks = 1, foreign_key_checks = 1");
  // The same statement as rebuildDrillDue() (app/modules/drills/plans.server.ts), on this raw connection.
  await conn.query(`UPDATE enterprise e LEFT JOIN (SELECT enterprise_id, MIN(due_on) AS due FROM emergency_plan WHERE active = 1 GROUP BY enterprise_id) p
    ON p.enterprise_id = e.id SET e.drill_due_on = p.due`);
  await conn.query("ANALYZE TABLE emergency_plan, drill, rectification, enterprise");
  await conn.end();
  console.log(
    `${plans.length} plans, ${drills.length} drills, ${items.length} rectification items planted (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  return { enterprises: enterprises.length, plans: plans.length, drills: drills.length, items: items.length };
}

type Timing = { p50: number; p95: number };
const percentile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)];

/** Median and p95 of `runs` sequential calls after a few warm-ups (one at a time: no queueing in the figures). */
async function timed(runs: number, fn: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < WARM; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

const captured: { sql: string; parameters: readonly unknown[] }[] = [];
let capturing = false;

/**
 * Point the app's own `db` (one Kysely per process, kept on globalThis by app/lib/db.server) at a city, with a log
 * hook that records the SQL of the queries the module runs while `capturing`, for EXPLAIN.
 */
async function useCity(url: string) {
  const { closeDatabase, createDatabase } = await import("../../app/lib/db.server");
  await closeDatabase();
  const { pool } = createDatabase(url, 10);
  const log = (event: LogEvent) => {
    if (capturing && event.level === "query")
      captured.push({ sql: event.query.sql, parameters: event.query.parameters });
  };
  (globalThis as { __anxunDb?: unknown }).__anxunDb = {
    pool,
    db: new Kysely({ dialect: new MysqlDialect({ pool }), log }),
  };
}

const PARTS = [
  "planCompliance",
  "overdueEnterprises",
  "drillActivity",
  "openRectifications",
  "regionCompliance",
] as const;
type Part = (typeof PARTS)[number];

async function moduleFigures(url: string, regionId: number, explain: boolean) {
  await useCity(url);
  const { db } = await import("../../app/lib/db.server");
  const c = await import("../../app/modules/drills/compliance.server");
  const region = await db
    .selectFrom("region")
    .select(["id", "name", "path", "level", "parent_id"])
    .where("id", "=", regionId)
    .executeTakeFirstOrThrow();
  const calls: Record<Part, () => Promise<unknown>> = {
    planCompliance: () => c.planCompliance(region),
    overdueEnterprises: () => c.overdueEnterprises(region.path),
    drillActivity: () => c.drillActivity(region.path),
    openRectifications: () => c.openRectifications(region.path),
    regionCompliance: () => c.regionCompliance(region),
  };
  const out = {} as Record<Part, Timing>;
  const queries: { part: Part; sql: string; parameters: readonly unknown[] }[] = [];
  for (const part of PARTS) {
    out[part] = await timed(part === "regionCompliance" ? RUNS : RUNS / 2, calls[part]);
    if (explain && part !== "regionCompliance") {
      captured.length = 0;
      capturing = true;
      await calls[part]();
      capturing = false;
      queries.push(...captured.map((q) => ({ part, ...q })));
    }
  }
  const figures = await c.regionCompliance(region);
  const plans = explain ? await explainQueries(url, region.name, queries) : [];
  return { region, timing: out, figures, plans };
}

type QueryPlan = { part: Part; label: string; alone: Timing; access: string; rows: number; extra: string };

/** A query named by what it reads: `table by <WHERE columns> group by …`. */
function queryLabel(sql: string) {
  const table = sql.match(/ from `(\w+)`/)?.[1] ?? "?";
  let grouped = sql.match(/ group by (.*?)(?: order by| limit|$)/)?.[1];
  if (grouped === "1") grouped = sql.match(/ as `(\w+)`/)?.[1]; // GROUP BY 1: the first column's name
  const where = [
    ...(sql.match(/ where (.*?)(?: group by| order by| limit|$)/)?.[1] ?? "").matchAll(
      /`(\w+)`(?:\.`(\w+)`)? (?:=|<|>|>=|<=|like|in|is)/g,
    ),
  ].map((m) => m[2] ?? m[1]);
  return `${table} by ${[...new Set(where)].join(", ")}${grouped ? ` group by ${grouped.replace(/`/g, "")}` : ""}`;
}

/**
 * EXPLAIN via MariaDB's ANALYZE (runs the query: real row counts, `r_rows`) of each query, and its own median time
 * alone; printed in full, and returned (first table of each plan) for the page's queries.
 */
async function explainQueries(
  url: string,
  regionName: string,
  queries: { part: Part; sql: string; parameters: readonly unknown[] }[],
) {
  const { poolOptions } = await import("../../app/lib/db.server");
  const pool = createPool(poolOptions(url, 1));
  await pool.query("SET time_zone = '+00:00'");
  console.log(`\nEXPLAIN / ANALYZE at ${url.split("/").pop()}, ${regionName}:`);
  const out: QueryPlan[] = [];
  for (const q of queries) {
    const alone = await timed(10, () => pool.query(q.sql, q.parameters as unknown[]));
    const [plan] = await pool.query<any[]>(`ANALYZE ${q.sql}`, q.parameters as unknown[]);
    console.log(
      `\n[${q.part}] ${alone.p50.toFixed(1)} ms alone (p95 ${alone.p95.toFixed(1)})\n  ${q.sql.length > 400 ? `${q.sql.slice(0, 400)}…` : q.sql}`,
    );
    for (const r of plan) {
      console.log(
        `  ${r.table} type=${r.type} key=${r.key} key_len=${r.key_len} rows=${r.rows} r_rows=${r.r_rows} filtered=${r.filtered} r_filtered=${r.r_filtered} | ${r.Extra ?? ""}`,
      );
    }
    const first = plan[0];
    out.push({
      part: q.part,
      label: queryLabel(q.sql),
      alone,
      access: first.key ? `${first.type} \`${first.key}\` (key_len ${first.key_len})` : first.type,
      rows: Math.round(Number(first.r_rows)),
      extra: String(first.Extra ?? ""),
    });
  }
  await pool.end();
  return out;
}

/** The page itself for the city and the district, one request at a time as the city regulator (session, loader, React render). */
async function pageFigures(url: string) {
  const stop = await startServer("site", url, 3300, { ANXUN_NO_JOBS: "1" });
  try {
    const site = "http://127.0.0.1:3300";
    const cookie = await loginCookie(site, "city-regulator", "Anxun2026");
    const page = (regionId: number) =>
      timed(RUNS, async () => {
        const res = await fetch(`${site}/drills/compliance?region=${regionId}`, { headers: { cookie } });
        const body = await res.text();
        if (res.status !== 200 || !body.includes("应急演练合规"))
          throw new Error(`/drills/compliance?region=${regionId}: ${res.status}`);
      });
    return { city: await page(1), district: await page(2) };
  } finally {
    stop();
  }
}

export async function drillsBenchmark() {
  const base = new URL(process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/anxun");
  const out: Record<
    string,
    {
      counts: Awaited<ReturnType<typeof plantDrills>>;
      city: Awaited<ReturnType<typeof moduleFigures>>;
      district: Awaited<ReturnType<typeof moduleFigures>>;
      cityPage: Timing;
      districtPage: Timing;
    }
  > = {};
  for (const [name, enterprises] of CITIES) {
    const url = await ensureCity(
      base,
      name,
      { people: enterprises * PEOPLE_PER_ENTERPRISE, enterprises },
      "emergency_plan",
    );
    const counts = await plantDrills(url, 1);
    const large = enterprises === CITIES[1][1];
    const city = await moduleFigures(url, 1, large);
    const district = await moduleFigures(url, 2, large);
    const { city: cityPage, district: districtPage } = await pageFigures(url);
    out[name] = { counts, city, district, cityPage, districtPage };
    console.log(name, JSON.stringify({ counts, city: city.timing, district: district.timing, cityPage, districtPage }));
  }
  const { closeDatabase } = await import("../../app/lib/db.server");
  await closeDatabase();

  const small = out[CITIES[0][0]];
  const big = out[CITIES[1][0]];
  const ms = (t: Timing) => `${t.p50.toFixed(1)} / ${t.p95.toFixed(1)}`;
  const ratio = (b: Timing, s: Timing) => `**${(b.p50 / s.p50).toFixed(1)}**`;
  const timingRow = (label: string, pick: (o: typeof small) => Timing, pickDistrict: (o: typeof small) => Timing) =>
    `| ${label} | ${ms(pick(small))} | ${ms(pick(big))} | ${ratio(pick(big), pick(small))} | ${ms(pickDistrict(small))} | ${ms(pickDistrict(big))} | ${ratio(pickDistrict(big), pickDistrict(small))} |`;
  const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)} %`);
  const shown = (o: typeof small) => {
    const f = o.city.figures;
    return (
      `${pct(f.plans.total.rate)} of ${f.plans.total.plans.toLocaleString("en")} active plans, ${f.plans.total.overdue.toLocaleString("en")} overdue; ` +
      `${f.drills.conducted.toLocaleString("en")} drills in 12 months (${f.drills.unscripted.toLocaleString("en")} unscripted, ${f.drills.doubleBlind.toLocaleString("en")} double-blind), ` +
      `${f.drills.upcoming.toLocaleString("en")} to come; ${f.rectifications.open.toLocaleString("en")} open items (${f.rectifications.overdue.toLocaleString("en")} past due)`
    );
  };
  writeSection(
    "drills",
    [
      "## Drill compliance at city scale",
      "",
      `Command: \`npm run bench -- --only drills\` (generates the two cities with \`scripts/generate-city.ts\` when missing and plants their plans, drills and`,
      `rectification items afresh, dated back from the day of the run). Run: ${machine()}.`,
      `Median / p95 ms of ${RUNS} calls one at a time after ${WARM} warm-ups (each part alone: ${RUNS / 2}): module calls of \`app/modules/drills/compliance.server.ts\``,
      "(server time incl. MariaDB round trips; `regionCompliance` runs the four parts at once on a pool of 10), and the page",
      "`GET /drills/compliance?region=…` over HTTP as the city regulator (session, loader, React render). District = 第1区 (region 2), 1/12 of the city.",
      "",
      "| city | enterprises | active + retired plans | drills (18 months + to come) | rectification items |",
      "| --- | --- | --- | --- | --- |",
      ...[
        [CITIES[0][0], small],
        [CITIES[1][0], big],
      ].map(([n, o]) => {
        const c = (o as typeof small).counts;
        return `| \`${n as string}\` | ${c.enterprises.toLocaleString("en")} | ${c.plans.toLocaleString("en")} | ${c.drills.toLocaleString("en")} | ${c.items.toLocaleString("en")} |`;
      }),
      "",
      `City page shows (3k): ${shown(small)}.`,
      `City page shows (30k): ${shown(big)}.`,
      "",
      "| median / p95 ms | city 3k | city 30k | ratio 30k / 3k | district 3k | district 30k | ratio 30k / 3k |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      timingRow(
        "`planCompliance`",
        (o) => o.city.timing.planCompliance,
        (o) => o.district.timing.planCompliance,
      ),
      timingRow(
        "`overdueEnterprises` (page 1)",
        (o) => o.city.timing.overdueEnterprises,
        (o) => o.district.timing.overdueEnterprises,
      ),
      timingRow(
        "`drillActivity`",
        (o) => o.city.timing.drillActivity,
        (o) => o.district.timing.drillActivity,
      ),
      timingRow(
        "`openRectifications`",
        (o) => o.city.timing.openRectifications,
        (o) => o.district.timing.openRectifications,
      ),
      timingRow(
        "**`regionCompliance`** (all four)",
        (o) => o.city.timing.regionCompliance,
        (o) => o.district.timing.regionCompliance,
      ),
      timingRow(
        "**page** `/drills/compliance`",
        (o) => o.cityPage,
        (o) => o.districtPage,
      ),
      "",
      `EXPLAIN of the page's queries at 30k (MariaDB \`ANALYZE\`: rows = rows the first table returned, \`r_rows\`; ms = the query alone, median of 10).`,
      "Not listed: the lookups by key for the 20 enterprises of the overdue page, and the region and industry names (under 1 ms each).",
      "",
      "| part: query | city: access | rows | ms | district: access | rows | ms | city: Extra |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
      ...big.city.plans.flatMap((q) => {
        // Queries run side by side are logged as they finish: pair them by part and what they read.
        const d = big.district.plans.find((x) => x.part === q.part && x.label === q.label);
        if (!d) throw new Error(`the district did not run ${q.part}: ${q.label}`);
        if (q.alone.p50 < 1 && q.rows < 1000) return [];
        return [
          `| \`${q.part}\`: ${q.label} | ${q.access} | ${q.rows.toLocaleString("en")} | ${q.alone.p50.toFixed(1)} | ${d.access} | ${d.rows.toLocaleString("en")} | ${d.alone.p50.toFixed(1)} | ${q.extra} |`,
        ];
      }),
      "",
      "Applied after the first run of this benchmark: `enterprise.drill_due_on` (each enterprise's earliest active plan due date, kept",
      "with its plans) and its index `(drill_due_on, id, region_path)` make the overdue-enterprise list one ordered index walk that stops",
      "after a page (205 → 2 ms for the city); `drill_upcoming (status, region_path, window_end, window_start)` and `due_on` in",
      "`rectification_region` make the upcoming-drill and open-item counts covering.",
      "",
      "Still growing with the city: `planCompliance` and the drills-by-mode count are covering ranges over every active plan and every drill",
      "of the last 12 months in the subtree. Next step if a province needs it: a `drill_summary_region` kept like `cert_summary_region`",
      "(region × industry: active plans, compliant, due soon; region × mode: drills ended in the 12 months up to yesterday), updated on plan",
      "and drill writes and rebuilt by the daily sweep (a plan's status changes only at midnight), plus the drills ended since midnight.",
    ].join("\n"),
  );
}
