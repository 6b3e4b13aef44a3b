import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAiken } from "../../../app/modules/exams/formats/aiken";
import { decodeText } from "../../../app/modules/exams/formats/encoding";
import { parseGift } from "../../../app/modules/exams/formats/gift";
import { parseMoodleXml } from "../../../app/modules/exams/formats/moodle-xml";

/** Files in the shapes real tools write (tests/fixtures/formats/THIRD_PARTY.md). */
const file = (name: string) => readFileSync(path.resolve("tests/fixtures/formats/corpus", name));
const text = (name: string) => {
  const d = decodeText(file(name));
  if (!d.ok) throw new Error(d.reason);
  return d;
};

describe("corpus", () => {
  it("Moodle 1.9: picture beside the text imported, a picture named but not embedded and a short answer reported", async () => {
    const r = await parseMoodleXml(text("moodle19-export.xml").text);
    expect(r.questions.map((q) => [q.name, q.type, q.answer, q.category])).toEqual([
      ["禁止标志", "single", "A", "安全标志"],
    ]);
    expect(r.questions[0].stem).toMatch(/^下图所示安全标志属于哪一类？\n\[\[img:[0-9a-f]{32}\]\]$/);
    expect(r.problems.map((p) => p.reason)).toEqual([
      expect.stringContaining("safety/missing.png 没有嵌入"),
      "不支持的题型：简答题（只支持单选、多选和判断）",
    ]);
  });
  it("Moodle 4: Atto HTML becomes text with the picture, no tag or entity left; an external picture is reported", async () => {
    const r = await parseMoodleXml(text("moodle4-export.xml").text);
    const [h2s, store] = r.questions;
    expect(h2s).toMatchObject({
      externalId: "hc-h2s-01",
      type: "multiple",
      answer: "AB",
      options: ["中毒", "燃烧爆炸", "无任何危害"],
      category: "默认/危险化学品",
    });
    expect(h2s.stem).toMatch(/^H₂S 的主要危害是：\n\[\[img:[0-9a-f]{32}\]\]$/);
    expect(h2s.explanation).toBe("硫化氢是 剧毒 气体，且易燃。");
    expect(store).toMatchObject({
      externalId: "hc-store-01",
      type: "judge",
      answer: "false",
      stem: "氧化剂与还原剂可以同库储存。",
    });
    expect(r.problems).toEqual([
      {
        line: expect.any(Number),
        question: "外链图片",
        reason: expect.stringContaining("https://cdn.example.org/tank.jpg 是外部地址"),
      },
    ]);
    for (const q of r.questions)
      expect([q.stem, ...q.options, q.explanation ?? ""].join("")).not.toMatch(/<[a-z/]|&[a-z]+;/i);
  });
  it("GIFT as Moodle writes it", async () => {
    const r = await parseGift(text("gift-course-export.txt").text);
    expect(r.questions.map((q) => [q.externalId, q.type, q.answer])).toEqual([
      ["dh-001", "single", "A"],
      ["动火监护", "judge", "false"],
      ["缺失词", "single", "C"],
      ["多选", "multiple", "AB"],
    ]);
    expect(r.questions[0].stem).toBe("特殊动火作业、一级动火作业和二级动火作业中，风险最高的是：");
    expect(r.questions[0].explanation).toBe("依据 GB 30871，特殊动火作业风险最高。");
    expect(r.questions[2].stem).toBe("动火作业前应清除动火点周围（　）米范围内的可燃物。");
    expect(r.problems.map((p) => [p.question, p.reason.slice(0, 12)])).toEqual([
      ["小写判断", "判断题的答案须写成 T、"],
      ["数值", "不支持的题型：数值题"],
    ]);
  });
  it("Aiken from Chinese Windows Notepad (GBK, CRLF)", () => {
    const d = text("aiken-gbk-crlf.txt");
    expect(d.encoding).toBe("GB18030");
    const r = parseAiken(d.text);
    expect(r.questions.map((q) => [q.line, q.answer, q.options.length])).toEqual([
      [1, "A", 2],
      [6, "B", 3],
    ]);
    expect(r.problems).toEqual([
      { line: 14, question: "坏题：", reason: "选项字母应为 B，这里是 C（第 12 行的题目未导入）" },
    ]);
  });
});
