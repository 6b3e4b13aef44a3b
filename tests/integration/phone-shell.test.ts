import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { addDays } from "../../app/lib/calendar";
import { advanceClock, resetClock, todayIso } from "../../app/lib/clock.server";
import { action as newInspectionAction } from "../../app/routes/inspections.new";
import { action as issueAction } from "../../app/routes/inspections.$id._index";
import { loader as boardLoader } from "../../app/routes/quizzes.$id._index";
import { action as joinAction } from "../../app/routes/q.$token._index";
import { action as paperAction } from "../../app/routes/q.$token.paper";
import { action as answerAction } from "../../app/routes/q.$token.answers";
import { action as linkAction, loader as linkLoader } from "../../app/routes/follow-ups.$id.link";
import { action as claimAction, loader as claimLoader } from "../../app/routes/r.$token._index";
import { action as retestPaperAction, loader as retestPaperLoader } from "../../app/routes/r.$token.paper";
import { action as retestAnswerAction } from "../../app/routes/r.$token.answers";
import { loader as retestResultLoader } from "../../app/routes/r.$token.result";
import { action as inboxAction, loader as inboxLoader } from "../../app/routes/inbox";
import { loader as homeLoader } from "../../app/routes/_index";
import { loader as meLoader } from "../../app/routes/me";
import { createAssignment } from "../../app/modules/courses/assignments.server";
import { toDisplayed } from "../../app/modules/exams/grading";
import { notify } from "../../app/modules/notifications/notify.server";
import {
  adaptersFor,
  channelConfig,
  ChannelConfigError,
  dispatchNotifications,
  MAX_ATTEMPTS,
} from "../../app/modules/notifications/channels.server";
import { dailyReminders, sendReminders } from "../../app/modules/notifications/reminders.server";
import { makeIdNumber } from "../../db/seed/identifiers";
import { actorOf, cookieOf, personIdsOf, request, run } from "../support/actors";

const A = "安澜宏达化工有限公司"; // 滨江区, the officer's
const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
afterEach(() => resetClock());

async function personIdNumber(personId: number) {
  const p = await db
    .selectFrom("person")
    .select(["id", "id_number_hash", "name", "post"])
    .where("id", "=", personId)
    .executeTakeFirstOrThrow();
  const { hashIdNumber } = await import("../../app/modules/org/id-hash.server");
  for (let seq = 1; seq <= 200; seq++) {
    for (const area of ["339901", "339902", "339903"]) {
      const birthYear = 1970 + ((seq * 7) % 30);
      const id = makeIdNumber(area, `${birthYear}-0${1 + (seq % 9)}-1${seq % 9}`, seq);
      if (hashIdNumber(id) === p.id_number_hash) return { id: p.id, idNumber: id, name: p.name, post: p.post };
    }
  }
  throw new Error("ID number not found");
}

/** Answers of an attempt as the paper shows them: all right or all wrong. */
async function answersOf(attemptId: number, correct: boolean) {
  const items = await db
    .selectFrom("attempt_item")
    .innerJoin("question_version", "question_version.id", "attempt_item.question_version_id")
    .innerJoin("question", "question.id", "attempt_item.question_id")
    .select(["attempt_item.position", "attempt_item.option_order", "question_version.answer", "question.type"])
    .where("attempt_id", "=", attemptId)
    .execute();
  return items.map((it) => {
    const right = it.type === "judge" ? it.answer : toDisplayed(it.answer, it.option_order);
    return {
      position: it.position,
      answer: correct ? right : it.type === "judge" ? (right === "true" ? "false" : "true") : right === "A" ? "B" : "A",
    };
  });
}

