import { sql, type Kysely, type Transaction } from "kysely";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { Database, QuestionType } from "../../../db/types";
import { poolsOf, type PoolTags } from "./draw";
import { QuestionInput, ShippedBankFile } from "./schema";
import { fieldErrorsOf } from "../../lib/validation";
import { resolveCitations, type ResolvedCitation } from "../regulations/citations";
import { registry as shippedRegistry, type Registry } from "../regulations/registry.server";

/** Line of a question's `regulation:` (else its `id:`), so a bad citation points at it. */
function citationLine(lines: string[], id: string): number {
  const start = lines.findIndex((l) => new RegExp(`^\\s*-?\\s*id:\\s*${id}\\s*$`).test(l));
  if (start < 0) return 1;
  for (let i = start + 1; i < lines.length && !/^\s*-\s*id:/.test(lines[i]); i++)
    if (/^\s*regulation:/.test(lines[i])) return i + 1;
  return start + 1;
}

const csv = (xs: string[]) => xs.join(",");
const list = (s: string) => (s ? s.split(",") : []);

export function tagsOf(
  owner: number,
  q: { type: QuestionType; topic: string; difficulty: number; posts: string[]; industries: string[] },
  flagged = false,
): PoolTags {
  return {
    owner,
    type: q.type,
    topic: q.topic,
    difficulty: q.difficulty,
    posts: q.posts,
    industries: q.industries,
    flagged,
  };
}

/** Append a question at the end of each of its pools (rows locked, so concurrent writers stay dense). */
export async function addToPools(trx: Transaction<Database>, questionId: number, tags: PoolTags) {
  for (const pool of poolsOf(tags)) {
    await trx
      .insertInto("question_pool_size")
      .values({
        pool_key: pool.key,
        n: 0,
        owner_enterprise_id: pool.owner,
        type: pool.type,
        topic: pool.topic,
        difficulty: pool.difficulty,
        post: pool.post,
        industry: pool.industry,
        flagged: pool.flagged,
      })
      .onDuplicateKeyUpdate({ n: sql`n` })
      .execute();
    const { n } = await trx
      .selectFrom("question_pool_size")
      .select("n")
      .where("pool_key", "=", pool.key)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("question_pool")
      .values({ pool_key: pool.key, seq: n + 1, question_id: questionId })
      .execute();
    await trx
      .updateTable("question_pool_size")
      .set({ n: n + 1 })
      .where("pool_key", "=", pool.key)
      .execute();
  }
}

/** Take a question out of its pools, moving each pool's last entry into the gap. */
export async function removeFromPools(trx: Transaction<Database>, questionId: number) {
  const rows = await trx
    .selectFrom("question_pool")
    .select(["pool_key", "seq"])
    .where("question_id", "=", questionId)
    .execute();
  for (const { pool_key, seq } of rows) {
    const { n } = await trx
      .selectFrom("question_pool_size")
      .select("n")
      .where("pool_key", "=", pool_key)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await trx.deleteFrom("question_pool").where("pool_key", "=", pool_key).where("seq", "=", seq).execute();
    if (seq !== n)
      await trx
        .updateTable("question_pool")
        .set({ seq })
        .where("pool_key", "=", pool_key)
        .where("seq", "=", n)
        .execute();
    await trx
      .updateTable("question_pool_size")
      .set({ n: n - 1 })
      .where("pool_key", "=", pool_key)
      .execute();
  }
}

/** Rebuild every pool from the active questions in bulk (after a large load). */
export async function rebuildPools(db: Kysely<Database>) {
  await sql`DELETE FROM question_pool`.execute(db);
  await sql`DELETE FROM question_pool_size`.execute(db);
  const sizes = new Map<string, { n: number; tags: ReturnType<typeof poolsOf>[number] }>();
  let lastId = 0;
  for (;;) {
    const batch = await db
      .selectFrom("question")
      .select(["id", "owner_enterprise_id", "type", "topic", "difficulty", "posts", "industries", "review_pending"])
      .where("active", "=", 1)
      .where("id", ">", lastId)
      .orderBy("id")
      .limit(5000)
      .execute();
    if (batch.length === 0) break;
    lastId = batch[batch.length - 1].id;
    const rows: { pool_key: string; seq: number; question_id: number }[] = [];
    for (const q of batch) {
      for (const pool of poolsOf(
        tagsOf(
          q.owner_enterprise_id,
          { ...q, posts: list(q.posts), industries: list(q.industries) },
          q.review_pending === 1,
        ),
      )) {
        const s = sizes.get(pool.key) ?? { n: 0, tags: pool };
        s.n++;
        sizes.set(pool.key, s);
        rows.push({ pool_key: pool.key, seq: s.n, question_id: q.id });
      }
    }
    for (let i = 0; i < rows.length; i += 5000)
      await db
        .insertInto("question_pool")
        .values(rows.slice(i, i + 5000))
        .execute();
  }
  const sizeRows = [...sizes.values()].map(({ n, tags }) => ({
    pool_key: tags.key,
    n,
    owner_enterprise_id: tags.owner,
    type: tags.type,
    topic: tags.topic,
    difficulty: tags.difficulty,
    post: tags.post,
    industry: tags.industry,
    flagged: tags.flagged,
  }));
  for (let i = 0; i < sizeRows.length; i += 2000)
    await db
      .insertInto("question_pool_size")
      .values(sizeRows.slice(i, i + 2000))
      .execute();
}

