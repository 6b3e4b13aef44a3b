/**
 * Certification rates at city scale (run.ts --only certification): the city page and a district drill-down
 * for a city of 100,000 and of 1,000,000 people (about three certificates each), median server time with one
 * connection, and the ratio between the two sizes. Generates `anxun_city_100k` / `anxun_city_1m` when missing.
 */
import { createPool } from "mysql2/promise";
import { ensureCity, loginCookie, machine, measure, startServer, writeSection } from "./harness";

export async function certificationBenchmark() {
  const base = new URL(process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/anxun");
  const out: Record<string, { city: number; district: number; people: number; certificates: number }> = {};
  for (const [name, people] of [["anxun_city_100k", 100_000], ["anxun_city_1m", 1_000_000]] as const) {
    const url = await ensureCity(base, name, { people }, "cert_summary_region");
    const pool = createPool({ uri: url, connectionLimit: 1 });
    const [[c]] = await pool.query<any[]>("SELECT COUNT(*) AS n FROM certificate");
    await pool.end();
    const stop = await startServer("site", url, 3300, { ANXUN_NO_JOBS: "1" });
    try {
      const site = "http://127.0.0.1:3300";
      const cookie = await loginCookie(site, "city-regulator", "Anxun2026");
      const city = await measure(site, { path: "/certification/region/1", headers: { cookie }, connections: 1, seconds: 8 });
      const district = await measure(site, { path: "/certification/region/2", headers: { cookie }, connections: 1, seconds: 8 });
      out[name] = { city: city.p50, district: district.p50, people, certificates: Number(c.n) };
      console.log(name, out[name]);
    } finally {
      stop();
    }
  }
  const small = out.anxun_city_100k;
  const big = out.anxun_city_1m;
  writeSection("certification", [
    "## Certification rates at city scale",
    "",
    `Command: \`npm run bench -- --only certification\` (generates the two cities with \`scripts/generate-city.ts\` when missing). Run: ${machine()}.`,
    "Median latency of one connection at a time (= server time plus loopback), logged in as the city regulator, 8 s each after a warm-up.",
    "",
    "| city | people | certificates | city page `/certification/region/1` | district drill-down `/certification/region/2` |",
    "| --- | --- | --- | --- | --- |",
    `| 100k | ${small.people.toLocaleString("en")} | ${small.certificates.toLocaleString("en")} | ${small.city} ms | ${small.district} ms |`,
    `| 1M | ${big.people.toLocaleString("en")} | ${big.certificates.toLocaleString("en")} | ${big.city} ms | ${big.district} ms |`,
    `| **ratio 1M / 100k** | | | **${(big.city / Math.max(1, small.city)).toFixed(2)}** (target < 3) | **${(big.district / Math.max(1, small.district)).toFixed(2)}** |`,
    "",
    "The pages read `cert_summary_region` rows (a region and its children), kept up to date on every write and by the",
    "daily sweep, so their cost does not grow with the number of people or certificates. Target: city page under 300 ms.",
  ].join("\n"));
}
