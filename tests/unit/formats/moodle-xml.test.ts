import { readFileSync } from "node:fs";
import path from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { matchGrade, parseMoodleXml, sanitizeHtml, toMoodleXml } from "../../../app/modules/exams/formats/moodle-xml";
import type { ExportQuestion } from "../../../app/modules/exams/formats/types";
import { content, ROUND_TRIP_BANK } from "../../fixtures/formats/round-trip-bank";

const sample = () => readFileSync(path.resolve("tests/fixtures/formats/samples/safety.moodle.xml"), "utf8");
const fixture = (name: string) => readFileSync(path.resolve("tests/fixtures/formats", name), "utf8");
const lineOf = (text: string, marker: string) => text.split(/\r?\n/).findIndex((l) => l.includes(marker)) + 1;
const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);

describe("Moodle XML: shared sample", () => {
  const text = sample();
  const { questions, problems } = parseMoodleXml(text);
  const byName = (name: string) => questions.find((q) => q.name === name)!;
  /** The line of the <question that precedes the line holding this name. */
  const questionLine = (name: string) => {
    const lines = text.split("\n");
    let i = lineOf(text, `<name><text>${name}</text></name>`) - 1;
    while (!lines[i].includes("<question")) i--;
    return i + 1;
  };

  it("reads three questions, each with the line of its <question", () => {
    expect(questions.map((q) => q.name)).toEqual(["预案分类", "现场处置方案演练频次", "事故报告时限"]);
    for (const q of questions) expect(q.line).toBe(questionLine(q.name!));
  });

  it("multiple response with 33.33333/33.33333/33.33334, category path and tag", () => {
    const q = byName("预案分类");
    expect(q.type).toBe("multiple");
    expect([...q.answer].map((l) => q.options[l.charCodeAt(0) - 65])).toEqual(["综合应急预案", "专项应急预案", "现场处置方案"]);
    expect(q.options).toContain("年度工作计划");
    expect(q.category).toBe("应急预案");
    expect(q.tags).toEqual(["应急预案"]);
    expect(q.explanation).toBe("<p>综合应急预案、专项应急预案和现场处置方案。</p>");
  });

  it("true/false and single choice with safe HTML emphasis", () => {
    expect(byName("现场处置方案演练频次")).toMatchObject({ type: "judge", answer: "true", options: [] });
    const q = byName("事故报告时限");
    expect(q.type).toBe("single");
    expect(q.options[q.answer.charCodeAt(0) - 65]).toBe("1小时内");
    expect(q.stem).toContain("<strong>立即</strong>");
    expect(q.stem.startsWith("<p>")).toBe(true);
  });

  it("reports the fraction 33 and the essay", () => {
    expect(problems).toEqual([
      { line: questionLine("分值不合法"), reason: "分值 33 不是 Moodle 允许的分值（如 33.33333）" },
      { line: questionLine("不支持的题型"), reason: expect.stringContaining("不支持的题型：问答题") },
    ]);
  });
});

describe("Moodle XML: malformed questions", () => {
  const text = fixture("moodle-malformed.xml");
  const { questions, problems } = parseMoodleXml(text);
  const cases: [string, string][] = [
    ["q:fraction-33", "分值 33 不是 Moodle 允许的分值（如 33.33333）"],
    ["q:fraction-nan", "分值 abc 不是数字"],
    ["q:essay", "不支持的题型：问答题"],
    ["q:shortanswer", "不支持的题型：简答题"],
    ["q:numerical", "不支持的题型：数值题"],
    ["q:matching", "不支持的题型：匹配题"],
    ["q:single-no-100", "单选题没有分值为 100 的正确答案"],
    ["q:single-two-100", "单选题只能有一个分值为 100 的答案"],
    ["q:multi-sum", "多选题正确选项的分值合计应为 100，这里是 90"],
    ["q:multi-one", "多选题只有一个正确选项"],
    ["q:one-option", "选择题至少需要两个选项"],
    ["q:tf-no-right", "判断题应恰好有一个分值为 100 的答案"],
    ["q:tf-texts", "判断题的两个答案文字应为 true 和 false"],
    ["q:no-name", "缺少题目名称"],
    ["q:empty-text", "题干为空"],
    ["q:missing-file", "图片 missing.png 没有随文件提供"],
    ["q:external-image", "图片 https://example.com/a.png 没有嵌入在文件中"],
    ["q:bad-xml", `XML 格式错误（第 ${lineOf(text, "q:bad-xml") + 2} 行）`],
    ["q:unclosed", "缺少结束标签 </question>"],
  ];

  it("reports each broken question at its <question line with a Chinese reason", () => {
    expect(problems).toHaveLength(cases.length);
    cases.forEach(([marker, reason], i) => {
      expect(problems[i].line, marker).toBe(lineOf(text, marker));
      expect(problems[i].reason, marker).toContain(reason);
      expect(hasChinese(problems[i].reason)).toBe(true);
    });
  });

  it("still reads the good question between them", () => {
    expect(questions).toEqual([
      { line: lineOf(text, "q:ok"), name: "正确的题", type: "single", stem: "这道题没有错误 &amp; 应当导入", options: ["甲", "乙"], answer: "B" },
    ]);
  });
});

