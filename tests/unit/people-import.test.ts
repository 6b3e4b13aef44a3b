import { describe, expect, it } from "vitest";
import { checkPeopleRows } from "../../app/modules/org/people-import";
import { makeIdNumber } from "../../db/seed/identifiers";

const id1 = makeIdNumber("339901", "1985-04-12", 11);
const id2 = makeIdNumber("339901", "1990-10-01", 12);

describe("people import rows", () => {
  it("turns good rows into inputs with the post code", () => {
    const { valid, problems } = checkPeopleRows(
      [
        {
          row: 2,
          cells: { 姓名: "张三", 身份证号码: id1, 手机号: "13800000000", 岗位: "特种作业人员", 入职日期: "2024-03-01" },
        },
        { row: 3, cells: { 姓名: "李四", 身份证号码: id2, 手机号: "", 岗位: "从业人员", 入职日期: "" } },
      ],
      7,
    );
    expect(problems).toEqual([]);
    expect(valid.map((v) => [v.row, v.input.post, v.input.enterpriseId])).toEqual([
      [2, "special_operator", 7],
      [3, "worker", 7],
    ]);
  });

  it("reports every bad cell with its row and column", () => {
    const { valid, problems } = checkPeopleRows(
      [
        {
          row: 2,
          cells: { 姓名: "", 身份证号码: "110105194912310021", 手机号: "123", 岗位: "司机", 入职日期: "2024/13/01" },
        },
      ],
      7,
    );
    expect(valid).toEqual([]);
    const byColumn = Object.fromEntries(problems.map((p) => [p.column, p.reason]));
    expect(problems.every((p) => p.row === 2)).toBe(true);
    expect(byColumn["姓名"]).toContain("请填写姓名");
    expect(byColumn["身份证号码"]).toContain("校验位");
    expect(byColumn["手机号"]).toContain("手机号");
    expect(byColumn["岗位"]).toContain("司机");
    expect(byColumn["入职日期"]).toContain("日期");
  });

  it("reports a repeated ID number against its first row", () => {
    const { valid, problems } = checkPeopleRows(
      [
        { row: 2, cells: { 姓名: "张三", 身份证号码: id1, 岗位: "从业人员" } },
        { row: 5, cells: { 姓名: "张三", 身份证号码: id1.toLowerCase(), 岗位: "从业人员" } },
      ],
      7,
    );
    expect(valid).toHaveLength(1);
    expect(problems).toEqual([{ row: 5, column: "身份证号码", reason: "与第 2 行的身份证号码重复" }]);
  });
});

describe("date cells of the people import", () => {
  it("reads real date cells, their serials, and typed dates as YYYY-MM-DD, and leaves other text for the schema to refuse", async () => {
    const { normalizeDateCell } = await import("../../app/modules/org/people-import");
    expect(normalizeDateCell("2024-03-01")).toBe("2024-03-01");
    expect(normalizeDateCell("45352")).toBe("2024-03-01");
    expect(normalizeDateCell("45352.5")).toBe("2024-03-01");
    expect(normalizeDateCell("2024/3/1")).toBe("2024-03-01");
    expect(normalizeDateCell("2024.03.01")).toBe("2024-03-01");
    expect(normalizeDateCell("2024年3月1日")).toBe("2024-03-01");
    expect(normalizeDateCell("")).toBe("");
    expect(normalizeDateCell("三月一日")).toBe("三月一日");
    expect(normalizeDateCell("12")).toBe("12");
  });
});
