import { afterEach, describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { advanceClock, resetClock } from "../../app/lib/clock.server";
import { action as newInspectionAction, loader as newInspectionLoader } from "../../app/routes/inspections.new";
import { action as issueAction, loader as inspectionLoader } from "../../app/routes/inspections.$id._index";
import { action as boardAction, loader as boardLoader } from "../../app/routes/quizzes.$id._index";
import { loader as liveLoader } from "../../app/routes/quizzes.$id.live";
import { action as joinAction, loader as joinLoader } from "../../app/routes/q.$token._index";
import { action as codeAction } from "../../app/routes/q._index";
import { action as paperAction, loader as paperLoader } from "../../app/routes/q.$token.paper";
import { action as answerAction } from "../../app/routes/q.$token.answers";
import { loader as resultLoader } from "../../app/routes/q.$token.result";
import { loader as followUpsLoader } from "../../app/routes/follow-ups._index";
import { action as retestAction } from "../../app/routes/follow-ups.$id.retest";
import { action as submitAction } from "../../app/routes/attempts.$id._index";
import { loader as statsLoader } from "../../app/routes/quiz-stats";
import { loader as printLoader } from "../../app/routes/inspections.$id.print";
import { toDisplayed } from "../../app/modules/exams/grading";
import { makeIdNumber } from "../../db/seed/identifiers";
import { cookieOf, personIdsOf, request, run } from "../support/actors";

const A = "安澜宏达化工有限公司"; // 滨江区
const Q = "青山矿业有限公司"; // 青山县
const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
afterEach(() => resetClock());

async function personIdNumber(personId: number) {
  // The demo seed makes ID numbers from the sequence; find the one whose hash matches.
  const p = await db
    .selectFrom("person")
    .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
    .innerJoin("region", "region.id", "enterprise.region_id")
    .select(["person.id", "person.id_number_hash", "person.name", "person.post"])
    .where("person.id", "=", personId)
    .executeTakeFirstOrThrow();
  const { hashIdNumber } = await import("../../app/modules/org/id-hash.server");
  for (let seq = 1; seq <= 200; seq++) {
    for (const area of ["339901", "339902", "339903"]) {
      const birthYear = 1970 + ((seq * 7) % 30);
      const id = makeIdNumber(area, `${birthYear}-0${1 + (seq % 9)}-1${seq % 9}`, seq);
      if (hashIdNumber(id) === p.id_number_hash) return { idNumber: id, name: p.name, post: p.post };
    }
  }
  throw new Error("ID number not found");
}

async function openQuiz(
  counts: Record<string, string> = { principal: "1", safety_manager: "1", special_operator: "0", worker: "3" },
) {
  const inspector = await cookieOf("inspector");
  const enterpriseId = (await personIdsOf(A))[0].enterprise_id;
  const created = await run(() =>
    newInspectionAction(
      args(
        request(`/inspections/new?enterpriseId=${enterpriseId}`, inspector, {
          inspectedOn: "2026-11-23",
          inspectors: "王检查、张检查",
          place: "罐区",
        }),
      ),
    ),
  );
  expect(created.status).toBe(302);
  const inspectionId = created.headers.get("location")!.split("/").pop()!;
  const issued = await run(() =>
    issueAction(
      args(request(`/inspections/${inspectionId}`, inspector, { ...counts, minutes: "60" }), { id: inspectionId }),
    ),
  );
  expect(issued.status).toBe(302);
  const quizId = issued.headers.get("location")!.split("/").pop()!;
  const board = await run(() => boardLoader(args(request(`/quizzes/${quizId}`, inspector), { id: quizId })));
  const token = board.data.joinUrl.split("/q/")[1] as string;
  return { inspector, inspectionId, quizId, token, code: board.data.code as string, qr: board.data.qr as string };
}

/** Join as a phone would: a form post without a session; returns the participant cookie. */
async function join(token: string, form: Record<string, string>) {
  const res = await run(() => joinAction(args(request(`/q/${token}`, null, form), { token })));
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  return { res, cookie };
}

async function answerAll(token: string, cookie: string, correct: boolean) {
  const paper = await run(() => paperLoader(args(request(`/q/${token}/paper`, cookie), { token })));
  const participant = await db
    .selectFrom("quiz_participant")
    .select("attempt_id")
    .where("id", "=", Number(cookie.split("=")[1].split(".")[0]))
    .executeTakeFirstOrThrow();
  const items = await db
    .selectFrom("attempt_item")
    .innerJoin("question_version", "question_version.id", "attempt_item.question_version_id")
    .innerJoin("question", "question.id", "attempt_item.question_id")
    .select(["attempt_item.position", "attempt_item.option_order", "question_version.answer", "question.type"])
    .where("attempt_id", "=", participant.attempt_id!)
    .execute();
  for (const it of items) {
    const right = it.type === "judge" ? it.answer : toDisplayed(it.answer, it.option_order);
    const answer = correct
      ? right
      : it.type === "judge"
        ? right === "true"
          ? "false"
          : "true"
        : right === "A"
          ? "B"
          : "A";
    const res = await run(() =>
      answerAction(
        args(
          request(`/q/${token}/answers`, cookie, { position: String(it.position), answer, seq: String(it.position) }),
          { token },
        ),
      ),
    );
    expect(res.status).toBe(200);
  }
  return paper.data.paper.items.length as number;
}

describe("the on-site quiz from inspection to closed follow-up", () => {
  it("runs the whole flow", async () => {
    const q = await openQuiz();
    expect(q.qr).toContain("<svg");
    expect(q.code).toMatch(/^\d{6}$/);
    // The short code leads to the same quiz.
    const byCode = await run(() => codeAction(args(request("/q", null, { code: q.code }))));
    expect(byCode.headers.get("location")).toBe(`/q/${q.token}`);

    const people = await personIdsOf(A);
    const principal = await personIdNumber(people.find((p) => p.post === "principal")!.id);
    const worker = await personIdNumber(people.filter((p) => p.post === "worker")[2].id);

    // On file: matched by ID number, own paper for their post, ten questions.
    const p1 = await join(q.token, { name: principal.name, idNumber: principal.idNumber });
    expect(p1.res.headers.get("location")).toBe(`/q/${q.token}/paper`);
    expect(await answerAll(q.token, p1.cookie!, false)).toBe(10);
    // Handing in shows the score and the explanations at once.
    const handed = await run(() =>
      paperAction(args(request(`/q/${q.token}/paper`, p1.cookie!, {}), { token: q.token })),
    );
    expect(handed.headers.get("location")).toBe(`/q/${q.token}/result`);
    const result = await run(() => resultLoader(args(request(`/q/${q.token}/result`, p1.cookie!), { token: q.token })));
    expect(result.data.review).toMatchObject({ passed: false, reveal: true });
    expect(result.data.review.items[0].explanation).toBeTruthy();

    // A typo in the ID number is caught by its check digit; a valid number not on file asks for the post.
    const typo = await join(q.token, {
      name: worker.name,
      idNumber: worker.idNumber.slice(0, 17) + (worker.idNumber[17] === "1" ? "2" : "1"),
    });
    expect(typo.res.status).toBe(422);
    expect(typo.res.data.fieldErrors.idNumber).toContain("校验位");
    const stranger = makeIdNumber("110105", "1991-05-05", 777);
    const asked = await join(q.token, { name: "临时工", idNumber: stranger });
    expect(asked.res.status).toBe(422);
    expect(asked.res.data.needPost).toBe(true);
    const outsider = await join(q.token, { name: "临时工", idNumber: stranger, post: "worker" });
    expect(outsider.res.status).toBe(302);

    // The worker on file passes.
    const p2 = await join(q.token, { name: worker.name, idNumber: worker.idNumber });
    await answerAll(q.token, p2.cookie!, true);
    await run(() => paperAction(args(request(`/q/${q.token}/paper`, p2.cookie!, {}), { token: q.token })));

    // One attempt per person per quiz, even from another phone.
    const again = await join(q.token, { name: worker.name, idNumber: worker.idNumber });
    expect(again.res.status).toBe(409);

    // The board shows everyone, flags the person not on file, and its scores.
    const live = (await liveLoader(
      args(request(`/quizzes/${q.quizId}/live`, q.inspector), { id: q.quizId }),
    )) as Response;
    const board = (await live.json()).participants as {
      name: string;
      onFile: boolean;
      submitted: boolean;
      passed: boolean | null;
      answered: number;
    }[];
    expect(board).toHaveLength(3);
    expect(board.find((b) => b.name === "临时工")).toMatchObject({ onFile: false, submitted: false });
    expect(board.find((b) => b.name === worker.name)).toMatchObject({ submitted: true, passed: true, answered: 10 });

    // Closing with a paper still open asks for confirmation first and changes nothing.
    const unconfirmed = await run(() =>
      boardAction(
        args(
          request(`/quizzes/${q.quizId}`, q.inspector, {
            intent: "close",
            unfinished: "grade",
            graceSeconds: "0",
            confirmedAnswering: "",
          }),
          { id: q.quizId },
        ),
      ),
    );
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.data.message).toContain("还有 1 人正在答题");
    expect(
      (
        await db
          .selectFrom("onsite_quiz")
          .select("closed_at")
          .where("id", "=", Number(q.quizId))
          .executeTakeFirstOrThrow()
      ).closed_at,
    ).toBeNull();
    // Confirmed, with no grace and "grade what was saved": the stranger's paper is graded, answers and joins refused.
    await run(() =>
      boardAction(
        args(
          request(`/quizzes/${q.quizId}`, q.inspector, {
            intent: "close",
            unfinished: "grade",
            graceSeconds: "0",
            confirmedAnswering: "1",
          }),
          { id: q.quizId },
        ),
      ),
    );
    const late = await run(() =>
      answerAction(
        args(request(`/q/${q.token}/answers`, outsider.cookie!, { position: "1", answer: "A", seq: "99" }), {
          token: q.token,
        }),
      ),
    );
    expect(late.status).toBe(409);
    const closedJoin = await join(q.token, {
      name: "又一人",
      idNumber: makeIdNumber("110105", "1992-06-06", 778),
      post: "worker",
    });
    expect(closedJoin.res.status).toBe(410);

    // The record keeps the summary; the failing principal got a follow-up with a remedial course.
    const record = await run(() =>
      inspectionLoader(args(request(`/inspections/${q.inspectionId}`, q.inspector), { id: q.inspectionId })),
    );
    expect(record.data.summary.people).toHaveLength(3);
    expect(record.data.summary.byPost.principal).toEqual({ people: 1, passed: 0 });
    expect(record.data.profile.managementFailed).toBe(true);
    expect(record.data.profile.certification.required).toBeGreaterThan(0);
    const sheet = await run(() =>
      printLoader(args(request(`/inspections/${q.inspectionId}/print`, q.inspector), { id: q.inspectionId })),
    );
    expect(sheet.data.summary.people.map((p: { name: string }) => p.name)).toContain(principal.name);
    const inspector2 = await cookieOf("inspector2");
    expect(
      (
        await run(() =>
          printLoader(args(request(`/inspections/${q.inspectionId}/print`, inspector2), { id: q.inspectionId })),
        )
      ).status,
    ).toBe(403);
    const officer = await cookieOf("officer");
    const followUps = await run(() => followUpsLoader(args(request("/follow-ups", officer))));
    const f = followUps.data.enterprise!.find((x: { name: string }) => x.name === principal.name)!;
    expect(f).toBeTruthy();
    expect(f.weak_topics.length).toBeGreaterThan(0);
    const assigned = await db
      .selectFrom("course_assignment")
      .select("id")
      .where("target", "=", "person")
      .where("target_person_id", "=", people.find((p) => p.post === "principal")!.id)
      .execute();
    expect(assigned.length).toBe(f.course_slug ? 1 : 0);

    // The principal re-tests (self-service) and passes: the follow-up closes.
    const principalId = people.find((p) => p.post === "principal")!.id;
    await db
      .insertInto("user")
      .values({
        id: "principal-test-01",
        username: "principal-a",
        password_hash: (await db.selectFrom("user").select("password_hash").executeTakeFirstOrThrow()).password_hash,
        role: "worker",
        display_name: principal.name,
        enterprise_id: people[0].enterprise_id,
        region_id: null,
        person_id: principalId,
      })
      .execute();
    const principalCookie = await cookieOf("principal-a");
    const retest = await run(() =>
      retestAction(args(request(`/follow-ups/${f.id}/retest`, principalCookie, {}), { id: String(f.id) })),
    );
    const attemptId = retest.headers.get("location")!.split("/").pop()!;
    const items = await db
      .selectFrom("attempt_item")
      .innerJoin("question_version", "question_version.id", "attempt_item.question_version_id")
      .innerJoin("question", "question.id", "attempt_item.question_id")
      .select(["attempt_item.position", "attempt_item.option_order", "question_version.answer", "question.type"])
      .where("attempt_id", "=", Number(attemptId))
      .execute();
    const form = Object.fromEntries(
      items.map((it) => [`q${it.position}`, it.type === "judge" ? it.answer : toDisplayed(it.answer, it.option_order)]),
    );
    await run(() => submitAction(args(request(`/attempts/${attemptId}`, principalCookie, form), { id: attemptId })));
    const closed = await db
      .selectFrom("follow_up")
      .select(["closed_at", "closed_how"])
      .where("id", "=", f.id)
      .executeTakeFirstOrThrow();
    expect(closed.closed_how).toBe("retest");

    // Regulators see it in the statistics.
    const regulator = await cookieOf("regulator");
    const stats = await run(() => statsLoader(args(request("/quiz-stats", regulator))));
    expect(stats.data.stats.byPost.find((r: { key: string }) => r.key === "principal")).toMatchObject({
      people: 1,
      passed: 0,
    });
  });
});

