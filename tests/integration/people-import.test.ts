import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { action as importAction } from "../../app/routes/people.import";
import { loader as templateLoader } from "../../app/routes/people.template";
import { makeIdNumber } from "../../db/seed/identifiers";
import { caseOf, cookieOf, personIdsOf, request, run } from "../support/actors";

const A = "安澜宏达化工有限公司";
const B = "安澜金属制品有限公司";
const args = (req: Request) => ({ request: req, params: {}, context: {} });

async function xlsx(rows: (string | number)[][], header = ["姓名", "身份证号码", "手机号", "岗位", "入职日期"]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("人员");
  ws.addRow(header);
  rows.forEach((r) => ws.addRow(r));
  return new Blob([await wb.xlsx.writeBuffer()]);
}

function upload(cookie: string, enterpriseId: number, file: Blob) {
  const form = new FormData();
  form.set("enterpriseId", String(enterpriseId));
  form.set("file", file, "people.xlsx");
  return request("/people/import", cookie, form);
}

const count = async (enterpriseId: number) =>
  Number(
    (
      await db
        .selectFrom("person")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("enterprise_id", "=", enterpriseId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("people import from Excel", () => {
  it("offers a template whose header the importer accepts", async () => {
    const res = (await templateLoader(args(request("/people/template", await cookieOf("officer"))))) as Response;
    expect(res.headers.get("content-type")).toContain("spreadsheetml");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets[0].getRow(1).values).toEqual([undefined, "姓名", "身份证号码", "手机号", "岗位", "入职日期"]);
  });

  it("previews good and bad rows with row, column and reason, writes nothing, then imports only the valid rows on request", async () => {
    const cookie = await cookieOf("officer");
    const enterpriseId = (await personIdsOf(A))[0].enterprise_id;
    const before = await count(enterpriseId);
    const good1 = makeIdNumber("339901", "1988-02-03", 501);
    const good2 = makeIdNumber("339901", "1992-12-30", 502);
    const file = await xlsx([
      ["陈一", good1, "13800001234", "特种作业人员", "2023-05-06"],
      ["", "110105194912310021", "", "从业人员", ""],
      ["林二", good2, 13900004321, "从业人员", ""],
      ["王三", good1, "", "主要负责人", ""],
      ["赵四", makeIdNumber("339901", "1990-01-01", 503), "", "保安", ""],
    ]);
    const preview = await run(() => importAction(args(upload(cookie, enterpriseId, file))));
    expect(preview.status).toBe(200);
    expect(preview.data.stage).toBe("preview");
    expect(caseOf(preview.data, "stage", "preview").total).toBe(5);
    expect(caseOf(preview.data, "stage", "preview").valid.map((v: { row: number }) => v.row)).toEqual([2, 4]);
    expect(caseOf(preview.data, "stage", "preview").problems).toEqual(
      expect.arrayContaining([
        { row: 3, column: "姓名", reason: "请填写姓名" },
        { row: 3, column: "身份证号码", reason: "身份证号码校验位不正确，请核对" },
        { row: 5, column: "身份证号码", reason: "与第 2 行的身份证号码重复" },
        { row: 6, column: "岗位", reason: "无法识别的岗位「保安」" },
      ]),
    );
    expect(await count(enterpriseId)).toBe(before);

    const rows = JSON.stringify(caseOf(preview.data, "stage", "preview").valid.map((v: { input: unknown }) => v.input));
    const done = await run(() =>
      importAction(args(request("/people/import", cookie, { enterpriseId: String(enterpriseId), rows }))),
    );
    expect(done.data).toEqual({ stage: "done", created: 2 });
    expect(await count(enterpriseId)).toBe(before + 2);

    // The same file again: both are now on file, so nothing is importable.
    const again = await run(() => importAction(args(upload(cookie, enterpriseId, file))));
    expect(caseOf(again.data, "stage", "preview").valid).toEqual([]);
    expect(
      caseOf(again.data, "stage", "preview").problems.filter(
        (p: { reason: string }) => p.reason === "该身份证号码已在本企业登记",
      ),
    ).toHaveLength(2);

    // Submitting the old batch again rolls back whole: nothing is half-written.
    const replay = await run(() =>
      importAction(args(request("/people/import", cookie, { enterpriseId: String(enterpriseId), rows }))),
    );
    expect(replay.status).toBe(409);
    expect(await count(enterpriseId)).toBe(before + 2);
  });

  it("refuses a file that is not a workbook, a wrong header, an empty file and a forged batch", async () => {
    const cookie = await cookieOf("officer");
    const enterpriseId = (await personIdsOf(A))[0].enterprise_id;
    const notExcel = await run(() => importAction(args(upload(cookie, enterpriseId, new Blob(["name,id\n"])))));
    expect(notExcel).toMatchObject({ status: 422, data: { stage: "error" } });
    expect(caseOf(notExcel.data, "stage", "error").message).toContain(".xlsx");
    const wrongFile = await xlsx([["x"]], ["name"]);
    const wrongHeader = await run(() => importAction(args(upload(cookie, enterpriseId, wrongFile))));
    expect(caseOf(wrongHeader.data, "stage", "error").message).toContain("缺少列");
    const emptyFile = await xlsx([]);
    const empty = await run(() => importAction(args(upload(cookie, enterpriseId, emptyFile))));
    expect(caseOf(empty.data, "stage", "error").message).toContain("没有数据行");
    const forged = await run(() =>
      importAction(
        args(request("/people/import", cookie, { enterpriseId: String(enterpriseId), rows: '[{"name":1}]' })),
      ),
    );
    expect(forged.status).toBe(422);
    const broken = await run(() =>
      importAction(args(request("/people/import", cookie, { enterpriseId: String(enterpriseId), rows: "{not json" }))),
    );
    expect(caseOf(broken.data, "stage", "error").message).toContain("已损坏");
  });

  it("an officer of A cannot import into B, by upload or by a forged batch", async () => {
    const cookie = await cookieOf("officer");
    const b = (await personIdsOf(B))[0].enterprise_id;
    const before = await count(b);
    const file = await xlsx([["外人", makeIdNumber("339902", "1990-01-01", 9), "", "从业人员", ""]]);
    expect((await run(() => importAction(args(upload(cookie, b, file))))).status).toBe(403);
    const rows = JSON.stringify([
      { enterpriseId: b, name: "外人", idNumber: makeIdNumber("339902", "1990-01-01", 9), post: "worker" },
    ]);
    expect(
      (await run(() => importAction(args(request("/people/import", cookie, { enterpriseId: String(b), rows })))))
        .status,
    ).toBe(403);
    expect(await count(b)).toBe(before);
  });
});
