import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { advanceClock, resetClock } from "../../app/lib/clock.server";
import { action as syncAction, loader as syncLoader } from "../../app/routes/certification.sync._index";
import { loader as reportLoader } from "../../app/routes/certification.sync.$id._index";
import { loader as exportLoader } from "../../app/routes/certification.sync.$id.export";
import { CHUNK_ROWS, runCertSync } from "../../app/modules/certification/sync.server";
import { authorizedSyncRegion } from "../../app/modules/certification/sync-access.server";
import { hashIdNumber } from "../../app/modules/org/id-hash.server";
import { makeIdNumber } from "../../db/seed/identifiers";
import { actorOf, cookieOf, personIdsOf, request, run, thrownMessage } from "../support/actors";

const A = "安澜宏达化工有限公司"; // 滨江区
const B = "安澜金属制品有限公司";
const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
const HEADER =
  "姓名,身份证号码,证书类型,作业类别,准操项目,证书编号,发证机关,初领日期,有效期开始,有效期结束,应复审日期,实际复审日期";
process.env.ANXUN_DATA_DIR = mkdtempSync(join(tmpdir(), "anxun-sync-"));
afterEach(() => resetClock());

/** The demo seed's ID number of a person (the seed makes them from a sequence; find the one whose hash matches). */
async function idNumberOf(personId: number) {
  const p = await db
    .selectFrom("person")
    .select(["id_number_hash", "name", "post", "enterprise_id"])
    .where("id", "=", personId)
    .executeTakeFirstOrThrow();
  for (let seq = 1; seq <= 200; seq++) {
    for (const area of ["339901", "339902", "339903", "339904", "339905", "339906", "339907"]) {
      const id = makeIdNumber(area, `${1970 + ((seq * 7) % 30)}-0${1 + (seq % 9)}-1${seq % 9}`, seq);
      if (hashIdNumber(id) === p.id_number_hash) return { idNumber: id, ...p };
    }
  }
  throw new Error("ID number not found");
}

const csvRow = (cells: string[]) => cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(",");

async function upload(cookie: string, regionId: number, body: Blob, name: string) {
  const form = new FormData();
  form.set("file", body, name);
  return run(() => syncAction(args(request(`/certification/sync?regionId=${regionId}`, cookie, form))));
}

const cityId = async () =>
  (await db.selectFrom("region").select("id").where("parent_id", "is", null).executeTakeFirstOrThrow()).id;
const jobOf = (id: number) => db.selectFrom("cert_sync_job").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const certSnapshot = () => db.selectFrom("certificate").selectAll().orderBy("id").execute();

