/**
 * Photos as evidence: the photo taken at a quiz join (when the inspector asks for one), study check-in photos in the
 * training archive, and who may switch the photo check-in on. Stored, shown only to those who may read the record,
 * refused past 1 MB with a clear message and nothing saved.
 */
import { describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { PHOTO_MAX_BYTES } from "../../app/lib/photo.server";
import { action as newInspectionAction } from "../../app/routes/inspections.new";
import { action as issueAction } from "../../app/routes/inspections.$id._index";
import { loader as boardLoader } from "../../app/routes/quizzes.$id._index";
import { loader as liveLoader } from "../../app/routes/quizzes.$id.live";
import { loader as printLoader } from "../../app/routes/inspections.$id.print";
import { loader as sheetLoader } from "../../app/routes/quizzes.$id.sheet";
import { loader as quizPhotoLoader } from "../../app/routes/quizzes.$id.photos.$participantId";
import { action as joinAction, loader as joinLoader } from "../../app/routes/q.$token._index";
import { loader as archiveLoader } from "../../app/routes/people.$id_.study";
import { loader as studyPhotoLoader } from "../../app/routes/people.$id_.study_.photos.$photoId";
import { action as enterpriseAction, loader as enterpriseLoader } from "../../app/routes/enterprises.$id";
import { makeIdNumber } from "../../db/seed/identifiers";
import { cookieOf, personIdsOf, request, run } from "../support/actors";

const A = "安澜宏达化工有限公司"; // 滨江区, officer's
const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });

/** A JPEG's first bytes (what the server checks) padded to `size`. */
const jpeg = (size: number) => {
  const b = Buffer.alloc(size, 0x11);
  Buffer.from("ffd8ffe000104a46494600010100000100010000", "hex").copy(b);
  return b;
};

async function openQuiz(photoAtJoin: boolean) {
  const inspector = await cookieOf("inspector");
  const enterpriseId = (await personIdsOf(A))[0].enterprise_id;
  const created = await run(() =>
    newInspectionAction(
      args(
        request(`/inspections/new?enterpriseId=${enterpriseId}`, inspector, {
          inspectedOn: "2026-11-23",
          inspectors: "王检查",
          place: "罐区",
        }),
      ),
    ),
  );
  expect(created.status).toBe(302);
  const inspectionId = created.headers.get("location")!.split("/").pop()!;
  const form: Record<string, string> = {
    principal: "0",
    safety_manager: "0",
    special_operator: "0",
    worker: "5",
    minutes: "60",
  };
  if (photoAtJoin) form.photoAtJoin = "1";
  const issued = await run(() =>
    issueAction(args(request(`/inspections/${inspectionId}`, inspector, form), { id: inspectionId })),
  );
  expect(issued.status).toBe(302);
  const quizId = issued.headers.get("location")!.split("/").pop()!;
  const board = await run(() => boardLoader(args(request(`/quizzes/${quizId}`, inspector), { id: quizId })));
  return { inspector, inspectionId, quizId, token: board.data.joinUrl.split("/q/")[1] as string };
}

/** Someone not on file joins (name, a fresh ID number, a post), with or without a photo, as a multipart form. */
function joinForm(seq: number, photo?: Buffer, type = "image/jpeg") {
  const form = new FormData();
  form.append("name", `访客${seq}`);
  form.append("idNumber", makeIdNumber("339901", "1990-05-15", 9000 + seq));
  form.append("post", "worker");
  if (photo) form.append("photo", new File([new Uint8Array(photo)], "me.jpg", { type }));
  return form;
}

const participants = (quizId: string) =>
  db.selectFrom("quiz_participant").select(["id", "name"]).where("quiz_id", "=", Number(quizId)).execute();

