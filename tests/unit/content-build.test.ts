import { copyFileSync, mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileMdx, ContentError } from "../../app/modules/courses/compile.server";
import { buildCatalog } from "../../app/modules/courses/content-build.server";

const COURSE = `---
title: 测试课程
summary: 一门用于测试内容构建的课程，共一课。
hours: 1
posts: [worker]
industries: []
regulations:
  - name: 中华人民共和国安全生产法
version: 1
order: 1
---

课程介绍。
`;
const LESSON = `---
title: 第一课
---

先通风、再检测、后作业。

<SelfCheck id="q1" type="judge" question="可以先进入再检测。" answer="false" explanation="必须先检测合格再进入。" />
`;

function courseDir(files: Record<string, string>) {
  const root = mkdtempSync(path.join(tmpdir(), "anxun-content-"));
  const dir = path.join(root, "content", "courses", "test-course");
  mkdirSync(path.join(dir, "assets"), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  copyFileSync(path.resolve("content/regulations.yaml"), path.join(root, "content", "regulations.yaml"));
  return path.join(root, "content");
}

async function failure(source: string) {
  try {
    await compileMdx(source, "content/courses/x/01-a.mdx");
  } catch (e) {
    return e as ContentError;
  }
  throw new Error("expected the lesson to fail");
}

describe("lesson compilation", () => {
  it("compiles a lesson, keeps its text, and strips self-check answers from the code", async () => {
    const out = await compileMdx(LESSON, "01-a.mdx");
    expect(out.text).toContain("先通风、再检测、后作业");
    expect(out.selfChecks).toEqual([
      {
        id: "q1",
        type: "judge",
        question: "可以先进入再检测。",
        options: [],
        answer: "false",
        explanation: "必须先检测合格再进入。",
      },
    ]);
    expect(out.code).not.toContain("必须先检测合格再进入");
    expect(out.code).not.toMatch(/answer/);
  });

  it("reports an MDX syntax error with file and line", async () => {
    const e = await failure('---\ntitle: 第一课\n---\n\n正文\n\n<KeyPoint title="x">\n\n{未闭合\n');
    expect(e).toBeInstanceOf(ContentError);
    expect(e.message).toMatch(/^content\/courses\/x\/01-a\.mdx:10: MDX 语法错误/);
  });

  it("reports an unknown component with its line and the allowed ones", async () => {
    const e = await failure('---\ntitle: 第一课\n---\n\n正文\n\n<Video src="a.mp4" />\n');
    expect(e.message).toContain("01-a.mdx:7: 未知组件 <Video>");
    expect(e.message).toContain("SelfCheck");
  });

  it("reports a self-check whose answer is not among its options", async () => {
    const e = await failure(
      '---\ntitle: 第一课\n---\n\n<SelfCheck id="q" type="single" question="问" options={["甲","乙"]} answer="C" explanation="因为" />\n',
    );
    expect(e.message).toContain(":5: SelfCheck 有误");
    expect(e.message).toContain("答案「C」不在选项范围内");
  });

  it("refuses import statements and missing figures", async () => {
    expect((await failure("---\ntitle: 第一课\n---\n\nimport x from 'y'\n\n正文\n")).message).toContain(
      ":5: 课程内容中不允许 import/export",
    );
    expect(
      (await failure('---\ntitle: 第一课\n---\n\n<Figure src="assets/none.svg" caption="图" />\n')).message,
    ).toContain("图片「assets/none.svg」不存在");
  });

  it("reports invalid YAML frontmatter with its line", async () => {
    const e = await failure("---\ntitle: [未闭合\n---\n\n正文\n");
    expect(e.message).toMatch(/01-a\.mdx:\d+: frontmatter 不是有效的 YAML/);
  });
});

describe("catalog build", () => {
  it("builds a course and its answer key", async () => {
    const built = await buildCatalog(courseDir({ "index.mdx": COURSE, "01-first.mdx": LESSON }));
    expect(built.errors).toEqual([]);
    expect(built.catalog.courses[0]).toMatchObject({
      slug: "test-course",
      title: "测试课程",
      hours: 1,
      posts: ["worker"],
    });
    expect(built.catalog.courses[0].lessons[0]).toMatchObject({ slug: "01-first", position: 1, title: "第一课" });
    expect(built.answers["test-course/01-first#q1"]).toEqual({
      answer: "false",
      explanation: "必须先检测合格再进入。",
    });
  });

  it.each([
    ["hours: 1", "hours: 1.3", "index.mdx:4: frontmatter 字段「hours」有误：学时以 0.5 为单位"],
    ["posts: [worker]", "posts: [driver]", "index.mdx:5: frontmatter 字段「posts.0」有误"],
    ["version: 1\n", "", "frontmatter 字段「version」有误"],
    ["order: 1", "order: 1\nauthor: 张三", "frontmatter 字段「(根)」有误"],
  ])("fails on bad course frontmatter (%s → %s)", async (from, to, message) => {
    const built = await buildCatalog(courseDir({ "index.mdx": COURSE.replace(from, to), "01-first.mdx": LESSON }));
    expect(built.errors.map((e) => e.message).join("\n")).toContain(message);
  });

  it("fails on a lesson without a title and a badly named lesson file, reporting both", async () => {
    const built = await buildCatalog(
      courseDir({
        "index.mdx": COURSE,
        "01-first.mdx": LESSON.replace("title: 第一课", "name: x"),
        "lesson2.mdx": LESSON,
      }),
    );
    const messages = built.errors.map((e) => e.message);
    expect(messages.some((m) => m.includes("01-first.mdx") && m.includes("frontmatter"))).toBe(true);
    expect(messages.some((m) => m.includes("lesson2.mdx") && m.includes("课时文件名"))).toBe(true);
  });

  it("fails on a citation that is not in the regulation registry, with file and line", async () => {
    const badIndex = await buildCatalog(
      courseDir({
        "index.mdx": COURSE.replace(
          "  - name: 中华人民共和国安全生产法",
          "  - name: 中华人民共和国安全生产法\n  - name: 安全生产管理条例",
        ),
        "01-first.mdx": LESSON,
      }),
    );
    expect(badIndex.errors.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/index\.mdx:9: regulations 引用有误：法规库中没有《安全生产管理条例》/),
    );
    const built = await buildCatalog(
      courseDir({
        "index.mdx": COURSE,
        "01-first.mdx": `${LESSON}\n<Regulation law="中华人民共和国安全生产法" article="第二百条">不存在的条款</Regulation>\n`,
      }),
    );
    const messages = built.errors.map((e) => e.message);
    expect(messages).toContainEqual(
      expect.stringMatching(/01-first\.mdx:9: <Regulation> 引用有误：《中华人民共和国安全生产法》只有 119 条/),
    );
  });

  it("links a lesson's <Regulation> quote to its registry entry and records the citation", async () => {
    const built = await buildCatalog(
      courseDir({
        "index.mdx": COURSE,
        "01-first.mdx": `${LESSON}\n<Regulation law="安全生产法" article="第二十八条">教育培训。</Regulation>\n`,
      }),
    );
    expect(built.errors).toEqual([]);
    const lesson = built.catalog.courses[0].lessons[0];
    expect(lesson.citations).toEqual([{ code: "work-safety-law", articles: ["第二十八条"] }]);
    expect(lesson.code).toContain("work-safety-law");
    expect(built.catalog.courses[0].citations).toEqual([{ code: "work-safety-law", articles: [] }]);
  });

  it("builds the shipped content without a problem", async () => {
    const built = await buildCatalog(path.resolve("content"));
    expect(built.errors.map((e) => e.message)).toEqual([]);
    expect(built.catalog.courses.length).toBeGreaterThanOrEqual(8);
    for (const c of built.catalog.courses) expect(c.lessons.length).toBeGreaterThanOrEqual(4);
  }, 60_000);
});
