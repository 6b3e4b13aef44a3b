import { describe, expect, it } from "vitest";
import {
  locate,
  permutation,
  poolFilter,
  poolsOf,
  sampleIndices,
  seededRandom,
  type PaperRule,
} from "../../app/modules/exams/draw";

describe("pools", () => {
  it("puts a question in one pool per post (and any) and per industry (or all, and any)", () => {
    const pools = poolsOf({
      owner: 0,
      type: "single",
      topic: "有限空间",
      difficulty: 2,
      posts: ["worker", "principal"],
      industries: [],
    });
    expect(pools.map((p) => `${p.post}/${p.industry}`).sort()).toEqual([
      "*/*",
      "*/ALL",
      "principal/*",
      "principal/ALL",
      "worker/*",
      "worker/ALL",
    ]);
  });

  it("resolves examinee-relative rules", () => {
    const rule: PaperRule = {
      type: "judge",
      count: 5,
      topic: null,
      minDifficulty: 1,
      maxDifficulty: 3,
      post: "examinee",
      industry: "enterprise",
      points: 1,
    };
    expect(poolFilter(rule, { post: "worker", industry: "fireworks", enterpriseId: 7 })).toMatchObject({
      post: "worker",
      industries: ["fireworks", "ALL"],
      owners: [0, 7],
    });
    expect(
      poolFilter({ ...rule, post: "any", industry: "any" }, { post: "worker", industry: "fireworks", enterpriseId: 7 }),
    ).toMatchObject({ post: "*", industries: ["*"] });
  });

  it("locates an index across pools", () => {
    const pools = [
      { key: "a", n: 2 },
      { key: "b", n: 0 },
      { key: "c", n: 3 },
    ];
    expect([0, 1, 2, 4].map((i) => locate(i, pools))).toEqual([
      { key: "a", seq: 1 },
      { key: "a", seq: 2 },
      { key: "c", seq: 1 },
      { key: "c", seq: 3 },
    ]);
    expect(() => locate(5, pools)).toThrow();
  });
});

describe("sampling", () => {
  it("takes k distinct indices below n", () => {
    const random = seededRandom(1);
    for (let trial = 0; trial < 200; trial++) {
      const s = sampleIndices(50, 20, random);
      expect(new Set(s).size).toBe(20);
      expect(s.every((i) => i >= 0 && i < 50)).toBe(true);
    }
    expect(sampleIndices(5, 5, random).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(() => sampleIndices(3, 4, random)).toThrow();
  });

  it("is uniform: every index is equally likely (chi-square, fixed seed)", () => {
    const random = seededRandom(20261123);
    const n = 40,
      k = 10,
      trials = 20000;
    const counts = Array(n).fill(0) as number[];
    for (let t = 0; t < trials; t++) for (const i of sampleIndices(n, k, random)) counts[i]++;
    const expected = (trials * k) / n;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // 39 degrees of freedom: the 99.9% point is 72.05.
    expect(chi2).toBeLessThan(72.05);
  });

  it("is uniform over pairs too (no index pair favoured)", () => {
    const random = seededRandom(7);
    const n = 6,
      k = 2,
      trials = 30000;
    const pairs = new Map<string, number>();
    for (let t = 0; t < trials; t++) {
      const key = sampleIndices(n, k, random).sort().join(",");
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
    expect(pairs.size).toBe(15);
    const expected = trials / 15;
    const chi2 = [...pairs.values()].reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // 14 degrees of freedom: the 99.9% point is 36.12.
    expect(chi2).toBeLessThan(36.12);
  });

  it("shuffles into a permutation, each position uniformly", () => {
    const random = seededRandom(3);
    const firsts = Array(4).fill(0) as number[];
    for (let t = 0; t < 8000; t++) {
      const p = permutation(4, random);
      expect([...p].sort()).toEqual([0, 1, 2, 3]);
      firsts[p[0]]++;
    }
    const chi2 = firsts.reduce((s, c) => s + (c - 2000) ** 2 / 2000, 0);
    expect(chi2).toBeLessThan(16.27); // 3 dof, 99.9%
  });
});
