import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { advanceClock, now, resetClock } from "../../app/lib/clock.server";
import { db } from "../../app/lib/db.server";
import { toLocalInput } from "../../app/lib/calendar";
import { hashPassword } from "../../app/modules/auth/password.server";
import { drawSchedule } from "../../app/modules/rescue/draw.server";
import { calloutBoard, calloutRow, startCallout, tap } from "../../app/modules/rescue/callouts.server";
import {
  createSchedule,
  scheduleRow,
  scheduleView,
  startDueSpotChecks,
} from "../../app/modules/rescue/spotchecks.server";
import { addMember, rescuerRate } from "../../app/modules/rescue/teams.server";
import { makeIdNumber } from "../../db/seed/identifiers";
import { DEMO_PASSWORD } from "../../db/seed/demo";
import { loader as auditLoader } from "../../app/routes/audit";
import { loader as homeLoader } from "../../app/routes/rescue._index";
import { action as newCheckAction } from "../../app/routes/rescue.spot-checks.new";
import { loader as checkLoader } from "../../app/routes/rescue.spot-checks.$id";
import { loader as calloutLoader } from "../../app/routes/rescue.callouts.$id";
import { loader as linkLoader, action as linkAction } from "../../app/routes/callout.$token";
import { actorOf, cookieOf, member, request, run } from "../support/actors";

const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
afterEach(() => resetClock());

const SECRET = { title: "夜间危化泄漏双盲抽查-机密", scenario: "3号罐区液氨泄漏-机密情景" };
const cookies: Record<string, string> = {};
let teamId = 0;

beforeAll(async () => {
  // A district regulator of 滨江区, and a worker account who is a member of a professional team of 宏达化工.
  const binjiang = await db.selectFrom("region").select("id").where("name", "=", "滨江区").executeTakeFirstOrThrow();
  await db
    .insertInto("user")
    .values({
      id: "regbinjiangxxxxx",
      username: "reg_binjiang",
      password_hash: await hashPassword(DEMO_PASSWORD),
      role: "regulator",
      display_name: "滨江区应急管理局",
      enterprise_id: null,
      region_id: binjiang.id,
      person_id: null,
    })
    .execute();
  for (const u of ["regulator", "reg_binjiang", "officer", "worker", "inspector", "admin", "officer2", "inspector2"])
    cookies[u] = await cookieOf(u);
  const hongda = await db
    .selectFrom("enterprise")
    .select(["id", "region_path", "region_id"])
    .where("name", "=", "安澜宏达化工有限公司")
    .executeTakeFirstOrThrow();
  const res = await db
    .insertInto("rescue_team")
    .values({
      name: "宏达化工专职救援队",
      kind: "professional",
      region_id: hongda.region_id,
      region_path: hongda.region_path,
      enterprise_id: hongda.id,
      equipment: "",
      standard_minutes: 10,
      required_strength: 3,
      first_n: 2,
      created_by: "seed",
    })
    .executeTakeFirstOrThrow();
  teamId = Number(res.insertId);
  const regulator = await actorOf("regulator");
  const worker = await actorOf("worker");
  // The worker joins the team under their own ID number: linked to their person, so their account is the target too.
  const workerPerson = await db
    .selectFrom("person")
    .select(["id", "id_number_hash"])
    .where("id", "=", worker.personId!)
    .executeTakeFirstOrThrow();
  for (let i = 0; i < 4; i++) {
    await addMember(
      regulator,
      { id: teamId, region_path: hongda.region_path },
      { name: `队员${i}`, phone: `1380000000${i}`, idNumber: makeIdNumber("339966", "1990-01-01", i), core: true },
      "t",
    );
  }
  const m = await db
    .insertInto("rescue_member")
    .values({
      team_id: teamId,
      region_path: hongda.region_path,
      name: "宏达操作工",
      phone: "13800000009",
      id_number_hash: workerPerson.id_number_hash,
      id_number_masked: "3399**********0000",
      person_id: workerPerson.id,
      core: 0,
    })
    .executeTakeFirstOrThrow();
  expect(Number(m.insertId)).toBeGreaterThan(0);
});

const inMinutes = (m: number) => toLocalInput(new Date(now().getTime() + m * 60_000));

async function planCheck(cookie: string, target: string) {
  const f = new FormData();
  for (const [k, v] of Object.entries({
    target,
    title: SECRET.title,
    scenario: SECRET.scenario,
    windowStart: inMinutes(60),
    windowEnd: inMinutes(60 * 24 * 5),
    plannedAt: inMinutes(60 * 24 * 2),
  }))
    f.append(k, v);
  return run(() => newCheckAction(args(request("/rescue/spot-checks/new", cookie, f))));
}