describe("a photo at join", () => {
  it("is asked for, kept with the participant, and shown only to those who may read the inspection", async () => {
    const q = await openQuiz(true);
    const page = await run(() => joinLoader(args(request(`/q/${q.token}`, null), { token: q.token })));
    expect(page.data.photo).toBe(true);
    const sheet = await run(() =>
      sheetLoader(args(request(`/quizzes/${q.quizId}/sheet`, q.inspector), { id: q.quizId })),
    );
    expect(sheet.data.photo).toBe(true);

    // No photo: refused, nothing written.
    const none = await run(() => joinAction(args(request(`/q/${q.token}`, null, joinForm(1)), { token: q.token })));
    expect(none.status).toBe(422);
    expect(none.data.fieldErrors.photo).toContain("要求加入时拍照");
    // A plain form (no multipart) is the same as no photo.
    const plain = await run(() =>
      joinAction(
        args(
          request(`/q/${q.token}`, null, {
            name: "访客1",
            idNumber: makeIdNumber("339901", "1990-05-15", 9001),
            post: "worker",
          }),
          { token: q.token },
        ),
      ),
    );
    expect(plain.status).toBe(422);
    // Past 1 MB: a clear 413, nothing written.
    const big = await run(() =>
      joinAction(args(request(`/q/${q.token}`, null, joinForm(2, jpeg(PHOTO_MAX_BYTES + 1))), { token: q.token })),
    );
    expect(big.status).toBe(413);
    expect(big.data.formError).toContain("照片超过 1 MB");
    // Not a picture: refused.
    const text = await run(() =>
      joinAction(
        args(
          request(`/q/${q.token}`, null, joinForm(3, Buffer.from("<script>alert(1)</script>".repeat(4)), "image/jpeg")),
          { token: q.token },
        ),
      ),
    );
    expect(text.status).toBe(422);
    expect(text.data.formError).toContain("JPG、PNG 或 WebP");
    expect(await participants(q.quizId)).toEqual([]);
    expect(
      await db
        .selectFrom("quiz_participant_photo")
        .select("participant_id")
        .where("quiz_id", "=", Number(q.quizId))
        .execute(),
    ).toEqual([]);

    // A photo of 1 MB exactly (what a shrunk camera picture is well under): joined, stored.
    const photo = jpeg(PHOTO_MAX_BYTES);
    const ok = await run(() =>
      joinAction(args(request(`/q/${q.token}`, null, joinForm(4, photo)), { token: q.token })),
    );
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe(`/q/${q.token}/paper`);
    const [p] = await participants(q.quizId);
    const stored = await db
      .selectFrom("quiz_participant_photo")
      .selectAll()
      .where("participant_id", "=", p.id)
      .executeTakeFirstOrThrow();
    expect(stored.content_type).toBe("image/jpeg");
    expect(Buffer.compare(stored.bytes, photo)).toBe(0);

    // The board and the result sheet say there is a photo.
    const live = await liveLoader(args(request(`/quizzes/${q.quizId}/live`, q.inspector), { id: q.quizId }));
    expect(live.status).toBe(200);
    const board = await live.json();
    expect(board.participants[0]).toMatchObject({ id: p.id, photo: true });
    const print = await run(() =>
      printLoader(args(request(`/inspections/${q.inspectionId}/print`, q.inspector), { id: q.inspectionId })),
    );
    expect(print.data.photos).toBe(true);
    expect(print.data.summary.people[0]).toMatchObject({ id: p.id, photo: true, quiz_id: Number(q.quizId) });

    // The picture: the inspector, the enterprise's officer, the regulator; never another region or enterprise, a worker or nobody.
    const photoAs = async (cookie: string | null) =>
      run(() =>
        quizPhotoLoader(
          args(request(`/quizzes/${q.quizId}/photos/${p.id}`, cookie), { id: q.quizId, participantId: String(p.id) }),
        ),
      );
    for (const who of ["inspector", "officer", "regulator", "admin"]) {
      const res = await photoAs(await cookieOf(who));
      expect(res.status, who).toBe(200);
    }
    const served = await quizPhotoLoader(
      args(request(`/quizzes/${q.quizId}/photos/${p.id}`, q.inspector), { id: q.quizId, participantId: String(p.id) }),
    );
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    expect(served.headers.get("cache-control")).toContain("private");
    expect(Buffer.compare(Buffer.from(await served.arrayBuffer()), photo)).toBe(0);
    for (const who of ["inspector2", "officer2", "worker"]) {
      const res = await photoAs(await cookieOf(who));
      expect(res.status, who).toBe(403);
    }
    expect((await photoAs(null)).status).toBe(302); // to the login page
    // A participant id of another quiz is not found through this quiz.
    const other = await run(() =>
      quizPhotoLoader(
        args(request(`/quizzes/${q.quizId}/photos/${p.id + 1000}`, q.inspector), {
          id: q.quizId,
          participantId: String(p.id + 1000),
        }),
      ),
    );
    expect(other.status).toBe(404);
  });

  it("is not taken by a quiz that did not ask for one: its joins stay small forms", async () => {
    const q = await openQuiz(false);
    const page = await run(() => joinLoader(args(request(`/q/${q.token}`, null), { token: q.token })));
    expect(page.data.photo).toBe(false);
    // A multipart join with a photo is held to the small-form limit (8 KB) and refused whole.
    const big = await run(() =>
      joinAction(args(request(`/q/${q.token}`, null, joinForm(5, jpeg(200 * 1024))), { token: q.token })),
    );
    expect(big.status).toBe(413);
    expect(await participants(q.quizId)).toEqual([]);
    // A plain join works as before, and keeps no photo.
    const ok = await run(() =>
      joinAction(
        args(
          request(`/q/${q.token}`, null, {
            name: "访客6",
            idNumber: makeIdNumber("339901", "1990-05-15", 9006),
            post: "worker",
          }),
          { token: q.token },
        ),
      ),
    );
    expect(ok.status).toBe(302);
    expect(
      await db
        .selectFrom("quiz_participant_photo")
        .select("participant_id")
        .where("quiz_id", "=", Number(q.quizId))
        .execute(),
    ).toEqual([]);
  });
});

