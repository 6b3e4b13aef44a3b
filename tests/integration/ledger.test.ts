import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { action as exportAction, loader as exportLoader } from "../../app/routes/certification.export";
import { action as importAction } from "../../app/routes/certification.import";
import { loader as enterpriseLoader } from "../../app/routes/certification.enterprise.$id";
import { createPeopleBatch, createPerson, updatePerson } from "../../app/modules/org/people.server";
import { decryptIdNumber } from "../../app/modules/org/id-cipher.server";
import { hashIdNumber } from "../../app/modules/org/id-hash.server";
import { idNumberProblem } from "../../app/modules/org/identifiers";
import { actorOf, caseOf, cookieOf, request, run } from "../support/actors";
import { makeIdNumber } from "../../db/seed/identifiers";

const A = "安澜宏达化工有限公司";
const B = "安澜金属制品有限公司";
const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
const enterpriseId = async (name: string) =>
  (await db.selectFrom("enterprise").select("id").where("name", "=", name).executeTakeFirstOrThrow()).id;

/** The ledger a POST to /certification/export gives this account, as rows of cells by header. */
async function postedLedger(cookie: string, id: number) {
  let file: Response | null = null;
  const res = await run(async () => {
    const answer = (await exportAction(
      args(request(`/certification/export?enterpriseId=${id}`, cookie, {})),
    )) as unknown;
    if (answer instanceof Response) file = answer;
    return answer;
  });
  if (res.status !== 200 || !file) return { status: res.status, wb: null, rows: [] as Record<string, string>[] };
  return { status: 200, ...(await readLedger(file)) };
}

async function readLedger(res: Response) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const sheet = wb.worksheets[0];
  const headers = (sheet.getRow(1).values as string[]).slice(1);
  const rows: Record<string, string>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    rows.push(Object.fromEntries(headers.map((h, i) => [h, String(row.getCell(i + 1).value ?? "")])));
  });
  return { wb, rows };
}

const auditRows = (id: number) =>
  db
    .selectFrom("audit_log")
    .selectAll()
    .where("action", "=", "certificate.ledger_exported")
    .where("entity_id", "=", String(id))
    .orderBy("id")
    .execute();