describe("refusals", () => {
  it("an inspector cannot open an inspection, or a quiz board, outside their region", async () => {
    const inspector = await cookieOf("inspector");
    const q = (await personIdsOf(Q))[0].enterprise_id;
    expect(
      (await run(() => newInspectionLoader(args(request(`/inspections/new?enterpriseId=${q}`, inspector))))).status,
    ).toBe(403);
    expect(
      (
        await run(() =>
          newInspectionAction(
            args(
              request(`/inspections/new?enterpriseId=${q}`, inspector, { inspectedOn: "2026-11-23", inspectors: "x" }),
            ),
          ),
        )
      ).status,
    ).toBe(403);
    const quiz = await openQuiz();
    const inspector2 = await cookieOf("inspector2");
    expect(
      (await run(() => boardLoader(args(request(`/quizzes/${quiz.quizId}`, inspector2), { id: quiz.quizId })))).status,
    ).toBe(403);
    expect(
      (await run(() => liveLoader(args(request(`/quizzes/${quiz.quizId}/live`, inspector2), { id: quiz.quizId }))))
        .status,
    ).toBe(403);
    // A regulator reads but does not inspect; an officer of the enterprise cannot issue quizzes.
    const officer = await cookieOf("officer");
    expect(
      (
        await run(() =>
          issueAction(
            args(request(`/inspections/${quiz.inspectionId}`, officer, { worker: "1" }), { id: quiz.inspectionId }),
          ),
        )
      ).status,
    ).toBe(403);
  });

  it("refuses expired and wrong codes, a code used from another enterprise's account, and forged fields", async () => {
    const q = await openQuiz({ principal: "0", safety_manager: "0", special_operator: "0", worker: "5" });
    const wrong = await run(() => codeAction(args(request("/q", null, { code: "12345x" }))));
    expect(wrong.status).toBe(422);
    // officer2's account belongs to another enterprise.
    const officer2 = await db
      .selectFrom("user")
      .select("id")
      .where("username", "=", "officer2")
      .executeTakeFirstOrThrow();
    const [otherPerson] = await personIdsOf("安澜金属制品有限公司");
    await db.updateTable("user").set({ person_id: otherPerson.id }).where("id", "=", officer2.id).execute();
    const other = await cookieOf("officer2");
    const refused = await run(() =>
      joinAction(args(request(`/q/${q.token}`, other, { mode: "account" }), { token: q.token })),
    );
    expect(refused.status).toBe(403);
    // A post the quiz does not cover, and a forged post for someone on file (their file wins).
    const people = await personIdsOf(A);
    const principal = await personIdNumber(people.find((p) => p.post === "principal")!.id);
    const forged = await join(q.token, { name: principal.name, idNumber: principal.idNumber, post: "worker" });
    expect(forged.res.status).toBe(403);
    // A forged participant cookie is no participant.
    const fake = await run(() =>
      paperLoader(
        args(request(`/q/${q.token}/paper`, `anxun_quiz_${q.quizId}=1.${"x".repeat(32)}`), { token: q.token }),
      ),
    );
    expect(fake.headers.get("location")).toBe(`/q/${q.token}`);
    // After the QR code's time, nobody joins.
    advanceClock(61 * 60_000);
    const expired = await join(q.token, {
      name: "迟到者",
      idNumber: makeIdNumber("110105", "1990-01-01", 800),
      post: "worker",
    });
    expect(expired.res.status).toBe(410);
    const page = await run(() => joinLoader(args(request(`/q/${q.token}`, null), { token: q.token })));
    expect(page.data.open).toBe(false);
  });

  it("rate-limits joins per IP", async () => {
    const q = await openQuiz({ principal: "0", safety_manager: "0", special_operator: "0", worker: "100" });
    let last = 0;
    for (let i = 0; i < 32; i++) {
      const r = await run(() =>
        joinAction(
          args(
            new Request(`http://localhost/q/${q.token}`, {
              method: "POST",
              body: new URLSearchParams({ name: "x", idNumber: "1" }),
              headers: { "x-anxun-client-ip": "9.9.9.9" },
            }),
            { token: q.token },
          ),
        ),
      );
      last = r.status;
    }
    expect(last).toBe(429);
  });
});

