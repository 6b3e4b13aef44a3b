import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detectFormat } from "../../../app/modules/exams/formats";

const head = (file: string) => readFileSync(file).subarray(0, 512).toString("latin1");
const sample = (name: string) => path.resolve("tests/fixtures/formats/samples", name);

describe("detectFormat", () => {
  it("recognises the shared samples", () => {
    expect(detectFormat("safety.gift.txt", head(sample("safety.gift.txt")))).toBe("gift");
    expect(detectFormat("safety.aiken.txt", head(sample("safety.aiken.txt")))).toBe("aiken");
    expect(detectFormat("safety.moodle.xml", head(sample("safety.moodle.xml")))).toBe("moodle-xml");
    expect(detectFormat("safety-questions.xlsx", head(sample("safety-questions.xlsx")))).toBe("excel");
  });

  it("uses the content when the name says nothing", () => {
    const gift = readFileSync(sample("safety.gift.txt"), "utf8");
    const aiken = readFileSync(sample("safety.aiken.txt"), "utf8");
    expect(detectFormat("题库.txt", gift)).toBe("gift");
    expect(detectFormat("题库.txt", aiken)).toBe("aiken");
    expect(detectFormat("题库.txt", `\uFEFF${aiken.replace(/\n/g, "\r\n")}`)).toBe("aiken");
    expect(detectFormat("export", '\uFEFF<?xml version="1.0"?><quiz>')).toBe("moodle-xml");
    expect(detectFormat("upload.bin", "PK\u0003\u0004rest")).toBe("excel");
    expect(detectFormat("题库.gift", "")).toBe("gift");
    // The first bytes of a Chinese Aiken file that only uses 答案：, handed over as latin1.
    const chinese = Buffer.from("\uFEFF进入有限空间作业前,必须:\r\nA．先检测\r\nB．先通风\r\n答案：B\r\n", "utf8");
    expect(detectFormat("题库.txt", chinese.toString("latin1"))).toBe("aiken");
    expect(detectFormat("题库.txt", chinese.toString("utf8"))).toBe("aiken");
  });

  it("returns null when it cannot tell", () => {
    expect(detectFormat("题库.txt", "只是一些文字\n没有题目")).toBeNull();
    expect(detectFormat("题库.xls", "\u00d0\u00cf\u0011\u00e0")).toBeNull();
    expect(detectFormat("题库.pptx", "PK\u0003\u0004rest")).toBeNull();
    expect(detectFormat("题库.doc", "\u00d0\u00cf\u0011\u00e0")).toBeNull();
    expect(detectFormat("empty.txt", "")).toBeNull();
  });
});