describe("city-scale certificate sync", () => {
  it("loads a region's file by ID number across enterprises, reports unmatched/conflicting/invalid rows, refreshes summaries; the same file again changes nothing", async () => {
    const regulator = await cookieOf("regulator");
    const peopleA = await personIdsOf(A);
    const peopleB = await personIdsOf(B);
    const opA = await idNumberOf(peopleA.find((p) => p.post === "special_operator")!.id);
    const smB = await idNumberOf(peopleB.find((p) => p.post === "safety_manager")!.id);
    const other = await idNumberOf(peopleA.find((p) => p.post === "worker")!.id);
    const stranger = makeIdNumber("339901", "1988-08-08", 9001);
    const summaryBefore = await db
      .selectFrom("cert_summary_enterprise")
      .select(["holding"])
      .where("enterprise_id", "=", peopleB[0].enterprise_id)
      .where("post", "=", "safety_manager")
      .executeTakeFirst();
    const csv = [
      HEADER,
      csvRow([
        opA.name,
        opA.idNumber,
        "特种作业操作证",
        "电工作业",
        "低压电工作业",
        "T339900SYNC0001",
        "安澜市应急管理局",
        "2024-05-01",
        "2024-05-01",
        "2030-04-30",
        "2027-04-30",
        "",
      ]),
      csvRow([
        smB.name,
        smB.idNumber,
        "安全生产知识和管理能力考核合格证",
        "",
        "",
        "A339900SYNC0002",
        "安澜市应急管理局",
        "2025-01-01",
        "2025-01-01",
        "2028-12-31",
        "",
        "",
      ]),
      csvRow([
        "无名氏",
        stranger,
        "特种作业操作证",
        "电工作业",
        "低压电工作业",
        "T339900SYNC0003",
        "",
        "",
        "2024-05-01",
        "2030-04-30",
        "",
        "",
      ]),
      csvRow([
        "错名字",
        other.idNumber,
        "特种作业操作证",
        "电工作业",
        "低压电工作业",
        "T339900SYNC0004",
        "",
        "",
        "2024-05-01",
        "2030-04-30",
        "",
        "",
      ]),
      csvRow([
        other.name,
        "110105194912310029",
        "特种作业操作证",
        "电工作业",
        "低压电工作业",
        "T339900SYNC0005",
        "",
        "",
        "2024-05-01",
        "2030-04-30",
        "",
        "",
      ]),
      csvRow([other.name, other.idNumber, "驾驶证", "", "", "X1", "", "", "2024-05-01", "2030-04-30", "", ""]),
      // The same certificate number as row 2 under another holder: conflict, nothing changes hands.
      csvRow([
        other.name,
        other.idNumber,
        "特种作业操作证",
        "电工作业",
        "低压电工作业",
        "T339900SYNC0001",
        "",
        "",
        "2024-05-01",
        "2030-04-30",
        "",
        "",
      ]),
    ].join("\r\n");
    const city = await cityId();
    const queued = await upload(regulator, city, new Blob([csv]), "安澜市证书.csv");
    expect(queued.status).toBe(302);
    const jobId = Number(queued.headers.get("location")!.split("/").pop());
    expect(await runCertSync({ owner: "test", budgetMs: 60_000 })).toBeGreaterThan(0);
    const job = await jobOf(jobId);
    expect(job).toMatchObject({
      status: "done",
      rows_done: 7,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      unmatched: 1,
      conflicts: 2,
      invalid: 2,
    });
    const cert = await db
      .selectFrom("certificate")
      .selectAll()
      .where("number", "=", "T339900SYNC0001")
      .executeTakeFirstOrThrow();
    expect(cert.enterprise_id).toBe(opA.enterprise_id);
    expect(
      await db
        .selectFrom("certificate")
        .select("enterprise_id")
        .where("number", "=", "A339900SYNC0002")
        .executeTakeFirstOrThrow(),
    ).toEqual({ enterprise_id: smB.enterprise_id });
    // Summaries recounted for the enterprises whose certificates changed.
    const summaryAfter = await db
      .selectFrom("cert_summary_enterprise")
      .select(["holding"])
      .where("enterprise_id", "=", smB.enterprise_id)
      .where("post", "=", "safety_manager")
      .executeTakeFirstOrThrow();
    expect(summaryAfter.holding).toBe((summaryBefore?.holding ?? 0) + 1);
    // The report: page and Excel, each row with what to do.
    const report = await run(() =>
      reportLoader(args(request(`/certification/sync/${jobId}`, regulator), { id: String(jobId) })),
    );
    const byRow = Object.fromEntries(
      report.data.issues.map((i: { row_no: number; kind: string; reason: string }) => [
        i.row_no,
        `${i.kind}: ${i.reason}`,
      ]),
    );
    expect(byRow[4]).toMatch(/^unmatched: 辖区内各企业的人员名册中没有此身份证号码/);
    expect(byRow[5]).toMatch(/^conflict: 姓名与名册不符/);
    expect(byRow[6]).toMatch(/^invalid: .*校验位/);
    expect(byRow[7]).toMatch(/^invalid: 无法识别的证书类型/);
    expect(byRow[8]).toMatch(/^conflict: 与第 2 行的证书编号相同而持证人不同/);
    const conflicts = await run(() =>
      reportLoader(args(request(`/certification/sync/${jobId}?kind=conflict`, regulator), { id: String(jobId) })),
    );
    expect(conflicts.data.issues.map((i: { row_no: number }) => i.row_no)).toEqual([5, 8]);
    const xlsx = (await exportLoader(
      args(request(`/certification/sync/${jobId}/export`, regulator), { id: String(jobId) }),
    )) as Response;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const sheet = wb.worksheets[0];
    expect(sheet.rowCount).toBe(6);
    expect(String(sheet.getRow(2).getCell(8).value)).toContain("辖区内各企业的人员名册中没有此身份证号码");
    // The audit says who loaded what.
    expect(
      await db
        .selectFrom("audit_log")
        .select("action")
        .where("entity_type", "=", "cert_sync_job")
        .where("entity_id", "=", String(jobId))
        .execute(),
    ).toEqual(
      expect.arrayContaining([
        { action: "certificate.sync_queued" },
        { action: "certificate.synced" },
        { action: "certificate.sync_finished" },
      ]),
    );

    // The same file again: every certificate row unchanged, not one certificate written.
    const before = await certSnapshot();
    const again = await upload(regulator, city, new Blob([csv]), "安澜市证书.csv");
    const againId = Number(again.headers.get("location")!.split("/").pop());
    await runCertSync({ owner: "test", budgetMs: 60_000 });
    expect(await jobOf(againId)).toMatchObject({
      status: "done",
      rows_done: 7,
      inserted: 0,
      updated: 0,
      unchanged: 2,
      unmatched: 1,
      conflicts: 2,
      invalid: 2,
    });
    expect(await certSnapshot()).toEqual(before);

    // A changed expiry is an update, with the old values in the audit log.
    const changed = csv.replace("2030-04-30,2027-04-30", "2031-04-30,2028-04-30");
    const third = await upload(regulator, city, new Blob([changed]), "安澜市证书-更正.csv");
    const thirdId = Number(third.headers.get("location")!.split("/").pop());
    await runCertSync({ owner: "test", budgetMs: 60_000 });
    expect(await jobOf(thirdId)).toMatchObject({ status: "done", inserted: 0, updated: 1, unchanged: 1 });
    const audit = await db
      .selectFrom("audit_log")
      .select("before_json")
      .where("entity_type", "=", "cert_sync_job")
      .where("entity_id", "=", String(thirdId))
      .where("action", "=", "certificate.synced")
      .executeTakeFirstOrThrow();
    expect(audit.before_json).toContain("2030-04-30");
  });

  it("reads .xlsx with the e-certificate's other column names", async () => {
    const regulator = await cookieOf("regulator");
    const op = await idNumberOf((await personIdsOf(B)).find((p) => p.post === "special_operator")!.id);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("电子证照");
    ws.addRow([
      "持证人姓名",
      "证件号码",
      "证照类型",
      "作业类别",
      "操作项目",
      "证照编号",
      "发证机构",
      "初次领证日期",
      "有效期起始日期",
      "有效期截止日期",
      "复审日期",
    ]);
    ws.addRow([
      op.name,
      op.idNumber,
      "特种作业操作证",
      "焊接与热切割作业",
      "熔化焊接与热切割作业",
      "T339900XLSX0001",
      "安澜市应急管理局",
      "2023-06-01",
      "2023-06-01",
      "2029-05-31",
      "2026-05-31",
    ]);
    const queued = await upload(regulator, await cityId(), new Blob([await wb.xlsx.writeBuffer()]), "证照.xlsx");
    expect(queued.status).toBe(302);
    const jobId = Number(queued.headers.get("location")!.split("/").pop());
    await runCertSync({ owner: "test", budgetMs: 60_000 });
    expect(await jobOf(jobId)).toMatchObject({ status: "done", source: "xlsx", inserted: 1, invalid: 0 });
    // A file without the needed columns is refused at once, before any job.
    const bad = await upload(regulator, await cityId(), new Blob(["姓名,电话\n张三,123\n"]), "bad.csv");
    expect(bad.status).toBe(422);
    expect(bad.data.message).toContain("缺少列");
  });

  it("resumes after an interruption from the last committed chunk, without a row twice", async () => {
    const regulator = await cookieOf("regulator");
    const op = await idNumberOf((await personIdsOf(A)).filter((p) => p.post === "special_operator")[1].id);
    const lines = [HEADER];
    const total = CHUNK_ROWS * 2 + 300;
    for (let i = 0; i < total; i++) {
      if (i === CHUNK_ROWS + 10)
        lines.push(
          csvRow([
            op.name,
            op.idNumber,
            "特种作业操作证",
            "高处作业",
            "登高架设作业",
            "T339900RESUME01",
            "",
            "",
            "2024-05-01",
            "2030-04-30",
            "",
            "",
          ]),
        );
      else
        lines.push(
          csvRow([
            `人员${i}`,
            makeIdNumber("339902", "1990-01-01", 20000 + i),
            "特种作业操作证",
            "电工作业",
            "低压电工作业",
            `T3399R${String(i).padStart(8, "0")}`,
            "",
            "",
            "2024-05-01",
            "2030-04-30",
            "",
            "",
          ]),
        );
    }
    const queued = await upload(regulator, await cityId(), new Blob([lines.join("\n")]), "big.csv");
    const jobId = Number(queued.headers.get("location")!.split("/").pop());
    // Process one chunk as "a", which then dies holding its lease.
    await runCertSync({ owner: "a", maxChunks: 1, jobId });
    expect(await jobOf(jobId)).toMatchObject({
      status: "running",
      rows_done: CHUNK_ROWS,
      unmatched: CHUNK_ROWS,
      lease_owner: "a",
    });
    // Another process cannot take the job while the lease holds; after it lapses, it resumes where "a" stopped.
    expect(await runCertSync({ owner: "b", budgetMs: 5_000, jobId })).toBe(0);
    advanceClock(3 * 60_000);
    await runCertSync({ owner: "b", budgetMs: 120_000, jobId });
    const job = await jobOf(jobId);
    expect(job).toMatchObject({
      status: "done",
      rows_done: total,
      inserted: 1,
      unmatched: total - 1,
      conflicts: 0,
      invalid: 0,
    });
    expect(
      Number(
        (
          await db
            .selectFrom("cert_sync_issue")
            .select(sql<number>`COUNT(*)`.as("n"))
            .where("job_id", "=", jobId)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(total - 1);
    expect(
      await db.selectFrom("certificate").select("person_id").where("number", "=", "T339900RESUME01").execute(),
    ).toHaveLength(1);
  }, 180_000);

  it("refuses non-regulators and regions outside the regulator's scope", async () => {
    const city = await cityId();
    for (const user of ["inspector", "officer", "worker"]) {
      const cookie = await cookieOf(user);
      const page = await run(() => syncLoader(args(request(`/certification/sync?regionId=${city}`, cookie))));
      expect(page.status).toBe(403);
      const post = await upload(cookie, city, new Blob([HEADER]), "x.csv");
      expect(post.status).toBe(403);
      expect(post.data.message).toContain("只有监管部门");
    }
    // A regulator of 青山县 may load 青山县, not 滨江区.
    const qingshan = await db
      .selectFrom("region")
      .select(["id", "path"])
      .where("name", "=", "青山县")
      .executeTakeFirstOrThrow();
    const binjiang = await db
      .selectFrom("region")
      .select(["id", "path"])
      .where("name", "=", "滨江区")
      .executeTakeFirstOrThrow();
    const county = { ...(await actorOf("regulator")), regionPath: qingshan.path };
    expect((await authorizedSyncRegion(county, qingshan.id, "import")).id).toBe(qingshan.id);
    const refused = await run(() => authorizedSyncRegion(county, binjiang.id, "import"));
    expect(refused.status).toBe(403);
    expect(thrownMessage(refused)).toContain("不在您的辖区内");
  });
});
