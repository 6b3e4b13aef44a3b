import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { action as importAction } from "../../app/routes/questions.import";
import { loader as exportLoader } from "../../app/routes/questions.export";
import { loader as questionsLoader } from "../../app/routes/questions._index";
import { action as questionAction } from "../../app/routes/questions.$id";
import { action as newTemplateAction } from "../../app/routes/exam-templates.new";
import { loader as statsLoader } from "../../app/routes/exam-templates.$id.stats";
import { action as practiceAction, loader as practiceLoader } from "../../app/routes/practice.question";
import { action as startAction } from "../../app/routes/exams.$id.start";
import { action as submitAction } from "../../app/routes/attempts.$id._index";
import { loader as reviewLoader } from "../../app/routes/attempts.$id.review";
import { caseOf, cookieOf, member, refusalOf, request, run } from "../support/actors";

const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
const SAMPLES = path.resolve("tests/fixtures/formats/samples");

function upload(cookie: string, name: string, body: Buffer | string, topic = "") {
  const form = new FormData();
  form.set("file", new File([typeof body === "string" ? body : new Uint8Array(body)], name));
  form.set("topic", topic);
  return request("/questions/import", cookie, form);
}

type Item = { key: string | null; input: unknown };
const itemsOf = (data: { added: Item[]; changed: Item[] }) =>
  JSON.stringify([...data.added, ...data.changed].map(({ key, input }) => ({ key, input })));

/** The preview an import upload answered (asserted: stage "preview"). */
const previewOf = <D extends { stage: string }>(r: { data: D | null }) => caseOf(r.data, "stage", "preview");

describe("importing and exporting the bank", () => {
  it("previews a Moodle XML file with its problems, writes nothing, then imports all valid questions in one go", async () => {
    const admin = await cookieOf("admin");
    const before = await db.selectFrom("question").select("id").execute();
    const preview = await run(() =>
      importAction(args(upload(admin, "safety.moodle.xml", readFileSync(path.join(SAMPLES, "safety.moodle.xml"))))),
    );
    expect(preview.data.stage).toBe("preview");
    expect(previewOf(preview).added).toHaveLength(3);
    expect(previewOf(preview).skipped).toHaveLength(2);
    expect(previewOf(preview).encoding).toBe("UTF-8");
    expect(previewOf(preview).skipped.every((p: { line: number }) => p.line > 1)).toBe(true);
    expect(await db.selectFrom("question").select("id").execute()).toHaveLength(before.length);
    const done = await run(() =>
      importAction(args(request("/questions/import", admin, { items: itemsOf(previewOf(preview)) }))),
    );
    expect(done.data).toEqual({ stage: "done", created: 3, updated: 0 });
    // The same file again: its questions carry idnumbers, so nothing is added or changed.
    const again = await run(() =>
      importAction(args(upload(admin, "safety.moodle.xml", readFileSync(path.join(SAMPLES, "safety.moodle.xml"))))),
    );
    expect(previewOf(again).added.filter((q: Item) => q.key !== null)).toEqual([]);
    expect(previewOf(again).changed).toEqual([]);
  });

  it("imports the Excel sample as an officer into the enterprise's own bank, which other enterprises do not see", async () => {
    const officer = await cookieOf("officer");
    const preview = await run(() =>
      importAction(
        args(
          upload(
            officer,
            "safety-questions.xlsx",
            readFileSync(path.join(SAMPLES, "safety-questions.xlsx")),
            "企业自编题",
          ),
        ),
      ),
    );
    expect(previewOf(preview).added.map((q: { line: number }) => q.line)).toEqual([2, 3, 4]);
    expect([...new Set(previewOf(preview).skipped.map((p: { line: number }) => p.line))]).toEqual([5, 6, 7, 8]);
    expect(
      caseOf(
        (
          await run(() =>
            importAction(args(request("/questions/import", officer, { items: itemsOf(previewOf(preview)) }))),
          )
        ).data,
        "stage",
        "done",
      ).created,
    ).toBe(3);
    const own = await db
      .selectFrom("question")
      .innerJoin("user", "user.enterprise_id", "question.owner_enterprise_id")
      .select("question.id")
      .where("user.username", "=", "officer")
      .execute();
    expect(own).toHaveLength(3);
    const officer2 = await cookieOf("officer2");
    const other = await run(() =>
      questionsLoader(args(request("/questions?topic=%E4%BC%81%E4%B8%9A%E8%87%AA%E7%BC%96%E9%A2%98", officer2))),
    );
    expect(other.data.rows).toEqual([]);
  });

  it("refuses garbage, a forged batch, and workers", async () => {
    const admin = await cookieOf("admin");
    const unknown = await run(() => importAction(args(upload(admin, "data.bin", Buffer.from([0, 1, 2, 3])))));
    expect(unknown.status).toBe(422);
    expect(caseOf(unknown.data, "stage", "error").message).toContain("无法识别文件格式");
    const forged = await run(() =>
      importAction(
        args(
          request("/questions/import", admin, {
            items: JSON.stringify([{ key: "x", input: { type: "single", stem: "题", options: ["a"], answer: "C" } }]),
          }),
        ),
      ),
    );
    expect(forged.status).toBe(422);
    const worker = await cookieOf("worker");
    const refused = await run(() => questionsLoader(args(request("/questions", worker))));
    expect(refused).toMatchObject({ status: 403, data: { message: "题库包含答案，从业人员不能查看。" } });
    // An officer may not change the shared bank.
    const shared = await db
      .selectFrom("question")
      .select("id")
      .where("owner_enterprise_id", "=", 0)
      .executeTakeFirstOrThrow();
    const officer = await cookieOf("officer");
    const edit = await run(() =>
      questionAction(
        args(request(`/questions/${shared.id}`, officer, { intent: "deactivate" }), { id: String(shared.id) }),
      ),
    );
    expect(edit.status).toBe(403);
    expect(
      (await db.selectFrom("question").select("active").where("id", "=", shared.id).executeTakeFirstOrThrow()).active,
    ).toBe(1);
    expect((await run(() => exportLoader(args(request("/questions/export?format=xml", worker))))).status).toBe(403);
    expect(await run(() => importAction(args(upload(worker, "a.txt", "x"))))).toMatchObject({ status: 403 });
  });

  it("exports every format so that it imports back unchanged", async () => {
    const admin = await cookieOf("admin");
    for (const format of ["xml", "xlsx", "gift"] as const) {
      const res = (await exportLoader(
        args(request(`/questions/export?format=${format}&topic=${encodeURIComponent("有限空间作业")}`, admin)),
      )) as Response;
      const body = Buffer.from(await res.arrayBuffer());
      const preview = await run(() =>
        importAction(args(upload(admin, `bank.${format === "gift" ? "gift" : format}`, body))),
      );
      const bank = await db
        .selectFrom("question")
        .select("external_id")
        .where("topic", "=", "有限空间作业")
        .where("owner_enterprise_id", "=", 0)
        .where("active", "=", 1)
        .execute();
      expect(previewOf(preview).added, format).toEqual([]);
      expect(previewOf(preview).changed, format).toEqual([]);
      expect(previewOf(preview).skipped, format).toHaveLength(bank.length);
      expect(
        previewOf(preview).skipped.every((s: { reason: string }) => s.reason.includes("无需更新")),
        format,
      ).toBe(true);
    }
  });
});

