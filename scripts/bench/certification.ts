/**
 * Certification rates at city scale (run.ts --only certification): the city page and a district drill-down
 * for a city of 100,000 and of 1,000,000 people (about three certificates each), median server time with one
 * connection, and the ratio between the two sizes. Generates `anxun_city_100k` / `anxun_city_1m` when missing.
 */
import { createPool } from "mysql2/promise";
import { ensureCity, loginCookie, machine, measure, startServer, writeSection } from "./harness";

export async function certificationBenchmark() {
  const base = new URL(process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/anxun");
  const out: Record<
    string,
    {
      city: number;
      district: number;
      people: number;
      certificates: number;
      cockpit: number;
      cockpitDistrict: number;
      enterprises: number;
    }
  > = {};
  // BENCH_CITY_SIZES=100000,300000 measures other sizes (e.g. where generating the million city takes too long).
  const sizes = (process.env.BENCH_CITY_SIZES ?? "100000,1000000").split(",").map(Number);
  const nameOf = (people: number) =>
    people === 100_000 ? "anxun_city_100k" : people === 1_000_000 ? "anxun_city_1m" : `anxun_city_${people}`;
  for (const people of sizes) {
    const name = nameOf(people);
    // cockpit_worst (migration 0015) marks a city generated with the cockpit summaries.
    const url = await ensureCity(base, name, { people }, "cockpit_worst");
    const pool = createPool({ uri: url, connectionLimit: 1 });
    const [[c]] = await pool.query<any[]>(
      "SELECT COUNT(*) AS n, (SELECT COUNT(*) FROM enterprise) AS e FROM certificate",
    );
    await pool.end();
    const stop = await startServer("site", url, 3300, { ANXUN_NO_JOBS: "1" });
    try {
      const site = "http://127.0.0.1:3300";
      const cookie = await loginCookie(site, "city-regulator", "Anxun2026");
      const city = await measure(site, {
        path: "/certification/region/1",
        headers: { cookie },
        connections: 1,
        seconds: 8,
      });
      const district = await measure(site, {
        path: "/certification/region/2",
        headers: { cookie },
        connections: 1,
        seconds: 8,
      });
      // The city cockpit 驾驶舱 (the regulator's home reads the same), and a district's on another KPI.
      const cockpit = await measure(site, { path: "/cockpit", headers: { cookie }, connections: 1, seconds: 8 });
      const cockpitDistrict = await measure(site, {
        path: "/cockpit?regionId=2&kpi=hours",
        headers: { cookie },
        connections: 1,
        seconds: 8,
      });
      out[name] = {
        city: city.p50,
        district: district.p50,
        people,
        certificates: Number(c.n),
        cockpit: cockpit.p50,
        cockpitDistrict: cockpitDistrict.p50,
        enterprises: Number(c.e),
      };
      console.log(name, out[name]);
    } finally {
      stop();
    }
  }
  const small = out[nameOf(sizes[0])];
  const big = out[nameOf(sizes[sizes.length - 1])];
  const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
  writeSection(
    "certification",
    [
      "## Certification rates at city scale",
      "",
      `Command: \`npm run bench -- --only certification\` (generates the two cities with \`scripts/generate-city.ts\` when missing). Run: ${machine()}.`,
      "Median latency of one connection at a time (= server time plus loopback), logged in as the city regulator, 8 s each after a warm-up.",
      "",
      "| city | people | certificates | city page `/certification/region/1` | district drill-down `/certification/region/2` |",
      "| --- | --- | --- | --- | --- |",
      `| ${label(small.people)} | ${small.people.toLocaleString("en")} | ${small.certificates.toLocaleString("en")} | ${small.city} ms | ${small.district} ms |`,
      `| ${label(big.people)} | ${big.people.toLocaleString("en")} | ${big.certificates.toLocaleString("en")} | ${big.city} ms | ${big.district} ms |`,
      `| **ratio ${label(big.people)} / ${label(small.people)}** | | | **${(big.city / Math.max(1, small.city)).toFixed(2)}** (target < 3) | **${(big.district / Math.max(1, small.district)).toFixed(2)}** |`,
      "",
      "The pages read `cert_summary_region` rows (a region and its children), kept up to date on every write and by the",
      "daily sweep, so their cost does not grow with the number of people or certificates. Target: city page under 300 ms.",
      "",
      "### City cockpit 驾驶舱",
      "",
      "Same run, same server. `/cockpit` is the regulator's home cockpit (five KPIs, 12-month trend, district ranking, ten worst",
      "enterprises on 持证率); the district one ranks on 学时达标率. Both read only kept rows (decision 0022): `cockpit_month`,",
      "`cert_summary_region` / `cert_summary_month` and the ten kept `cockpit_worst` rows, so they do not grow with people or enterprises.",
      "",
      "| city | people | enterprises | city cockpit `/cockpit` (median) | district cockpit `/cockpit?regionId=2&kpi=hours` (median) |",
      "| --- | --- | --- | --- | --- |",
      `| ${label(small.people)} | ${small.people.toLocaleString("en")} | ${small.enterprises.toLocaleString("en")} | ${small.cockpit} ms | ${small.cockpitDistrict} ms |`,
      `| ${label(big.people)} | ${big.people.toLocaleString("en")} | ${big.enterprises.toLocaleString("en")} | ${big.cockpit} ms | ${big.cockpitDistrict} ms |`,
      `| **ratio ${label(big.people)} / ${label(small.people)}** | | | **${(big.cockpit / Math.max(1, small.cockpit)).toFixed(2)}** (target: under 300 ms at 1M) | **${(big.cockpitDistrict / Math.max(1, small.cockpitDistrict)).toFixed(2)}** |`,
    ].join("\n"),
  );
}
