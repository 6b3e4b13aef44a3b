import { randomInt } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { db as appDb } from "../../lib/db.server";
import type { Database, QuestionType } from "../../../db/types";
import { locate, poolFilter, sampleIndices, type Examinee, type PaperRule, type Random } from "./draw";
import { TYPE_LABELS } from "./schema";

export const cryptoRandom: Random = () => randomInt(0, 2 ** 47) / 2 ** 47;

export class DrawError extends Error {}

export interface DrawnItem {
  questionId: number;
  versionId: number;
  type: QuestionType;
  optionCount: number;
  points: number;
}

/** The pools a rule draws from for this examinee, with their sizes: one index range on question_pool_size. */
export async function rulePools(rule: PaperRule, who: Examinee, db: Kysely<Database> = appDb) {
  const f = poolFilter(rule, who);
  let q = db
    .selectFrom("question_pool_size")
    .select(["pool_key", "n"])
    .where("owner_enterprise_id", "in", f.owners)
    .where("type", "=", f.type)
    .where("post", "=", f.post)
    .where("industry", "in", f.industries)
    .where("difficulty", ">=", f.minDifficulty)
    .where("difficulty", "<=", f.maxDifficulty)
    .where("n", ">", 0)
    .orderBy("pool_key");
  if (f.topic) q = q.where("topic", "=", f.topic);
  if (f.unflaggedOnly) q = q.where("flagged", "=", 0);
  return (await q.execute()).map((p) => ({ key: p.pool_key, n: p.n }));
}

export function describeRule(rule: PaperRule) {
  return `${rule.topic ?? "任意知识点"}的${TYPE_LABELS[rule.type]}题（难度 ${rule.minDifficulty}–${rule.maxDifficulty}${rule.excludeFlagged ? "，不含待复核题" : ""}）`;
}

/**
 * Draw a paper: for each rule, `count` questions chosen uniformly among the matching ones not already on the
 * paper. Positions are sampled (Floyd) over the rule's pools and read by primary key, so the cost follows
 * the number drawn, not the bank's size. Throws DrawError when the bank cannot satisfy a rule.
 */
export async function drawPaper(
  rules: PaperRule[],
  who: Examinee,
  random: Random = cryptoRandom,
  db: Kysely<Database> = appDb,
): Promise<DrawnItem[]> {
  const chosen = new Set<number>();
  const paper: DrawnItem[] = [];
  for (const rule of rules) {
    const pools = await rulePools(rule, who, db);
    const total = pools.reduce((s, p) => s + p.n, 0);
    const fresh: number[] = [];
    const tried = new Set<number>();
    while (fresh.length < rule.count) {
      const want = rule.count - fresh.length;
      const left = total - tried.size;
      if (left < want) {
        throw new DrawError(
          `题库中${describeRule(rule)}不足 ${rule.count} 道（符合条件的共 ${total} 道${total >= rule.count ? "，部分已被前面的规则抽中" : ""}）`,
        );
      }
      // Sample among positions not tried yet: draw from the remaining count, then map past tried ones.
      const picks = sampleIndices(left, want, random).map((i) => nthUntried(i, tried));
      picks.forEach((i) => tried.add(i));
      const slots = picks.map((i) => locate(i, pools));
      const rows = slots.length
        ? await db
            .selectFrom("question_pool")
            .select(["question_id"])
            .where((eb) => eb.or(slots.map((s) => eb.and([eb("pool_key", "=", s.key), eb("seq", "=", s.seq)]))))
            .execute()
        : [];
      for (const r of rows) {
        if (!chosen.has(r.question_id) && fresh.length < rule.count) {
          chosen.add(r.question_id);
          fresh.push(r.question_id);
        }
      }
    }
    const versions = await db
      .selectFrom("question")
      .innerJoin("question_version", "question_version.id", "question.current_version_id")
      .select(["question.id", "question.current_version_id", "question.type", "question_version.options"])
      .where("question.id", "in", fresh)
      .execute();
    const byId = new Map(versions.map((v) => [v.id, v]));
    for (const id of fresh) {
      const v = byId.get(id)!;
      paper.push({
        questionId: id,
        versionId: v.current_version_id!,
        type: v.type,
        optionCount: (JSON.parse(v.options) as string[]).length,
        points: rule.points,
      });
    }
  }
  return paper;
}

/** The i-th position (0-based) of [0, ∞) skipping those in `tried`. */
function nthUntried(i: number, tried: Set<number>): number {
  if (tried.size === 0) return i;
  const sorted = [...tried].sort((a, b) => a - b);
  let pos = i;
  for (const t of sorted) {
    if (t <= pos) pos++;
    else break;
  }
  return pos;
}

/**
 * How many questions each rule can draw from, for the template editor. Without a particular examinee the
 * check uses every post a rule can mean and only questions that suit every industry, so it warns early.
 */
export async function ruleAvailability(rules: PaperRule[], enterprise: { id: number; industry: string } | null) {
  const posts = ["principal", "safety_manager", "special_operator", "worker"] as const;
  const out: { available: number; needed: number; shortFor: string[] }[] = [];
  for (const rule of rules) {
    const candidates = rule.post === "examinee" ? posts : ([rule.post === "any" ? "worker" : rule.post] as const);
    let min = Infinity;
    const shortFor: string[] = [];
    for (const post of candidates) {
      const who = { post, industry: enterprise?.industry ?? "__none__", enterpriseId: enterprise?.id ?? 0 };
      const pools = await rulePools(rule, who);
      const n = pools.reduce((s, p) => s + p.n, 0);
      if (n < rule.count) shortFor.push(post);
      min = Math.min(min, n);
    }
    out.push({ available: min === Infinity ? 0 : min, needed: rule.count, shortFor });
  }
  return out;
}

export async function topics(owners: number[]) {
  const rows = await appDb
    .selectFrom("question")
    .select(["topic", sql<number>`COUNT(*)`.as("n")])
    .where("owner_enterprise_id", "in", owners)
    .where("active", "=", 1)
    .groupBy("topic")
    .orderBy("topic")
    .execute();
  return rows.map((r) => ({ topic: r.topic, count: Number(r.n) }));
}
