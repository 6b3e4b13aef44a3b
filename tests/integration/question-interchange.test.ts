import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { loader as mediaLoader } from "../../app/routes/media.questions.$hash";
import { loader as exportLoader } from "../../app/routes/questions.export";
import { loader as questionLoader } from "../../app/routes/questions.$id";
import { action as importAction } from "../../app/routes/questions.import";
import { questionWorkbook } from "../../app/modules/exams/formats/excel";
import { hashOf } from "../../app/modules/exams/formats/media";
import { mediaToken } from "../../app/modules/exams/formats/text";
import { caseOf, cookieOf, request, run } from "../support/actors";
import { makeDocx, PNG } from "../support/docx";

const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
type Item = { key: string | null; input: { stem: string; answer: string } };

function upload(cookie: string, name: string, body: Buffer | string, topic = "互换测试") {
  const form = new FormData();
  form.set("file", new File([typeof body === "string" ? body : new Uint8Array(body)], name));
  form.set("topic", topic);
  return request("/questions/import", cookie, form);
}
const preview = async (cookie: string, name: string, body: Buffer | string) =>
  caseOf((await run(() => importAction(args(upload(cookie, name, body))))).data, "stage", "preview");
const commit = async (cookie: string, items: Item[]) =>
  run(() =>
    importAction(
      args(
        request("/questions/import", cookie, {
          items: JSON.stringify(items.map(({ key, input }) => ({ key, input }))),
        }),
      ),
    ),
  );
const ownerOf = async (username: string) =>
  (await db.selectFrom("user").select("enterprise_id").where("username", "=", username).executeTakeFirstOrThrow())
    .enterprise_id!;
const countOwned = async (owner: number) =>
  (await db.selectFrom("question").select("id").where("owner_enterprise_id", "=", owner).execute()).length;

describe("identity is the stable key only", () => {
  it("never merges equal stems: generic stems without a key are new questions, every time", async () => {
    const officer = await cookieOf("officer");
    const owner = await ownerOf("officer");
    const rows = ["甲", "乙"].map((x) => ({
      externalId: "",
      type: "single" as const,
      stem: "下列说法正确的是：",
      options: [`${x}说法一`, `${x}说法二`],
      answer: "A",
      topic: "互换测试",
    }));
    const xlsx = await questionWorkbook(rows);
    const first = await preview(officer, "generic.xlsx", xlsx);
    expect(first.added.map((q: Item) => q.key)).toEqual([null, null]);
    expect((await commit(officer, first.added)).data).toEqual({ stage: "done", created: 2, updated: 0 });
    const again = await preview(officer, "generic.xlsx", xlsx);
    expect(again.added).toHaveLength(2);
    expect(again.changed).toEqual([]);
    await commit(officer, again.added);
    const stems = await db
      .selectFrom("question")
      .innerJoin("question_version", "question_version.id", "question.current_version_id")
      .select("question_version.options")
      .where("question.owner_enterprise_id", "=", owner)
      .where("question_version.stem", "=", "下列说法正确的是：")
      .execute();
    expect(stems).toHaveLength(4);
  });

  it("true/false questions with opposite answers are two questions, not duplicates", async () => {
    const officer = await cookieOf("officer");
    const r = await preview(officer, "tf.gift", "动火作业前必须办理审批。{T}\n\n动火作业前必须办理审批。{F}\n");
    expect(r.added.map((q: Item) => q.input.answer)).toEqual(["true", "false"]);
    expect(r.skipped).toEqual([]);
    expect(JSON.stringify(r)).not.toMatch(/imp-/);
  });

  it("updates a keyed question, showing each changed field before and after; the old version stays", async () => {
    const officer = await cookieOf("officer");
    const owner = await ownerOf("officer");
    const gift = (answer: string) =>
      `// [id:hb-001]\n::动火审批::动火作业前应当：{${answer === "A" ? "=办理审批 ~直接作业" : "~办理审批 =直接作业"}}\n`;
    const first = await preview(officer, "key.gift", gift("A"));
    expect(first.added.map((q: Item) => q.key)).toEqual(["hb-001"]);
    await commit(officer, first.added);
    const second = await preview(officer, "key.gift", gift("B"));
    expect(second.added).toEqual([]);
    expect(second.changed).toHaveLength(1);
    expect(second.changed[0].changes).toEqual([{ field: "答案", before: "A", after: "B" }]);
    expect((await commit(officer, second.changed)).data).toEqual({ stage: "done", created: 0, updated: 1 });
    const q = await db
      .selectFrom("question")
      .select("id")
      .where("owner_enterprise_id", "=", owner)
      .where("external_id", "=", "hb-001")
      .executeTakeFirstOrThrow();
    const versions = await db
      .selectFrom("question_version")
      .select(["version", "answer"])
      .where("question_id", "=", q.id)
      .orderBy("version")
      .execute();
    expect(versions).toEqual([
      { version: 1, answer: "A" },
      { version: 2, answer: "B" },
    ]);
    // Unchanged on a third read: skipped with the reason.
    const third = await preview(officer, "key.gift", gift("B"));
    expect(third.skipped).toEqual([
      { line: 2, question: "动火作业前应当：", reason: "与题库中编号「hb-001」的题目相同，无需更新" },
    ]);
  });

  it("rolls the whole batch back when one question cannot be written", async () => {
    const officer = await cookieOf("officer");
    const owner = await ownerOf("officer");
    const before = await countOwned(owner);
    const good = {
      key: "rb-1",
      input: { type: "judge", stem: "回滚测试一", options: [], answer: "true", posts: ["worker"], topic: "互换测试" },
    };
    const bad = {
      key: "rb-2",
      input: {
        type: "judge",
        stem: `回滚测试二 ${mediaToken("img", "0".repeat(32))}`,
        options: [],
        answer: "true",
        posts: ["worker"],
        topic: "互换测试",
      },
    };
    const r = await commit(officer, [good, bad] as unknown as Item[]);
    expect(r.status).toBe(422);
    expect(caseOf(r.data, "stage", "error").message).toContain("第 2 题「回滚测试二 [图片]」");
    expect(caseOf(r.data, "stage", "error").message).toContain("未导入任何题目");
    expect(await countOwned(owner)).toBe(before);
  });
});

