/**
 * Fill a database with a realistic city for scale work (not part of the tests):
 *   npm run generate:city -- [--people 1000000] [--enterprises 30000] [--districts 12] [--towns 150]
 *                            [--database anxun_city] [--seed 1]
 * The database is dropped and rebuilt. Rows go in through multi-row INSERTs of a few thousand rows.
 * Accounts (password Anxun2026): `city-regulator`, `district-1-inspector` …, `officer-1` … (first enterprises).
 */
import { parseArgs } from "node:util";
import { createConnection } from "mysql2/promise";
import { generateIdFromEntropySize } from "lucia";
import { createDatabase } from "../app/lib/db.server";
import { hashPassword } from "../app/modules/auth/password.server";
import { hashIdNumber } from "../app/modules/org/id-hash.server";
import { maskIdNumber } from "../app/modules/org/identifiers";
import { INDUSTRIES } from "../app/modules/org/labels";
import { createDatabaseIfMissing, dropDatabase, migrateToLatest } from "../db/migrate";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { makeIdNumber, makeUscc } from "../db/seed/identifiers";
import { seedReference } from "../db/seed/reference";
import { ensureServer } from "./mysql-server";
import { seededRandom } from "../app/modules/exams/draw";
import { monthOf } from "../app/lib/calendar";

const { values: opts } = parseArgs({
  options: {
    people: { type: "string", default: "1000000" },
    enterprises: { type: "string" },
    districts: { type: "string", default: "12" },
    towns: { type: "string", default: "150" },
    database: { type: "string", default: "anxun_city" },
    seed: { type: "string", default: "1" },
  },
});
const PEOPLE = Number(opts.people);
const ENTERPRISES = Number(opts.enterprises ?? Math.max(10, Math.round(PEOPLE * 0.03)));
const DISTRICTS = Number(opts.districts);
const TOWNS = Math.max(DISTRICTS, Number(opts.towns));

// The same seeded generator the draw tests use, so the same arguments build the same city.
const rand = seededRandom(Number(opts.seed));
const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)];

// Share of enterprises per industry in an industrial city, and the share of special operators in each.
const INDUSTRY_MIX: Record<string, { weight: number; operators: number }> = {
  other_industry_trade: { weight: 40, operators: 0.08 },
  construction: { weight: 12, operators: 0.15 },
  transport: { weight: 10, operators: 0.05 },
  hazardous_chemicals: { weight: 8, operators: 0.2 },
  metallurgy: { weight: 5, operators: 0.2 },
  dust_explosion: { weight: 8, operators: 0.1 },
  ammonia_refrigeration: { weight: 4, operators: 0.15 },
  confined_space: { weight: 6, operators: 0.12 },
  non_coal_mining: { weight: 3, operators: 0.25 },
  coal_mining: { weight: 1, operators: 0.3 },
  fireworks: { weight: 3, operators: 0.2 },
};
const industryWheel = INDUSTRIES.flatMap((i) => Array(INDUSTRY_MIX[i.code]?.weight ?? 1).fill(i.code) as string[]);
const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈";
const GIVEN = "伟芳娜敏静强磊军洋勇艳杰涛明超秀英华平刚桂兰玉萍红建国海燕志丽波辉鹏宇浩凯晨";
const RISKS = ["red", "orange", "orange", "yellow", "yellow", "yellow", "blue", "blue", "blue", "blue"] as const;