describe("Moodle XML: images, sanitising, formats, tolerance", () => {
  const text = fixture("moodle-features.xml");
  const { questions, problems } = parseMoodleXml(text);

  it("has no problems", () => expect(problems).toEqual([]));

  it("decodes embedded images, keeps the reference and strips unsafe HTML", () => {
    const q = questions[0];
    expect(q.line).toBe(lineOf(text, "q:image"));
    expect(q.stem).toBe('<p>下图是什么标志?<img src="@@PLUGINFILE@@/sign%201.png" alt="标志"></p>第二段');
    expect(q.files).toEqual([{ name: "sign 1.png", data: Buffer.from("iVBORw0KGgo=", "base64") }]);
    expect(q.files![0].data.subarray(1, 4).toString()).toBe("PNG");
    for (const bad of ["script", "style", "iframe", "onmouseover", "onerror", "dir=", "span", "alert"]) {
      expect(q.stem + q.explanation).not.toContain(bad);
    }
    expect(q.explanation).toBe("<p>禁止标志是红色圆环加斜杠。</p>");
    expect(q.options).toEqual(["禁止<em>吸烟</em>", "注意安全", "当心火灾"]);
    expect(q).toMatchObject({ type: "single", answer: "A", externalId: "hc-001", category: "安全生产/危险化学品" });
  });

  it("maps our prefixed tags to fields and keeps the others", () => {
    expect(questions[0]).toMatchObject({ posts: ["worker"], industries: ["hazardous_chemicals"], topic: "安全标志", difficulty: 2 });
    expect(questions[0].tags).toEqual(["安全标志", "post:nobody"]);
  });

  it("keeps non-HTML formats as plain text and treats empty <single> as multiple response", () => {
    expect(questions[1]).toMatchObject({ type: "multiple", answer: "AB", stem: "a < b 且 <b>不是标签</b>", options: ["x & y", "中文", "错的"] });
  });

  it("accepts 33.33334 as 33.33333", () => {
    expect(questions[2]).toMatchObject({ type: "multiple", answer: "ABC" });
    expect(matchGrade(33.33334)).toBe(33.33333);
    expect(matchGrade(33)).toBeNull();
    expect(matchGrade(-14.28571)).toBe(-14.28571);
  });

  it("reads images embedded in answers and refuses file names that leave their folder", () => {
    const question = (file: string) => `<quiz>
<question type="multichoice">
  <name><text>图片选项</text></name>
  <questiontext format="html"><text>哪个是禁止标志?</text></questiontext>
  <answer fraction="100" format="html"><text><![CDATA[<img src="@@PLUGINFILE@@/sub/a.png">]]></text>${file}</answer>
  <answer fraction="0" format="html"><text>都不是</text></answer>
</question>
</quiz>`;
    const ok = parseMoodleXml(question('<file name="a.png" path="/sub/" encoding="base64">AAEC</file>'));
    expect(ok.problems).toEqual([]);
    expect(ok.questions[0].options[0]).toBe('<img src="@@PLUGINFILE@@/sub/a.png">');
    expect(ok.questions[0].files).toEqual([{ name: "sub/a.png", data: Buffer.from([0, 1, 2]) }]);
    const bad = parseMoodleXml(question('<file name="a.png" path="/sub/../" encoding="base64">AAEC</file>'));
    expect(bad.questions).toEqual([]);
    expect(bad.problems).toEqual([{ line: 2, reason: "图片文件名不合法：sub/../a.png" }]);
    const notBase64 = parseMoodleXml(question('<file name="a.png" path="/sub/" encoding="base64">@@@</file>'));
    expect(notBase64.problems).toEqual([{ line: 2, reason: "图片 a.png 的 base64 内容无效" }]);
  });

  it("defaults questiontext to html", () => {
    expect(questions[3]).toMatchObject({ type: "judge", answer: "false", stem: "默认格式是 <u>html</u>" });
  });
});