const versionValues = (q: QuestionInput) => ({
  stem: q.stem,
  options: JSON.stringify(q.options),
  answer: q.answer,
  explanation: q.explanation ?? null,
  regulation: q.regulation ?? null,
});

/** Insert a question with its first version; `pools` false when a bulk rebuild follows. */
export async function insertQuestion(
  trx: Transaction<Database>,
  owner: number,
  externalId: string,
  q: QuestionInput,
  source: "content" | "import" | "editor",
  pools = true,
) {
  const res = await trx
    .insertInto("question")
    .values({
      owner_enterprise_id: owner,
      external_id: externalId,
      type: q.type,
      topic: q.topic,
      difficulty: q.difficulty,
      posts: csv(q.posts),
      industries: csv(q.industries),
      course_slug: q.course ?? null,
      lesson_slug: q.lesson ?? null,
      source,
    })
    .executeTakeFirstOrThrow();
  const id = Number(res.insertId);
  const v = await trx
    .insertInto("question_version")
    .values({ question_id: id, version: 1, ...versionValues(q) })
    .executeTakeFirstOrThrow();
  await trx
    .updateTable("question")
    .set({ current_version_id: Number(v.insertId) })
    .where("id", "=", id)
    .execute();
  if (pools) await addToPools(trx, id, tagsOf(owner, q));
  return id;
}

/**
 * Change a question. Wording or answer changes make a new version (attempts keep the version they drew);
 * tag changes move it between pools. Returns whether anything changed.
 */
