import { describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { drawPaper, DrawError } from "../../app/modules/exams/draw.server";
import { seededRandom, type PaperRule } from "../../app/modules/exams/draw";
import { insertQuestion } from "../../app/modules/exams/bank.server";
import { registry } from "../../app/modules/regulations/registry.server";
import { syncRegulations } from "../../app/modules/regulations/sync.server";
import { loader as indexLoader } from "../../app/routes/regulations._index";
import { loader as entryLoader } from "../../app/routes/regulations.$code";
import { action as reviewAction, loader as reviewLoader } from "../../app/routes/regulations.review";
import { loader as questionLoader } from "../../app/routes/questions.$id";
import { actorOf, cookieOf, request, run } from "../support/actors";

const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
const OLD = "hidden-hazard-rules";

/** The shipped registry with 安全生产事故隐患排查治理暂行规定 repealed and replaced by a (made-up) successor. */
function supersededRegistry() {
  const shipped = registry();
  const entries = shipped.entries.map((e) =>
    e.code === OLD ? { ...e, repealed: "2027-01-01", supersededBy: `${OLD}-2027` } : e,
  );
  entries.push({
    ...shipped.entries.find((e) => e.code === OLD)!,
    code: `${OLD}-2027`,
    number: "应急管理部令第99号",
    supersedes: [OLD],
    supersededBy: null,
    version: "2027年公布",
    articles: {},
  });
  return { ...shipped, entries };
}

async function citing(code: string) {
  return db
    .selectFrom("regulation_citation")
    .innerJoin("regulation", "regulation.id", "regulation_citation.regulation_id")
    .select(["item_kind", "item_id"])
    .distinct()
    .where("regulation.code", "=", code)
    .execute();
}

describe("regulation registry", () => {
  it("is loaded with the citations of the shipped courses, lessons and questions", async () => {
    const rows = await db.selectFrom("regulation").select(["code", "superseded_by"]).execute();
    expect(rows.length).toBe(registry().entries.length);
    expect(rows.find((r) => r.code === "special-operators-rules-2010")?.superseded_by).toBe(
      "special-operators-rules-2025",
    );
    const kinds = new Set((await citing("work-safety-law")).map((c) => c.item_kind));
    expect([...kinds].sort()).toEqual(["course", "lesson", "question"]);
    // On a first load only content citing an entry already repealed or superseded is pending (order No. 30 here).
    const open = await db
      .selectFrom("content_review")
      .innerJoin("regulation", "regulation.id", "content_review.regulation_id")
      .innerJoin("question", "question.id", "content_review.item_id")
      .select(["regulation.code", "question.external_id", "question.review_pending", "content_review.reason"])
      .where("content_review.item_kind", "=", "question")
      .execute();
    expect(open.map((o) => o.external_id)).toContain("wsl-016");
    expect(open.find((o) => o.external_id === "wsl-016")!.reason).toContain("应急管理部令第19号");
    expect(open.every((o) => o.review_pending === 1)).toBe(true);
    const outdated = new Set(
      (
        await db
          .selectFrom("regulation")
          .select("code")
          .where((eb) => eb.or([eb("repealed_on", "is not", null), eb("superseded_by", "is not", null)]))
          .execute()
      ).map((r) => r.code),
    );
    expect(open.every((o) => outdated.has(o.code))).toBe(true);
  });

  it("is readable by every role; an entry page lists what cites it, questions only for staff", async () => {
    expect((await run(() => indexLoader(args(request("/regulations", null))))).status).toBe(302); // no session: to the login page
    for (const who of ["worker", "regulator", "inspector", "officer", "admin"]) {
      const res = await run(async () => indexLoader(args(request("/regulations", await cookieOf(who)))));
      expect(res.status, who).toBe(200);
      expect(res.data.rows.some((r: { code: string }) => r.code === "hazardous-chemicals-law")).toBe(true);
    }
    const worker = await run(async () =>
      entryLoader(args(request("/regulations/work-safety-law", await cookieOf("worker")), { code: "work-safety-law" })),
    );
    expect(worker.data.courses.length).toBeGreaterThan(0);
    expect(worker.data.questions).toEqual([]);
    const officer = await run(async () =>
      entryLoader(
        args(request("/regulations/work-safety-law", await cookieOf("officer")), { code: "work-safety-law" }),
      ),
    );
    expect(officer.data.questions.length).toBeGreaterThan(0);
    const missing = await run(async () =>
      entryLoader(args(request("/regulations/nope", await cookieOf("worker")), { code: "nope" })),
    );
    expect(missing.status).toBe(404);
  });

  it("shows a question's legal basis as a link to its registry entry and article", async () => {
    const q = await db
      .selectFrom("question")
      .select("id")
      .where("external_id", "=", "dp-038")
      .executeTakeFirstOrThrow();
    const page = await run(async () =>
      questionLoader(args(request(`/questions/${q.id}`, await cookieOf("admin")), { id: String(q.id) })),
    );
    expect(page.data.basis[0].href).toMatch(/^\/regulations\/hidden-hazard-rules(#|$)/);
  });

  it("flags everything citing a superseded entry 待复核, and a paper rule that excludes flagged questions draws none of them", async () => {
    const cited = await citing(OLD);
    expect(cited.length).toBeGreaterThan(10);
    const { flagged } = await syncRegulations(db, supersededRegistry());
    expect(flagged).toBe(cited.length);
    const flags = await db
      .selectFrom("content_review")
      .innerJoin("regulation", "regulation.id", "content_review.regulation_id")
      .select(["item_kind", "item_id", "reason"])
      .where("regulation.code", "=", OLD)
      .where("reviewed_at", "is", null)
      .execute();
    expect(flags.map((f) => `${f.item_kind}|${f.item_id}`).sort()).toEqual(
      cited.map((c) => `${c.item_kind}|${c.item_id}`).sort(),
    );
    expect(flags[0].reason).toContain("取代");
    const questionIds = cited.filter((c) => c.item_kind === "question").map((c) => c.item_id);
    const pending = await db
      .selectFrom("question")
      .select(["id", "review_pending"])
      .where("id", "in", questionIds)
      .execute();
    expect(pending.every((q) => q.review_pending === 1)).toBe(true);
    expect(cited.some((c) => c.item_kind === "lesson")).toBe(true);
    // Syncing the same registry again flags nothing more.
    expect((await syncRegulations(db, supersededRegistry())).flagged).toBe(0);

    // A rule over the flagged questions' topic: with the option, none of them; all unflagged ones of the topic fit.
    const sample = await db
      .selectFrom("question")
      .select(["topic", "type"])
      .where("id", "=", questionIds[0])
      .executeTakeFirstOrThrow();
    const ofTopic = await db
      .selectFrom("question")
      .select(["id", "review_pending"])
      .where("owner_enterprise_id", "=", 0)
      .where("topic", "=", sample.topic)
      .where("type", "=", sample.type)
      .where("active", "=", 1)
      .execute();
    const clean = ofTopic.filter((q) => q.review_pending === 0).length;
    expect(clean).toBeGreaterThan(0);
    expect(clean).toBeLessThan(ofTopic.length);
    const rule: PaperRule = {
      type: sample.type,
      count: clean,
      topic: sample.topic,
      minDifficulty: 1,
      maxDifficulty: 5,
      post: "any",
      industry: "any",
      points: 1,
      excludeFlagged: true,
    };
    const who = { post: "worker" as const, industry: "other_industry_trade", enterpriseId: 0 };
    const flaggedIds = new Set(questionIds);
    for (let seed = 1; seed <= 5; seed++) {
      const paper = await drawPaper([rule], who, seededRandom(seed), db);
      expect(paper).toHaveLength(clean);
      expect(paper.filter((p) => flaggedIds.has(p.questionId))).toEqual([]);
    }
    await expect(drawPaper([{ ...rule, count: clean + 1 }], who, seededRandom(9), db)).rejects.toBeInstanceOf(
      DrawError,
    );
    // Without the option the flagged ones stay drawable.
    const all = await drawPaper([{ ...rule, count: ofTopic.length, excludeFlagged: false }], who, seededRandom(3), db);
    expect(all.filter((p) => flaggedIds.has(p.questionId)).length).toBeGreaterThan(0);
  });

  it("lists flags to admins and officers only; a review records who and when, is audited, and returns the question to the draw", async () => {
    for (const who of ["worker", "regulator", "inspector"]) {
      const res = await run(async () => reviewLoader(args(request("/regulations/review", await cookieOf(who)))));
      expect(res.status, who).toBe(403);
    }
    const officer = await cookieOf("officer");
    const listed = await run(() => reviewLoader(args(request("/regulations/review", officer))));
    expect(listed.status).toBe(200);
    const flag = listed.data.rows.find((r: { item_kind: string }) => r.item_kind === "question")!;
    expect(flag.mayReview).toBe(false);
    // The shipped content is the admin's to review.
    const refused = await run(() =>
      reviewAction(args(request("/regulations/review", officer, { flagId: String(flag.id), note: "已核对" }))),
    );
    expect(refused.status).toBe(403);
    const admin = await cookieOf("admin");
    const empty = await run(() =>
      reviewAction(args(request("/regulations/review", admin, { flagId: String(flag.id), note: "" }))),
    );
    expect(empty.status).toBe(422);
    const done = await run(() =>
      reviewAction(
        args(request("/regulations/review", admin, { flagId: String(flag.id), note: "已按新规定核对，题目仍然正确" })),
      ),
    );
    expect(done.status).toBe(200);
    const row = await db.selectFrom("content_review").selectAll().where("id", "=", flag.id).executeTakeFirstOrThrow();
    expect(row.reviewed_by).toBe((await actorOf("admin")).userId);
    expect(Date.now() - row.reviewed_at!.getTime()).toBeLessThan(60_000);
    expect(row.review_note).toBe("已按新规定核对，题目仍然正确");
    const audit = await db
      .selectFrom("audit_log")
      .selectAll()
      .where("entity_type", "=", "content_review")
      .where("entity_id", "=", String(flag.id))
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_user_id).toBe(row.reviewed_by);
    const q = await db
      .selectFrom("question")
      .select("review_pending")
      .where("id", "=", flag.item_id)
      .executeTakeFirstOrThrow();
    expect(q.review_pending).toBe(0);
    const pools = await db
      .selectFrom("question_pool")
      .select("pool_key")
      .where("question_id", "=", flag.item_id)
      .execute();
    expect(pools.length).toBeGreaterThan(0);
    expect(pools.every((p) => !p.pool_key.endsWith("|R"))).toBe(true);
    // Twice changes nothing.
    const again = await run(() =>
      reviewAction(args(request("/regulations/review", admin, { flagId: String(flag.id), note: "再次复核" }))),
    );
    expect(again.status).toBe(409);
    expect(
      (await db.selectFrom("content_review").select("review_note").where("id", "=", flag.id).executeTakeFirstOrThrow())
        .review_note,
    ).toBe("已按新规定核对，题目仍然正确");
  });

  it("lets an officer review their own enterprise's flagged question, and not another enterprise's", async () => {
    const officer = await actorOf("officer");
    const id = await db.transaction().execute((trx) =>
      insertQuestion(
        trx,
        officer.enterpriseId!,
        "own-law-1",
        {
          type: "judge",
          stem: "企业自编题：隐患排查治理依据。",
          options: [],
          answer: "true",
          explanation: "自编题。",
          regulation: "《安全生产事故隐患排查治理暂行规定》",
          topic: "企业自编题",
          difficulty: 2,
          posts: ["worker"],
          industries: [],
        } as never,
        "editor",
      ),
    );
    const regulationId = (
      await db.selectFrom("regulation").select("id").where("code", "=", OLD).executeTakeFirstOrThrow()
    ).id;
    const { insertId } = await db
      .insertInto("content_review")
      .values({
        item_kind: "question",
        item_id: id,
        owner_enterprise_id: officer.enterpriseId!,
        regulation_id: regulationId,
        reason: "测试",
      })
      .executeTakeFirstOrThrow();
    const flagId = String(insertId);
    const other = await run(async () =>
      reviewAction(args(request("/regulations/review", await cookieOf("officer2"), { flagId, note: "不是我的" }))),
    );
    expect(other.status).toBe(403);
    const listedToOther = await run(async () =>
      reviewLoader(args(request("/regulations/review", await cookieOf("officer2")))),
    );
    expect(listedToOther.data.rows.some((r: { id: number }) => String(r.id) === flagId)).toBe(false);
    const own = await run(async () =>
      reviewAction(
        args(request("/regulations/review", await cookieOf("officer"), { flagId, note: "已核对本企业题目" })),
      ),
    );
    expect(own.status).toBe(200);
    expect(
      (
        await db
          .selectFrom("content_review")
          .select("reviewed_by")
          .where("id", "=", Number(flagId))
          .executeTakeFirstOrThrow()
      ).reviewed_by,
    ).toBe(officer.userId);
  });
});