describe("Moodle XML: sanitiser", () => {
  it("keeps only the allowed inline tags, without attributes", () => {
    const { html, rejectedImages } = sanitizeHtml(
      `<P class="x" onclick="a()">一<B>二</B><strong>三</strong><i>四</i><em>五</em><u>六</u>H<sub>2</sub>O<sup>2</sup><br/>` +
        `<a href="javascript:alert(1)">链接</a><span style="x">七</span><img src=x onerror=alert(1)>` +
        `<script>alert(1)</script><SCRIPT src="x"></SCRIPT><style>*{}</style><!-- 注释 --><svg><g onload="x"/></svg></P>`,
    );
    expect(html).toBe("<p>一<b>二</b><strong>三</strong><i>四</i><em>五</em><u>六</u>H<sub>2</sub>O<sup>2</sup><br>链接七</p>");
    expect(rejectedImages).toEqual(["x"]);
  });

  it("escapes stray characters, closes open tags and is idempotent", () => {
    const once = sanitizeHtml("a < b && c > d &amp; &nbsp; <b>粗<i>斜</b> <p>未闭合");
    expect(once.html).toBe("a &lt; b &amp;&amp; c &gt; d &amp; &nbsp; <b>粗<i>斜</i></b> <p>未闭合</p>");
    expect(sanitizeHtml(once.html).html).toBe(once.html);
  });

  it("cannot be tricked by quotes, broken tags or unterminated scripts", () => {
    expect(sanitizeHtml(`<b title="a>b" onclick="x">ok</b>`).html).toBe("<b>ok</b>");
    expect(sanitizeHtml(`<scr<script>ipt>alert(1)</script>`).html).not.toMatch(/<script/i);
    expect(sanitizeHtml(`前<script>alert(1)`).html).toBe("前");
    expect(sanitizeHtml(`<img src="@@PLUGINFILE@@/a.png" alt='"><script>'>`).html).toBe('<img src="@@PLUGINFILE@@/a.png" alt="&quot;&gt;&lt;script&gt;">');
  });
});

describe("Moodle XML: line endings, BOM, empty input, not a quiz", () => {
  it("reads CRLF with a UTF-8 BOM", () => {
    const text = fixture("moodle-crlf-bom.xml");
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain("\r\n");
    const { questions, problems } = parseMoodleXml(text);
    expect(questions).toEqual([{ line: 3, name: "CRLF", type: "judge", stem: "第一行\n第二行", options: [], answer: "true" }]);
    expect(problems).toEqual([{ line: 11, reason: expect.stringContaining("不支持的题型：问答题") }]);
  });

  it("gives the same result for the sample with CRLF and a BOM", () => {
    expect(parseMoodleXml(`\uFEFF${sample().replace(/\n/g, "\r\n")}`)).toEqual(parseMoodleXml(sample()));
  });

  it("reports an empty file and a file that is not a quiz", () => {
    expect(parseMoodleXml(fixture("empty.txt"))).toEqual({ questions: [], problems: [{ line: 1, reason: "文件为空，没有读到任何题目" }] });
    expect(parseMoodleXml("<html><body>不是题库</body></html>").problems[0].reason).toContain("找不到 <quiz>");
    expect(parseMoodleXml("<quiz></quiz>").problems[0].reason).toContain("没有找到题目");
  });
});

describe("Moodle XML: export and round trip", () => {
  const xml = toMoodleXml(ROUND_TRIP_BANK, "安全生产/题库");

  it("writes well-formed XML with CDATA text", () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain("<![CDATA[事故发生后");
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')).toBe(true);
  });

  it("imports back to the same questions", () => {
    const { questions, problems } = parseMoodleXml(xml);
    expect(problems).toEqual([]);
    expect(questions.map((q) => content(q))).toEqual(ROUND_TRIP_BANK.map((q) => content(q)));
    expect(questions.every((q) => q.category === "安全生产/题库" && q.tags === undefined)).toBe(true);
  });

  it("uses Moodle's allowed fractions, split evenly, with wrong options sharing -100", () => {
    const blocks = xml.split("<question ").slice(2);
    const fractions = blocks.map((b) => [...b.matchAll(/fraction="([^"]+)"/g)].map((m) => Number(m[1])));
    for (const list of fractions) for (const f of list) expect(matchGrade(f), String(f)).toBe(f);
    expect(fractions[0]).toEqual([0, 100, 0, 0]);
    expect(fractions[1]).toEqual([50, -50, 50, -50]);
    expect(fractions[2]).toEqual([33.33333, 33.33333, -50, 33.33333, -50]);
    expect(fractions[3]).toEqual([25, 25, 25, 25]);
    expect(fractions[4]).toEqual([20, 20, 20, -33.33333, 20, -33.33333, 20, -33.33333]);
    expect(fractions[5]).toEqual([16.66667, 16.66667, 16.66667, 16.66667, 16.66667, 16.66667, -100]);
    expect(fractions[6].filter((f) => f > 0)).toEqual(Array(7).fill(14.28571));
    expect(blocks[1]).toContain("<single>false</single>");
    expect(blocks[0]).toContain("<single>true</single>");
    expect(blocks[7]).toContain('type="truefalse"');
  });

  it("survives a second round trip unchanged", () => {
    const once = parseMoodleXml(xml).questions.map((q) => ({ ...content(q), externalId: q.externalId! }) as ExportQuestion);
    expect(toMoodleXml(once, "安全生产/题库")).toBe(xml);
  });

  it("exports an empty list as an empty quiz", () => {
    expect(XMLValidator.validate(toMoodleXml([]))).toBe(true);
    expect(parseMoodleXml(toMoodleXml([])).questions).toEqual([]);
  });
});