describe("special operators by operation category", () => {
  it("lets in only special operators holding a certificate of the chosen category", async () => {
    const q = await openQuiz({
      principal: "0",
      safety_manager: "0",
      special_operator: "3",
      worker: "0",
      specialCategory: "焊接与热切割作业",
    });
    const ops = (await personIdsOf(A)).filter((p) => p.post === "special_operator");
    // In the demo seed the first operator holds a welding (焊接与热切割作业) certificate.
    const welder = await personIdNumber(ops[0].id);
    const inCategory = await db
      .selectFrom("certificate")
      .select("id")
      .where("person_id", "=", ops[0].id)
      .where("category", "=", "焊接与热切割作业")
      .execute();
    expect(inCategory.length).toBeGreaterThan(0);
    expect((await join(q.token, { name: welder.name, idNumber: welder.idNumber })).res.status).toBe(302);
    // Give the third operator only an electrician's certificate: refused.
    await db.deleteFrom("certificate").where("person_id", "=", ops[2].id).execute();
    const other = await personIdNumber(ops[2].id);
    const refused = await join(q.token, { name: other.name, idNumber: other.idNumber });
    expect(refused.res.status).toBe(403);
    expect(refused.res.data.formError).toContain("焊接与热切割作业");
  });
});

describe("identities and closing that hold up as records", () => {
  it("keeps the typed name; a mismatch is doubtful, counts nowhere and orders nothing until the inspector confirms or voids it", async () => {
    const q = await openQuiz({ principal: "1", safety_manager: "1", special_operator: "0", worker: "3" });
    const people = await personIdsOf(A);
    const worker = await personIdNumber(people.filter((p) => p.post === "worker")[3].id);
    // 张三 answers with a colleague's ID number.
    const proxy = await join(q.token, { name: "张三", idNumber: worker.idNumber });
    expect(proxy.res.status).toBe(302);
    await answerAll(q.token, proxy.cookie!, false);
    await run(() => paperAction(args(request(`/q/${q.token}/paper`, proxy.cookie!, {}), { token: q.token })));
    const live = (await liveLoader(
      args(request(`/quizzes/${q.quizId}/live`, q.inspector), { id: q.quizId }),
    )) as Response;
    const row = (
      (await live.json()).participants as {
        id: number;
        name: string;
        typedName: string;
        identity: string;
        passed: boolean;
      }[]
    )[0];
    expect(row).toMatchObject({ name: worker.name, typedName: "张三", identity: "doubtful", passed: false });
    // No follow-up for a doubtful result (grading wrote none), and no statistics.
    expect(
      await db.selectFrom("follow_up").select("id").where("participant_id", "=", row.id).executeTakeFirst(),
    ).toBeUndefined();
    const record = await run(() =>
      inspectionLoader(args(request(`/inspections/${q.inspectionId}`, q.inspector), { id: q.inspectionId })),
    );
    expect(record.data.summary.byPost.worker).toBeUndefined();
    // A void needs a reason (422, nothing changes); with one it is audited.
    const noReason = await run(() =>
      boardAction(
        args(
          request(`/quizzes/${q.quizId}`, q.inspector, { intent: "void", participantId: String(row.id), reason: " " }),
          { id: q.quizId },
        ),
      ),
    );
    expect(noReason.status).toBe(422);
    expect(noReason.data.message).toContain("作废原因");
    expect(
      (await db.selectFrom("quiz_participant").select("identity").where("id", "=", row.id).executeTakeFirstOrThrow())
        .identity,
    ).toBe("doubtful");
    // Another region's inspector cannot touch it.
    const inspector2 = await cookieOf("inspector2");
    expect(
      (
        await run(() =>
          boardAction(
            args(
              request(`/quizzes/${q.quizId}`, inspector2, {
                intent: "void",
                participantId: String(row.id),
                reason: "代答",
              }),
              { id: q.quizId },
            ),
          ),
        )
      ).status,
    ).toBe(403);
    const voided = await run(() =>
      boardAction(
        args(
          request(`/quizzes/${q.quizId}`, q.inspector, {
            intent: "void",
            participantId: String(row.id),
            reason: "现场核实为他人代答",
          }),
          { id: q.quizId },
        ),
      ),
    );
    expect(voided.data.ok).toBe(true);
    const audit = await db
      .selectFrom("audit_log")
      .select(["action"])
      .where("entity_type", "=", "quiz_participant")
      .where("entity_id", "=", String(row.id))
      .execute();
    expect(audit.map((a) => a.action)).toContain("quiz_participant.voided");
    expect(
      await db.selectFrom("follow_up").select("id").where("participant_id", "=", row.id).executeTakeFirst(),
    ).toBeUndefined();
  });

  it("closing gives people still answering a grace period; papers still open after it are 未完成, not 0 分 不合格", async () => {
    const q = await openQuiz({ principal: "0", safety_manager: "0", special_operator: "0", worker: "3" });
    const people = await personIdsOf(A);
    const w1 = await personIdNumber(people.filter((p) => p.post === "worker")[4].id);
    const w2 = await personIdNumber(people.filter((p) => p.post === "worker")[5].id);
    const a = await join(q.token, { name: w1.name, idNumber: w1.idNumber });
    await join(q.token, { name: w2.name, idNumber: w2.idNumber });
    await answerAll(q.token, a.cookie!, true);
    const closed = await run(() =>
      boardAction(
        args(
          request(`/quizzes/${q.quizId}`, q.inspector, {
            intent: "close",
            unfinished: "incomplete",
            graceSeconds: "60",
            confirmedAnswering: "2",
          }),
          { id: q.quizId },
        ),
      ),
    );
    expect(closed.data.ok).toBe(true);
    // Within the grace period: joins are refused, but A may still hand in.
    const lateJoin = await join(q.token, {
      name: "又一人",
      idNumber: makeIdNumber("110105", "1992-06-06", 779),
      post: "worker",
    });
    expect(lateJoin.res.status).toBe(410);
    advanceClock(30_000);
    const handed = await run(() =>
      paperAction(args(request(`/q/${q.token}/paper`, a.cookie!, {}), { token: q.token })),
    );
    expect(handed.headers.get("location")).toBe(`/q/${q.token}/result`);
    // After it, B's paper closes as 未完成: no score, no follow-up.
    advanceClock(31_000);
    const { closeExpiredAttempts } = await import("../../app/modules/exams/grading.server");
    await closeExpiredAttempts();
    const rows = await db
      .selectFrom("quiz_participant")
      .innerJoin("attempt", "attempt.id", "quiz_participant.attempt_id")
      .select(["quiz_participant.name", "attempt.closed_by", "attempt.score", "attempt.passed", "quiz_participant.id"])
      .where("quiz_id", "=", Number(q.quizId))
      .execute();
    expect(rows.find((r) => r.name === w1.name)).toMatchObject({ closed_by: "person", passed: 1 });
    const incomplete = rows.find((r) => r.name === w2.name)!;
    expect(incomplete).toMatchObject({ closed_by: "incomplete", score: null, passed: null });
    expect(
      await db.selectFrom("follow_up").select("id").where("participant_id", "=", incomplete.id).executeTakeFirst(),
    ).toBeUndefined();
  });

  it("limits people not on file per quiz, and the inspector can close joins for them", async () => {
    const q = await openQuiz();
    await db.updateTable("onsite_quiz").set({ unknown_limit: 1 }).where("id", "=", Number(q.quizId)).execute();
    const first = await join(q.token, {
      name: "临时工甲",
      idNumber: makeIdNumber("110105", "1990-01-01", 801),
      post: "worker",
    });
    expect(first.res.status).toBe(302);
    const second = await join(q.token, {
      name: "临时工乙",
      idNumber: makeIdNumber("110105", "1990-01-01", 802),
      post: "worker",
    });
    expect(second.res.status).toBe(409);
    expect(second.res.data.formError).toContain("名册外人员已达");
    await db.updateTable("onsite_quiz").set({ unknown_limit: 5 }).where("id", "=", Number(q.quizId)).execute();
    await run(() =>
      boardAction(
        args(request(`/quizzes/${q.quizId}`, q.inspector, { intent: "unknown", closed: "1" }), { id: q.quizId }),
      ),
    );
    const third = await join(q.token, {
      name: "临时工丙",
      idNumber: makeIdNumber("110105", "1990-01-01", 803),
      post: "worker",
    });
    expect(third.res.status).toBe(403);
    expect(
      await db
        .selectFrom("quiz_participant")
        .select("id")
        .where("quiz_id", "=", Number(q.quizId))
        .where("name", "=", "临时工丙")
        .executeTakeFirst(),
    ).toBeUndefined();
  });
});

