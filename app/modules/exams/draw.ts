import type { Post, QuestionType } from "../../../db/types";

/** One rule of a paper (组卷规则): `count` questions of one type matching the filters. */
export interface PaperRule {
  type: QuestionType;
  count: number;
  /** null = any topic. */
  topic: string | null;
  minDifficulty: number;
  maxDifficulty: number;
  /** "examinee" = the post of the person taking it; "any" = no post filter; or a fixed post. */
  post: Post | "examinee" | "any";
  /** "enterprise" = the examinee's enterprise industry (plus questions for all industries); "any"; or a code. */
  industry: string | "enterprise" | "any";
  points: number;
  /** Leave out questions with an open 待复核 flag (their regulation changed since they were written). */
  excludeFlagged?: boolean;
}

export interface Examinee {
  post: Post;
  industry: string;
  enterpriseId: number;
}

/** Pool dimensions of one question; every active question sits in one pool per (post, industry) pair below. */
export interface PoolTags {
  owner: number;
  type: QuestionType;
  topic: string;
  difficulty: number;
  posts: string[];
  industries: string[];
  flagged?: boolean;
}

export const ANY = "*";
/** Industry tag of questions that apply to every industry. */
export const ALL_INDUSTRIES = "ALL";

/** Flagged (待复核) questions get pools of their own; unflagged keys are unchanged from before the flag existed. */
export function poolKey(
  owner: number,
  type: string,
  topic: string,
  difficulty: number,
  post: string,
  industry: string,
  flagged = false,
) {
  return `${owner}|${type}|${difficulty}|${post}|${industry}|${topic}${flagged ? "|R" : ""}`;
}

/**
 * The pools a question belongs to: each of its posts and "*" (any post), times each of its industries (or
 * "ALL") and "*" (any industry). A query then unions pools that no question sits in twice.
 */
export function poolsOf(q: PoolTags) {
  const posts = [...new Set([...q.posts, ANY])];
  const industries = [...new Set([...(q.industries.length ? q.industries : [ALL_INDUSTRIES]), ANY])];
  return posts.flatMap((post) =>
    industries.map((industry) => ({
      key: poolKey(q.owner, q.type, q.topic, q.difficulty, post, industry, q.flagged),
      owner: q.owner,
      type: q.type,
      topic: q.topic,
      difficulty: q.difficulty,
      post,
      industry,
      flagged: q.flagged ? 1 : 0,
    })),
  );
}

/** The concrete pool filter of a rule for one examinee. */
export function poolFilter(rule: PaperRule, who: Examinee) {
  const post = rule.post === "examinee" ? who.post : rule.post === "any" ? ANY : rule.post;
  const industry = rule.industry === "any" ? null : rule.industry === "enterprise" ? who.industry : rule.industry;
  return {
    owners: [0, who.enterpriseId],
    type: rule.type,
    topic: rule.topic,
    minDifficulty: rule.minDifficulty,
    maxDifficulty: rule.maxDifficulty,
    post,
    industries: industry === null ? [ANY] : [industry, ALL_INDUSTRIES],
    unflaggedOnly: rule.excludeFlagged === true,
  };
}

export type Random = () => number;

/** Floyd's algorithm: k distinct integers from [0, n), each k-subset equally likely, in O(k). */
export function sampleIndices(n: number, k: number, random: Random): number[] {
  if (k > n) throw new Error(`cannot take ${k} of ${n}`);
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = Math.floor(random() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen];
}

/** Map a position in the concatenation of pools to (pool, 1-based seq). */
export function locate(index: number, pools: { key: string; n: number }[]): { key: string; seq: number } {
  let rest = index;
  for (const p of pools) {
    if (rest < p.n) return { key: p.key, seq: rest + 1 };
    rest -= p.n;
  }
  throw new Error(`index ${index} beyond pools`);
}

/** Fisher–Yates shuffle of 0..n-1. */
export function permutation(n: number, random: Random): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** mulberry32: a seeded generator for tests and reproducible benchmarks (draws use crypto randomness). */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