describe("sealed spot checks", () => {
  it("is invisible to every role of the target until it starts, then starts a call-out of the team", async () => {
    const planned = await planCheck(cookies.regulator, `team:${teamId}`);
    expect(planned.status).toBe(302);
    const id = planned.headers.get("location")!.split("/").pop()!;

    // The target's officer and member (worker account): not found, nothing in any list or the audit log.
    for (const who of ["officer", "worker"]) {
      const page = await run(() => checkLoader(args(request(`/rescue/spot-checks/${id}`, cookies[who]), { id })));
      expect(page.status, who).toBe(404);
    }
    const { listSpotChecks } = await import("../../app/modules/rescue/spotchecks.server");
    expect((await listSpotChecks(await actorOf("officer"), { limit: 50 })).rows).toEqual([]);
    expect((await listSpotChecks(await actorOf("worker"), { limit: 50 })).rows).toEqual([]);
    expect(await db.selectFrom("callout").select("id").where("team_id", "=", teamId).execute()).toEqual([]);
    const audit = await run(() => auditLoader(args(request("/audit", cookies.admin))));
    expect(JSON.stringify(audit.data)).not.toContain(SECRET.scenario);
    // Regional staff without a role (inspector, admin) learn only that a check falls in a window.
    for (const who of ["inspector", "admin"]) {
      const page = await run(() => checkLoader(args(request(`/rescue/spot-checks/${id}`, cookies[who]), { id })));
      expect(page.status, who).toBe(200);
      const text = JSON.stringify(page.data);
      expect(text).not.toContain(SECRET.scenario);
      expect(text).not.toContain(SECRET.title);
      expect(text).not.toContain("宏达化工专职救援队");
      const home = await run(() => homeLoader(args(request("/rescue", cookies[who]))));
      expect(JSON.stringify(home.data)).not.toContain(SECRET.scenario);
    }
    // Another district's inspector: not even the window.
    expect(
      (await run(() => checkLoader(args(request(`/rescue/spot-checks/${id}`, cookies.inspector2), { id })))).status,
    ).toBe(404);
    // The organizer sees it all.
    const own = await run(() => checkLoader(args(request(`/rescue/spot-checks/${id}`, cookies.regulator), { id })));
    expect(JSON.stringify(own.data)).toContain(SECRET.scenario);

    // At the sealed time it starts by itself: the team is called out and the member's inbox has their link.
    advanceClock(2 * 86400_000 + 3600_000 + 60_000);
    expect(await startDueSpotChecks()).toBeGreaterThanOrEqual(1);
    const worker = await actorOf("worker");
    const page = await run(() => checkLoader(args(request(`/rescue/spot-checks/${id}`, cookies.worker), { id })));
    expect(page.status).toBe(200);
    expect(JSON.stringify(page.data)).toContain(SECRET.scenario);
    const note = await db
      .selectFrom("notification")
      .select(["link", "kind"])
      .where("person_id", "=", worker.personId!)
      .where("kind", "=", "callout")
      .executeTakeFirstOrThrow();
    expect(note.link).toMatch(/^\/callout\/[0-9a-f]{32}$/);
    const callouts = await db
      .selectFrom("callout_member")
      .innerJoin("callout", "callout.id", "callout_member.callout_id")
      .select("callout.id")
      .where("callout.spot_check_id", "=", Number(id))
      .execute();
    expect(callouts).toHaveLength(5);
  });

  it("refuses a check of a team outside the regulator's region, writing nothing", async () => {
    const lantian = await db
      .selectFrom("rescue_team")
      .select("id")
      .where("name", "=", "安澜蓝天救援队")
      .executeTakeFirstOrThrow();
    const before = await db
      .selectFrom("spot_check")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const refused = await planCheck(cookies.reg_binjiang, `team:${lantian.id}`);
    expect(refused.status).toBe(403);
    expect((await planCheck(cookies.officer, `team:${teamId}`)).status).toBe(403);
    const after = await db
      .selectFrom("spot_check")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    // Inside the region it is accepted.
    expect((await planCheck(cookies.reg_binjiang, `team:${teamId}`)).status).toBe(302);
  });
});

