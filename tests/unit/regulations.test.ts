import path from "node:path";
import { describe, expect, it } from "vitest";
import { chineseNumber, parseCitations, resolveCitations } from "../../app/modules/regulations/citations";
import { readRegistry } from "../../app/modules/regulations/registry.server";
import { changeReason, entryStatus } from "../../app/modules/regulations/rules";

const { registry, problems } = readRegistry(path.resolve("content"));
const resolve = (text: string) => resolveCitations(text, registry.index);

describe("regulation citations", () => {
  it("reads the shipped registry without a problem, with what replaces what", () => {
    expect(problems).toEqual([]);
    const byCode = new Map(registry.entries.map((e) => [e.code, e]));
    expect(byCode.get("special-operators-rules-2010")?.supersededBy).toBe("special-operators-rules-2025");
    expect(byCode.get("major-hazard-responsibility-2021")?.supersededBy).toBe("aq-3072-2026");
  });

  it("parses the formats content uses", () => {
    expect(parseCitations("《中华人民共和国安全生产法》第五十三条、第五十四条")).toEqual({
      ok: true,
      parts: [{ name: "中华人民共和国安全生产法", number: null, articles: ["第五十三条", "第五十四条"] }],
    });
    expect(
      parseCitations("《危险化学品企业特殊作业安全规范》GB 30871-2022；《中华人民共和国安全生产法》"),
    ).toMatchObject({ ok: true, parts: [{ number: "GB 30871-2022" }, { number: null }] });
    expect(parseCitations("《生产安全事故应急演练基本规范》（AQ/T 9007-2019）")).toMatchObject({
      ok: true,
      parts: [{ number: "AQ/T 9007-2019" }],
    });
    expect(parseCitations("中华人民共和国刑法第一百三十四条之一")).toMatchObject({
      ok: true,
      parts: [{ name: "中华人民共和国刑法", articles: ["第一百三十四条之一"] }],
    });
    expect(parseCitations("《安全生产法》第二十八条的规定").ok).toBe(false);
    expect(chineseNumber("一百一十四")).toBe(114);
    expect(chineseNumber("十九")).toBe(19);
  });

  it("resolves names, aliases and numbers to registry entries; a shared name means the newest version", () => {
    const code = (t: string) => {
      const r = resolve(t);
      return r.ok ? r.refs.map((x) => x.code) : r.error;
    };
    expect(code("《中华人民共和国安全生产法》第二十八条")).toEqual(["work-safety-law"]);
    expect(code("安全生产法")).toEqual(["work-safety-law"]);
    expect(code("《特种作业人员安全技术培训考核管理规定》")).toEqual(["special-operators-rules-2025"]);
    expect(code("《特种作业人员安全技术培训考核管理规定》（原国家安全生产监督管理总局令第30号）")).toEqual([
      "special-operators-rules-2010",
    ]);
    expect(code("《焊接与切割安全》GB 9448")).toEqual(["gb-9448-2025"]);
    expect(code("《焊接与切割安全》GB 9448-1999")).toEqual(["gb-9448-1999"]);
    expect(code("《化学品安全技术说明书 内容和项目顺序》GB/T 16483")).toEqual(["gb-t-16483-2008"]);
  });

  it("refuses unknown entries, unknown numbers and articles beyond an entry's length", () => {
    const err = (t: string) => {
      const r = resolve(t);
      return r.ok ? "resolved" : r.error;
    };
    expect(err("《安全生产管理条例》")).toMatch(/法规库中没有《安全生产管理条例》/);
    expect(err("《焊接与切割安全》GB 9448-2010")).toMatch(/没有编号为「GB 9448-2010」/);
    expect(err("《中华人民共和国安全生产法》第一百二十条")).toMatch(/只有 119 条/);
  });
});

describe("registry rules", () => {
  it("computes an entry's status on a day", () => {
    expect(entryStatus({ effective_on: "2026-06-01", repealed_on: null }, "2026-05-31")).toBe("not_yet");
    expect(entryStatus({ effective_on: "2026-06-01", repealed_on: null }, "2026-06-01")).toBe("in_force");
    expect(entryStatus({ effective_on: "2010-07-01", repealed_on: "2026-06-01" }, "2026-06-01")).toBe("repealed");
  });

  it("gives a reason for a repeal, a successor or a new version, and none for no change", () => {
    const was = { version: "2015年修正", repealedOn: null, supersededBy: null };
    expect(changeReason("甲", was, was, null)).toBeNull();
    expect(changeReason("甲", was, { ...was, repealedOn: "2026-06-01", supersededBy: "b" }, "《乙》")).toMatch(
      /《甲》已被《乙》取代（2026-06-01 起废止）/,
    );
    expect(changeReason("甲", was, { ...was, repealedOn: "2026-06-01" }, null)).toMatch(/2026-06-01 起废止/);
    expect(changeReason("甲", was, { ...was, version: "2026年修正" }, null)).toMatch(/新版本：2026年修正/);
  });
});
