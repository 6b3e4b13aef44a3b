import type { Kysely, Transaction } from "kysely";
import type { CitingKind, Database } from "../../../db/types";
import { catalog } from "../courses/catalog.server";
import type { Catalog } from "../courses/catalog-types";
import { readShippedBank, setQuestionReviewPending } from "../exams/bank.server";
import { articleNumber } from "./citations";
import { registry as shippedRegistry, type Registry } from "./registry.server";
import { changeReason, type EntryState } from "./rules";

/**
 * Load the registry into its tables. An entry that was already there and is now repealed, superseded or at a new
 * version flags every course, lesson and question that cites it (from the citations of the last content sync)
 * 待复核, with the reason. Run before the content sync, so the flags reach what was written against the old text.
 */
export async function syncRegulations(db: Kysely<Database>, reg: Registry = shippedRegistry()) {
  let flagged = 0;
  await db.transaction().execute(async (trx) => {
    const existing = new Map(
      (await trx.selectFrom("regulation").selectAll().forUpdate().execute()).map((r) => [r.code, r]),
    );
    const byCode = new Map(reg.entries.map((e) => [e.code, e]));
    for (const e of reg.entries) {
      const values = {
        name: e.name,
        aliases: JSON.stringify(e.aliases),
        kind: e.kind,
        number: e.number ?? null,
        issuer: e.issuer,
        issued_on: e.issued ?? null,
        effective_on: e.effective ?? null,
        repealed_on: e.repealed ?? null,
        superseded_by: e.supersededBy,
        version: e.version,
        article_count: e.article_count ?? null,
        note: e.note ?? null,
      };
      const before = existing.get(e.code);
      let id: number;
      if (before) {
        id = before.id;
        await trx
          .updateTable("regulation")
          .set({ ...values, updated_at: new Date() })
          .where("id", "=", id)
          .execute();
        const was: EntryState = {
          version: before.version,
          repealedOn: before.repealed_on,
          supersededBy: before.superseded_by,
        };
        const now: EntryState = { version: e.version, repealedOn: e.repealed ?? null, supersededBy: e.supersededBy };
        const successor = e.supersededBy ? byCode.get(e.supersededBy) : undefined;
        const reason = changeReason(
          e.name,
          was,
          now,
          successor ? `《${successor.name}》${successor.number ? `（${successor.number}）` : ""}` : null,
        );
        if (reason) flagged += await flagCiting(trx, id, reason);
      } else {
        id = Number(
          (
            await trx
              .insertInto("regulation")
              .values({ code: e.code, ...values })
              .executeTakeFirstOrThrow()
          ).insertId,
        );
      }
      await trx.deleteFrom("regulation_article").where("regulation_id", "=", id).execute();
      const articles = Object.entries(e.articles);
      if (articles.length) {
        await trx
          .insertInto("regulation_article")
          .values(
            articles.map(([label, gist]) => ({ regulation_id: id, label, gist, position: articleNumber(label) ?? 0 })),
          )
          .execute();
      }
    }
  });
  return { entries: reg.entries.length, flagged };
}

/** Open a 待复核 flag on everything citing a regulation (once per item while one is open). */
async function flagCiting(trx: Transaction<Database>, regulationId: number, reason: string): Promise<number> {
  const cited = await trx
    .selectFrom("regulation_citation")
    .select(["item_kind", "item_id"])
    .distinct()
    .where("regulation_id", "=", regulationId)
    .execute();
  let n = 0;
  for (const { item_kind, item_id } of cited) {
    const open = await trx
      .selectFrom("content_review")
      .select("id")
      .where("item_kind", "=", item_kind)
      .where("item_id", "=", item_id)
      .where("reviewed_at", "is", null)
      .where("regulation_id", "=", regulationId)
      .executeTakeFirst();
    if (open) continue;
    const owner =
      item_kind === "question"
        ? ((await trx.selectFrom("question").select("owner_enterprise_id").where("id", "=", item_id).executeTakeFirst())
            ?.owner_enterprise_id ?? 0)
        : 0;
    await trx
      .insertInto("content_review")
      .values({ item_kind, item_id, owner_enterprise_id: owner, regulation_id: regulationId, reason })
      .execute();
    await setPending(trx, item_kind, item_id, true);
    n++;
  }
  return n;
}

/** Keep a question's review_pending mark (and its pools) with its open flags; courses and lessons are read from the flags. */
export async function setPending(trx: Transaction<Database>, kind: CitingKind, id: number, pending: boolean) {
  if (kind === "question") await setQuestionReviewPending(trx, id, pending);
}

/**
 * Rebuild the citations of the shipped content (courses, lessons, the shared bank) from the built catalog and the
 * bank files, after syncCourses and loadShippedBank. Every citation was resolved by the build already. Then what
 * cites a repealed or superseded entry is flagged 待复核 (once per item and entry).
 */
