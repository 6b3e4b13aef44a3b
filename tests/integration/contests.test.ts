import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { db } from "../../app/lib/db.server";
import { advanceClock, resetClock } from "../../app/lib/clock.server";
import { action as contestsAction, loader as contestsLoader } from "../../app/routes/contests._index";
import { loader as adminLoader } from "../../app/routes/contests.$id._index";
import { loader as exportLoader } from "../../app/routes/contests.$id.export";
import { action as joinAction, loader as homeLoader } from "../../app/routes/c.$token._index";
import { action as playAction, loader as playLoader } from "../../app/routes/c.$token.play";
import { loader as boardLoader } from "../../app/routes/c.$token.board";
import { loader as certLoader } from "../../app/routes/c.$token.certificate";
import { loader as certPdfLoader } from "../../app/routes/c.$token.certificate[.pdf]";
import { loader as documentLoader } from "../../app/routes/documents.$kind.$id";
import {
  contestByToken,
  finishEntry,
  personBoard,
  rankOfKey,
  recountRankCounts,
} from "../../app/modules/contests/contests.server";
import { sortKey } from "../../app/modules/contests/rules";
import { toDisplayed } from "../../app/modules/exams/grading";
import { caseOf, cookieOf, refusalOf, request, run, thrownMessage } from "../support/actors";
import ExcelJS from "exceljs";

const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
afterEach(() => resetClock());

const form = (o: Record<string, string | number>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));
// The city and its first district: the seed's first two regions (looked up: a Galera cluster steps ids by its size).
let CITY = 0;
let DISTRICT = 0;
beforeAll(async () => {
  [CITY, DISTRICT] = (await db.selectFrom("region").select("id").orderBy("id").limit(2).execute()).map((r) => r.id);
});

const contestForm = (over: Record<string, string | number> = {}) =>
  form({
    title: "测试竞赛",
    regionId: CITY,
    startsAt: "2020-01-01T08:00",
    endsAt: "2099-12-31T20:00",
    mode: "daily",
    eligibility: "phone",
    questionSeconds: 20,
    single: 3,
    multiple: 1,
    judge: 1,
    attemptsPerDay: 1,
    personLimit: 10,
    ...over,
  });

async function newContest(over: Record<string, string | number> = {}) {
  const cookie = await cookieOf("regulator");
  const res = await run(() => contestsAction(args(request("/contests", cookie, contestForm(over)))));
  expect(res.status).toBe(302);
  const id = Number(res.headers.get("location")!.split("/").pop());
  const c = await db.selectFrom("contest").select(["id", "token"]).where("id", "=", id).executeTakeFirstOrThrow();
  return { id, token: c.token };
}

/** A phone joins without an account; gives back its contest cookie. */
async function join(token: string, name: string, ident: string, regionId = String(DISTRICT)) {
  const res = await run(() => joinAction(args(request(`/c/${token}`, null, { name, ident, regionId }), { token })));
  if (res.status !== 302) return { status: res.status, data: res.data, cookie: "" };
  return { status: 302, data: null, cookie: res.headers.get("set-cookie")!.split(";")[0] };
}

