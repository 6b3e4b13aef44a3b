import { createHmac, randomBytes } from "node:crypto";

/**
 * The sealed random schedule's draw: a stream of uniform numbers from HMAC-SHA256(seed, "anxun-spot-v1:<i>"), so the
 * same seed and inputs give the same targets and times on any machine, and an auditor can recompute them with any
 * HMAC implementation. Which targets: a partial Fisher–Yates shuffle of the pool in ascending id order; when: a
 * uniform whole minute in [periodStart, periodEnd).
 */
export const DRAW_ALGORITHM = "hmac-sha256-v1";

export const newSeed = () => randomBytes(16).toString("hex");

function uniform(seed: string, i: number): number {
  const mac = createHmac("sha256", Buffer.from(seed, "hex")).update(`anxun-spot-v1:${i}`).digest();
  // 48 bits: exact in a double, uniform in [0, 1).
  return mac.readUIntBE(0, 6) / 2 ** 48;
}

export interface DrawInput {
  seed: string;
  pool: number[];
  count: number;
  periodStart: Date;
  periodEnd: Date;
}

export function drawSchedule(input: DrawInput): { targetId: number; at: Date }[] {
  const pool = [...new Set(input.pool)].sort((a, b) => a - b);
  const n = Math.min(input.count, pool.length);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(uniform(input.seed, k++) * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const minutes = Math.floor((input.periodEnd.getTime() - input.periodStart.getTime()) / 60_000);
  const startMinute = Math.ceil(input.periodStart.getTime() / 60_000) * 60_000;
  return pool
    .slice(0, n)
    .map((targetId) => ({
      targetId,
      at: new Date(startMinute + Math.floor(uniform(input.seed, k++) * Math.max(1, minutes - 1)) * 60_000),
    }))
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.targetId - b.targetId);
}
