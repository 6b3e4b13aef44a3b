import ExcelJS from "exceljs";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { advanceClock, resetClock } from "../../app/lib/clock.server";
import { action as importAction } from "../../app/routes/certification.import";
import { loader as enterpriseLoader } from "../../app/routes/certification.enterprise.$id";
import { loader as regionLoader } from "../../app/routes/certification.region.$id";
import { loader as alertsLoader } from "../../app/routes/certification.alerts";
import { action as personAction, loader as personLoader } from "../../app/routes/people.$id";
import { dailyCertificationSweep } from "../../app/modules/certification/summary.server";
import { caseOf, cookieOf, personIdsOf, request, run } from "../support/actors";
import { makeIdNumber } from "../../db/seed/identifiers";

const A = "安澜宏达化工有限公司";
const B = "安澜金属制品有限公司";
const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
afterEach(() => resetClock());

/** A region's id read back by name (ids are not consecutive on a multi-primary cluster: never hard-code them). */
const regionId = async (name: string) =>
  String((await db.selectFrom("region").select("id").where("name", "=", name).executeTakeFirstOrThrow()).id);

/**
 * The ID number the demo seed gave a person of 滨江区: the seed numbers people 1, 2, 3 … in the order it inserts them,
 * so the sequence is the person's rank by id (ids step by the cluster size on Galera, so not the id itself).
 */
async function seqIdOf(personId: number) {
  const { hashIdNumber } = await import("../../app/modules/org/id-hash.server");
  const rank = await db
    .selectFrom("person")
    .select(sql<number>`COUNT(*)`.as("n"))
    .where("id", "<=", personId)
    .executeTakeFirstOrThrow();
  const seq = Number(rank.n);
  const id = makeIdNumber("339901", `${1970 + ((seq * 7) % 30)}-0${1 + (seq % 9)}-1${seq % 9}`, seq);
  const p = await db.selectFrom("person").select("id_number_hash").where("id", "=", personId).executeTakeFirstOrThrow();
  if (hashIdNumber(id) !== p.id_number_hash) throw new Error(`no seed ID number for person ${personId}`);
  return id;
}