/** Play one whole entry, answering right when `right(position)`. */
async function playEntry(token: string, cookie: string, right: (pos: number) => boolean) {
  const started = await run(() =>
    playAction(args(request(`/c/${token}/play`, cookie, { intent: "start" }), { token })),
  );
  if (started.status !== 302) return started;
  for (let guard = 0; guard < 30; guard++) {
    const s = (await run(() => playLoader(args(request(`/c/${token}/play`, cookie), { token })))).data.state;
    if (s.kind === "done") return { status: 200, data: s };
    if (s.kind === "between") {
      await run(() => playAction(args(request(`/c/${token}/play`, cookie, { intent: "next" }), { token })));
      continue;
    }
    // The page never carries the answer before answering; the test reads it from the database.
    expect(JSON.stringify(s)).not.toMatch(/"(answer|correct|explanation)"/);
    const q = caseOf(s, "kind", "question");
    const item = await db
      .selectFrom("contest_item")
      .innerJoin("contest_entry", "contest_entry.id", "contest_item.entry_id")
      .innerJoin("question_version", "question_version.id", "contest_item.question_version_id")
      .innerJoin("question", "question.id", "contest_item.question_id")
      .select(["question_version.answer", "contest_item.option_order", "question.type"])
      .where("contest_entry.open_key", "is not", null)
      .where("contest_item.position", "=", q.position)
      .where("contest_entry.participant_id", "=", Number(cookie.split("=")[1].split(".")[0]))
      .executeTakeFirstOrThrow();
    const correct = item.type === "judge" ? item.answer : toDisplayed(item.answer, item.option_order);
    const given = right(q.position)
      ? correct
      : item.type === "judge"
        ? correct === "true"
          ? "false"
          : "true"
        : correct === "A"
          ? "B"
          : "A";
    const body = new URLSearchParams({ position: String(q.position) });
    for (const l of item.type === "multiple" ? [...given] : [given]) body.append("answer", l);
    const r = await run(() =>
      playAction(
        args(
          new Request(`http://localhost/c/${token}/play`, {
            method: "POST",
            headers: { cookie, origin: "http://localhost", "x-anxun-client-ip": "127.0.0.1" },
            body,
          }),
          { token },
        ),
      ),
    );
    expect(r.status).toBe(302);
  }
  throw new Error("entry did not finish");
}