describe("versions, templates and statistics", () => {
  it("editing an answered question keeps the old version for the attempt that drew it", async () => {
    const worker = await cookieOf("worker");
    const examId = (await db.selectFrom("exam").select("id").executeTakeFirstOrThrow()).id;
    const started = await run(() =>
      startAction(args(request(`/exams/${examId}/start`, worker, {}), { id: String(examId) })),
    );
    const attemptId = started.headers.get("location")!.split("/").pop()!;
    const item = await db
      .selectFrom("attempt_item")
      .innerJoin("question_version", "question_version.id", "attempt_item.question_version_id")
      .select(["attempt_item.question_id", "question_version.stem"])
      .where("attempt_id", "=", Number(attemptId))
      .where("position", "=", 1)
      .executeTakeFirstOrThrow();
    const admin = await cookieOf("admin");
    const q = await db.selectFrom("question").selectAll().where("id", "=", item.question_id).executeTakeFirstOrThrow();
    const v = await db
      .selectFrom("question_version")
      .selectAll()
      .where("id", "=", q.current_version_id!)
      .executeTakeFirstOrThrow();
    const form = new URLSearchParams({
      intent: "save",
      type: q.type,
      stem: `${v.stem}（修订）`,
      options: (JSON.parse(v.options) as string[]).join("\n"),
      answer: q.type === "judge" ? (v.answer === "true" ? "正确" : "错误") : v.answer,
      topic: q.topic,
      difficulty: String(q.difficulty),
    });
    q.posts.split(",").forEach((p) => form.append("posts", p));
    const saved = await run(() =>
      questionAction(
        args(
          new Request(`http://localhost/questions/${q.id}`, { method: "POST", body: form, headers: { cookie: admin } }),
          { id: String(q.id) },
        ),
      ),
    );
    expect(saved.status).toBe(302);
    expect(
      (await db.selectFrom("question_version").select("version").where("question_id", "=", q.id).execute()).length,
    ).toBe(2);
    await run(() => submitAction(args(request(`/attempts/${attemptId}`, worker, {}), { id: attemptId })));
    const review = await run(() =>
      reviewLoader(args(request(`/attempts/${attemptId}/review`, worker), { id: attemptId })),
    );
    expect(review.data.items[0].stem).toBe(item.stem);
  });

  it("the template editor reports at once a rule the bank cannot meet, and refuses to save it", async () => {
    const officer = await cookieOf("officer");
    const rules = {
      "rules.0.type": "multiple",
      "rules.0.count": "150",
      "rules.0.points": "2",
      "rules.0.topic": "有限空间作业",
      "rules.0.minDifficulty": "1",
      "rules.0.maxDifficulty": "5",
      "rules.0.post": "examinee",
      "rules.0.industry": "enterprise",
    };
    const check = await run(() =>
      newTemplateAction(args(request("/exam-templates/new", officer, { intent: "check", ...rules }))),
    );
    expect(member(check.data, "availability")![0].shortFor.length).toBe(4);
    const save = await run(() =>
      newTemplateAction(
        args(
          request("/exam-templates/new", officer, {
            intent: "save",
            name: "太多的多选",
            timeLimitMinutes: "30",
            passMark: "80",
            attemptsAllowed: "1",
            showAnswers: "after_submit",
            multipleScoring: "partial",
            ...rules,
          }),
        ),
      ),
    );
    expect(save.status).toBe(422);
    expect(refusalOf(save).fieldErrors["rules.0.count"]).toContain("不足 150 道");
    const ok = await run(() =>
      newTemplateAction(
        args(
          request("/exam-templates/new", officer, {
            intent: "save",
            name: "有限空间小测",
            timeLimitMinutes: "10",
            passMark: "80",
            attemptsAllowed: "1",
            showAnswers: "after_submit",
            multipleScoring: "partial",
            ...rules,
            "rules.0.count": "3",
          }),
        ),
      ),
    );
    expect(ok.status).toBe(302);
  });

  it("statistics show the pass rate, a score distribution and per-question facility", async () => {
    const officer = await cookieOf("officer");
    const template = (await db.selectFrom("exam_template").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
    const res = await run(() =>
      statsLoader(args(request(`/exam-templates/${template}/stats`, officer), { id: String(template) })),
    );
    expect(res.data.stats.attempts).toBeGreaterThanOrEqual(1);
    expect(res.data.stats.histogram).toHaveLength(10);
    expect(res.data.stats.questions[0]).toHaveProperty("facility");
    const worker = await cookieOf("worker");
    expect(
      (
        await run(() =>
          statsLoader(args(request(`/exam-templates/${template}/stats`, worker), { id: String(template) })),
        )
      ).status,
    ).toBe(403);
  });
});

describe("practice and the wrong-answer book", () => {
  it("grades at once; a wrong answer enters the book and a right one from the book masters it", async () => {
    const worker = await cookieOf("worker");
    const personId = (
      await db.selectFrom("user").select("person_id").where("username", "=", "worker").executeTakeFirstOrThrow()
    ).person_id!;
    const shown = await run(() =>
      practiceLoader(
        args(request("/practice/question?topic=%E6%9C%89%E9%99%90%E7%A9%BA%E9%97%B4%E4%BD%9C%E4%B8%9A", worker)),
      ),
    );
    const q = { ...shown.data.question, questionId: Number(shown.data.question.token.split(".")[0]) };
    expect(JSON.stringify(shown.data)).not.toMatch(/"(answer|explanation)"/);
    const v = await db
      .selectFrom("question")
      .innerJoin("question_version", "question_version.id", "question.current_version_id")
      .select(["question_version.answer"])
      .where("question.id", "=", q.questionId)
      .executeTakeFirstOrThrow();
    const wrong = q.type === "judge" ? (v.answer === "true" ? "false" : "true") : v.answer === "A" ? "B" : "A";
    const res = await run(() =>
      practiceAction(args(request("/practice/question", worker, { token: q.token, answer: wrong }))),
    );
    expect(member(res.data, "result")).toMatchObject({ correct: false, answer: v.answer });
    const book = await db
      .selectFrom("wrong_answer")
      .selectAll()
      .where("person_id", "=", personId)
      .where("question_id", "=", q.questionId)
      .executeTakeFirstOrThrow();
    expect(book.mastered_at).toBeNull();
    const fromBook = await run(() => practiceLoader(args(request("/practice/question?book=wrong", worker))));
    expect(fromBook.status).toBe(200);
    const form = new URLSearchParams({ token: q.token });
    (q.type === "judge" ? [v.answer] : [...v.answer]).forEach((a: string) => form.append("answer", a));
    const right = await run(() =>
      practiceAction(
        args(
          new Request("http://localhost/practice/question", {
            method: "POST",
            body: form,
            headers: { cookie: worker },
          }),
        ),
      ),
    );
    expect(member(right.data, "result")!.correct).toBe(true);
    const mastered = await db
      .selectFrom("wrong_answer")
      .select("mastered_at")
      .where("person_id", "=", personId)
      .where("question_id", "=", q.questionId)
      .executeTakeFirstOrThrow();
    expect(mastered.mastered_at).not.toBeNull();
  });
});