describe("study check-in photos in the training archive", () => {
  it("are shown to those who may read the archive, and to nobody else", async () => {
    const worker = await db
      .selectFrom("user")
      .select("person_id")
      .where("username", "=", "worker")
      .executeTakeFirstOrThrow();
    const personId = worker.person_id!;
    const lesson = await db.selectFrom("lesson").select(["id", "course_id"]).orderBy("id").executeTakeFirstOrThrow();
    const at = new Date();
    const session = await db
      .insertInto("study_session")
      .values({
        person_id: personId,
        lesson_id: lesson.id,
        course_id: lesson.course_id,
        state: "counting",
        started_at: at,
        last_counted_at: at,
        checkin_at: at,
      })
      .executeTakeFirstOrThrow();
    const photo = jpeg(2048);
    const inserted = await db
      .insertInto("study_photo")
      .values({ session_id: Number(session.insertId), content_type: "image/jpeg", bytes: photo, taken_at: at })
      .executeTakeFirstOrThrow();
    const photoId = String(inserted.insertId);

    const archive = await run(async () =>
      archiveLoader(args(request(`/people/${personId}/study`, await cookieOf("officer")), { id: String(personId) })),
    );
    expect(archive.status).toBe(200);
    expect(archive.data.archive.sessions[0].photos).toEqual([{ id: Number(photoId), at: expect.any(String) }]);

    const as = async (who: string | null, id = String(personId), pid = photoId) =>
      run(async () =>
        studyPhotoLoader(
          args(request(`/people/${id}/study/photos/${pid}`, who ? await cookieOf(who) : null), { id, photoId: pid }),
        ),
      );
    for (const who of ["worker", "officer", "regulator", "inspector", "admin"])
      expect((await as(who)).status, who).toBe(200);
    for (const who of ["officer2", "inspector2", "evaluator"]) expect((await as(who)).status, who).toBe(403);
    expect((await as(null)).status).toBe(302);
    // The photo id under another person (the officer may read that archive): not found, not someone else's photo.
    const other = (await personIdsOf(A)).find((p) => p.id !== personId)!;
    expect((await as("officer", String(other.id))).status).toBe(404);
    const served = await studyPhotoLoader(
      args(request(`/people/${personId}/study/photos/${photoId}`, await cookieOf("officer")), {
        id: String(personId),
        photoId,
      }),
    );
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    expect(Buffer.compare(Buffer.from(await served.arrayBuffer()), photo)).toBe(0);
  });
});

describe("switching the study photo check-in", () => {
  it("is the enterprise's officer's (audited), refused for another enterprise and to regulators", async () => {
    const enterpriseId = String((await personIdsOf(A))[0].enterprise_id);
    const officer = await cookieOf("officer");
    const page = await run(() =>
      enterpriseLoader(args(request(`/enterprises/${enterpriseId}`, officer), { id: enterpriseId })),
    );
    expect(page.data.canSetCheckin).toBe(true);
    const before = await db
      .selectFrom("enterprise")
      .select("study_photo_checkin")
      .where("id", "=", Number(enterpriseId))
      .executeTakeFirstOrThrow();
    const turn = (cookie: string, on: string) =>
      run(async () =>
        enterpriseAction(
          args(request(`/enterprises/${enterpriseId}`, cookie, { intent: "photoCheckin", on }), { id: enterpriseId }),
        ),
      );

    const on = before.study_photo_checkin ? "0" : "1";
    expect((await turn(officer, on)).status).toBe(302);
    const after = await db
      .selectFrom("enterprise")
      .select("study_photo_checkin")
      .where("id", "=", Number(enterpriseId))
      .executeTakeFirstOrThrow();
    expect(String(after.study_photo_checkin)).toBe(on);
    const audit = await db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "enterprise.study_photo_checkin")
      .where("entity_id", "=", enterpriseId)
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(audit.actor_user_id).toBeTruthy();
    expect(JSON.stringify(audit.after_json ?? audit)).toContain(on === "1" ? "true" : "false");

    // Another enterprise's officer, a regulator, an inspector and a worker may not.
    for (const who of ["officer2", "regulator", "inspector", "worker"]) {
      const res = await turn(await cookieOf(who), on === "1" ? "0" : "1");
      expect(res.status, who).toBe(403);
    }
    const still = await db
      .selectFrom("enterprise")
      .select("study_photo_checkin")
      .where("id", "=", Number(enterpriseId))
      .executeTakeFirstOrThrow();
    expect(String(still.study_photo_checkin)).toBe(on);
    // Bad input: a clear 422.
    expect((await turn(officer, "yes")).status).toBe(422);
    // The officer still cannot edit the enterprise itself (reference data).
    const save = await run(async () =>
      enterpriseAction(
        args(request(`/enterprises/${enterpriseId}`, officer, { intent: "deactivate" }), { id: enterpriseId }),
      ),
    );
    expect(save.status).toBe(403);
  });
});