describe("contests", () => {
  it("a regulator creates a contest; an inspector may not; the organizer page and boards load", async () => {
    const { id } = await newContest();
    const refused = await run(() =>
      contestsAction(args(request("/contests", null, contestForm()), {})).catch((e) => {
        throw e;
      }),
    );
    expect(refused.status).toBe(302); // not logged in: to the login page
    const inspector = await cookieOf("inspector");
    const byInspector = await run(() =>
      contestsAction(args(request("/contests", inspector, contestForm({ regionId: DISTRICT })))),
    );
    expect(byInspector.status).toBe(403);
    expect(thrownMessage(byInspector)).toMatch(/监管部门/);
    const regulator = await cookieOf("regulator");
    const bad = await run(() =>
      contestsAction(
        args(
          request(
            "/contests",
            regulator,
            contestForm({ endsAt: "2019-01-01T08:00", single: 0, multiple: 0, judge: 0 }),
          ),
        ),
      ),
    );
    expect(bad.status).toBe(422);
    expect(Object.values(bad.data.fieldErrors).join()).toMatch(/至少 1 道|晚于开始时间/);
    const page = await run(() => adminLoader(args(request(`/contests/${id}`, inspector), { id: String(id) })));
    expect(page.status).toBe(200);
    // The city's contest covers 青山县's inspector too; 滨江区's own contest does not.
    const inspector2 = await cookieOf("inspector2");
    expect(
      (await run(() => adminLoader(args(request(`/contests/${id}`, inspector2), { id: String(id) })))).status,
    ).toBe(200);
    const district = await newContest({ regionId: DISTRICT });
    const other = await run(() =>
      adminLoader(args(request(`/contests/${district.id}`, inspector2), { id: String(district.id) })),
    );
    expect(other.status).toBe(403);
    const list = await run(() => contestsLoader(args(request("/contests", regulator))));
    expect(list.data.contests.some((c: { id: number }) => c.id === id)).toBe(true);
  });

  it("phones join without accounts, play server-timed questions, and a second entry the same day is refused", async () => {
    const { token } = await newContest();
    const a = await join(token, "王小明", "13800000001");
    expect(a.status).toBe(302);
    // The same number again (another phone) is one person: refused, nothing added.
    const before = await db
      .selectFrom("contest_participant")
      .select(sql<number>`COUNT(*)`.as("n"))
      .executeTakeFirstOrThrow();
    const again = await join(token, "王小明", "13800000001");
    expect(again.status).toBe(409);
    expect(refusalOf(again).formError).toMatch(/已报名/);
    const after = await db
      .selectFrom("contest_participant")
      .select(sql<number>`COUNT(*)`.as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const bad = await join(token, "李四", "12345");
    expect(bad.status).toBe(422);
    expect(refusalOf(bad).fieldErrors.ident).toMatch(/手机号码/);

    const done = await playEntry(token, a.cookie, () => true);
    expect(caseOf(done.data, "kind", "done").score).toBe(50);
    const home = await run(() => homeLoader(args(request(`/c/${token}`, a.cookie), { token })));
    expect(home.data.me!.rank).toBe(1);
    expect(home.data.refusal).toMatch(/今天的次数已用完/);
    const second = await run(() =>
      playAction(args(request(`/c/${token}/play`, a.cookie, { intent: "start" }), { token })),
    );
    expect(second.status).toBe(409);
    expect(second.data.formError).toMatch(/今天的次数已用完/);
    expect(
      Number(
        (
          await db
            .selectFrom("contest_entry")
            .select(sql<number>`COUNT(*)`.as("n"))
            .where("participant_id", "=", Number(a.cookie.split("=")[1].split(".")[0]))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(1);
    // The next day it may start again.
    advanceClock(24 * 3600_000);
    const nextDay = await run(() =>
      playAction(args(request(`/c/${token}/play`, a.cookie, { intent: "start" }), { token })),
    );
    expect(nextDay.status).toBe(302);

    const cert = await run(() => certLoader(args(request(`/c/${token}/certificate`, a.cookie), { token })));
    expect(cert.data.cert).toMatchObject({ name: "王小明", score: 50, rank: 1 });
    const board = await run(() => boardLoader(args(request(`/c/${token}/board`, null), { token })));
    const body = await (board as unknown as { data: null; headers: Headers; status: number }).status;
    expect(body).toBe(200);
  });

  it("keeps the per-person limit of the contest across days and phones", async () => {
    const { token } = await newContest({ attemptsPerDay: 5, personLimit: 2 });
    const a = await join(token, "赵六", "13900000002");
    await playEntry(token, a.cookie, (p) => p % 2 === 0);
    await playEntry(token, a.cookie, () => true);
    const third = await run(() =>
      playAction(args(request(`/c/${token}/play`, a.cookie, { intent: "start" }), { token })),
    );
    expect(third.status).toBe(409);
    expect(third.data.formError).toMatch(/每人最多参赛 2 次/);
    // Best entry counts.
    const p = await db
      .selectFrom("contest_participant")
      .select(["best_score", "entries"])
      .where("ident_masked", "=", "139****0002")
      .executeTakeFirstOrThrow();
    expect(p).toMatchObject({ best_score: 50, entries: 2 });
  });

  it("refuses an open second entry, and a late answer scores nothing", async () => {
    const { token } = await newContest({ attemptsPerDay: 3 });
    const a = await join(token, "钱七", "13700000003");
    expect(
      (await run(() => playAction(args(request(`/c/${token}/play`, a.cookie, { intent: "start" }), { token })))).status,
    ).toBe(302);
    const open = await run(() =>
      playAction(args(request(`/c/${token}/play`, a.cookie, { intent: "start" }), { token })),
    );
    expect(open.status).toBe(409);
    expect(open.data.formError).toMatch(/尚未完成/);
    const state = (await run(() => playLoader(args(request(`/c/${token}/play`, a.cookie), { token })))).data.state;
    expect(state.kind).toBe("question");
    const s = caseOf(state, "kind", "question");
    advanceClock(23_000); // 20 s per question + 2 s grace
    const late = await run(() =>
      playAction(args(request(`/c/${token}/play`, a.cookie, { position: String(s.position), answer: "A" }), { token })),
    );
    expect(late.status).toBe(302);
    const item = await db
      .selectFrom("contest_item")
      .innerJoin("contest_entry", "contest_entry.id", "contest_item.entry_id")
      .select(["contest_item.earned", "contest_item.answer", "contest_item.elapsed_ms"])
      .where("contest_entry.open_key", "is not", null)
      .where("contest_item.position", "=", s.position)
      .where("contest_entry.participant_id", "=", Number(a.cookie.split("=")[1].split(".")[0]))
      .executeTakeFirstOrThrow();
    expect(item).toMatchObject({ earned: 0, answer: null, elapsed_ms: 20_000 });
  });

  it("ranks ties equally (score, then time) across keyset pages, and my rank counts the people ahead", async () => {
    const { id } = await newContest();
    const add = (name: string, score: number, ms: number) =>
      db
        .insertInto("contest_participant")
        .values({
          contest_id: id,
          ident_hash: `t:${name}`.padEnd(64, "0"),
          ident_masked: name,
          name,
          person_id: null,
          enterprise_id: null,
          group_region_id: null,
          user_id: null,
          secret_hash: "x".repeat(64),
          best_score: score,
          best_ms: ms,
          sort_key: sortKey(score, ms),
          entries: 1,
        })
        .execute();
    await add("甲", 100, 5000);
    await add("乙", 100, 5000);
    await add("丙", 100, 6000);
    await add("丁", 90, 1000);
    await add("戊", 100, 4000);
    // Rows written straight to the table: the kept rank counts are rebuilt as a bulk load would.
    await recountRankCounts(id);
    const all = await personBoard(id, { limit: 10, full: true });
    expect(all.map((r) => [r.name, r.rank])).toEqual([
      ["戊", 1],
      ["乙", 2],
      ["甲", 2],
      ["丙", 4],
      ["丁", 5],
    ]);
    // Keyset pages of two: a page that starts inside a tie keeps the tie's rank.
    const p1 = await personBoard(id, { limit: 2, full: true });
    const p2 = await personBoard(id, { limit: 2, full: true, after: { key: p1[1].key, id: p1[1].id } });
    const p3 = await personBoard(id, { limit: 2, full: true, after: { key: p2[1].key, id: p2[1].id } });
    expect([...p1, ...p2, ...p3].map((r) => r.rank)).toEqual([1, 2, 2, 4, 5]);
    expect(await rankOfKey(id, sortKey(100, 5000))).toBe(2);
    // The export has numbers as numbers.
    const xlsx = await run(() =>
      exportLoader(args(request(`/contests/${id}/export`, null), { id: String(id) })).catch((e) => e),
    );
    expect(xlsx.status).toBe(302);
    const res = (await exportLoader(
      args(request(`/contests/${id}/export`, await cookieOf("regulator")), { id: String(id) }),
    )) as Response;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const row = wb.getWorksheet("个人排名")!.getRow(2);
    expect(row.getCell(1).value).toBe(1);
    expect(row.getCell(6).value).toBe(100);
    expect(row.getCell(7).value).toBe(4);
  });

  it("keeps rank counts equal to a recount through real entries, and ranks ties by score then time", async () => {
    const { id, token } = await newContest({ attemptsPerDay: 3, personLimit: 3 });
    const counts = async () => ({
      scores: (
        await db
          .selectFrom("contest_score_count")
          .select(["score", "people"])
          .where("contest_id", "=", id)
          .where("people", "<>", 0)
          .orderBy("score")
          .execute()
      ).map((r) => `${r.score}:${r.people}`),
      times: (
        await db
          .selectFrom("contest_time_count")
          .select(["score", "second", "people"])
          .where("contest_id", "=", id)
          .where("people", "<>", 0)
          .orderBy("score")
          .orderBy("second")
          .execute()
      ).map((r) => `${r.score}/${r.second}:${r.people}`),
    });
    // Five phones play real entries (some improve on a second entry: their old bucket must be emptied).
    const phones = [];
    for (let i = 0; i < 5; i++) phones.push((await join(token, `秩序${i}`, `1391234500${i}`)).cookie);
    for (const [i, cookie] of phones.entries()) {
      expect((await playEntry(token, cookie, (pos) => pos <= i)).status).toBe(200);
      if (i % 2 === 0) {
        advanceClock(86_400_000);
        expect((await playEntry(token, cookie, () => true)).status).toBe(200);
      }
    }
    const kept = await counts();
    expect(kept.scores.length).toBeGreaterThan(0);
    await recountRankCounts(id);
    expect(await counts()).toEqual(kept);
    // Every rank from the kept counts equals the plain count of people strictly ahead.
    const people = await db
      .selectFrom("contest_participant")
      .select(["sort_key"])
      .where("contest_id", "=", id)
      .where("best_score", "is not", null)
      .execute();
    for (const p of people) {
      const ahead = people.filter((q) => Number(q.sort_key) > Number(p.sort_key)).length;
      expect(await rankOfKey(id, Number(p.sort_key))).toBe(ahead + 1);
    }

    // Ties: equal score and time share a rank; within one score and one second the milliseconds still order.
    const participantOf = (cookie: string) => Number(cookie.split("=")[1].split(".")[0]);
    const tie = [];
    for (let i = 0; i < 4; i++) tie.push(participantOf((await join(token, `并列${i}`, `1391234510${i}`)).cookie));
    // Finished entries of fixed items: 40 points in 7,200 / 7,200 / 7,900 / 8,100 ms.
    for (const [i, pid] of tie.entries()) {
      const ms = [7200, 7200, 7900, 8100][i];
      await db.transaction().execute(async (trx) => {
        const e = await trx
          .insertInto("contest_entry")
          .values({ contest_id: id, participant_id: pid, day: "2026-11-30", started_at: new Date(), question_count: 1 })
          .executeTakeFirstOrThrow();
        await trx
          .insertInto("contest_item")
          .values({
            entry_id: Number(e.insertId),
            position: 1,
            question_id: 1,
            question_version_id: 1,
            option_order: "",
            points: 40,
            earned: 40,
            elapsed_ms: ms,
          })
          .execute();
        await finishEntry(trx, { id, question_seconds: 20 }, Number(e.insertId), pid);
      });
    }
    const ahead40 = people.filter((q) => Number(q.sort_key) > sortKey(40, 7200)).length;
    expect(await rankOfKey(id, sortKey(40, 7200))).toBe(ahead40 + 1);
    expect(await rankOfKey(id, sortKey(40, 7900))).toBe(ahead40 + 3);
    expect(await rankOfKey(id, sortKey(40, 8100))).toBe(ahead40 + 4);
    const withTies = await counts();
    await recountRankCounts(id);
    expect(await counts()).toEqual(withTies);
  });

  it("gives the participant and the organizer the certificate as a PDF, and no one else", async () => {
    const { id, token } = await newContest({ title: "证书测试竞赛" });
    const a = await join(token, "证书甲", "13912346001");
    const b = await join(token, "证书乙", "13912346002");
    expect((await playEntry(token, a.cookie, () => true)).status).toBe(200);
    expect((await playEntry(token, b.cookie, (pos) => pos === 1)).status).toBe(200);
    const pidOf = (cookie: string) => Number(cookie.split("=")[1].split(".")[0]);
    const dir = mkdtempSync(joinPath(tmpdir(), "anxun-cert-"));
    const textOf = async (res: Response) => {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      const file = joinPath(dir, `${pidOf(a.cookie)}-${Math.random()}.pdf`);
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      return execFileSync("pdftotext", ["-layout", file, "-"]).toString("utf8").replace(/\s+/g, "");
    };
    const mine = await db
      .selectFrom("contest_participant")
      .select(["best_score", "ident_masked"])
      .where("id", "=", pidOf(a.cookie))
      .executeTakeFirstOrThrow();
    // The participant by their contest cookie: name, masked number (never the full one), score, rank, organizer.
    const own = await textOf(
      (await certPdfLoader(args(request(`/c/${token}/certificate.pdf`, a.cookie), { token }))) as Response,
    );
    expect(own).toContain("参赛证书");
    expect(own).toContain("证书测试竞赛");
    expect(own).toContain("证书甲");
    expect(own).toContain(mine.ident_masked);
    expect(own).not.toContain("13912346001");
    expect(own).toContain(`${mine.best_score}分`);
    expect(own).toContain("第1名");
    expect(own).toContain("安全生产知识竞赛组委会");
    // Another participant's cookie gets their own certificate, never someone else's; no cookie gets nothing.
    const other = await textOf(
      (await certPdfLoader(args(request(`/c/${token}/certificate.pdf`, b.cookie), { token }))) as Response,
    );
    expect(other).toContain("证书乙");
    expect(other).not.toContain("证书甲");
    expect((await run(() => certPdfLoader(args(request(`/c/${token}/certificate.pdf`, null), { token })))).status).toBe(
      403,
    );
    // The organizer (the region's regulator) downloads anyone's; an inspector or a worker of the region may not.
    const doc = (cookie: string) =>
      run(() =>
        documentLoader(
          args(request(`/documents/contest/${pidOf(a.cookie)}`, cookie), {
            kind: "contest",
            id: String(pidOf(a.cookie)),
          }),
        ),
      );
    const byOrganizer = (await documentLoader(
      args(request(`/documents/contest/${pidOf(a.cookie)}`, await cookieOf("regulator")), {
        kind: "contest",
        id: String(pidOf(a.cookie)),
      }),
    )) as Response;
    expect(await textOf(byOrganizer)).toContain("证书甲");
    expect((await doc(await cookieOf("inspector"))).status).toBe(403);
    expect((await doc(await cookieOf("worker"))).status).toBe(403);
    // A contest cookie is no account: the documents route asks for a login.
    expect((await doc(a.cookie)).status).toBe(302);
    expect(id).toBeGreaterThan(0);
  });

  it("refuses a join after the contest ended, with nothing written", async () => {
    const { id, token } = await newContest();
    await db
      .updateTable("contest")
      .set({ ends_at: new Date(Date.now() - 60_000) })
      .where("id", "=", id)
      .execute();
    const before = await db
      .selectFrom("contest_participant")
      .select(sql<number>`COUNT(*)`.as("n"))
      .where("contest_id", "=", id)
      .executeTakeFirstOrThrow();
    const late = await join(token, "孙八", "13600000004");
    expect(late.status).toBe(410);
    expect(refusalOf(late).formError).toBe("竞赛已结束，不能再报名参赛。");
    const after = await db
      .selectFrom("contest_participant")
      .select(sql<number>`COUNT(*)`.as("n"))
      .where("contest_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it("on-file contests match ID numbers within the region and group people by enterprise and district", async () => {
    const { token } = await newContest({ eligibility: "on_file" });
    const phone = await join(token, "周九", "13500000005");
    expect(phone.status).toBe(422);
    expect(refusalOf(phone).formError).toMatch(/限在册人员/);
    const worker = await cookieOf("worker");
    const res = await run(() => joinAction(args(request(`/c/${token}`, worker, { mode: "account" }), { token })));
    expect(res.status).toBe(302);
    const cookie = res.headers.get("set-cookie")!.split(";")[0];
    await playEntry(token, cookie, () => true);
    const contest = (await contestByToken(token))!;
    const groups = await db
      .selectFrom("contest_group")
      .select(["kind", "members", "total"])
      .where("contest_id", "=", contest.id)
      .orderBy("kind")
      .execute();
    expect(groups).toEqual([
      { kind: "enterprise", members: 1, total: 50 },
      { kind: "region", members: 1, total: 50 },
    ]);
  });

  it("the demo contest has a ranked board", async () => {
    const board = await run(() =>
      boardLoader(args(request("/c/demo-contest-anlan-2026/board", null), { token: "demo-contest-anlan-2026" })),
    );
    expect(board.status).toBe(200);
    const c = (await contestByToken("demo-contest-anlan-2026"))!;
    const top = await personBoard(c.id, { limit: 5 });
    expect(top.length).toBe(5);
    expect(top[0].rank).toBe(1);
    expect(top[0].name).toMatch(/\*/); // names are masked on public boards
  });
});
