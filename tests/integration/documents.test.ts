import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { todayIso } from "../../app/lib/clock.server";
import { loader as documentLoader } from "../../app/routes/documents.$kind.$id";
import { action as startAction } from "../../app/routes/exams.$id.start";
import { action as submitAction } from "../../app/routes/attempts.$id._index";
import { action as newInspectionAction } from "../../app/routes/inspections.new";
import { cookieOf, personIdsOf, request, run, thrownMessage } from "../support/actors";

const A = "安澜宏达化工有限公司"; // 滨江区
const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
const dir = mkdtempSync(join(tmpdir(), "anxun-docs-"));
let n = 0;

/** Download a document as a user and give back its text (pdftotext), its page count and the file. */
async function pdf(cookie: string, kind: string, id: string | number, query = "") {
  const res = (await documentLoader(
    args(request(`/documents/${kind}/${id}${query}`, cookie), { kind, id: String(id) }),
  )) as Response;
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/pdf");
  expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
  const file = join(dir, `${kind}-${++n}.pdf`);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const text = execFileSync("pdftotext", ["-layout", file, "-"]).toString("utf8");
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file]).toString())![1]);
  const fonts = execFileSync("pdffonts", [file]).toString();
  // Layout puts spaces and line breaks where it likes: checks of phrases read the text without them.
  return { text, flat: text.replace(/\s+/g, ""), pages, file, fonts };
}

const refused = async (cookie: string, kind: string, id: string | number) => {
  const res = await run(() =>
    documentLoader(args(request(`/documents/${kind}/${id}`, cookie), { kind, id: String(id) })),
  );
  return res;
};