/** A real on-site quiz failed by a person without an account: returns their follow-up. */
async function failedFollowUp(personIndex: number) {
  const inspector = await cookieOf("inspector");
  const people = await personIdsOf(A);
  const taken = new Set(
    (await db.selectFrom("user").select("person_id").where("person_id", "is not", null).execute()).map(
      (u) => u.person_id,
    ),
  );
  const person = await personIdNumber(people.filter((p) => p.post === "worker" && !taken.has(p.id))[personIndex].id);
  const created = await run(() =>
    newInspectionAction(
      args(
        request(`/inspections/new?enterpriseId=${people[0].enterprise_id}`, inspector, {
          inspectedOn: todayIso(),
          inspectors: "王检查",
          place: "罐区",
        }),
      ),
    ),
  );
  const inspectionId = created.headers.get("location")!.split("/").pop()!;
  const issued = await run(() =>
    issueAction(
      args(
        request(`/inspections/${inspectionId}`, inspector, {
          principal: "0",
          safety_manager: "0",
          special_operator: "0",
          worker: "3",
          minutes: "60",
        }),
        { id: inspectionId },
      ),
    ),
  );
  const quizId = issued.headers.get("location")!.split("/").pop()!;
  const board = await run(() => boardLoader(args(request(`/quizzes/${quizId}`, inspector), { id: quizId })));
  const token = board.data.joinUrl.split("/q/")[1] as string;
  const joined = await run(() =>
    joinAction(args(request(`/q/${token}`, null, { name: person.name, idNumber: person.idNumber }), { token })),
  );
  const cookie = joined.headers.get("set-cookie")!.split(";")[0];
  const participant = await db
    .selectFrom("quiz_participant")
    .select("attempt_id")
    .where("id", "=", Number(cookie.split("=")[1].split(".")[0]))
    .executeTakeFirstOrThrow();
  for (const a of await answersOf(participant.attempt_id!, false)) {
    await run(() =>
      answerAction(
        args(
          request(`/q/${token}/answers`, cookie, {
            position: String(a.position),
            answer: a.answer,
            seq: String(a.position),
          }),
          { token },
        ),
      ),
    );
  }
  await run(() => paperAction(args(request(`/q/${token}/paper`, cookie, {}), { token })));
  const f = await db
    .selectFrom("follow_up")
    .selectAll()
    .where("person_id", "=", person.id)
    .where("closed_at", "is", null)
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
  return { person, followUp: f };
}

async function handOut(cookie: string, followUpId: number) {
  const res = await run(() =>
    linkAction(args(request(`/follow-ups/${followUpId}/link`, cookie, {}), { id: String(followUpId) })),
  );
  return { res, token: res.data?.url ? (res.data.url as string).split("/r/")[1] : null };
}