export async function syncContentCitations(
  db: Kysely<Database>,
  data: Catalog = catalog().catalog,
  bankDir = "content/questions",
  reg: Registry = shippedRegistry(),
) {
  const bank = readShippedBank(bankDir, reg);
  if (bank.problems.length) throw new Error(`Question bank problems:\n  ${bank.problems.join("\n  ")}`);
  let flagged = 0;
  await db.transaction().execute(async (trx) => {
    const regIds = new Map(
      (await trx.selectFrom("regulation").select(["id", "code"]).execute()).map((r) => [r.code, r.id]),
    );
    const courseIds = new Map(
      (await trx.selectFrom("course").select(["id", "slug"]).execute()).map((c) => [c.slug, c.id]),
    );
    const lessonIds = new Map(
      (
        await trx
          .selectFrom("lesson")
          .innerJoin("course", "course.id", "lesson.course_id")
          .select(["lesson.id", "lesson.slug", "course.slug as course_slug"])
          .execute()
      ).map((l) => [`${l.course_slug}/${l.slug}`, l.id]),
    );
    const questionIds = new Map(
      (
        await trx.selectFrom("question").select(["id", "external_id"]).where("owner_enterprise_id", "=", 0).execute()
      ).map((q) => [q.external_id, q.id]),
    );
    const rows = new Map<string, { regulation_id: number; item_kind: CitingKind; item_id: number; article: string }>();
    const add = (kind: CitingKind, itemId: number | undefined, cites: { code: string; articles: string[] }[]) => {
      if (itemId === undefined) return;
      for (const c of cites) {
        const regulationId = regIds.get(c.code);
        if (regulationId === undefined)
          throw new Error(`Regulation ${c.code} is not loaded: run syncRegulations first.`);
        for (const article of c.articles.length ? c.articles : [""]) {
          rows.set(`${kind}|${itemId}|${regulationId}|${article}`, {
            regulation_id: regulationId,
            item_kind: kind,
            item_id: itemId,
            article,
          });
        }
      }
    };
    for (const c of data.courses) {
      add("course", courseIds.get(c.slug), c.citations ?? []);
      for (const l of c.lessons) add("lesson", lessonIds.get(`${c.slug}/${l.slug}`), l.citations ?? []);
    }
    for (const q of bank.questions) add("question", questionIds.get(q.externalId), q.citations);
    await trx.deleteFrom("regulation_citation").execute();
    const all = [...rows.values()];
    for (let i = 0; i < all.length; i += 1000)
      await trx
        .insertInto("regulation_citation")
        .values(all.slice(i, i + 1000))
        .execute();
    flagged = await flagOutdatedCitations(trx);
  });
  return { flagged };
}

/**
 * Content that cites an entry already repealed or superseded (written, or kept, against the old text) is flagged
 * once: an item reviewed for that entry is not flagged again for it.
 */
async function flagOutdatedCitations(trx: Transaction<Database>): Promise<number> {
  const outdated = await trx
    .selectFrom("regulation")
    .select(["id", "name", "number", "repealed_on", "superseded_by"])
    .where((eb) => eb.or([eb("repealed_on", "is not", null), eb("superseded_by", "is not", null)]))
    .execute();
  let n = 0;
  for (const r of outdated) {
    const successor = r.superseded_by
      ? await trx
          .selectFrom("regulation")
          .select(["name", "number"])
          .where("code", "=", r.superseded_by)
          .executeTakeFirst()
      : undefined;
    const label = `《${r.name}》${r.number ? `（${r.number}）` : ""}`;
    const reason = successor
      ? `引用的${label}已被《${successor.name}》${successor.number ? `（${successor.number}）` : ""}取代${r.repealed_on ? `（${r.repealed_on} 起废止）` : ""}，请按新规定核对。`
      : `引用的${label}${r.repealed_on} 起废止，请核对。`;
    const cited = await trx
      .selectFrom("regulation_citation")
      .select(["item_kind", "item_id"])
      .distinct()
      .where("regulation_id", "=", r.id)
      .execute();
    for (const { item_kind, item_id } of cited) {
      const seen = await trx
        .selectFrom("content_review")
        .select("id")
        .where("item_kind", "=", item_kind)
        .where("item_id", "=", item_id)
        .where("regulation_id", "=", r.id)
        .executeTakeFirst();
      if (seen) continue;
      await trx
        .insertInto("content_review")
        .values({ item_kind, item_id, owner_enterprise_id: 0, regulation_id: r.id, reason })
        .execute();
      await setPending(trx, item_kind, item_id, true);
      n++;
    }
  }
  return n;
}