async function submittedAttempt(cookie: string) {
  const examId = (await db.selectFrom("exam").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
  const res = await run(() => startAction(args(request(`/exams/${examId}/start`, cookie, {}), { id: String(examId) })));
  const attemptId = res.headers.get("location")!.split("/").pop()!;
  await run(() => submitAction(args(request(`/attempts/${attemptId}`, cookie, {}), { id: attemptId })));
  return attemptId;
}

describe("documents to file (PDF)", () => {
  it("成绩单: the examinee and the regulator download it with the score; another enterprise's officer and a colleague are refused", async () => {
    const officer = await cookieOf("officer");
    const attemptId = await submittedAttempt(officer);
    const { text, flat, fonts } = await pdf(officer, "transcript", attemptId);
    expect(text).toContain("考试成绩单");
    expect(text).toContain("安澜宏达化工有限公司");
    expect(flat).toContain("成绩0分（满分100）");
    expect(text).toContain("不合格");
    expect(flat).toMatch(/第1页共\d+页/);
    expect(text).toContain("考生签名");
    expect(flat).toMatch(/编号：CJD-\d{4}-\d{6}/);
    // The Chinese font travels inside the file, subset (no system font needed to read it).
    expect(fonts).toMatch(/\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    const regulator = await pdf(await cookieOf("regulator"), "transcript", attemptId);
    expect(regulator.text).toContain("考试成绩单");
    const other = await refused(await cookieOf("officer2"), "transcript", attemptId);
    expect(other.status).toBe(403);
    expect(thrownMessage(other)).toContain("不是您的答卷");
    const colleague = await refused(await cookieOf("worker"), "transcript", attemptId);
    expect(colleague.status).toBe(403);
    expect((await refused(officer, "transcript", "999999")).status).toBe(404);
    expect((await refused(officer, "nonsense", attemptId)).status).toBe(404);
  });

  it("学时证明 and 一人一档: hours of the year, every section of the archive and how long it is kept; refused outside scope", async () => {
    const officer = await cookieOf("officer");
    const worker = await db
      .selectFrom("user")
      .select("person_id")
      .where("username", "=", "worker")
      .executeTakeFirstOrThrow();
    const personId = worker.person_id!;
    const year = Number(todayIso().slice(0, 4));
    await db
      .insertInto("training_record")
      .values({
        person_id: personId,
        enterprise_id: (await personIdsOf(A))[0].enterprise_id,
        source: "offline",
        title: "危险化学品安全专项培训（线下）",
        source_key: `test-offline-${year}`,
        hours: 4,
        trained_on: `${year}-03-15`,
        note: "课堂签到表第 3 页",
        recorded_by: (
          await db.selectFrom("user").select("id").where("username", "=", "officer").executeTakeFirstOrThrow()
        ).id,
      })
      .execute();
    const hours = await pdf(officer, "hours", personId, `?year=${year}`);
    expect(hours.text).toContain("安全生产培训学时证明");
    expect(hours.text).toContain(`${year} 年度`);
    expect(hours.text).toContain("危险化学品安全专项培训（线下）");
    expect(hours.flat).toMatch(/兹证明.+于\d{4}年度在本单位参加安全生产教育培训，累计取得4学时/);
    expect(hours.text).toContain("单位（盖章）");
    const archive = await pdf(officer, "archive", personId);
    for (const section of [
      "从业人员安全培训档案",
      "一、基本信息",
      "二、课程学习",
      "三、学时台账",
      "四、在线学习记录",
      "五、考试记录",
      "六、现场测验",
      "七、证书",
      "八、档案保存",
    ]) {
      expect(archive.text).toContain(section);
    }
    expect(archive.text).toContain("AQ 8011-2023");
    expect(archive.flat).toContain("特种作业人员档案保存不少于6年");
    // The worker may download their own; another enterprise's officer and another district's inspector may not.
    expect((await pdf(await cookieOf("worker"), "archive", personId)).text).toContain("一人一档");
    const other = await refused(await cookieOf("officer2"), "archive", personId);
    expect(other.status).toBe(403);
    expect(thrownMessage(other)).toContain("本企业");
    const far = await refused(await cookieOf("inspector2"), "hours", personId);
    expect(far.status).toBe(403);
    expect(thrownMessage(far)).toContain("辖区");
    const badYear = await run(() =>
      documentLoader(
        args(request(`/documents/hours/${personId}?year=abc`, officer), { kind: "hours", id: String(personId) }),
      ),
    );
    expect(badYear.status).toBe(422);
  });

  it("the drill evaluation report embeds the log's photos as pictures; a drill of another enterprise is refused", async () => {
    const officer = await cookieOf("officer");
    const enterpriseId = (await personIdsOf(A))[0].enterprise_id;
    const drill = await db
      .selectFrom("drill")
      .select(["id", "organizer_user_id", "started_at"])
      .where("enterprise_id", "=", enterpriseId)
      .where("status", "in", ["ended", "closed"])
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const png = readFileSync("node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf.png");
    const ev = await db
      .insertInto("drill_event")
      .values({
        drill_id: drill.id,
        milestone: null,
        note: "现场疏散集合点清点人数",
        at: new Date(drill.started_at!.getTime() + 120_000),
        logged_by: drill.organizer_user_id,
        logged_by_name: "演练组织者",
      })
      .executeTakeFirstOrThrow();
    await db
      .insertInto("drill_photo")
      .values({
        drill_id: drill.id,
        event_id: Number(ev.insertId),
        rectification_id: null,
        content_type: "image/png",
        bytes: png,
        uploaded_by: drill.organizer_user_id,
      })
      .execute();
    const report = await pdf(officer, "drill", drill.id);
    for (const s of [
      "应急演练评估报告",
      "一、演练概况",
      "二、演练过程",
      "三、关键响应时间",
      "四、评估结果",
      "五、发现的问题与整改",
      "六、现场照片",
      "评估组长签名",
    ])
      expect(report.text).toContain(s);
    expect(report.text).toContain("现场疏散集合点清点人数");
    const images = execFileSync("pdfimages", ["-list", report.file]).toString().trim().split("\n").slice(2);
    expect(images.length).toBeGreaterThanOrEqual(1);
    const other = await refused(await cookieOf("officer2"), "drill", drill.id);
    expect(other.status).toBe(403);
  });

  it("the inspection result sheet: the inspector downloads it; an inspector of another district is refused", async () => {
    const inspector = await cookieOf("inspector");
    const enterpriseId = (await personIdsOf(A))[0].enterprise_id;
    const created = await run(() =>
      newInspectionAction(
        args(
          request(`/inspections/new?enterpriseId=${enterpriseId}`, inspector, {
            inspectedOn: "2026-11-23",
            inspectors: "王检查、张检查",
            place: "罐区",
          }),
        ),
      ),
    );
    const inspectionId = created.headers.get("location")!.split("/").pop()!;
    const sheet = await pdf(inspector, "inspection", inspectionId);
    for (const s of [
      "安全生产知识现场测验结果单",
      "逢查必考",
      "安澜宏达化工有限公司",
      "2026-11-23",
      "王检查、张检查",
      "测验结果",
      "企业负责人签名",
    ])
      expect(sheet.text).toContain(s);
    expect(sheet.flat).toMatch(/编号：XCCY-2026-\d{6}/);
    const far = await refused(await cookieOf("inspector2"), "inspection", inspectionId);
    expect(far.status).toBe(403);
    expect(thrownMessage(far)).toContain("辖区");
  });
});