describe("sealed random schedule", () => {
  it("is reproducible from its seed and hidden until each start", async () => {
    const regulator = await actorOf("regulator");
    const start = new Date(now().getTime() + 3600_000);
    const end = new Date(start.getTime() + 10 * 86400_000);
    const created = await createSchedule(
      regulator,
      regulator.regionPath!,
      { title: "十二月随机拉动", count: 3, periodStart: start, periodEnd: end },
      "t",
    );
    expect(created.ok).toBe(true);
    const id = (created as { id: number }).id;
    const row = (await scheduleRow(id))!;
    // Reproducible: the recorded seed and inputs give exactly the stored targets and times.
    const again = drawSchedule({
      seed: row.seed,
      pool: JSON.parse(row.pool_json),
      count: row.draw_count,
      periodStart: row.period_start,
      periodEnd: row.period_end,
    });
    const stored = await db
      .selectFrom("spot_check")
      .select(["team_id", "planned_at", "id"])
      .where("schedule_id", "=", id)
      .orderBy("planned_at")
      .orderBy("team_id")
      .execute();
    expect(again.map((d) => [d.targetId, d.at.getTime()])).toEqual(
      stored.map((s) => [s.team_id, s.planned_at.getTime()]),
    );
    expect(new Set(stored.map((s) => s.team_id)).size).toBe(3);
    for (const s of stored) expect(s.planned_at >= start && s.planned_at < end).toBe(true);
    // Another seed draws differently (the draw depends on the seed).
    const other = drawSchedule({
      seed: "0".repeat(32),
      pool: JSON.parse(row.pool_json),
      count: 3,
      periodStart: row.period_start,
      periodEnd: row.period_end,
    });
    expect(other.map((d) => d.at.getTime())).not.toEqual(again.map((d) => d.at.getTime()));

    // Hidden from everyone, the organizer included: no seed, no target, no time in the schedule or the check pages.
    const view = await scheduleView(regulator, row);
    expect(view.pending).toBe(3);
    expect(view.audit).toBeNull();
    expect(JSON.stringify(view)).not.toContain(row.seed);
    for (const s of stored) {
      const page = await run(() =>
        checkLoader(args(request(`/rescue/spot-checks/${s.id}`, cookies.regulator), { id: String(s.id) })),
      );
      expect(page.status).toBe(200);
      expect(member(page.data.view, "targetName")).toBeUndefined();
      expect(member(page.data.view, "plannedAt")).toBeUndefined();
      expect(page.data.canRun).toBe(false);
    }
    // Each start reveals that check only; the seed once all have started.
    resetClock();
    advanceClock(stored[0].planned_at.getTime() - Date.now() + 1000);
    await startDueSpotChecks();
    const partly = await scheduleView(regulator, row);
    expect(partly.started.length).toBeGreaterThanOrEqual(1);
    expect(partly.pending).toBe(3 - partly.started.length);
    expect(partly.audit).toBeNull();
    resetClock();
    advanceClock(end.getTime() - Date.now() + 1000);
    await startDueSpotChecks();
    const done = await scheduleView(regulator, row);
    expect(done.pending).toBe(0);
    expect(done.audit).toEqual({ seed: row.seed, pool: JSON.parse(row.pool_json), matches: true });
  });
});