async function workbook(rows: (string | number)[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("证书");
  ws.addRow([
    "姓名",
    "身份证号码",
    "证书类型",
    "作业类别",
    "准操项目",
    "证书编号",
    "发证机关",
    "初领日期",
    "有效期开始",
    "有效期结束",
    "应复审日期",
    "实际复审日期",
  ]);
  rows.forEach((r) => ws.addRow(r));
  return new Blob([await wb.xlsx.writeBuffer()]);
}

const upload = (cookie: string, file: Blob) => {
  const form = new FormData();
  form.set("file", file, "certs.xlsx");
  return request("/certification/import", cookie, form);
};

describe("certificates and certification rates", () => {
  it("imports good rows, reports every bad one, and the rate changes from the Excel file", async () => {
    const officer = await cookieOf("officer");
    const people = await personIdsOf(A);
    const enterpriseId = String(people[0].enterprise_id);
    const before = await run(() =>
      enterpriseLoader(args(request(`/certification/enterprise/${enterpriseId}`, officer), { id: enterpriseId })),
    );
    const ops = people.filter((p) => p.post === "special_operator");
    const sm2 = people.filter((p) => p.post === "safety_manager")[1];
    const name = async (id: number) =>
      (await db.selectFrom("person").select("name").where("id", "=", id).executeTakeFirstOrThrow()).name;
    const file = await workbook([
      [
        await name(sm2.id),
        await seqIdOf(sm2.id),
        "安全生产知识和管理能力考核合格证",
        "",
        "",
        "A33990000099001",
        "安澜市应急管理局",
        "2025-01-01",
        "2025-01-01",
        "2027-12-31",
        "",
        "",
      ],
      [
        await name(ops[1].id),
        await seqIdOf(ops[1].id),
        "特种作业操作证",
        "电工作业",
        "低压电工作业",
        "T33990000099002",
        "",
        "2024-05-01",
        "2024-05-01",
        "2030-04-30",
        "2027-04-30",
        "",
      ],
      [
        "某某",
        "110105194912310021",
        "特种作业操作证",
        "电工作业",
        "低压电工作业",
        "T33990000099003",
        "",
        "",
        "2024-05-01",
        "2030-04-30",
        "",
        "",
      ],
      [
        await name(ops[0].id),
        await seqIdOf(ops[0].id),
        "特种作业操作证",
        "电工作业",
        "焊工作业",
        "T33990000099004",
        "",
        "",
        "2024-05-01",
        "2030-04-30",
        "",
        "",
      ],
      [
        await name(ops[0].id),
        await seqIdOf(ops[0].id),
        "驾驶证",
        "",
        "",
        "X1",
        "",
        "",
        "2024-05-01",
        "2030-04-30",
        "",
        "",
      ],
      [
        await name(ops[0].id),
        makeIdNumber("339901", "1990-01-01", 999),
        "特种作业操作证",
        "电工作业",
        "低压电工作业",
        "T33990000099005",
        "",
        "",
        "2024-05-01",
        "2030-04-30",
        "",
        "",
      ],
      [
        await name(ops[1].id),
        await seqIdOf(ops[1].id),
        "特种作业操作证",
        "电工作业",
        "低压电工作业",
        "T33990000099006",
        "",
        "",
        "2024-05-01",
        "2023-04-30",
        "",
        "",
      ],
    ]);
    const preview = await run(() => importAction(args(upload(officer, file))));
    expect(caseOf(preview.data, "stage", "preview").valid.map((v: { row: number }) => v.row)).toEqual([2, 3]);
    const byRow: Record<number, string> = {};
    for (const p of caseOf(preview.data, "stage", "preview").problems as {
      row: number;
      column: string;
      reason: string;
    }[])
      byRow[p.row] = `${byRow[p.row] ?? ""} ${p.column}: ${p.reason}`;
    expect(byRow[4]).toContain("校验位");
    expect(byRow[5]).toContain("准操项目");
    expect(byRow[6]).toContain("无法识别的证书类型");
    expect(byRow[7]).toContain("名册中没有此人");
    expect(byRow[8]).toContain("有效期结束须晚于开始");
    const rows = JSON.stringify(
      caseOf(preview.data, "stage", "preview").valid.map(
        ({ personId, input }: { personId: number; input: unknown }) => ({ personId, input }),
      ),
    );
    const done = await run(() => importAction(args(request("/certification/import", officer, { rows }))));
    expect(done.data).toEqual({ stage: "done", count: 2 });
    const after = await run(() =>
      enterpriseLoader(args(request(`/certification/enterprise/${enterpriseId}`, officer), { id: enterpriseId })),
    );
    expect(after.data.total.holding).toBe(before.data.total.holding + 2);
    // The region rolls up the same change, from the summary rows.
    const regulator = await cookieOf("regulator");
    const cityId = await regionId("安澜市");
    const city = await run(() =>
      regionLoader(args(request(`/certification/region/${cityId}`, regulator), { id: cityId })),
    );
    const cityRow = await db
      .selectFrom("cert_summary_region")
      .select((eb) => [eb.fn.sum<number>("holding").as("h")])
      .where("region_id", "=", Number(cityId))
      .executeTakeFirstOrThrow();
    expect(city.data.total.holding).toBe(Number(cityRow.h));
    // A forged batch naming a person of another enterprise writes nothing.
    const [b] = await personIdsOf(B);
    const forged = JSON.stringify([
      {
        personId: b.id,
        input: {
          kind: "principal_manager",
          number: "A0000000000001",
          validFrom: "2025-01-01",
          expiresOn: "2027-01-01",
        },
      },
    ]);
    expect(
      (await run(() => importAction(args(request("/certification/import", officer, { rows: forged }))))).status,
    ).toBe(409);
  });

  it("keeps the rate true as time passes: a lapsed certificate stops counting after the daily sweep", async () => {
    const officer = await cookieOf("officer");
    const enterpriseId = String((await personIdsOf(A))[0].enterprise_id);
    const now = await run(() =>
      enterpriseLoader(args(request(`/certification/enterprise/${enterpriseId}`, officer), { id: enterpriseId })),
    );
    advanceClock(70 * 86400_000); // the safety manager's certificate (60 days left) lapses
    await db.deleteFrom("job_state").execute();
    await db
      .insertInto("job_state")
      .values({ name: "cert_sweep", value: new Date().toISOString().slice(0, 10) })
      .execute();
    expect(await dailyCertificationSweep()).toBeGreaterThanOrEqual(1);
    const later = await run(() =>
      enterpriseLoader(args(request(`/certification/enterprise/${enterpriseId}`, officer), { id: enterpriseId })),
    );
    expect(later.data.total.holding).toBeLessThan(now.data.total.holding);
  });

  it("lists certificates due for review or expiring, and overdue ones", async () => {
    const officer = await cookieOf("officer");
    const enterpriseId = (await personIdsOf(A))[0].enterprise_id;
    const soon = await run(() =>
      alertsLoader(args(request(`/certification/alerts?enterpriseId=${enterpriseId}&window=30`, officer))),
    );
    expect(soon.data.rows.map((r: { status: string }) => r.status)).toContain("即将复审");
    // A certificate that lapsed and was not renewed is overdue; the one renewed by the import above is not.
    const worker = (await personIdsOf(A)).find((p) => p.post === "worker")!;
    const path = (
      await db.selectFrom("enterprise").select("region_path").where("id", "=", enterpriseId).executeTakeFirstOrThrow()
    ).region_path;
    await db
      .insertInto("certificate")
      .values({
        person_id: worker.id,
        enterprise_id: enterpriseId,
        region_path: path,
        kind: "special_equipment",
        number: "E-OLD-1",
        valid_from: "2020-01-01",
        expires_on: "2026-06-30",
        valid_until: "2026-06-30",
        category: null,
        item: null,
        authority: null,
        first_issued_on: null,
        review_due_on: null,
        last_reviewed_on: null,
        revoked_on: null,
      })
      .execute();
    const overdue = await run(() =>
      alertsLoader(args(request(`/certification/alerts?enterpriseId=${enterpriseId}&window=overdue`, officer))),
    );
    expect(overdue.data.rows.map((r: { number: string }) => r.number)).toEqual(["E-OLD-1"]);
  });

  it("an officer of A sees no person of B; a regulator sees only their region subtree", async () => {
    const officer = await cookieOf("officer");
    const b = (await personIdsOf(B))[0];
    expect(
      (
        await run(() =>
          enterpriseLoader(
            args(request(`/certification/enterprise/${b.enterprise_id}`, officer), { id: String(b.enterprise_id) }),
          ),
        )
      ).status,
    ).toBe(403);
    expect(
      (await run(() => alertsLoader(args(request(`/certification/alerts?enterpriseId=${b.enterprise_id}`, officer)))))
        .status,
    ).toBe(403);
    const [cityId, qingshan, binjiang] = [await regionId("安澜市"), await regionId("青山县"), await regionId("滨江区")];
    expect(
      (await run(() => regionLoader(args(request(`/certification/region/${cityId}`, officer), { id: cityId })))).status,
    ).toBe(403);
    const inspector2 = await cookieOf("inspector2"); // 青山县
    expect(
      (await run(() => regionLoader(args(request(`/certification/region/${qingshan}`, inspector2), { id: qingshan }))))
        .status,
    ).toBe(200);
    expect(
      (await run(() => regionLoader(args(request(`/certification/region/${binjiang}`, inspector2), { id: binjiang }))))
        .status,
    ).toBe(403);
    expect(
      (await run(() => regionLoader(args(request(`/certification/region/${cityId}`, inspector2), { id: cityId }))))
        .status,
    ).toBe(403);
    expect(
      (await run(() => alertsLoader(args(request(`/certification/alerts?regionId=${binjiang}`, inspector2))))).status,
    ).toBe(403);
  });

  it("adds a certificate on the person's page with checked input, and shows it with its status", async () => {
    const officer = await cookieOf("officer");
    const op = (await personIdsOf(A)).filter((p) => p.post === "special_operator")[1];
    const bad = await run(() =>
      personAction(
        args(
          request(`/people/${op.id}`, officer, {
            intent: "certificate",
            kind: "special_operation",
            category: "电工作业",
            item: "钎焊作业",
            number: "T1",
            validFrom: "2026-01-01",
            expiresOn: "2025-01-01",
          }),
          { id: String(op.id) },
        ),
      ),
    );
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.data.fieldErrors).sort()).toEqual(["expiresOn", "item", "number"]);
    const ok = await run(() =>
      personAction(
        args(
          request(`/people/${op.id}`, officer, {
            intent: "certificate",
            kind: "special_operation",
            category: "电工作业",
            item: "低压电工作业",
            number: "T339900123456",
            validFrom: "2026-01-01",
            expiresOn: "2031-12-31",
            reviewDueOn: "2028-12-31",
          }),
          { id: String(op.id) },
        ),
      ),
    );
    expect(ok.status).toBe(302);
    const page = await run(() => personLoader(args(request(`/people/${op.id}`, officer), { id: String(op.id) })));
    expect(page.data.certificates.find((c: { number: string }) => c.number === "T339900123456")!.status).toBe("valid");
  });
});

