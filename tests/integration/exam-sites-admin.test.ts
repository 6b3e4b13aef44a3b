import { describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { hashPassword } from "../../app/modules/auth/password.server";
import { STARTED_MESSAGE } from "../../app/modules/exam-sites/rules";
import { action as newSiteAction, loader as newSiteLoader } from "../../app/routes/exam-sites.sites.new";
import { action as siteAction, loader as siteLoader } from "../../app/routes/exam-sites.sites.$id";
import { action as planAction, loader as planLoader } from "../../app/routes/exam-sites.sessions.$id.plan";
import { action as consoleAction } from "../../app/routes/exam-sites.sessions.$id._index";
import { loader as liveLoader } from "../../app/routes/exam-sites.sessions.$id.live";
import { loader as photoLoader } from "../../app/routes/exam-sites.sessions.$id.photo.$rosterId";
import { loader as listLoader } from "../../app/routes/exam-sites._index";
import { action as seatPhotoAction } from "../../app/routes/s.$secret.photo";
import { loader as seatLoader } from "../../app/routes/s.$secret._index";
import { makeIdNumber } from "../../db/seed/identifiers";
import { DEMO_PASSWORD } from "../../db/seed/demo";
import { cookieOf, okData, request, run, thrownMessage } from "../support/actors";

const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
// Demo people of the first enterprise (滨江区), as the exam-sites test numbers them.
const idOf = (seq: number) => makeIdNumber("339901", `${1970 + ((seq * 7) % 30)}-0${1 + (seq % 9)}-1${seq % 9}`, seq);
const JPEG = new Uint8Array([
  0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9,
]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

async function regionId(name: string) {
  return (await db.selectFrom("region").select("id").where("name", "=", name).executeTakeFirstOrThrow()).id;
}
/** A regulator or inspector account of one district. */
async function account(username: string, role: "regulator" | "inspector", region: string) {
  await db
    .insertInto("user")
    .values({
      id: username.padEnd(16, "x").slice(0, 16),
      username,
      password_hash: await hashPassword(DEMO_PASSWORD),
      role,
      display_name: `${region} ${username}`,
      enterprise_id: null,
      region_id: await regionId(region),
      person_id: null,
    })
    .execute();
  return cookieOf(username);
}
const audits = async (action: string) =>
  Number(
    (
      await db
        .selectFrom("audit_log")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("action", "=", action)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("exam-site administration", () => {
  it("a regulator builds a site, room, session, roster and proctors; refusals outside the region and after the start", async () => {
    const regulator = await cookieOf("regulator");
    const binjiang = await regionId("滨江区");
    // Sites: a district regulator of 青山县 may not create one in 滨江区; an inspector may not create one at all.
    const qingshan = await account("regqs", "regulator", "青山县");
    const outside = await run(() =>
      newSiteAction(
        args(
          request("/exam-sites/sites/new", qingshan, {
            name: "越界考点",
            address: "某路 1 号",
            regionId: String(binjiang),
          }),
        ),
      ),
    );
    expect(outside.status).toBe(403);
    expect(thrownMessage(outside)).toMatch(/不在您的辖区内/);
    const inspectorCookie = await cookieOf("inspector");
    expect((await run(() => newSiteLoader(args(request("/exam-sites/sites/new", inspectorCookie))))).status).toBe(403);
    const bad = await run(() =>
      newSiteAction(args(request("/exam-sites/sites/new", regulator, { name: "", address: "", regionId: "x" }))),
    );
    expect(bad.status).toBe(422);
    expect(bad.data.fieldErrors.name).toBe("请填写考试点名称");

    const created = await run(() =>
      newSiteAction(
        args(
          request("/exam-sites/sites/new", regulator, {
            name: "滨江区第二考试点",
            address: "滨江区江滨路 8 号",
            regionId: String(binjiang),
          }),
        ),
      ),
    );
    expect(created.status).toBe(302);
    const siteId = created.headers.get("location")!.split("/").pop()!;
    expect(await audits("exam_site.created")).toBe(1);
    // The 青山县 regulator may not even read it; the list of the city's regulator shows it.
    expect(
      (await run(() => siteLoader(args(request(`/exam-sites/sites/${siteId}`, qingshan), { id: siteId })))).status,
    ).toBe(403);
    const list = await run(() => listLoader(args(request("/exam-sites", regulator))));
    expect(list.data.sites.map((s: { name: string }) => s.name)).toContain("滨江区第二考试点");
    expect(list.data.mayCreate).toBe(true);

    // A room with 6 seats and the camera on: seats C01–C06 are generated.
    const site = (path: string, cookie: string, fields: Record<string, string>) =>
      run(() => siteAction(args(request(path, cookie, fields), { id: siteId })));
    const room = await site(`/exam-sites/sites/${siteId}`, regulator, {
      intent: "room-add",
      name: "第三考场",
      seats: "6",
      prefix: "C",
      camera: "1",
    });
    expect(room.status).toBe(200);
    const roomRow = await db
      .selectFrom("exam_room")
      .selectAll()
      .where("site_id", "=", Number(siteId))
      .executeTakeFirstOrThrow();
    expect(roomRow.camera).toBe(1);
    const labels = async () =>
      (await db.selectFrom("exam_seat").select("label").where("room_id", "=", roomRow.id).orderBy("id").execute()).map(
        (s) => s.label,
      );
    expect(await labels()).toEqual(["C01", "C02", "C03", "C04", "C05", "C06"]);
    // More seats are numbered on; fewer are refused (seats may have been sat in).
    expect(
      (
        await site(`/exam-sites/sites/${siteId}`, regulator, {
          intent: "room",
          roomId: String(roomRow.id),
          name: "第三考场",
          seats: "8",
          camera: "1",
        })
      ).status,
    ).toBe(200);
    expect(await labels()).toEqual(["C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08"]);
    const fewer = await site(`/exam-sites/sites/${siteId}`, regulator, {
      intent: "room",
      roomId: String(roomRow.id),
      name: "第三考场",
      seats: "3",
      camera: "1",
    });
    expect(fewer.status).toBe(422);
    expect(fewer.data.message).toMatch(/座位只能增加/);

    // A session of the shared exam template.
    const template = await db
      .selectFrom("exam_template")
      .select("id")
      .where("enterprise_id", "is", null)
      .where("purpose", "=", "exam")
      .executeTakeFirstOrThrow();
    const past = await site(`/exam-sites/sites/${siteId}`, regulator, {
      intent: "session",
      title: "补考",
      roomId: String(roomRow.id),
      templateId: String(template.id),
      scheduledAt: "2020-01-01T09:00",
      minutes: "120",
    });
    expect(past.status).toBe(422);
    expect(past.data.fieldErrors!.scheduledAt).toMatch(/不能早于现在/);
    const scheduled = await site(`/exam-sites/sites/${siteId}`, regulator, {
      intent: "session",
      title: "特种作业理论考试 第 9 场",
      roomId: String(roomRow.id),
      templateId: String(template.id),
      scheduledAt: "2099-03-01T09:00",
      minutes: "90",
    });
    expect(scheduled.status).toBe(302);
    const sessionId = scheduled.headers.get("location")!.split("/")[3];
    const plan = (cookie: string, fields: Record<string, string> | FormData) =>
      run(() => planAction(args(request(`/exam-sites/sessions/${sessionId}/plan`, cookie, fields), { id: sessionId })));

    // Roster by ID numbers: bad and unknown numbers are reported, not added.
    const byIds = await plan(regulator, { intent: "ids", idNumbers: `${idOf(1)}\n${idOf(2)}\n123\n${idOf(3)}` });
    expect(byIds.status).toBe(200);
    expect(byIds.data.message).toMatch(/^已加入 3 人。未加入 1 个号码/);
    // From the people list: search by name, add the chosen.
    // The seed's fourth person (by id, not id 4: a Galera cluster steps ids by its size).
    const person4 = await db
      .selectFrom("person")
      .select(["id", "name"])
      .orderBy("id")
      .offset(3)
      .limit(1)
      .executeTakeFirstOrThrow();
    const found = await run(() =>
      planLoader(
        args(request(`/exam-sites/sessions/${sessionId}/plan?q=${encodeURIComponent(person4.name)}`, regulator), {
          id: sessionId,
        }),
      ),
    );
    expect(found.data.found.map((p: { id: number }) => p.id)).toContain(person4.id);
    expect((await plan(regulator, { intent: "people", personId: String(person4.id) })).data.message).toBe(
      "已加入 1 人。",
    );
    const rosterRows = await db
      .selectFrom("exam_roster")
      .selectAll()
      .where("session_id", "=", Number(sessionId))
      .orderBy("id")
      .execute();
    const firstFive = await db.selectFrom("person").select("id").orderBy("id").limit(5).execute();
    expect(rosterRows.map((r) => r.person_id)).toEqual(firstFive.slice(0, 4).map((p) => p.id));
    // Removing someone keeps the row (removed), and adding them again puts them back.
    expect((await plan(regulator, { intent: "remove", rosterId: String(rosterRows[3].id) })).status).toBe(200);
    expect(
      (
        await db
          .selectFrom("exam_roster")
          .select("removed_at")
          .where("id", "=", rosterRows[3].id)
          .executeTakeFirstOrThrow()
      ).removed_at,
    ).not.toBeNull();
    await plan(regulator, { intent: "people", personId: String(person4.id) });
    expect(
      (
        await db
          .selectFrom("exam_roster")
          .select("removed_at")
          .where("id", "=", rosterRows[3].id)
          .executeTakeFirstOrThrow()
      ).removed_at,
    ).toBeNull();

    // Proctors: inspectors whose region covers the site; 青山县's inspector is refused.
    const proctor = await account("proctorbj", "inspector", "滨江区");
    const proctorId = "proctorbj".padEnd(16, "x");
    const inspector2 = await db
      .selectFrom("user")
      .select("id")
      .where("username", "=", "inspector2")
      .executeTakeFirstOrThrow();
    const wrongProctor = await plan(regulator, { intent: "proctors", userId: inspector2.id });
    expect(wrongProctor.status).toBe(422);
    expect(wrongProctor.data.message).toMatch(/辖区的执法检查人员/);
    expect((await plan(regulator, { intent: "proctors", userId: proctorId })).status).toBe(200);
    const planned = await run(() =>
      planLoader(args(request(`/exam-sites/sessions/${sessionId}/plan`, regulator), { id: sessionId })),
    );
    expect(planned.data.plan.proctors.map((p: { id: string }) => p.id)).toEqual([proctorId]);
    expect(planned.data.inspectors.map((p: { id: string }) => p.id)).toContain(proctorId);
    // The 青山县 regulator may not plan it; the proctor may not either (planning is the region's regulators').
    expect((await plan(qingshan, { intent: "people", personId: String(firstFive[4].id) })).status).toBe(403);
    expect((await plan(proctor, { intent: "people", personId: String(firstFive[4].id) })).status).toBe(403);

    // The proctor checks someone in and starts: every planning edit is now refused with a clear message.
    const seatC01 = (await db.selectFrom("exam_seat").select("id").where("label", "=", "C01").executeTakeFirstOrThrow())
      .id;
    const fd = new FormData();
    fd.append("intent", "checkin");
    fd.append("idNumber", idOf(1));
    fd.append("seatId", String(seatC01));
    fd.append("photo", new File([JPEG], "c.jpg", { type: "image/jpeg" }));
    const checked = await run(() =>
      consoleAction(args(request(`/exam-sites/sessions/${sessionId}`, proctor, fd), { id: sessionId })),
    );
    expect(checked.status).toBe(200);
    const seatLink = okData(checked).seatLink!;
    expect(
      (
        await run(() =>
          consoleAction(
            args(request(`/exam-sites/sessions/${sessionId}`, proctor, { intent: "start" }), { id: sessionId }),
          ),
        )
      ).status,
    ).toBe(200);
    const edits: Record<string, string>[] = [
      {
        intent: "session",
        title: "改名",
        roomId: String(roomRow.id),
        templateId: String(template.id),
        scheduledAt: "2099-03-02T09:00",
        minutes: "90",
      },
      { intent: "ids", idNumbers: idOf(5) },
      { intent: "people", personId: String(firstFive[4].id) },
      { intent: "remove", rosterId: String(rosterRows[1].id) },
      { intent: "proctors", userId: proctorId },
    ];
    for (const fields of edits) {
      const r = await plan(regulator, fields);
      expect(r.status, fields.intent).toBe(409);
      expect(r.data.message).toBe(STARTED_MESSAGE);
    }
    const s = await db
      .selectFrom("exam_session")
      .selectAll()
      .where("id", "=", Number(sessionId))
      .executeTakeFirstOrThrow();
    expect(s.title).toBe("特种作业理论考试 第 9 场");
    expect(s.minutes).toBe(90);
    // Everything that changed was audited.
    for (const a of [
      "exam_room.created",
      "exam_room.updated",
      "exam_session.scheduled",
      "exam_session.roster_added",
      "exam_session.roster_removed",
      "exam_session.proctors",
    ])
      expect(await audits(a), a).toBeGreaterThan(0);

    // Seat photos: the seat terminal takes one (camera room); the proctor sees both through the photo route.
    const secret = seatLink.split("/").pop()!;
    const seatForm = new FormData();
    seatForm.append("photo", new File([PNG], "seat.png", { type: "image/png" }));
    // The paper is out: the seat shows the paper, and the flag says the seat photo is missing until one is taken.
    const liveOf = async () =>
      (
        (await liveLoader(
          args(request(`/exam-sites/sessions/${sessionId}/live`, proctor), { id: sessionId }),
        )) as Response
      ).json();
    let live = await liveOf();
    // The one checked-in examinee.
    const mine = () => live.people.find((p: { checkedInAt: string | null }) => p.checkedInAt);
    expect(mine().flag).toBe("座位端未拍照");
    const took = await run(() => seatPhotoAction(args(request(`/s/${secret}/photo`, null, seatForm), { secret })));
    expect(took.status).toBe(302);
    expect((await run(() => seatLoader(args(request(`/s/${secret}`, null), { secret })))).status).toBe(200);
    live = await liveOf();
    expect(mine().photo).toBe(true);
    expect(mine().seatPhotoId).toBeGreaterThan(0);
    expect(mine().flag).toBeNull();
    const rosterId = String(mine().id);
    const photo = (cookie: string, query = "", sid = sessionId) =>
      run(() =>
        photoLoader(
          args(request(`/exam-sites/sessions/${sid}/photo/${rosterId}${query}`, cookie), { id: sid, rosterId }),
        ),
      );
    const checkInPhoto = (await photoLoader(
      args(request(`/exam-sites/sessions/${sessionId}/photo/${rosterId}`, proctor), { id: sessionId, rosterId }),
    )) as Response;
    expect(checkInPhoto.headers.get("content-type")).toBe("image/jpeg");
    expect(checkInPhoto.headers.get("cache-control")).toBe("private, no-store");
    expect(new Uint8Array(await checkInPhoto.arrayBuffer())).toEqual(JPEG);
    const seatPhoto = (await photoLoader(
      args(request(`/exam-sites/sessions/${sessionId}/photo/${rosterId}?seat=${mine().seatPhotoId}`, proctor), {
        id: sessionId,
        rosterId,
      }),
    )) as Response;
    expect(seatPhoto.headers.get("content-type")).toBe("image/png");
    // A proctor of another session (the demo inspector proctors sessions 1 and 2), the regulator: refused.
    const other = await photo(await cookieOf("inspector"));
    expect(other.status).toBe(403);
    expect((await photo(regulator)).status).toBe(403);
    // This session's proctor asking for the photo through another session's URL: refused by that session.
    const s1 = (await db.selectFrom("exam_session").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
    expect((await photo(proctor, "", String(s1))).status).toBe(403);

    // 核验: the proctor marks 存疑, then 核验通过 (audited); another session's proctor may not.
    const mark = (cookie: string, verdict: string) =>
      run(() =>
        consoleAction(
          args(request(`/exam-sites/sessions/${sessionId}`, cookie, { intent: "identity", rosterId, verdict }), {
            id: sessionId,
          }),
        ),
      );
    expect((await mark(await cookieOf("inspector"), "ok")).status).toBe(403);
    expect((await mark(proctor, "doubtful")).status).toBe(200);
    live = await liveOf();
    expect(mine().identity).toBe("doubtful");
    expect(mine().flag).toMatch(/^存疑/);
    expect((await mark(proctor, "ok")).status).toBe(200);
    expect((await mark(proctor, "maybe")).status).toBe(422);
    expect(await audits("exam_session.identity")).toBe(2);
    expect(await audits("exam_session.seat_photo")).toBe(1);
  });
});
