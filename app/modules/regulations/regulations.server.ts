import { sql } from "kysely";
import { db } from "../../lib/db.server";
import { httpError } from "../../lib/http";
import { recordAudit } from "../audit/audit.server";
import { can, type Actor, listScope } from "../auth/policy";
import { articleNumber, basisLinks, indexEntries, type EntryIndex } from "./citations";
import { setPending } from "./sync.server";

/** Every registry entry with how much content cites it and how much of that is pending review. */
export async function listRegulations() {
  const [rows, cites, open] = await Promise.all([
    db.selectFrom("regulation").selectAll().orderBy("kind").orderBy("code").execute(),
    db
      .selectFrom("regulation_citation")
      .select(["regulation_id", sql<number>`COUNT(DISTINCT item_kind, item_id)`.as("n")])
      .groupBy("regulation_id")
      .execute(),
    db
      .selectFrom("content_review")
      .select(["regulation_id", sql<number>`COUNT(*)`.as("n")])
      .where("reviewed_at", "is", null)
      .groupBy("regulation_id")
      .execute(),
  ]);
  const citeCount = new Map(cites.map((c) => [c.regulation_id, Number(c.n)]));
  const openCount = new Map(open.map((c) => [c.regulation_id, Number(c.n)]));
  return rows.map((r) => ({ ...r, cited: citeCount.get(r.id) ?? 0, pending: openCount.get(r.id) ?? 0 }));
}

/**
 * One entry: its data, the entries it replaces and that replace it, its articles (those noted in the registry and
 * those content cites), and what cites it. Question stems are listed only to those who may read the shared bank.
 */
export async function regulationPage(actor: Actor, code: string) {
  const r = await db.selectFrom("regulation").selectAll().where("code", "=", code).executeTakeFirst();
  if (!r) return undefined;
  const [related, noted, cites] = await Promise.all([
    db
      .selectFrom("regulation")
      .select(["code", "name", "number", "superseded_by"])
      .where((eb) => eb.or([eb("superseded_by", "=", r.code), eb("code", "=", r.superseded_by ?? "")]))
      .execute(),
    db.selectFrom("regulation_article").select(["label", "gist"]).where("regulation_id", "=", r.id).execute(),
    db
      .selectFrom("regulation_citation")
      .select(["item_kind", "item_id", "article"])
      .where("regulation_id", "=", r.id)
      .execute(),
  ]);
  const articles = new Map<string, { label: string; gist: string | null; citedBy: number }>();
  for (const a of noted) articles.set(a.label, { label: a.label, gist: a.gist, citedBy: 0 });
  for (const c of cites) {
    if (!c.article) continue;
    const a = articles.get(c.article) ?? { label: c.article, gist: null, citedBy: 0 };
    a.citedBy++;
    articles.set(c.article, a);
  }
  const ids = (kind: string) => [...new Set(cites.filter((c) => c.item_kind === kind).map((c) => c.item_id))];
  const courseIds = ids("course");
  const lessonIds = ids("lesson");
  const questionIds = can(actor, "view", { type: "question_bank", owner: 0 }) ? ids("question") : [];
  const [courses, lessons, questions] = await Promise.all([
    courseIds.length
      ? db
          .selectFrom("course")
          .select(["id", "slug", "title"])
          .where("id", "in", courseIds)
          .where("active", "=", 1)
          .orderBy("position")
          .execute()
      : [],
    lessonIds.length
      ? db
          .selectFrom("lesson")
          .innerJoin("course", "course.id", "lesson.course_id")
          .select([
            "lesson.id",
            "course.slug as course_slug",
            "course.title as course_title",
            "lesson.slug",
            "lesson.title",
          ])
          .where("lesson.id", "in", lessonIds)
          .where("lesson.active", "=", 1)
          .orderBy("course.position")
          .orderBy("lesson.position")
          .execute()
      : [],
    questionIds.length
      ? db
          .selectFrom("question")
          .innerJoin("question_version", "question_version.id", "question.current_version_id")
          .select(["question.id", "question.external_id", "question.review_pending", "question_version.stem"])
          .where("question.id", "in", questionIds)
          .orderBy("question.external_id")
          .limit(200)
          .execute()
      : [],
  ]);
  const open =
    courseIds.length + lessonIds.length
      ? await db
          .selectFrom("content_review")
          .select(["item_kind", "item_id"])
          .where("item_kind", "in", ["course", "lesson"])
          .where("item_id", "in", [...courseIds, ...lessonIds])
          .where("reviewed_at", "is", null)
          .execute()
      : [];
  const pending = new Set(open.map((o) => `${o.item_kind}|${o.item_id}`));
  return {
    regulation: r,
    supersedes: related.filter((x) => x.superseded_by === r.code),
    supersededBy: related.find((x) => x.code === r.superseded_by) ?? null,
    articles: [...articles.values()].sort(
      (a, b) => (articleNumber(a.label) ?? 0) - (articleNumber(b.label) ?? 0) || a.label.localeCompare(b.label),
    ),
    courses: courses.map((c) => ({ ...c, review_pending: pending.has(`course|${c.id}`) })),
    lessons: lessons.map((l) => ({ ...l, review_pending: pending.has(`lesson|${l.id}`) })),
    questions,
    questionCount: questionIds.length,
    showsQuestions: can(actor, "view", { type: "question_bank", owner: 0 }),
  };
}

/** The name index of the registry as loaded, for linking a question's legal basis (a few dozen rows). */
export async function registryIndex(): Promise<EntryIndex> {
  const rows = await db
    .selectFrom("regulation")
    .select(["code", "name", "aliases", "number", "article_count", "superseded_by"])
    .execute();
  return indexEntries(
    rows.map((r) => ({
      code: r.code,
      name: r.name,
      aliases: JSON.parse(r.aliases) as string[],
      number: r.number,
      articleCount: r.article_count,
      supersededBy: r.superseded_by,
    })),
  );
}