describe("the editable certificate ledger (issue 15)", () => {
  it("gives the officer full ID numbers, audited; the edited workbook imports back and the change lands", async () => {
    const officer = await cookieOf("officer");
    const a = await enterpriseId(A);
    const before = (await auditRows(a)).length;
    const ledger = await postedLedger(officer, a);
    expect(ledger.status).toBe(200);
    expect(ledger.rows.length).toBeGreaterThan(3);
    // Every row carries the full number of its person: valid, and hashing to the person's hash.
    const hashes = new Set(
      (await db.selectFrom("person").select("id_number_hash").where("enterprise_id", "=", a).execute()).map(
        (p) => p.id_number_hash,
      ),
    );
    for (const r of ledger.rows) {
      expect(idNumberProblem(r["身份证号码"])).toBeNull();
      expect(hashes.has(hashIdNumber(r["身份证号码"]))).toBe(true);
    }
    // Who, when, how many rows.
    const audits = await auditRows(a);
    expect(audits.length).toBe(before + 1);
    const last = audits[audits.length - 1];
    expect(last.actor_user_id).toBe((await actorOf("officer")).userId);
    expect(Math.abs(last.at.getTime() - Date.now())).toBeLessThan(60_000);
    expect(JSON.parse(last.after_json!)).toEqual({
      rows: ledger.rows.length,
      fullIdNumbers: ledger.rows.length,
      withoutFullIdNumber: 0,
    });
    expect(last.after_json).not.toMatch(/\d{17}[\dX]/);

    // The officer corrects the issuing authority of one certificate in Excel and imports the file back.
    const sheet = ledger.wb!.worksheets[0];
    const target = ledger.rows.findIndex((r) => r["状态"] !== "已吊销");
    const number = ledger.rows[target]["证书编号"];
    const authorityCol = (sheet.getRow(1).values as string[]).indexOf("发证机关");
    sheet.getRow(target + 2).getCell(authorityCol).value = "安澜市应急管理局（更正）";
    const form = new FormData();
    form.set("file", new Blob([await ledger.wb!.xlsx.writeBuffer()]), "台账.xlsx");
    const preview = await run(() =>
      importAction(args(request(`/certification/import?enterpriseId=${a}`, officer, form))),
    );
    expect(preview.data.stage).toBe("preview");
    const edited = caseOf(preview.data, "stage", "preview").valid.find(
      (v: { input: { number: string } }) => v.input.number === number,
    )!;
    expect(edited.input.authority).toBe("安澜市应急管理局（更正）");
    const rows = JSON.stringify([{ personId: edited.personId, input: edited.input }]);
    const done = await run(() =>
      importAction(args(request(`/certification/import?enterpriseId=${a}`, officer, { rows }))),
    );
    expect(done.data).toEqual({ stage: "done", count: 1 });
    const saved = await db
      .selectFrom("certificate")
      .select("authority")
      .where("number", "=", number)
      .where("enterprise_id", "=", a)
      .executeTakeFirstOrThrow();
    expect(saved.authority).toBe("安澜市应急管理局（更正）");
  });

  it("stays masked for a regulator, refuses another enterprise's officer, and the GET export is masked for all", async () => {
    const a = await enterpriseId(A);
    const before = (await auditRows(a)).length;
    const masked = (rows: Record<string, string>[]) => rows.every((r) => r["身份证号码"].includes("*"));

    const regulator = await postedLedger(await cookieOf("regulator"), a);
    expect(regulator.status).toBe(200);
    expect(regulator.rows.length).toBeGreaterThan(3);
    expect(masked(regulator.rows)).toBe(true);

    expect((await postedLedger(await cookieOf("officer2"), a)).status).toBe(403);
    // officer2's own enterprise is theirs in full; A's never.
    const own = await postedLedger(await cookieOf("officer2"), await enterpriseId(B));
    expect(own.rows.length).toBeGreaterThan(0);
    expect(masked(own.rows)).toBe(false);

    const admin = await postedLedger(await cookieOf("admin"), a);
    expect(masked(admin.rows)).toBe(true);

    const got = (await exportLoader(
      args(request(`/certification/export?enterpriseId=${a}`, await cookieOf("officer"))),
    )) as Response;
    expect(masked((await readLedger(got)).rows)).toBe(true);
    // Masked exports give no number out: no audit row for them.
    expect((await auditRows(a)).length).toBe(before);

    // The page offers the editable ledger to the officer only.
    const page = async (who: string) =>
      (await run(() => enterpriseLoader(args(request(`/certification/enterprise/${a}`, who), { id: String(a) })))).data
        .canExportFullIds;
    expect(await page(await cookieOf("officer"))).toBe(true);
    expect(await page(await cookieOf("regulator"))).toBe(false);
  });

  it('shows "—" with a note for a person kept without the encrypted number, and for a cipher of another row', async () => {
    const officer = await cookieOf("officer");
    const a = await enterpriseId(A);
    const holders = await db
      .selectFrom("certificate")
      .innerJoin("person", "person.id", "certificate.person_id")
      .select(["person.id", "person.id_number_cipher"])
      .where("certificate.enterprise_id", "=", a)
      .groupBy(["person.id", "person.id_number_cipher"])
      .orderBy("person.id")
      .execute();
    expect(holders.length).toBeGreaterThan(1);
    // One as entered before migration 0023; one whose cipher was copied from another person (never given out).
    await db.updateTable("person").set({ id_number_cipher: null }).where("id", "=", holders[0].id).execute();
    await db
      .updateTable("person")
      .set({ id_number_cipher: holders[0].id_number_cipher })
      .where("id", "=", holders[1].id)
      .execute();
    const certsOf = async (ids: number[]) =>
      (
        await db
          .selectFrom("certificate")
          .select("number")
          .where("person_id", "in", ids)
          .where("enterprise_id", "=", a)
          .execute()
      ).map((c) => c.number);
    const without = new Set(await certsOf([holders[0].id, holders[1].id]));
    const ledger = await postedLedger(officer, a);
    for (const r of ledger.rows) expect(r["身份证号码"] === "—").toBe(without.has(r["证书编号"]));
    const notes = ledger.wb!.getWorksheet("填写说明")!;
    const text = (notes.getColumn(1).values as string[]).join("\n");
    expect(text).toContain(`有 ${without.size} 行的身份证号码显示为「—」`);
    const audits = await auditRows(a);
    expect(JSON.parse(audits[audits.length - 1].after_json!).withoutFullIdNumber).toBe(without.size);

    // Imported back as it is, such a row is refused with the reason.
    const form = new FormData();
    form.set("file", new Blob([await ledger.wb!.xlsx.writeBuffer()]), "台账.xlsx");
    const preview = await run(() =>
      importAction(args(request(`/certification/import?enterpriseId=${a}`, officer, form))),
    );
    const reasons = (caseOf(preview.data, "stage", "preview").problems as { column: string; reason: string }[]).filter(
      (p) => p.column === "身份证号码",
    );
    expect(reasons.length).toBe(without.size);
    expect(reasons[0].reason).toContain("完整身份证号码未保存");
  });

  it("writes the encrypted number when a person is created or given a new number, never into the audit log", async () => {
    const officer = await actorOf("officer");
    const idNumber = makeIdNumber("339901", "1991-04-05", 4711);
    const created = await createPerson(
      officer,
      { enterpriseId: officer.enterpriseId!, name: "加密测试", idNumber, post: "special_operator" },
      "127.0.0.1",
    );
    expect(created.ok).toBe(true);
    const id = (created as { id: number }).id;
    const row = await db.selectFrom("person").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.id_number_cipher).toMatch(/^dev\./);
    expect(row.id_number_cipher).not.toContain(idNumber);
    expect(decryptIdNumber(row.id_number_cipher!)).toBe(idNumber);

    const changed = makeIdNumber("339901", "1991-04-05", 4712);
    expect(
      (await updatePerson(officer, id, { name: "加密测试", idNumber: changed, post: "special_operator" }, "127.0.0.1"))
        .ok,
    ).toBe(true);
    const after = await db.selectFrom("person").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(decryptIdNumber(after.id_number_cipher!)).toBe(changed);
    // The Excel import of people writes it too (the same insert).
    const imported = makeIdNumber("339901", "1992-02-03", 4713);
    expect(
      await createPeopleBatch(
        officer,
        [{ enterpriseId: officer.enterpriseId!, name: "导入加密", idNumber: imported, post: "worker" }],
        "127.0.0.1",
      ),
    ).toEqual({ ok: true, created: 1 });
    const importedRow = await db
      .selectFrom("person")
      .select("id_number_cipher")
      .where("id_number_hash", "=", hashIdNumber(imported))
      .executeTakeFirstOrThrow();
    expect(decryptIdNumber(importedRow.id_number_cipher!)).toBe(imported);
    const logged = await db
      .selectFrom("audit_log")
      .select(["before_json", "after_json"])
      .where("entity_type", "=", "person")
      .where("entity_id", "=", String(id))
      .execute();
    expect(logged.length).toBe(2);
    for (const l of logged) {
      expect(`${l.before_json}${l.after_json}`).not.toContain("id_number_cipher");
      expect(`${l.before_json}${l.after_json}`).not.toContain(after.id_number_cipher!);
    }
  });
});