export async function updateQuestion(
  trx: Transaction<Database>,
  id: number,
  q: QuestionInput,
  pools = true,
): Promise<boolean> {
  const cur = await trx
    .selectFrom("question")
    .innerJoin("question_version", "question_version.id", "question.current_version_id")
    .select([
      "question.owner_enterprise_id",
      "question.type",
      "question.topic",
      "question.difficulty",
      "question.posts",
      "question.industries",
      "question.active",
      "question.review_pending",
      "question.course_slug",
      "question.lesson_slug",
      "question_version.version",
      "question_version.stem",
      "question_version.options",
      "question_version.answer",
      "question_version.explanation",
      "question_version.regulation",
    ])
    .where("question.id", "=", id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const next = versionValues(q);
  // Formats and the editor carry no course link: undefined keeps the one the question has.
  const course = q.course === undefined ? cur.course_slug : q.course;
  const lesson = q.lesson === undefined ? cur.lesson_slug : q.lesson;
  const wordingChanged =
    cur.stem !== next.stem ||
    cur.options !== next.options ||
    cur.answer !== next.answer ||
    cur.explanation !== next.explanation ||
    cur.regulation !== next.regulation;
  const tagsChanged =
    cur.type !== q.type ||
    cur.topic !== q.topic ||
    cur.difficulty !== q.difficulty ||
    cur.posts !== csv(q.posts) ||
    cur.industries !== csv(q.industries);
  const linkChanged = cur.course_slug !== course || cur.lesson_slug !== lesson;
  if (!wordingChanged && !tagsChanged && !linkChanged && cur.active) return false;
  if (wordingChanged) {
    const v = await trx
      .insertInto("question_version")
      .values({ question_id: id, version: cur.version + 1, ...next })
      .executeTakeFirstOrThrow();
    await trx
      .updateTable("question")
      .set({ current_version_id: Number(v.insertId) })
      .where("id", "=", id)
      .execute();
  }
  await trx
    .updateTable("question")
    .set({
      type: q.type,
      topic: q.topic,
      difficulty: q.difficulty,
      posts: csv(q.posts),
      industries: csv(q.industries),
      course_slug: course,
      lesson_slug: lesson,
      active: 1,
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .execute();
  if (pools && (tagsChanged || !cur.active)) {
    await removeFromPools(trx, id);
    await addToPools(trx, id, tagsOf(cur.owner_enterprise_id, q, cur.review_pending === 1));
  }
  return true;
}

export async function setQuestionActive(trx: Transaction<Database>, id: number, active: boolean) {
  const q = await trx
    .selectFrom("question")
    .select(["owner_enterprise_id", "type", "topic", "difficulty", "posts", "industries", "active", "review_pending"])
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (Boolean(q.active) === active) return;
  await trx
    .updateTable("question")
    .set({ active: active ? 1 : 0, updated_at: new Date() })
    .where("id", "=", id)
    .execute();
  if (active)
    await addToPools(
      trx,
      id,
      tagsOf(
        q.owner_enterprise_id,
        { ...q, posts: list(q.posts), industries: list(q.industries) },
        q.review_pending === 1,
      ),
    );
  else await removeFromPools(trx, id);
}

/**
 * The shipped bank (content/questions/*.yaml) as question inputs, every problem with its file and question id.
 * Each question's legal basis must cite entries of the regulation registry (content/regulations.yaml).
 */
export function readShippedBank(dir: string, registry: Registry = shippedRegistry(path.resolve(dir, ".."))) {
  const questions: { externalId: string; input: QuestionInput; citations: ResolvedCitation[] }[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()) {
    const rel = path.join("content/questions", file);
    let doc: unknown;
    const source = readFileSync(path.join(dir, file), "utf8");
    const lines = source.split("\n");
    try {
      doc = parseYaml(source);
    } catch (e) {
      problems.push(`${rel}: YAML 无法解析：${(e as Error).message}`);
      continue;
    }
    const bank = ShippedBankFile.safeParse(doc);
    if (!bank.success) {
      problems.push(`${rel}: ${bank.error.issues[0].path.join(".")} ${bank.error.issues[0].message}`);
      continue;
    }
    for (const raw of bank.data.questions) {
      const id = String(raw.id ?? "");
      const answer = typeof raw.answer === "boolean" ? String(raw.answer) : raw.answer;
      const parsed = QuestionInput.safeParse({
        ...raw,
        answer,
        topic: raw.topic ?? bank.data.topic,
        course: raw.course ?? bank.data.course,
      });
      if (!/^[a-z0-9-]{2,64}$/.test(id)) problems.push(`${rel}: 题目 id「${id}」无效`);
      else if (seen.has(id)) problems.push(`${rel}: 题目 id「${id}」重复`);
      else if (!parsed.success)
        problems.push(
          `${rel}: ${id}: ${Object.entries(fieldErrorsOf(parsed.error))
            .map(([k, v]) => `${k} ${v}`)
            .join("；")}`,
        );
      else {
        const cited = parsed.data.regulation
          ? resolveCitations(parsed.data.regulation, registry.index)
          : { ok: true as const, refs: [] };
        if (!cited.ok) problems.push(`${rel}:${citationLine(lines, id)}: ${id}: 法规依据有误：${cited.error}`);
        else questions.push({ externalId: id, input: parsed.data, citations: cited.refs });
      }
      seen.add(id);
    }
  }
  return { questions, problems };
}

/** Load the shipped bank: new questions inserted, changed ones versioned, then the pools rebuilt. */
export async function loadShippedBank(db: Kysely<Database>, dir: string) {
  const { questions, problems } = readShippedBank(dir);
  if (problems.length) throw new Error(`Question bank problems:\n  ${problems.join("\n  ")}`);
  const existing = new Map(
    (await db.selectFrom("question").select(["id", "external_id"]).where("owner_enterprise_id", "=", 0).execute()).map(
      (q) => [q.external_id, q.id],
    ),
  );
  let created = 0;
  let updated = 0;
  await db.transaction().execute(async (trx) => {
    for (const q of questions) {
      const id = existing.get(q.externalId);
      if (id === undefined) {
        await insertQuestion(trx, 0, q.externalId, q.input, "content", false);
        created++;
      } else if (await updateQuestion(trx, id, q.input, false)) {
        updated++;
      }
    }
  });
  if (created || updated) await rebuildPools(db);
  return { created, updated, total: questions.length };
}

/**
 * Mark a question 待复核 (or clear it): kept on the question and in its pools, so a rule that leaves out flagged
 * questions reads only unflagged pools. In the caller's transaction; returns whether anything changed.
 */
export async function setQuestionReviewPending(
  trx: Transaction<Database>,
  id: number,
  pending: boolean,
): Promise<boolean> {
  const q = await trx
    .selectFrom("question")
    .select(["owner_enterprise_id", "type", "topic", "difficulty", "posts", "industries", "active", "review_pending"])
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!q || Boolean(q.review_pending) === pending) return false;
  await trx
    .updateTable("question")
    .set({ review_pending: pending ? 1 : 0 })
    .where("id", "=", id)
    .execute();
  if (q.active) {
    await removeFromPools(trx, id);
    await addToPools(
      trx,
      id,
      tagsOf(q.owner_enterprise_id, { ...q, posts: list(q.posts), industries: list(q.industries) }, pending),
    );
  }
  return true;
}