describe("one-time re-test links", () => {
  it("lets a person without an account re-test once, by the link, and refuses a second use", async () => {
    const { person, followUp } = await failedFollowUp(0);
    // The follow-up told them (their inbox, and any channel) with the weak topics.
    const notice = await db
      .selectFrom("notification")
      .select(["kind", "title", "link"])
      .where("person_id", "=", person.id)
      .where("kind", "=", "retest")
      .execute();
    expect(notice).toHaveLength(1);

    // Another enterprise's officer, a worker, an inspector of another district: refused; nothing written.
    for (const who of ["officer2", "worker", "inspector2", "regulator"]) {
      const refused = await handOut(await cookieOf(who), followUp.id);
      expect(refused.res.status, who).toBe(403);
    }
    expect(
      await db.selectFrom("retest_link").select("id").where("follow_up_id", "=", followUp.id).execute(),
    ).toHaveLength(0);

    // The officer hands out a link: a QR code and the URL, shown once (only its hash is stored).
    const officer = await cookieOf("officer");
    const page = await run(() =>
      linkLoader(args(request(`/follow-ups/${followUp.id}/link`, officer), { id: String(followUp.id) })),
    );
    expect(page.data.f.name).toBe(person.name);
    const made = await handOut(officer, followUp.id);
    expect(made.res.data.svg).toContain("<svg");
    const token = made.token!;
    const stored = await db
      .selectFrom("retest_link")
      .selectAll()
      .where("follow_up_id", "=", followUp.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect(stored.expires_on).toBe(followUp.retest_due);

    // The wrong person (right format, another ID number) changes nothing.
    const opened = await run(() => claimLoader(args(request(`/r/${token}`, null), { token })));
    expect(opened.data.refusal).toBeNull();
    const wrong = await run(() =>
      claimAction(
        args(
          request(`/r/${token}`, null, { name: person.name, idNumber: makeIdNumber("110105", "1990-01-01", 4242) }),
          { token },
        ),
      ),
    );
    expect(wrong.status).toBe(422);
    expect(wrong.data.formError).toContain("不符");
    expect(
      (await db.selectFrom("retest_link").select("used_at").where("id", "=", stored.id).executeTakeFirstOrThrow())
        .used_at,
    ).toBeNull();

    // The person claims it: a paper of their own, the cookie names it.
    const claimed = await run(() =>
      claimAction(args(request(`/r/${token}`, null, { name: person.name, idNumber: person.idNumber }), { token })),
    );
    expect(claimed.status).toBe(302);
    expect(claimed.headers.get("location")).toBe(`/r/${token}/paper`);
    const cookie = claimed.headers.get("set-cookie")!.split(";")[0];
    expect(claimed.headers.get("set-cookie")).toContain(`Path=/r/${token}`);
    const link = await db.selectFrom("retest_link").selectAll().where("id", "=", stored.id).executeTakeFirstOrThrow();
    expect(link.used_at).not.toBeNull();
    const attempt = await db
      .selectFrom("attempt")
      .select(["id", "person_id"])
      .where("id", "=", link.attempt_id!)
      .executeTakeFirstOrThrow();
    expect(attempt.person_id).toBe(person.id);

    // Used twice (another phone, or the same data again): a clear message, nothing changes.
    const before = await db
      .selectFrom("follow_up")
      .select("retest_attempt_id")
      .where("id", "=", followUp.id)
      .executeTakeFirstOrThrow();
    const twice = await run(() =>
      claimAction(args(request(`/r/${token}`, null, { name: person.name, idNumber: person.idNumber }), { token })),
    );
    expect(twice.status).toBe(409);
    expect(twice.data.formError).toContain("已经使用过");
    const refusedPage = await run(() => claimLoader(args(request(`/r/${token}`, null), { token })));
    expect(refusedPage.data.refusal).toContain("只能使用一次");
    expect(
      await db
        .selectFrom("follow_up")
        .select("retest_attempt_id")
        .where("id", "=", followUp.id)
        .executeTakeFirstOrThrow(),
    ).toEqual(before);
    expect(
      await db.selectFrom("retest_link").selectAll().where("id", "=", stored.id).executeTakeFirstOrThrow(),
    ).toEqual(link);
    // Without the cookie, the paper and autosave stay closed.
    expect((await run(() => retestPaperLoader(args(request(`/r/${token}/paper`, null), { token })))).status).toBe(302);
    expect(
      (
        await run(() =>
          retestAnswerAction(
            args(request(`/r/${token}/answers`, null, { position: "1", answer: "A", seq: "1" }), { token }),
          ),
        )
      ).status,
    ).toBe(403);

    // The holder answers and hands in: passed, the follow-up closes as re-tested.
    const paper = await run(() => retestPaperLoader(args(request(`/r/${token}/paper`, cookie), { token })));
    expect(paper.data.paper.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(paper.data)).not.toContain("explanation");
    for (const a of await answersOf(attempt.id, true)) {
      const saved = await run(() =>
        retestAnswerAction(
          args(
            request(`/r/${token}/answers`, cookie, {
              position: String(a.position),
              answer: a.answer,
              seq: String(a.position),
            }),
            { token },
          ),
        ),
      );
      expect(saved.status).toBe(200);
    }
    const handed = await run(() => retestPaperAction(args(request(`/r/${token}/paper`, cookie, {}), { token })));
    expect(handed.headers.get("location")).toBe(`/r/${token}/result`);
    const result = await run(() => retestResultLoader(args(request(`/r/${token}/result`, cookie), { token })));
    expect(result.data.passed).toBe(true);
    const closed = await db
      .selectFrom("follow_up")
      .select(["closed_at", "closed_how"])
      .where("id", "=", followUp.id)
      .executeTakeFirstOrThrow();
    expect(closed.closed_how).toBe("retest");
    // A closed follow-up gets no new link.
    expect((await handOut(officer, followUp.id)).res.status).toBe(409);
  });

  it("refuses a link after its due date, and lets only one of two simultaneous claims through", async () => {
    const { person, followUp } = await failedFollowUp(1);
    const inspector = await cookieOf("inspector");
    const first = (await handOut(inspector, followUp.id)).token!;
    const second = (await handOut(inspector, followUp.id)).token!;
    // Two claims at once on one link: one wins, the other is told the link was used.
    const claims = await Promise.all(
      [0, 1].map(() =>
        run(() =>
          claimAction(
            args(request(`/r/${first}`, null, { name: person.name, idNumber: person.idNumber }), { token: first }),
          ),
        ),
      ),
    );
    expect(claims.map((c) => c.status).sort()).toEqual([302, 409]);
    // After the due date the other link is refused and changes nothing.
    advanceClock(32 * 86_400_000);
    expect(todayIso() > followUp.retest_due).toBe(true);
    const page = await run(() => claimLoader(args(request(`/r/${second}`, null), { token: second })));
    expect(page.data.refusal).toContain("已过期");
    const late = await run(() =>
      claimAction(
        args(request(`/r/${second}`, null, { name: person.name, idNumber: person.idNumber }), { token: second }),
      ),
    );
    expect(late.status).toBe(410);
    expect(late.data.formError).toContain("已过期");
    const row = await db
      .selectFrom("retest_link")
      .select(["used_at", "attempt_id"])
      .where("token_hash", "=", (await import("node:crypto")).createHash("sha256").update(second).digest("hex"))
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ used_at: null, attempt_id: null });
    // A made-up token is a 404.
    expect((await run(() => claimLoader(args(request("/r/x", null), { token: "A".repeat(32) })))).status).toBe(404);
  });
});