describe("follow-ups written with the result (grading hook), not by page loads", () => {
  it("a confirmed doubtful failure opens its follow-up in the confirming transaction; passing a later quiz closes it", async () => {
    const q = await openQuiz({ principal: "0", safety_manager: "0", special_operator: "0", worker: "3" });
    const people = await personIdsOf(A);
    const worker = await personIdNumber(people.filter((p) => p.post === "worker")[1].id);
    const doubtful = await join(q.token, { name: "李四", idNumber: worker.idNumber });
    await answerAll(q.token, doubtful.cookie!, false);
    await run(() => paperAction(args(request(`/q/${q.token}/paper`, doubtful.cookie!, {}), { token: q.token })));
    const participantId = Number(doubtful.cookie!.split("=")[1].split(".")[0]);
    expect(
      await db.selectFrom("follow_up").select("id").where("participant_id", "=", participantId).executeTakeFirst(),
    ).toBeUndefined();
    // Loading the follow-up and inspection pages writes nothing.
    const officer = await cookieOf("officer");
    const count = async () =>
      Number(
        (
          await db
            .selectFrom("follow_up")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    await run(() => followUpsLoader(args(request("/follow-ups", officer))));
    await run(() =>
      inspectionLoader(args(request(`/inspections/${q.inspectionId}`, q.inspector), { id: q.inspectionId })),
    );
    expect(await count()).toBe(before);
    const confirmed = await run(() =>
      boardAction(
        args(
          request(`/quizzes/${q.quizId}`, q.inspector, { intent: "confirm", participantId: String(participantId) }),
          { id: q.quizId },
        ),
      ),
    );
    expect(confirmed.data.ok).toBe(true);
    const opened = await db
      .selectFrom("follow_up")
      .select(["id", "closed_at"])
      .where("participant_id", "=", participantId)
      .executeTakeFirstOrThrow();
    expect(opened.closed_at).toBeNull();
    // The same person passes the next inspection's quiz: the open follow-up closes as 'next_quiz'.
    const next = await openQuiz({ principal: "0", safety_manager: "0", special_operator: "0", worker: "3" });
    const again = await join(next.token, { name: worker.name, idNumber: worker.idNumber });
    await answerAll(next.token, again.cookie!, true);
    await run(() => paperAction(args(request(`/q/${next.token}/paper`, again.cookie!, {}), { token: next.token })));
    const closed = await db
      .selectFrom("follow_up")
      .select(["closed_at", "closed_how"])
      .where("id", "=", opened.id)
      .executeTakeFirstOrThrow();
    expect(closed).toMatchObject({ closed_how: "next_quiz" });
    expect(closed.closed_at).not.toBeNull();
  });
});