describe("encodings, media and Word through the page", () => {
  it("says which encoding it read, and refuses replacement characters", async () => {
    const officer = await cookieOf("officer");
    const text = "进入有限空间作业前，应当：\nA. 先检测后通风\nB. 先通风后检测\nANSWER: B\n";
    const gb = await preview(officer, "bank-aiken.txt", iconv.encode(text, "gb18030"));
    expect(gb.encoding).toBe("GB18030");
    expect(gb.added[0].input.stem).toBe("进入有限空间作业前，应当：");
    const utf16 = await preview(
      officer,
      "bank-aiken.txt",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]),
    );
    expect(utf16.encoding).toBe("UTF-16LE（带 BOM）");
    const broken = await run(() =>
      importAction(args(upload(officer, "bank-aiken.txt", text.replace("通风", "通\ufffd")))),
    );
    expect(broken.status).toBe(422);
    expect(caseOf(broken.data, "stage", "error").message).toContain("替换字符");
  });

  it("stores pictures from Moodle XML, shows them on the question page, serves them and exports them again", async () => {
    const admin = await cookieOf("admin");
    const xml = `<?xml version="1.0" encoding="UTF-8"?><quiz><question type="multichoice"><name><text>标志</text></name>
<questiontext format="html"><text><![CDATA[<p>如图所示的标志表示：</p><p><img src="@@PLUGINFILE@@/sign%201.png" alt=""></p>]]></text>
<file name="sign 1.png" path="/" encoding="base64">${PNG.toString("base64")}</file></questiontext>
<idnumber>media-1</idnumber><answer fraction="100"><text>禁止烟火</text></answer><answer fraction="0"><text>当心火灾</text></answer></question></quiz>`;
    const r = await preview(admin, "media.xml", xml);
    expect(r.skipped).toEqual([]);
    const token = mediaToken("img", hashOf(PNG));
    expect(r.added[0].input.stem).toBe(`如图所示的标志表示：\n${token}`);
    await commit(admin, r.added);
    const served = (await mediaLoader(
      args(request(`/media/questions/${hashOf(PNG)}`, null), { hash: hashOf(PNG) }),
    )) as Response;
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
    const q = await db
      .selectFrom("question")
      .select("id")
      .where("owner_enterprise_id", "=", 0)
      .where("external_id", "=", "media-1")
      .executeTakeFirstOrThrow();
    const page = await run(() => questionLoader(args(request(`/questions/${q.id}`, admin), { id: String(q.id) })));
    expect(page.data.q.stem).toContain(token);
    const exported = (await exportLoader(
      args(request(`/questions/export?format=xml&topic=${encodeURIComponent("互换测试")}`, admin)),
    )) as Response;
    const text = await exported.text();
    expect(text).toContain(
      `<file name="${hashOf(PNG)}.png" path="/" encoding="base64">${PNG.toString("base64")}</file>`,
    );
    const back = await preview(admin, "again.xml", text);
    expect(back.added).toEqual([]);
    expect(back.changed).toEqual([]);
  });

  it("imports a Word file made here, reporting the broken question by number and line", async () => {
    const officer = await cookieOf("officer");
    const docx = await makeDocx([
      "一、单选题",
      "1. 进入受限空间前应当（ ）。",
      "A．先通风 B．先进入",
      "答案：A",
      "2. 没有答案的题",
      "A、甲",
      "B、乙",
    ]);
    const r = await preview(officer, "题库.docx", docx);
    expect(r.formatLabel).toBe("Word 文档");
    expect(r.added.map((q: Item) => q.input.stem)).toEqual(["进入受限空间前应当（ ）。"]);
    expect(r.skipped).toEqual([{ line: 5, question: "第 2 题「没有答案的题」", reason: "缺少答案行（答案：B）" }]);
  });

  it("hostile files are a clear problem, quickly, and other requests keep being answered", async () => {
    const officer = await cookieOf("officer");
    const xml = `<quiz><question type="multichoice"><name><text>q</text></name><questiontext format="html"><text><![CDATA[${"<a".repeat(1_000_000)}]]></text></questiontext></question></quiz>`;
    expect(xml.length).toBeGreaterThan(2_000_000);
    let worst = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }, 5);
    const t = performance.now();
    const r = await preview(officer, "hostile.xml", xml);
    const took = performance.now() - t;
    clearInterval(timer);
    expect(r.skipped[0].reason).toContain("超过");
    expect(took).toBeLessThan(1000);
    expect(worst).toBeLessThan(250);
    const deep = await preview(officer, "deep.xml", `<quiz>${"<a>".repeat(20_000)}</quiz>`);
    expect(deep.skipped[0].reason).toContain("嵌套超过");
    const dtd = await preview(
      officer,
      "x.xml",
      '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY e SYSTEM "http://127.0.0.1:1/">]><quiz>&e;</quiz>',
    );
    expect(dtd.skipped[0].reason).toContain("DOCTYPE");
  });
});
