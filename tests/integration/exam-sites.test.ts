import { afterEach, describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { advanceClock, resetClock } from "../../app/lib/clock.server";
import { action as consoleAction, loader as consoleLoader } from "../../app/routes/exam-sites.sessions.$id._index";
import { loader as liveLoader } from "../../app/routes/exam-sites.sessions.$id.live";
import { loader as sheetLoader } from "../../app/routes/exam-sites.sessions.$id.sheet";
import { loader as listLoader } from "../../app/routes/exam-sites._index";
import { loader as seatLoader } from "../../app/routes/s.$secret._index";
import { action as seatAnswer } from "../../app/routes/s.$secret.answers";
import { closeExpiredAttempts } from "../../app/modules/exams/grading.server";
import { makeIdNumber } from "../../db/seed/identifiers";
import type { SerializeFrom } from "@remix-run/node";
import type { consoleOf } from "../../app/modules/exam-sites/sessions.server";
import { cookieOf, request, run } from "../support/actors";

const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
afterEach(() => resetClock());

// Demo people 1–8 (the first enterprise, 滨江区) are on the roster of session 1; 9–12 on session 2 (another room).
const idOf = (seq: number) => makeIdNumber("339901", `${1970 + ((seq * 7) % 30)}-0${1 + (seq % 9)}-1${seq % 9}`, seq);
const JPEG = new Uint8Array([
  0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9,
]);

async function sessions() {
  const rows = await db.selectFrom("exam_session").select(["id", "room_id"]).orderBy("id").execute();
  return { s1: rows[0], s2: rows[1] };
}
async function seat(roomId: number, label: string) {
  return (
    await db
      .selectFrom("exam_seat")
      .select("id")
      .where("room_id", "=", roomId)
      .where("label", "=", label)
      .executeTakeFirstOrThrow()
  ).id;
}
function post(path: string, cookie: string, fields: Record<string, string>, photo = true) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (photo && fields.intent === "checkin") fd.append("photo", new File([JPEG], "seat.jpg", { type: "image/jpeg" }));
  return request(path, cookie, fd);
}
const act = (id: number, cookie: string, fields: Record<string, string>, photo = true) =>
  run(() => consoleAction(args(post(`/exam-sites/sessions/${id}`, cookie, fields, photo), { id: String(id) })));
/** The id of demo person `seq` (1, 2, 3 … in the seed's order): ids step by the cluster size on Galera. */
const personIdOf = async (seq: number) =>
  (
    await db
      .selectFrom("person")
      .select("id")
      .orderBy("id")
      .offset(seq - 1)
      .limit(1)
      .executeTakeFirstOrThrow()
  ).id;
/** The roster row of demo person `seq` in a session. */
const rosterOf = async (sessionId: number, seq: number) =>
  db
    .selectFrom("exam_roster")
    .selectAll()
    .where("session_id", "=", sessionId)
    .where("person_id", "=", await personIdOf(seq))
    .executeTakeFirstOrThrow();
const attempt = async (id: number) =>
  db.selectFrom("attempt").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

