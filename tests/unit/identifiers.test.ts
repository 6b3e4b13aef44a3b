import { describe, expect, it } from "vitest";
import {
  idNumberCheckChar,
  idNumberProblem,
  isValidIdNumber,
  isValidUscc,
  maskIdNumber,
  usccCheckChar,
  usccProblem,
} from "../../app/modules/org/identifiers";

describe("resident ID number (ISO 7064 MOD 11-2)", () => {
  // The standard's worked example and a number whose check character is X.
  it.each(["11010519491231002X", "110105194912310029".slice(0, 17) + idNumberCheckChar("11010519491231002")])(
    "accepts %s",
    (id) => {
      expect(isValidIdNumber(id)).toBe(true);
    },
  );

  it("computes the check character", () => {
    expect(idNumberCheckChar("11010519491231002")).toBe("X");
    expect(idNumberCheckChar("44052418800101001")).toBe("4");
  });

  it("accepts a lower-case x and surrounding spaces", () => {
    expect(isValidIdNumber(" 11010519491231002x ")).toBe(true);
  });

  it.each([
    ["11010519491231002", "18 位"],
    ["110105194912310021", "校验位"],
    ["110105194902300021", "出生日期"],
    ["11010518000101002X", "出生日期"],
    ["1101051949123100AX", "18 位"],
  ])("rejects %s with a reason (%s)", (id, reason) => {
    expect(idNumberProblem(id)).toContain(reason);
  });

  it("rejects a birth date in the future", () => {
    expect(idNumberProblem("110105209901010011", new Date("2026-01-01"))).toContain("出生日期");
  });

  it("accepts 29 February in a leap year only", () => {
    const leap = "11010520000229001";
    const notLeap = "11010520010229001";
    expect(isValidIdNumber(leap + idNumberCheckChar(leap))).toBe(true);
    expect(idNumberProblem(notLeap + idNumberCheckChar(notLeap))).toContain("出生日期");
  });

  it("masks all but the area and the last four", () => {
    expect(maskIdNumber("11010519491231002x")).toBe("110105********002X");
  });
});

describe("unified social credit code (GB 32100-2015)", () => {
  it("accepts real-format codes with a correct check character", () => {
    const body = "91350100M000100Y4";
    expect(isValidUscc(body + usccCheckChar(body))).toBe(true);
    expect(isValidUscc("91110000600037341L")).toBe(true); // published code of a large company
  });

  it.each([
    ["91110000600037341", "18 位"],
    ["91110000600037341M", "校验位"],
    ["9111000060003734IL", "不允许的字符"],
    ["91ABCDEF600037341L", "行政区划"],
  ])("rejects %s with a reason (%s)", (code, reason) => {
    expect(usccProblem(code)).toContain(reason);
  });

  it("maps a remainder of 0 to check character 0", () => {
    // Brute-force a body whose weighted sum is a multiple of 31; its check character must be "0".
    for (let n = 0; n < 200; n++) {
      const body = `9133010${String(n).padStart(10, "0")}`;
      if (usccCheckChar(body) === "0") return expect(isValidUscc(body + "0")).toBe(true);
    }
    throw new Error("no body with check character 0 found");
  });
});