/** A question's legal basis as links to the registry (what the question and review pages show). */
export async function legalBasis(text: string | null) {
  return text ? basisLinks(text, await registryIndex()) : [];
}

export type ReviewFilter = { state: "open" | "reviewed"; beforeId?: number };

/**
 * The 待复核 list this actor may see: the admin everything, an officer the shipped content (owner 0) and their own
 * bank. Newest first, keyset-paged on (owner, reviewed, id) so a page is one index range per owner.
 */
export async function listFlags(actor: Actor, f: ReviewFilter, limit = 50) {
  const scope = listScope(actor);
  const owners = scope.kind === "all" ? null : scope.kind === "enterprise" ? [0, scope.enterpriseId] : [];
  if (owners && owners.length === 0) return { rows: [], next: null };
  let q = db
    .selectFrom("content_review")
    .innerJoin("regulation", "regulation.id", "content_review.regulation_id")
    .select([
      "content_review.id",
      "content_review.item_kind",
      "content_review.item_id",
      "content_review.owner_enterprise_id",
      "content_review.reason",
      "content_review.flagged_at",
      "content_review.reviewed_at",
      "content_review.reviewed_by",
      "content_review.review_note",
      "regulation.code as regulation_code",
      "regulation.name as regulation_name",
    ])
    .where("content_review.reviewed_at", f.state === "open" ? "is" : "is not", null)
    .orderBy("content_review.id", "desc")
    .limit(limit + 1);
  if (owners) q = q.where("content_review.owner_enterprise_id", "in", owners);
  if (f.beforeId) q = q.where("content_review.id", "<", f.beforeId);
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  const titles = await itemTitles(page);
  const reviewers = await usernames(page.map((r) => r.reviewed_by).filter((x): x is string => x !== null));
  return {
    rows: page.map((r) => ({
      ...r,
      ...titles.get(`${r.item_kind}|${r.item_id}`),
      reviewer: r.reviewed_by ? (reviewers.get(r.reviewed_by) ?? r.reviewed_by) : null,
    })),
    next: rows.length > limit ? page[page.length - 1].id : null,
  };
}

async function usernames(ids: string[]) {
  if (!ids.length) return new Map<string, string>();
  const rows = await db
    .selectFrom("user")
    .select(["id", "display_name"])
    .where("id", "in", [...new Set(ids)])
    .execute();
  return new Map(rows.map((u) => [u.id, u.display_name]));
}

/** What each flagged item is called and where it lives. */
async function itemTitles(rows: { item_kind: string; item_id: number }[]) {
  const out = new Map<string, { title: string; href: string }>();
  const of = (kind: string) => rows.filter((r) => r.item_kind === kind).map((r) => r.item_id);
  const [courses, lessons, questions] = await Promise.all([
    of("course").length
      ? db.selectFrom("course").select(["id", "slug", "title"]).where("id", "in", of("course")).execute()
      : [],
    of("lesson").length
      ? db
          .selectFrom("lesson")
          .innerJoin("course", "course.id", "lesson.course_id")
          .select([
            "lesson.id",
            "lesson.slug",
            "lesson.title",
            "course.slug as course_slug",
            "course.title as course_title",
          ])
          .where("lesson.id", "in", of("lesson"))
          .execute()
      : [],
    of("question").length
      ? db
          .selectFrom("question")
          .innerJoin("question_version", "question_version.id", "question.current_version_id")
          .select(["question.id", "question.external_id", "question_version.stem"])
          .where("question.id", "in", of("question"))
          .execute()
      : [],
  ]);
  for (const c of courses) out.set(`course|${c.id}`, { title: `课程《${c.title}》`, href: `/courses/${c.slug}` });
  for (const l of lessons)
    out.set(`lesson|${l.id}`, {
      title: `《${l.course_title}》· ${l.title}`,
      href: `/courses/${l.course_slug}/${l.slug}`,
    });
  for (const q of questions)
    out.set(`question|${q.id}`, {
      title: `题目 ${q.external_id}：${q.stem.length > 40 ? `${q.stem.slice(0, 40)}…` : q.stem}`,
      href: `/questions/${q.id}`,
    });
  return out;
}

export async function getFlag(id: number) {
  return db.selectFrom("content_review").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * Record a review: who, when and what they found, audited. The item stays 待复核 while another flag on it is open;
 * when the last closes, a question returns to the unflagged pools. Reviewing twice is refused (409).
 */
export async function reviewFlag(actor: Actor, id: number, note: string, ip: string) {
  await db.transaction().execute(async (trx) => {
    const flag = await trx
      .selectFrom("content_review")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (flag.reviewed_at) httpError(409, "该条目已经复核过了。");
    const at = new Date();
    await trx
      .updateTable("content_review")
      .set({ reviewed_at: at, reviewed_by: actor.userId, review_note: note })
      .where("id", "=", id)
      .execute();
    const stillOpen = await trx
      .selectFrom("content_review")
      .select("id")
      .where("item_kind", "=", flag.item_kind)
      .where("item_id", "=", flag.item_id)
      .where("reviewed_at", "is", null)
      .executeTakeFirst();
    if (!stillOpen) await setPending(trx, flag.item_kind, flag.item_id, false);
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "content_review.review",
      entityType: "content_review",
      entityId: id,
      before: { reviewed_at: null },
      after: { item_kind: flag.item_kind, item_id: flag.item_id, reviewed_at: at.toISOString(), note },
      ip,
    });
  });
}