describe("exam sites", () => {
  it("checks in, starts, extends, pauses and resumes with the lost time given back, voids — all as the session's proctor", async () => {
    const { s1, s2 } = await sessions();
    const proctor = await cookieOf("inspector");
    const regulator = await cookieOf("regulator");

    // A seat of another session's room is refused, nothing changes.
    const wrongSeat = await act(s1.id, proctor, {
      intent: "checkin",
      idNumber: idOf(1),
      seatId: String(await seat(s2.room_id, "B01")),
    });
    expect(wrongSeat.status).toBe(422);
    expect(wrongSeat.data.message).toBe("该座位不属于本场考试的考场，请选择本考场的座位。");
    expect((await rosterOf(s1.id, 1)).checked_in_at).toBeNull();
    // Someone not on the roster; the camera room without a photo.
    expect(
      (
        await act(s1.id, proctor, {
          intent: "checkin",
          idNumber: idOf(9),
          seatId: String(await seat(s1.room_id, "A01")),
        })
      ).data.message,
    ).toMatch(/不在本场考试的考生名单中/);
    const noPhoto = await act(
      s1.id,
      proctor,
      { intent: "checkin", idNumber: idOf(1), seatId: String(await seat(s1.room_id, "A01")) },
      false,
    );
    expect(noPhoto.status).toBe(422);
    expect(noPhoto.data.message).toMatch(/拍摄考生照片/);

    for (const [seq, label] of [
      [1, "A01"],
      [2, "A02"],
      [3, "A03"],
    ] as const) {
      const r = await act(s1.id, proctor, {
        intent: "checkin",
        idNumber: idOf(seq),
        seatId: String(await seat(s1.room_id, label)),
      });
      expect(r.status).toBe(200);
      expect(r.data.seatLink).toMatch(/^\/s\//);
    }
    const taken = await act(s1.id, proctor, {
      intent: "checkin",
      idNumber: idOf(4),
      seatId: String(await seat(s1.room_id, "A01")),
    });
    expect(taken.status).toBe(409);
    expect(taken.data.message).toMatch(/已有考生/);

    expect((await act(s1.id, proctor, { intent: "start" })).status).toBe(200);
    const r1 = await rosterOf(s1.id, 1);
    const a1 = await attempt(r1.attempt_id!);
    expect(a1.deadline_at.getTime() - a1.started_at.getTime()).toBe(120 * 60_000);
    expect(Number(a1.total_points)).toBe(100);

    // Not the session's proctor: the regulator sees the console but may not extend; nothing changes.
    const r2 = await rosterOf(s1.id, 2);
    const before = (await attempt(r2.attempt_id!)).deadline_at.getTime();
    const byRegulator = await act(s1.id, regulator, {
      intent: "extend",
      rosterId: String(r2.id),
      minutes: "10",
      reason: "视力障碍",
    });
    expect(byRegulator.status).toBe(403);
    expect(byRegulator.data.message).toBe("只有本场考试指定的监考人员可以进行签到、延时、暂停和作废操作。");
    expect((await attempt(r2.attempt_id!)).deadline_at.getTime()).toBe(before);
    expect(
      (await run(() => consoleLoader(args(request(`/exam-sites/sessions/${s1.id}`, regulator), { id: String(s1.id) }))))
        .data.proctor,
    ).toBe(false);
    // A reason is required.
    expect(
      (await act(s1.id, proctor, { intent: "extend", rosterId: String(r2.id), minutes: "10", reason: "" })).status,
    ).toBe(422);

    const ext = await act(s1.id, proctor, {
      intent: "extend",
      rosterId: String(r2.id),
      minutes: "10",
      reason: "视力障碍",
    });
    expect(ext.status).toBe(200);
    expect((await attempt(r2.attempt_id!)).deadline_at.getTime()).toBe(before + 10 * 60_000);

    // Pause for a power cut: 7 minutes pass; no answer is taken, no deadline job closes a paper; resume gives 7 minutes back.
    advanceClock(60_000);
    expect((await act(s1.id, proctor, { intent: "pause", reason: "停电" })).status).toBe(200);
    const deadlines = new Map<number, number>();
    for (const p of [1, 2, 3]) {
      const r = await rosterOf(s1.id, p);
      deadlines.set(p, (await attempt(r.attempt_id!)).deadline_at.getTime());
    }
    advanceClock(7 * 60_000);
    expect(r1.seat_secret_hash).toMatch(/^[0-9a-f]{64}$/); // only the seat link's hash is stored
    advanceClock(200 * 60_000); // even far past every deadline, paused papers stay open
    expect(await closeExpiredAttempts()).toBe(0);
    expect((await attempt(r1.attempt_id!)).submitted_at).toBeNull();
    advanceClock(-200 * 60_000);
    // The live loader answers a Response (JSON of consoleOf()); the test reads its body as the page does.
    const live = (await (
      (await liveLoader(
        args(request(`/exam-sites/sessions/${s1.id}/live`, proctor), { id: String(s1.id) }),
      )) as Response
    ).json()) as SerializeFrom<typeof consoleOf>;
    expect(live.status).toBe("paused");
    expect(live.seats.find((s) => s.label === "A01")!.person!.status).toBe("paused");
    const resumed = await act(s1.id, proctor, { intent: "resume" });
    expect(resumed.status).toBe(200);
    for (const p of [1, 2, 3]) {
      const r = await rosterOf(s1.id, p);
      const a = await attempt(r.attempt_id!);
      expect(a.paused_at).toBeNull();
      // Paused at t+1 min, resumed at t+8 min: exactly 7 minutes later than before (to the millisecond, give or take the request time).
      expect(Math.abs(a.deadline_at.getTime() - (deadlines.get(p)! + 7 * 60_000))).toBeLessThan(2000);
    }
    const session = await db
      .selectFrom("exam_session")
      .select(["status", "paused_ms"])
      .where("id", "=", s1.id)
      .executeTakeFirstOrThrow();
    expect(session.status).toBe("running");
    expect(Math.abs(Number(session.paused_ms) - 7 * 60_000)).toBeLessThan(2000);

    // Void for cheating, with a reason; the paper is closed and kept; voiding twice changes nothing.
    const r3 = await rosterOf(s1.id, 3);
    expect((await act(s1.id, regulator, { intent: "void", rosterId: String(r3.id), reason: "夹带资料" })).status).toBe(
      403,
    );
    expect((await act(s1.id, proctor, { intent: "void", rosterId: String(r3.id), reason: "夹带资料" })).status).toBe(
      200,
    );
    const v = await rosterOf(s1.id, 3);
    expect(v.void_reason).toBe("夹带资料");
    expect((await attempt(r3.attempt_id!)).closed_by).toBe("inspector");
    expect((await act(s1.id, proctor, { intent: "void", rosterId: String(r3.id), reason: "再次" })).status).toBe(409);
    const audit = await db
      .selectFrom("audit_log")
      .select(["action", "actor_user_id"])
      .where("action", "like", "exam_session.%")
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      "exam_session.check_in",
      "exam_session.check_in",
      "exam_session.check_in",
      "exam_session.started",
      "exam_session.extended",
      "exam_session.paused",
      "exam_session.resumed",
      "exam_session.voided",
    ]);

    // The console and the printable sheet show it.
    const con = await run(() =>
      consoleLoader(args(request(`/exam-sites/sessions/${s1.id}`, proctor), { id: String(s1.id) })),
    );
    const bySeat = Object.fromEntries(
      con.data.live.seats.filter((s) => s.person).map((s) => [s.label, s.person!.status]),
    );
    expect(bySeat).toEqual({ A01: "answering", A02: "answering", A03: "voided" });
    const sheet = await run(() =>
      sheetLoader(args(request(`/exam-sites/sessions/${s1.id}/sheet`, proctor), { id: String(s1.id) })),
    );
    expect(sheet.data.people.find((p) => p.status === "voided")!.voidReason).toBe("夹带资料");
  });

  it("a paused seat takes no answer; the seat terminal works by its secret link; outsiders see nothing", async () => {
    const { s2 } = await sessions();
    const proctor = await cookieOf("inspector");
    // Room 2 has no camera: no photo needed.
    const r = await act(
      s2.id,
      proctor,
      { intent: "checkin", idNumber: idOf(9), seatId: String(await seat(s2.room_id, "B01")) },
      false,
    );
    expect(r.status).toBe(200);
    const secret = (r.data.seatLink as string).slice(3);
    expect((await run(() => seatLoader(args(request(`/s/${secret}`, null), { secret })))).data.state).toBe("waiting");
    await act(s2.id, proctor, { intent: "start" });
    const paper = await run(() => seatLoader(args(request(`/s/${secret}`, null), { secret })));
    expect(paper.data.state).toBe("answering");
    expect(JSON.stringify(paper.data)).not.toMatch(/"(correct|explanation)"/);
    let seq = 0;
    const save = (answer: string) =>
      seatAnswer(
        args(request(`/s/${secret}/answers`, null, { position: "1", answer, seq: String(++seq) }), { secret }),
      ) as Promise<Response>;
    const type = (
      await db
        .selectFrom("attempt_item")
        .innerJoin("question", "question.id", "attempt_item.question_id")
        .select("question.type")
        .where("attempt_item.attempt_id", "=", (await rosterOf(s2.id, 9)).attempt_id!)
        .where("position", "=", 1)
        .executeTakeFirstOrThrow()
    ).type;
    const answer = type === "judge" ? "true" : "A";
    expect((await save(answer)).status).toBe(200);
    await act(s2.id, proctor, { intent: "pause", reason: "网络中断" });
    const refused = await save(answer);
    expect(refused.status).toBe(409);
    expect((await refused.json()).message).toMatch(/考试已暂停/);
    expect((await run(() => seatLoader(args(request(`/s/${secret}`, null), { secret })))).data.state).toBe("paused");
    // Bad links and outsiders.
    expect(
      (
        await run(() =>
          seatLoader(args(request("/s/not-a-real-secret-link-000", null), { secret: "not-a-real-secret-link-000" })),
        )
      ).status,
    ).toBe(404);
    const officer = await cookieOf("officer2");
    expect(
      (await run(() => consoleLoader(args(request(`/exam-sites/sessions/${s2.id}`, officer), { id: String(s2.id) }))))
        .status,
    ).toBe(403);
    expect((await act(s2.id, officer, { intent: "resume" })).status).toBe(403);
    const inspector2 = await cookieOf("inspector2");
    expect(
      (
        await run(() =>
          consoleLoader(args(request(`/exam-sites/sessions/${s2.id}`, inspector2), { id: String(s2.id) })),
        )
      ).status,
    ).toBe(403);
    const list = await run(() => listLoader(args(request("/exam-sites", proctor))));
    expect(list.data.sessions.every((s: { proctor: boolean }) => s.proctor)).toBe(true);
  });
});
