import { db } from "../../lib/db.server";
import { now } from "../../lib/clock.server";
import { rescuerRate } from "./teams.server";
import { townCoverage } from "./towns.server";
import { assemblyResult, TEAM_KINDS } from "./rules";
import type { RescueTeamKind } from "../../../db/types";

/**
 * The cockpit section of rescue work for a region: spot checks done and their outcomes, assembly times by team type
 * (median of the required-strength time of ended call-outs in the last 12 months), town plan coverage
 * 乡镇综合应急预案编制率 (target 100%) and the 救护员证 holding rate (target as data). Planned checks count only as a number.
 */
export async function rescueOverview(region: { id: number; path: string }) {
  const since = new Date(now().getTime() - 365 * 86400_000);
  const [checks, callouts, coverage, rate] = await Promise.all([
    db
      .selectFrom("spot_check")
      .select(["status", "outcome", (eb) => eb.fn.countAll<number>().as("n")])
      .where("region_path", "like", `${region.path}%`)
      .groupBy(["status", "outcome"])
      .execute(),
    db
      .selectFrom("callout")
      .innerJoin("rescue_team", "rescue_team.id", "callout.team_id")
      .select([
        "callout.id",
        "callout.started_at",
        "callout.standard_minutes",
        "callout.required_strength",
        "callout.first_n",
        "rescue_team.kind",
      ])
      .where("callout.region_path", "like", `${region.path}%`)
      .where("callout.ended_at", "is not", null)
      .where("callout.started_at", ">=", since)
      .orderBy("callout.id", "desc")
      .limit(500)
      .execute(),
    townCoverage(region.path),
    rescuerRate(region),
  ]);
  const count = (f: (r: (typeof checks)[number]) => boolean) => checks.filter(f).reduce((s, r) => s + Number(r.n), 0);
  const arrivals = callouts.length
    ? await db
        .selectFrom("callout_member")
        .select(["callout_id", "member_id", "acked_at", "arrived_at"])
        .where(
          "callout_id",
          "in",
          callouts.map((c) => c.id),
        )
        .execute()
    : [];
  const byKind = new Map<RescueTeamKind, { times: number[]; met: number; total: number }>(
    TEAM_KINDS.map((k) => [k, { times: [], met: 0, total: 0 }]),
  );
  for (const c of callouts) {
    const r = assemblyResult(
      {
        startedAt: c.started_at,
        standardMinutes: c.standard_minutes,
        requiredStrength: c.required_strength,
        firstN: c.first_n,
      },
      arrivals
        .filter((a) => a.callout_id === c.id)
        .map((a) => ({ memberId: a.member_id, name: "", core: false, ackedAt: a.acked_at, arrivedAt: a.arrived_at })),
    );
    const k = byKind.get(c.kind)!;
    k.total++;
    if (r.met) k.met++;
    if (r.strengthSeconds !== null) k.times.push(r.strengthSeconds);
  }
  const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] : null);
  return {
    spotChecks: {
      planned: count((r) => r.status === "planned"),
      running: count((r) => r.status === "running"),
      ended: count((r) => r.status === "ended"),
      pass: count((r) => r.outcome === "pass"),
      fail: count((r) => r.outcome === "fail"),
    },
    assembly: TEAM_KINDS.map((kind) => ({
      kind,
      callouts: byKind.get(kind)!.total,
      met: byKind.get(kind)!.met,
      medianSeconds: median(byKind.get(kind)!.times),
    })),
    towns: { covered: coverage.covered, total: coverage.total, rate: coverage.rate, target: 1 },
    rescuer: { core: rate.core, holders: rate.holders, rate: rate.rate, target: rate.target },
  };
}
export type RescueOverview = Awaited<ReturnType<typeof rescueOverview>>;