describe("registry export and home alerts", () => {
  it("exports the enterprise's registry to Excel, refuses another enterprise, and shows alert counts at home", async () => {
    const { loader: exportLoader } = await import("../../app/routes/certification.export");
    const { loader: homeLoader } = await import("../../app/routes/_index");
    const officer = await cookieOf("officer");
    const res = (await exportLoader(args(request("/certification/export", officer)))) as Response;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const sheet = wb.worksheets[0];
    expect(sheet.getRow(1).getCell(6).value).toBe("证书编号");
    expect(sheet.actualRowCount).toBeGreaterThan(3);
    const b = (await personIdsOf(B))[0].enterprise_id;
    expect(
      (await run(() => exportLoader(args(request(`/certification/export?enterpriseId=${b}`, officer))))).status,
    ).toBe(403);
    const home = await run(() => homeLoader(args(request("/", officer))));
    expect(home.data.certification!.required).toBeGreaterThan(0);
    expect(home.data.certification!.dueIn90).toBeGreaterThan(0);
  });
});

describe("an enterprise that moves to another district", () => {
  it("takes its certificates and its counts along, and is recounted when its industry changes", async () => {
    const { saveEnterprise } = await import("../../app/modules/org/enterprises.server");
    const { rebuildSummaries } = await import("../../app/modules/certification/summary.server");
    const { actorOf } = await import("../support/actors");
    const admin = await actorOf("admin");
    const e = await db
      .selectFrom("enterprise")
      .selectAll()
      .where("name", "=", "安澜木业加工有限公司")
      .executeTakeFirstOrThrow();
    const district = (name: string) =>
      db.selectFrom("region").select(["id", "path"]).where("name", "=", name).executeTakeFirstOrThrow();
    const [from, to] = [await district("临港区"), await district("青山县")];
    const town = await db
      .selectFrom("region")
      .select(["id", "path"])
      .where("name", "=", "石门镇")
      .executeTakeFirstOrThrow();
    const totals = async () =>
      Object.fromEntries(
        await Promise.all(
          [from, to].map(async (d) => {
            const r = await db
              .selectFrom("cert_summary_region")
              .select([sql<number>`SUM(required)`.as("required"), sql<number>`SUM(holding)`.as("holding")])
              .where("region_id", "=", d.id)
              .executeTakeFirstOrThrow();
            return [d.id, { required: Number(r.required ?? 0), holding: Number(r.holding ?? 0) }];
          }),
        ),
      );
    const own = await db
      .selectFrom("cert_summary_enterprise")
      .select([sql<number>`SUM(required)`.as("required"), sql<number>`SUM(holding)`.as("holding")])
      .where("enterprise_id", "=", e.id)
      .executeTakeFirstOrThrow();
    const before = await totals();
    const move = (industryCode: string) =>
      saveEnterprise(
        admin,
        e.id,
        {
          name: e.name,
          uscc: e.uscc,
          regionId: town.id,
          industryCode: industryCode as never,
          riskLevel: e.risk_level,
          address: e.address ?? undefined,
          contactPhone: e.contact_phone ?? undefined,
        },
        "127.0.0.1",
      );
    expect((await move(e.industry_code)).ok).toBe(true);
    const after = await totals();
    expect(after[from.id].required).toBe(before[from.id].required - Number(own.required));
    expect(after[to.id].required).toBe(before[to.id].required + Number(own.required));
    expect(after[to.id].holding).toBe(before[to.id].holding + Number(own.holding));
    const paths = await db
      .selectFrom("certificate")
      .select("region_path")
      .distinct()
      .where("enterprise_id", "=", e.id)
      .execute();
    expect(paths.map((p) => p.region_path)).toEqual([town.path]);
    // A move to a high-risk industry makes principals and safety managers need certificates: the recount on the
    // spot agrees with a rebuild from scratch.
    expect((await move("hazardous_chemicals")).ok).toBe(true);
    const incremental = await db
      .selectFrom("cert_summary_region")
      .selectAll()
      .orderBy(["region_id", "post", "industry_code"])
      .execute();
    await rebuildSummaries(db);
    const rebuilt = await db
      .selectFrom("cert_summary_region")
      .selectAll()
      .orderBy(["region_id", "post", "industry_code"])
      .execute();
    const nonZero = (rows: typeof rebuilt) => rows.filter((r) => r.required !== 0 || r.holding !== 0);
    expect(nonZero(incremental)).toEqual(nonZero(rebuilt));
  });
});

describe("one number on one page", () => {
  it("shows twelve months, and this month's bar is the headline rate read once, even when the stored snapshot of this month is stale", async () => {
    const regulator = await cookieOf("regulator");
    const city = await db.selectFrom("region").select("id").where("level", "=", "city").executeTakeFirstOrThrow();
    const { monthOf } = await import("../../app/lib/calendar");
    const { now } = await import("../../app/lib/clock.server");
    // A snapshot taken earlier this month says something else than the live summaries.
    await sql`INSERT INTO cert_summary_month (month, region_id, required, holding) VALUES (${monthOf(now())}, ${city.id}, 8, 3)
      ON DUPLICATE KEY UPDATE required = 8, holding = 3`.execute(db);
    const page = await run(() =>
      regionLoader({
        request: request(`/certification/region/${city.id}`, regulator),
        params: { id: String(city.id) },
        context: {},
      }),
    );
    const trend = page.data.trend as { month: string; rate: number | null }[];
    expect(trend).toHaveLength(12);
    expect(trend[11].month).toBe(monthOf(now()));
    expect(trend[11].rate).toBe(page.data.total.rate);
  });
});