describe("reminders", () => {
  it("reminds of assignments due soon and certificates at 90/30 days and overdue, once however often it runs", async () => {
    const officer = await actorOf("officer");
    const worker = await actorOf("worker");
    const course = await db
      .selectFrom("course")
      .select(["id", "title"])
      .where("active", "=", 1)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const today = todayIso();
    const made = await createAssignment(
      officer,
      officer.enterpriseId!,
      { courseId: course.id, target: "person", targetPersonId: worker.personId!, dueOn: addDays(today, 2) } as never,
      "127.0.0.1",
    );
    expect(made.ok).toBe(true);
    // The new assignment is in the worker's inbox at once.
    const inbox = await run(async () => inboxLoader(args(request("/inbox", await cookieOf("worker")))));
    expect(inbox.data.rows.map((r: { title: string }) => r.title)).toContain(`新的培训任务：${course.title}`);

    // A certificate of the worker due for review in 20 days.
    const cert = await db
      .selectFrom("certificate")
      .select(["id"])
      .where("person_id", "=", worker.personId!)
      .executeTakeFirst();
    const certId = cert
      ? cert.id
      : Number(
          (
            await db
              .insertInto("certificate")
              .values({
                person_id: worker.personId!,
                enterprise_id: officer.enterpriseId!,
                region_path: "/1/",
                kind: "special_operation",
                category: "危险化学品安全作业",
                item: "氯化工艺作业",
                number: "T-PS-0001",
                valid_from: addDays(today, -2000),
                expires_on: addDays(today, 400),
                review_due_on: addDays(today, 20),
                valid_until: addDays(today, 20),
              })
              .executeTakeFirstOrThrow()
          ).insertId,
        );
    await db
      .updateTable("certificate")
      .set({
        expires_on: addDays(today, 400),
        review_due_on: addDays(today, 20),
        valid_until: addDays(today, 20),
        revoked_on: null,
      })
      .where("id", "=", certId)
      .execute();

    const first = await sendReminders(today);
    expect(first).toBeGreaterThanOrEqual(2);
    const mine = await db
      .selectFrom("notification")
      .select(["kind", "title", "dedupe_key"])
      .where("person_id", "=", worker.personId!)
      .execute();
    expect(mine.filter((n) => n.kind === "assignment_due").map((n) => n.title)).toContain(
      `培训任务即将到期：${course.title}`,
    );
    const certNotices = mine.filter((n) => n.kind === "certificate_review");
    expect(certNotices.some((n) => n.dedupe_key!.startsWith(`cert-30:${certId}:`))).toBe(true);
    // Again (another process, the next tick): nothing new.
    expect(await sendReminders(today)).toBe(0);
    // The daily job claims the day once.
    await dailyReminders(today);
    expect(await dailyReminders(today)).toBe(0);
    const count = async () =>
      Number(
        (
          await db
            .selectFrom("notification")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const n = await count();
    await sendReminders(today);
    expect(await count()).toBe(n);

    // Past the date: the overdue reminder, once.
    advanceClock(22 * 86_400_000);
    const later = todayIso();
    await sendReminders(later);
    const overdue = await db
      .selectFrom("notification")
      .select("title")
      .where("person_id", "=", worker.personId!)
      .where("dedupe_key", "like", `cert-overdue:${certId}:%`)
      .execute();
    expect(overdue).toHaveLength(1);
    expect(await sendReminders(later)).toBe(0);

    // The certificate reminder and the assignment are on the worker's home and in the inbox.
    resetClock();
    const home = await run(async () => homeLoader(args(request("/", await cookieOf("worker")))));
    expect(home.data.todo!.some((t: { kind: string }) => t.kind === "certificate")).toBe(true);
    expect(
      home.data.todo!.some((t: { kind: string; title: string }) => t.kind === "assignment" && t.title === course.title),
    ).toBe(true);
  });
});

describe("the inbox", () => {
  it("reads only its own rows and marks only its own rows read", async () => {
    const worker = await actorOf("worker");
    const officer2 = await actorOf("officer2");
    await db
      .transaction()
      .execute((trx) => notify(trx, { personIds: [worker.personId!], kind: "system", title: "给工人的消息" }));
    const theirs = await db
      .selectFrom("notification")
      .select("id")
      .where("person_id", "=", worker.personId!)
      .where("title", "=", "给工人的消息")
      .executeTakeFirstOrThrow();
    const other = await cookieOf("officer2");
    const otherInbox = await run(() => inboxLoader(args(request("/inbox", other))));
    expect(otherInbox.data.rows.map((r: { title: string }) => r.title)).not.toContain("给工人的消息");
    // Another account sending the worker's id marks nothing.
    await run(() => inboxAction(args(request("/inbox", other, { id: String(theirs.id) }))));
    expect(
      (await db.selectFrom("notification").select("read_at").where("id", "=", theirs.id).executeTakeFirstOrThrow())
        .read_at,
    ).toBeNull();
    const bad = await run(() => inboxAction(args(request("/inbox", other, { id: "abc" }))));
    expect(bad.status).toBe(422);
    // The worker opens it: read, and sent on to its link.
    const cookie = await cookieOf("worker");
    const opened = await run(() => inboxAction(args(request("/inbox", cookie, { id: String(theirs.id), go: "/me" }))));
    expect(opened.headers.get("location")).toBe("/me");
    expect(
      (await db.selectFrom("notification").select("read_at").where("id", "=", theirs.id).executeTakeFirstOrThrow())
        .read_at,
    ).not.toBeNull();
    // An outside address is never a redirect target.
    const outside = await run(() => inboxAction(args(request("/inbox", cookie, { all: "1", go: "//evil.example" }))));
    expect(outside.status).toBe(200);
    expect(officer2.personId === null || officer2.personId !== worker.personId).toBe(true);
    const me = await run(() => meLoader(args(request("/me", cookie))));
    expect(me.data.person!.name).toBeTruthy();
  });
});

describe("channels", () => {
  let server: Server;
  let base = "";
  const received: { path: string; headers: IncomingMessage["headers"]; body: any }[] = [];
  let failPhone = "";
  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        const body = raw ? JSON.parse(raw) : null;
        received.push({ path: req.url!, headers: req.headers, body });
        res.setHeader("content-type", "application/json");
        if (req.url!.startsWith("/cgi-bin/token"))
          return res.end(JSON.stringify({ access_token: "tok-1", expires_in: 7200 }));
        if (req.url!.startsWith("/cgi-bin/message/template/send"))
          return res.end(JSON.stringify({ errcode: 0, errmsg: "ok" }));
        if (body?.phone === failPhone) {
          res.statusCode = 500;
          return res.end(JSON.stringify({ code: 1, message: "busy" }));
        }
        res.end(JSON.stringify({ code: 0 }));
      });
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  const env = () => ({
    ANXUN_CHANNELS: "inbox,sms,wechat",
    SMS_ENDPOINT: `${base}/sms/send`,
    SMS_API_KEY: "k-123",
    SMS_SIGN: "安训",
    SMS_TEMPLATE: "SMS_001",
    WECHAT_API_BASE: base,
    WECHAT_APP_ID: "wx1",
    WECHAT_APP_SECRET: "s1",
    WECHAT_TEMPLATE_ID: "T1",
    PUBLIC_URL: "https://anxun.example.gov.cn",
  });

  it("refuses an unknown channel or a missing setting with a clear message", () => {
    expect(() => channelConfig({ ANXUN_CHANNELS: "inbox,fax" })).toThrow(ChannelConfigError);
    expect(() => channelConfig({ ANXUN_CHANNELS: "inbox,fax" })).toThrow(
      /未知的通知渠道：fax.*unknown notification channel/,
    );
    expect(() => channelConfig({ ANXUN_CHANNELS: "sms" })).toThrow(/SMS_ENDPOINT/);
    expect(() => channelConfig({ ...env(), SMS_ENDPOINT: "ftp://x" })).toThrow(/http\(s\)/);
    expect(channelConfig({}).channels).toEqual([]);
    expect(channelConfig(env()).channels).toEqual(["sms", "wechat"]);
  });

  it("delivers any notification row by SMS and WeChat, retries failures, skips people without an address, once", async () => {
    const adapters = adaptersFor(channelConfig(env()));
    await dispatchNotifications(adapters); // the channels start from the newest notification: the past is not sent
    const people = await personIdsOf(A);
    const [ok, failing, none] = people.slice(0, 3).map((p) => p.id);
    await db.updateTable("person").set({ phone: "13800000001" }).where("id", "=", ok).execute();
    await db.updateTable("person").set({ phone: "13800000002" }).where("id", "=", failing).execute();
    await db.updateTable("person").set({ phone: null }).where("id", "=", none).execute();
    await db.insertInto("person_wechat").values({ person_id: ok, openid: "o-openid-1" }).execute();
    failPhone = "13800000002";
    // Written by another part of the system (a rescue-team call-out), not by this module.
    await db.transaction().execute((trx) =>
      notify(trx, {
        personIds: [ok, failing, none],
        kind: "callout",
        title: "应急救援队集结",
        body: "请于30分钟内到厂区东门集合",
        link: "/drills",
      }),
    );
    const rows = await db
      .selectFrom("notification")
      .select(["id", "person_id"])
      .where("title", "=", "应急救援队集结")
      .execute();
    const idOf = (p: number) => rows.find((r) => r.person_id === p)!.id;

    const counts = await dispatchNotifications(adapters);
    expect(counts).toMatchObject({ queued: 6, sent: 2, retry: 1, skipped: 3 });
    const sms = received.filter((r) => r.path === "/sms/send" && r.body.phone === "13800000001");
    expect(sms).toHaveLength(1);
    expect(sms[0].headers.authorization).toBe("Bearer k-123");
    expect(sms[0].body).toMatchObject({
      sign: "安训",
      template: "SMS_001",
      params: { title: "应急救援队集结", link: "https://anxun.example.gov.cn/drills" },
    });
    const wx = received.filter((r) => r.path.startsWith("/cgi-bin/message/template/send"));
    expect(wx).toHaveLength(1);
    expect(wx[0].path).toContain("access_token=tok-1");
    expect(wx[0].body).toMatchObject({ touser: "o-openid-1", template_id: "T1" });
    const deliveries = await db
      .selectFrom("notification_delivery")
      .selectAll()
      .where(
        "notification_id",
        "in",
        rows.map((r) => r.id),
      )
      .execute();
    const of = (p: number, ch: string) => deliveries.find((d) => d.notification_id === idOf(p) && d.channel === ch)!;
    expect(of(ok, "sms")).toMatchObject({ status: "sent", attempts: 1, last_error: null });
    expect(of(ok, "wechat")).toMatchObject({ status: "sent", attempts: 1 });
    expect(of(failing, "sms")).toMatchObject({ status: "pending", attempts: 1 });
    expect(of(failing, "sms").last_error).toContain("HTTP 500");
    expect(of(none, "sms")).toMatchObject({ status: "skipped" });

    // Running again sends nothing twice; the failure waits for its backoff, then is retried until it gives up.
    const before = received.length;
    expect(await dispatchNotifications(adapters)).toMatchObject({ queued: 0, sent: 0, retry: 0 });
    expect(received.length).toBe(before);
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      advanceClock(30 * 60_000);
      await dispatchNotifications(adapters);
    }
    const given = await db
      .selectFrom("notification_delivery")
      .selectAll()
      .where("notification_id", "=", idOf(failing))
      .where("channel", "=", "sms")
      .executeTakeFirstOrThrow();
    expect(given).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(received.filter((r) => r.body?.phone === "13800000002")).toHaveLength(MAX_ATTEMPTS);
  });
});
