import { describe, expect, it } from "vitest";
import {
  checkRow,
  decideRow,
  mapHeader,
  type Candidate,
  type CheckedRow,
  type Existing,
} from "../../app/modules/certification/sync-rules";
import { clip, documentNumber, fileName, retentionNote, retentionYears } from "../../app/modules/documents/rules";
import { makeIdNumber } from "../../db/seed/identifiers";

const today = new Date("2026-11-30T00:00:00Z");
const id = makeIdNumber("339901", "1990-01-01", 7);
const good = {
  姓名: "张三",
  身份证号码: id,
  证书类型: "特种作业操作证",
  作业类别: "电工作业",
  准操项目: "低压电工作业",
  证书编号: "T1234567",
  有效期开始: "2024-05-01",
  有效期结束: "2030-04-30",
};
const checked = (cells = good): CheckedRow => {
  const c = checkRow({ row: 2, cells }, today);
  if (!c.ok) throw new Error(c.issue.reason);
  return c.row;
};
const person = (over: Partial<Candidate> = {}): Candidate => ({
  id: 1,
  name: "张三",
  enterpriseId: 10,
  regionPath: "/1/2/",
  ...over,
});
const existing = (over: Partial<Existing> = {}): Existing => ({
  id: 5,
  person_id: 1,
  enterprise_id: 10,
  revoked_on: null,
  ...checked().values,
  ...over,
});

describe("certificate sync rows", () => {
  it("maps the national e-certificate's column names and says which required ones are missing", () => {
    const h = mapHeader([
      "\uFEFF持证人姓名",
      "证件号码",
      "证照类型",
      "操作项目",
      "证照编号",
      "有效期起始日期",
      "有效期截止日期",
      "备注",
    ]);
    expect(h).toEqual({
      ok: true,
      columns: ["姓名", "身份证号码", "证书类型", "准操项目", "证书编号", "有效期开始", "有效期结束", null],
    });
    expect(mapHeader(["姓名", "电话"])).toEqual({
      ok: false,
      message: "第 1 行缺少列：身份证号码、证书类型、证书编号、有效期开始、有效期结束。",
    });
  });

  it("checks a row on its own: ID check digit, kind, catalogue, dates", () => {
    expect(checked().values).toMatchObject({
      kind: "special_operation",
      number: "T1234567",
      valid_from: "2024-05-01",
      review_due_on: null,
    });
    const bad = (cells: Record<string, string>) => {
      const c = checkRow({ row: 3, cells }, today);
      return c.ok ? null : `${c.issue.column}: ${c.issue.reason}`;
    };
    expect(bad({ ...good, 身份证号码: "110105194912310029" })).toMatch(/^身份证号码: .*校验位/);
    expect(bad({ ...good, 证书类型: "驾驶证" })).toBe("证书类型: 无法识别的证书类型「驾驶证」");
    expect(bad({ ...good, 准操项目: "焊工作业" })).toMatch(/^准操项目: /);
    expect(bad({ ...good, 有效期结束: "2023-01-01" })).toMatch(/^有效期结束: /);
    // The masked ID number is what the report keeps, never the number.
    const c = checkRow({ row: 3, cells: { ...good, 证书类型: "驾驶证" } }, today);
    expect(c.ok ? "" : c.issue.masked).toBe(`${id.slice(0, 6)}********${id.slice(14)}`);
  });

  it("decides: unmatched, name conflict, number held by another, ambiguous, insert, unchanged, update", () => {
    const r = checked();
    expect(decideRow(r, [], undefined)).toMatchObject({ action: "issue", issue: { kind: "unmatched" } });
    expect(decideRow(r, [person({ name: "李四" })], undefined)).toMatchObject({
      action: "issue",
      issue: { kind: "conflict", column: "姓名" },
    });
    expect(decideRow(r, [person()], existing({ person_id: 99, enterprise_id: 11 }))).toMatchObject({
      action: "issue",
      issue: { kind: "conflict", column: "证书编号", enterpriseIds: [11] },
    });
    expect(decideRow(r, [person(), person({ id: 2, enterpriseId: 12 })], undefined)).toMatchObject({
      action: "issue",
      issue: { kind: "conflict", enterpriseIds: [10, 12] },
    });
    expect(decideRow(r, [person()], undefined)).toEqual({ action: "insert", person: person() });
    expect(decideRow(r, [person()], existing())).toEqual({ action: "unchanged" });
    // Two enterprises, but the certificate already sits with one of them: it stays there.
    expect(decideRow(r, [person({ id: 2, enterpriseId: 12 }), person()], existing())).toEqual({ action: "unchanged" });
    expect(decideRow(r, [person()], existing({ expires_on: "2029-04-30" }))).toMatchObject({
      action: "update",
      person: person(),
    });
  });
});

describe("documents", () => {
  it("keeps the archive 6 years for special operators, 3 for principals and safety managers (AQ 8011-2023 and provincial rules)", () => {
    expect(retentionYears("special_operator")).toBe(6);
    expect(retentionYears("principal")).toBe(3);
    expect(retentionYears("safety_manager")).toBe(3);
    expect(retentionYears("worker")).toBeNull();
    expect(retentionNote("special_operator")).toContain("不少于 6 年");
    expect(retentionNote("worker")).toContain("特种作业人员档案保存不少于 6 年");
  });
  it("numbers documents and names files safely", () => {
    expect(documentNumber("transcript", 2026, 123)).toBe("CJD-2026-000123");
    expect(fileName("成绩单", '张/三"', 5)).toBe("成绩单-张_三_-5.pdf");
    expect(clip("a  b\nc", 3)).toBe("a b…");
  });
});