async function main() {
  const started = Date.now();
  const server = new URL(await ensureServer());
  server.pathname = `/${opts.database}`;
  const url = server.toString();
  await dropDatabase(url);
  await createDatabaseIfMissing(url);
  const { db } = createDatabase(url, 2);
  await migrateToLatest(db);
  await seedReference(db);
  await db.destroy();

  const conn = await createConnection({ uri: url, multipleStatements: false, timezone: "Z" });
  await conn.query("SET unique_checks = 0, foreign_key_checks = 0, time_zone = '+00:00'");
  const insert = async (table: string, columns: string[], rows: unknown[][]) => {
    for (let i = 0; i < rows.length; i += 5000) {
      await conn.query(`INSERT INTO \`${table}\` (${columns.join(",")}) VALUES ?`, [rows.slice(i, i + 5000)]);
    }
  };

  // Regions: city > districts > towns, ids assigned here so paths are known without a round trip.
  const regionRows: unknown[][] = [[1, null, "示范市", "city", "339900", "/1/"]];
  const towns: { id: number; path: string; code: string }[] = [];
  for (let d = 0; d < DISTRICTS; d++) {
    const districtId = 2 + d;
    regionRows.push([
      districtId,
      1,
      `第${d + 1}区`,
      "district",
      `3399${String(d + 10).padStart(2, "0")}`,
      `/1/${districtId}/`,
    ]);
  }
  for (let t = 0; t < TOWNS; t++) {
    const d = t % DISTRICTS;
    const districtId = 2 + d;
    const id = 2 + DISTRICTS + t;
    regionRows.push([
      id,
      districtId,
      `第${d + 1}区第${Math.floor(t / DISTRICTS) + 1}镇街`,
      "town",
      null,
      `/1/${districtId}/${id}/`,
    ]);
    towns.push({ id, path: `/1/${districtId}/${id}/`, code: `3399${String(d + 10).padStart(2, "0")}` });
  }
  await insert("region", ["id", "parent_id", "name", "level", "code", "path"], regionRows);

  // Enterprises: sizes heavy-tailed (many small, a few large) and scaled to the people total.
  const raw = Array.from({ length: ENTERPRISES }, () => Math.exp(rand() * 4.5));
  const scale = PEOPLE / raw.reduce((a, b) => a + b, 0);
  const sizes = raw.map((r) => Math.max(3, Math.round(r * scale)));
  let excess = sizes.reduce((a, b) => a + b, 0) - PEOPLE;
  for (let i = 0; excess !== 0 && i < sizes.length * 4; i++) {
    const k = i % sizes.length;
    if (excess > 0 && sizes[k] > 3) {
      sizes[k]--;
      excess--;
    } else if (excess < 0) {
      sizes[k]++;
      excess++;
    }
  }
  const enterprises = sizes.map((size, i) => ({ id: i + 1, size, industry: pick(industryWheel), town: pick(towns) }));
  await insert(
    "enterprise",
    ["id", "name", "uscc", "region_id", "region_path", "industry_code", "risk_level"],
    enterprises.map((e) => [
      e.id,
      `示范${e.town.code.slice(-2)}区${e.industry.slice(0, 3)}企业${e.id}号有限公司`,
      makeUscc(e.town.code, e.id),
      e.town.id,
      e.town.path,
      e.industry,
      pick(RISKS),
    ]),
  );
  console.log(
    `${regionRows.length} regions, ${enterprises.length} enterprises (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );

  // People: one principal, safety managers by size, special operators by industry, the rest workers.
  let personId = 0;
  let batch: unknown[][] = [];
  let certs: unknown[][] = [];
  let certNo = 0;
  const flush = async () => {
    await insert(
      "person",
      ["id", "enterprise_id", "name", "id_number_hash", "id_number_masked", "phone", "post", "hire_date"],
      batch,
    );
    batch = [];
    await insert(
      "certificate",
      [
        "person_id",
        "enterprise_id",
        "region_path",
        "kind",
        "category",
        "item",
        "number",
        "valid_from",
        "expires_on",
        "review_due_on",
        "valid_until",
      ],
      certs,
    );
    certs = [];
  };
  const today = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const YEAR = 365.25 * 86400_000;
  // About three certificates a person over the years: the current one of each post that needs one (most valid,
  // some lapsed), older expired ones, and special-equipment licences (forklifts, cranes) among workers.
  const addCert = (
    pid: number,
    e: (typeof enterprises)[number],
    kind: string,
    ageYears: number,
    years: number,
    reviewYears: number | null,
  ) => {
    certNo++;
    const from = today - ageYears * YEAR;
    const expires = from + years * YEAR - 86400_000;
    const review = reviewYears ? from + reviewYears * YEAR - 86400_000 : null;
    certs.push([
      pid,
      e.id,
      e.town.path,
      kind,
      kind === "special_operation" ? "电工作业" : null,
      kind === "special_operation" ? "低压电工作业" : null,
      `G${String(certNo).padStart(12, "0")}`,
      iso(from),
      iso(expires),
      review ? iso(review) : null,
      iso(Math.min(expires, review ?? expires)),
    ]);
  };
  for (const e of enterprises) {
    const managers = Math.max(1, Math.round(e.size / 100));
    const operators = Math.round(e.size * (INDUSTRY_MIX[e.industry]?.operators ?? 0.1));
    for (let k = 0; k < e.size; k++) {
      personId++;
      const post =
        k === 0
          ? "principal"
          : k <= managers
            ? "safety_manager"
            : k <= managers + operators
              ? "special_operator"
              : "worker";
      const birth = `${1965 + Math.floor(rand() * 40)}-${String(1 + Math.floor(rand() * 12)).padStart(2, "0")}-${String(1 + Math.floor(rand() * 28)).padStart(2, "0")}`;
      const idNumber = makeIdNumber(e.town.code, birth, personId);
      // No id_number_cipher (decision 0031): generated numbers are not unique (hence the salted hash below), and the
      // ledger export shows "—" for a person without one, as for any person entered before migration 0023.
      batch.push([
        personId,
        e.id,
        pick([...SURNAMES]) + pick([...GIVEN]) + (rand() < 0.6 ? pick([...GIVEN]) : ""),
        hashIdNumber(`${idNumber}#${personId}`),
        maskIdNumber(idNumber),
        `13${String(Math.floor(rand() * 1e9)).padStart(9, "0")}`,
        post,
        `${2000 + Math.floor(rand() * 26)}-${String(1 + Math.floor(rand() * 12)).padStart(2, "0")}-01`,
      ]);
      const current = rand() * 6.5; // a few hold one past its review or expiry
      if (post === "special_operator") {
        addCert(personId, e, "special_operation", current, 6, 3);
        addCert(personId, e, "special_operation", current + 6, 6, 3);
        addCert(personId, e, "special_equipment", rand() * 8, 4, null);
      } else if (post === "principal" || post === "safety_manager") {
        addCert(personId, e, "principal_manager", current / 2, 3, null);
        addCert(personId, e, "principal_manager", current / 2 + 3, 3, null);
        addCert(personId, e, "principal_manager", current / 2 + 6, 3, null);
      } else {
        addCert(personId, e, "special_equipment", rand() * 8, 4, null);
        addCert(personId, e, "special_equipment", rand() * 8 + 4, 4, null);
        if (rand() < 0.9) addCert(personId, e, "special_equipment", rand() * 8 + 8, 4, null);
      }
      if (batch.length >= 20000) await flush();
    }
    if (personId % 200000 < e.size)
      console.log(`  ${personId} people (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  await flush();

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const accounts: unknown[][] = [
    [generateIdFromEntropySize(10), "city-regulator", passwordHash, "regulator", "市级监管", null, 1, null],
    [generateIdFromEntropySize(10), "city-admin", passwordHash, "admin", "管理员", null, null, null],
  ];
  for (let d = 0; d < DISTRICTS; d++) {
    accounts.push([
      generateIdFromEntropySize(10),
      `district-${d + 1}-inspector`,
      passwordHash,
      "inspector",
      `第${d + 1}区执法`,
      null,
      2 + d,
      null,
    ]);
  }
  let firstPerson = 1;
  for (const e of enterprises.slice(0, 50)) {
    accounts.push([
      generateIdFromEntropySize(10),
      `officer-${e.id}`,
      passwordHash,
      "enterprise_officer",
      `企业${e.id}培训管理员`,
      e.id,
      null,
      null,
    ]);
    accounts.push([
      generateIdFromEntropySize(10),
      `worker-${e.id}`,
      passwordHash,
      "worker",
      `企业${e.id}员工`,
      e.id,
      null,
      firstPerson + e.size - 1,
    ]);
    firstPerson += e.size;
  }
  await insert(
    "user",
    ["id", "username", "password_hash", "role", "display_name", "enterprise_id", "region_id", "person_id"],
    accounts,
  );
  await conn.query("SET unique_checks = 1, foreign_key_checks = 1");
  await conn.query("ANALYZE TABLE region, enterprise, person, user, certificate");
  await conn.end();
  const { createDatabase: open } = await import("../app/lib/db.server");
  const { rebuildSummaries, snapshotMonth } = await import("../app/modules/certification/summary.server");
  const handle = open(url, 2);
  await rebuildSummaries(handle.db);
  await snapshotMonth(monthOf(new Date()), handle.db);
  const { rebuildCockpit } = await import("../app/modules/cockpit/summary.server");
  const cockpitStarted = Date.now();
  await rebuildCockpit(handle.db);
  console.log(`Cockpit summaries built (${((Date.now() - cockpitStarted) / 1000).toFixed(1)} s).`);
  await handle.db.destroy();
  console.log(
    `${certNo} certificates; certification summaries built (${((Date.now() - started) / 1000).toFixed(1)} s).`,
  );
  console.log(`Done: ${personId} people in ${opts.database} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