describe("call-outs", () => {
  it("computes assembly times from acknowledgements and arrivals; refuses reuse, arrival before ack; duplicate taps count once", async () => {
    const regulator = await actorOf("regulator");
    const team = await db
      .selectFrom("rescue_team")
      .selectAll()
      .where("name", "=", "滨江区危化品专业救援队")
      .executeTakeFirstOrThrow();
    const started = await startCallout(regulator, team, "集结演练");
    expect(started.ok).toBe(true);
    const calloutId = (started as { id: number }).id;
    const links = await db
      .selectFrom("callout_member")
      .select(["token", "member_id"])
      .where("callout_id", "=", calloutId)
      .orderBy("id")
      .execute();
    expect(links).toHaveLength(12);
    const phone = (i: number) => `${String(i).padStart(2, "0")}`.repeat(16);

    // Arrival before acknowledgement: refused, nothing changes.
    const early = await tap(links[0].token, "arrive", phone(0));
    expect(early).toMatchObject({ ok: false, status: 409 });
    expect(
      await db
        .selectFrom("callout_member")
        .select(["device_hash", "taps", "arrived_at"])
        .where("token", "=", links[0].token)
        .executeTakeFirstOrThrow(),
    ).toEqual({ device_hash: null, taps: 0, arrived_at: null });

    // Ten members acknowledge at once; arrivals come at 4, 5, 6 … minutes (member i at 4+i minutes).
    for (let i = 0; i < 10; i++) expect((await tap(links[i].token, "ack", phone(i))).ok).toBe(true);
    for (let i = 0; i < 10; i++) {
      resetClock();
      const c = (await calloutRow(calloutId))!;
      advanceClock(c.started_at.getTime() + (4 + i) * 60_000 - Date.now());
      expect((await tap(links[i].token, "arrive", phone(i))).ok).toBe(true);
    }
    // Duplicate taps: accepted, change nothing.
    const before = await db
      .selectFrom("callout_member")
      .select(["acked_at", "arrived_at"])
      .where("token", "=", links[0].token)
      .executeTakeFirstOrThrow();
    advanceClock(60_000);
    expect(await tap(links[0].token, "arrive", phone(0))).toMatchObject({ ok: true, changed: false });
    expect(await tap(links[0].token, "ack", phone(0))).toMatchObject({ ok: true, changed: false });
    const after = await db
      .selectFrom("callout_member")
      .select(["acked_at", "arrived_at"])
      .where("token", "=", links[0].token)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    // The link on another phone: refused, nothing changes.
    const stolen = await tap(links[1].token, "ack", phone(99));
    expect(stolen).toMatchObject({ ok: false, status: 409 });
    expect((stolen as { message: string }).message).toContain("另一部手机");
    // Through the route too: the page of a link used on another phone says so; a tap is a 409.
    const cookie = `anxun_rescue_device=${phone(98)}`;
    const page = await run(() =>
      linkLoader(args(request(`/callout/${links[2].token}`, cookie), { token: links[2].token })),
    );
    expect(page.data.elsewhere).toBe(true);
    const refused = await run(() =>
      linkAction(args(request(`/callout/${links[2].token}`, cookie, { intent: "ack" }), { token: links[2].token })),
    );
    expect(refused.status).toBe(409);

    // Standard: 10 within 30 minutes, vanguard 3. First 3 at 6 min (4,5,6), 10th at 13 min: met.
    const board = await calloutBoard((await calloutRow(calloutId))!);
    expect(board.result.acknowledged).toBe(10);
    expect(board.result.arrived).toBe(10);
    expect(board.result.firstNSeconds).toBe(6 * 60);
    expect(board.result.strengthSeconds).toBe(13 * 60);
    expect(board.result.met).toBe(true);
    expect(board.result.absent.map((a) => a.acknowledged)).toEqual([false, false]);
    expect(board.result.late).toEqual([]);
    // A late arrival after the standard is listed as late.
    await tap(links[10].token, "ack", phone(10));
    resetClock();
    advanceClock(board.result.standardSeconds * 1000 + new Date(board.startedAt).getTime() + 120_000 - Date.now());
    await tap(links[10].token, "arrive", phone(10));
    const later = await calloutBoard((await calloutRow(calloutId))!);
    expect(later.result.late.map((l) => l.seconds)).toEqual([32 * 60]);
    // Another enterprise's officer cannot read the board; the district inspector can.
    expect(
      (
        await run(() =>
          calloutLoader(args(request(`/rescue/callouts/${calloutId}`, cookies.officer2), { id: String(calloutId) })),
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await run(() =>
          calloutLoader(args(request(`/rescue/callouts/${calloutId}`, cookies.inspector), { id: String(calloutId) })),
        )
      ).status,
    ).toBe(200);
  });
});

describe("救护员证 holding rate", () => {
  it("matches a hand count at city and district level", async () => {
    // Seed (db/seed/rescue.ts): 危化品专业救援队 10 core / 9 holders, 江南街道 6 / 4, 蓝天 5 / 5 (临港区); plus the
    // test's 宏达化工 team: 4 core members without certificates (both in 滨江区).
    const city = await db
      .selectFrom("region")
      .select(["id", "path"])
      .where("name", "=", "安澜市")
      .executeTakeFirstOrThrow();
    const rate = await rescuerRate(city);
    expect({ core: rate.core, holders: rate.holders }).toEqual({ core: 10 + 6 + 5 + 4, holders: 9 + 4 + 5 });
    const binjiang = rate.regions.find((r) => r.name === "滨江区")!;
    expect({ core: binjiang.core, holders: binjiang.holders }).toEqual({ core: 10 + 6 + 4, holders: 13 });
    expect(rate.regions.find((r) => r.name === "临港区")!.rate).toBe(1);
    expect(rate.target).toBe(0.9);
    // A voided certificate stops counting.
    const cert = await db
      .selectFrom("rescue_cert")
      .innerJoin("rescue_member", "rescue_member.id", "rescue_cert.member_id")
      .innerJoin("rescue_team", "rescue_team.id", "rescue_member.team_id")
      .select("rescue_cert.id")
      .where("rescue_team.name", "=", "安澜蓝天救援队")
      .limit(1)
      .executeTakeFirstOrThrow();
    await db.updateTable("rescue_cert").set({ voided_at: new Date() }).where("id", "=", cert.id).execute();
    expect((await rescuerRate(city)).holders).toBe(17);
  });
});
