import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { advanceClock, now, resetClock } from "../../app/lib/clock.server";
import { db } from "../../app/lib/db.server";
import { toLocalInput } from "../../app/lib/calendar";
import { myDrills } from "../../app/modules/drills/drills.server";
import { startSpotCheckDrill } from "../../app/modules/drills/spotcheck.server";
import { startDueSpotChecks, startSpotCheck } from "../../app/modules/rescue/spotchecks.server";
import { action as drillAction, loader as drillLoader } from "../../app/routes/drills.$id._index";
import { action as evaluateAction, loader as evaluateLoader } from "../../app/routes/drills.$id.evaluate";
import { loader as fileLoader } from "../../app/routes/drills.$id.files.$fileId";
import { action as filesAction, loader as filesLoader } from "../../app/routes/drills.$id.files._index";
import { action as logAction } from "../../app/routes/drills.$id.log";
import { loader as reportLoader } from "../../app/routes/drills.$id.report";
import { loader as drillsLoader } from "../../app/routes/drills._index";
import { action as newDrillAction } from "../../app/routes/drills.new";
import { action as planNewAction } from "../../app/routes/drills.plans.new";
import { loader as checkLoader } from "../../app/routes/rescue.spot-checks.$id";
import { action as newCheckAction } from "../../app/routes/rescue.spot-checks.new";
import { actorOf, cookieOf, member, newWorkerAccount, personIdsOf, refusalOf, request, run } from "../support/actors";

const A = "安澜宏达化工有限公司";
const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
afterEach(() => resetClock());

const SECRET = { title: "抽查-机密标题-罐区火灾", scenario: "抽查-机密情景-2号罐区起火" };
const cookies: Record<string, string> = {};
let users: Record<string, string> = {};
let planId = 0;
let workerPerson = 0;
let people: { id: number; post: string; enterprise_id: number }[] = [];

const inDays = (d: number, h = 0) => toLocalInput(new Date(now().getTime() + d * 86400_000 + h * 3600_000));
const idOf = (location: string | null) => location!.split("?")[0].split("/").pop()!;

function form(values: Record<string, string | string[]>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) for (const x of [v].flat()) f.append(k, x);
  return f;
}

/** Plan a drill as the officer; windows are days apart so the enterprise's drills never overlap. */
async function planDrill(over: Record<string, string | string[]>, day: number) {
  const res = await run(() =>
    newDrillAction(
      args(
        request(
          `/drills/new?planId=${planId}`,
          cookies.officer,
          form({
            planId: String(planId),
            title: "罐区泄漏演练",
            form: "live",
            mode: "double_blind",
            announceWindow: "1",
            windowStart: inDays(day),
            windowEnd: inDays(day + 2),
            plannedStart: inDays(day + 1),
            objectives: "检验报警",
            scenario: "罐区泄漏-保密情景",
            teams: "",
            participants: [String(workerPerson)],
            evaluators: [users.inspector, users.evaluator],
            ...over,
          }),
        ),
      ),
    ),
  );
  return res;
}

const get = <T>(loader: (a: ReturnType<typeof args>) => T, path: string, who: string, params: Record<string, string>) =>
  run(() => loader(args(request(path, cookies[who]), params)));

const start = (id: string) =>
  run(() => drillAction(args(request(`/drills/${id}`, cookies.officer, { intent: "start" }), { id })));

beforeAll(async () => {
  for (const u of ["officer", "officer2", "worker", "evaluator", "inspector", "regulator", "admin"])
    cookies[u] = await cookieOf(u);
  cookies.bystander = await newWorkerAccount(A, "filebystander");
  users = Object.fromEntries(
    (await db.selectFrom("user").select(["id", "username"]).execute()).map((u) => [u.username, u.id]),
  );
  people = await personIdsOf(A);
  workerPerson = (
    await db.selectFrom("user").select("person_id").where("username", "=", "worker").executeTakeFirstOrThrow()
  ).person_id!;
  const res = await run(() =>
    planNewAction(
      args(
        request("/drills/plans/new", cookies.officer, {
          type: "special",
          title: "罐区泄漏专项应急预案",
          scenarios: "储罐泄漏",
          responseRoles: "总指挥：主要负责人",
          issuedOn: "2026-01-05",
          intervalMonths: "",
        }),
      ),
    ),
  );
  expect(res.status).toBe(302);
  planId = Number(idOf(res.headers.get("location")));
});

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n");
const PNG = Buffer.concat([Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), Buffer.alloc(32)]);
const DOCX = Buffer.concat([Buffer.from("504b0304", "hex"), Buffer.alloc(26), Buffer.from("word/document.xml")]);

const upload = (id: string, who: string, kind: string, file: File) => {
  const f = new FormData();
  f.append("kind", kind);
  f.append("file", file);
  return run(() => filesAction(args(request(`/drills/${id}/files`, cookies[who], f), { id })));
};
const fileCount = async (id: string) =>
  Number(
    (
      await db
        .selectFrom("drill_file")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("drill_id", "=", Number(id))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("drill files (方案/脚本, 任务卡)", () => {
  let drillId = "";
  it("are uploaded by the organizer, checked by their bytes and size, audited, and refused to other enterprises", async () => {
    const planned = await planDrill({}, 2);
    expect(planned.status).toBe(302);
    drillId = idOf(planned.headers.get("location"));

    const ok = await upload(drillId, "officer", "plan", new File([PDF], "演练方案（机密）.pdf"));
    expect(ok.status).toBe(302);
    expect((await upload(drillId, "officer", "task_card", new File([PNG], "任务卡-警戒组.png"))).status).toBe(302);
    expect((await upload(drillId, "officer", "task_card", new File([DOCX], "任务卡-疏散组.docx"))).status).toBe(302);
    expect(await fileCount(drillId)).toBe(3);
    const stored = await db
      .selectFrom("drill_file")
      .select(["file_name", "content_type", "uploaded_by", "created_at"])
      .where("drill_id", "=", Number(drillId))
      .orderBy("id")
      .execute();
    expect(stored.map((f) => f.content_type)).toEqual([
      "application/pdf",
      "image/png",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]);
    expect(stored.every((f) => f.uploaded_by === users.officer)).toBe(true);
    const audit = await db
      .selectFrom("audit_log")
      .select(["actor_user_id", "at"])
      .where("action", "=", "drill.file_added")
      .where("entity_id", "=", drillId)
      .execute();
    expect(audit).toHaveLength(3);
    expect(audit[0].actor_user_id).toBe(users.officer);
    expect(audit[0].at).toBeInstanceOf(Date);

    // Wrong type (by bytes, whatever the name), too large, another enterprise's officer: refused, nothing written.
    const html = await upload(
      drillId,
      "officer",
      "plan",
      new File(["<html><script>alert(1)</script></html>"], "a.pdf"),
    );
    expect(html.status).toBe(422);
    expect(refusalOf(html).formError).toContain("只能上传 PDF、Word");
    const big = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(5 * 1024 * 1024)]);
    const tooLarge = await upload(drillId, "officer", "plan", new File([big], "大文件.pdf"));
    expect(tooLarge.status).toBe(422);
    expect(refusalOf(tooLarge).formError).toContain("文件超过 5 MB");
    expect((await upload(drillId, "officer2", "plan", new File([PDF], "x.pdf"))).status).toBe(403);
    const noKind = await upload(drillId, "officer", "secret", new File([PDF], "x.pdf"));
    expect(noKind.status).toBe(422);
    // The evaluator and a participant may not upload: only the organizer.
    expect((await upload(drillId, "evaluator", "plan", new File([PDF], "x.pdf"))).status).toBe(403);
    expect(await fileCount(drillId)).toBe(3);
  });

  it("are sealed like the drill's content: before the start only the organizer and evaluators get them", async () => {
    const files = await get(filesLoader, `/drills/${drillId}/files`, "officer", { id: drillId });
    expect(files.status).toBe(200);
    const [pdf] = files.data.files as { id: number; name: string; by: string; at: string }[];
    expect(pdf.name).toBe("演练方案（机密）.pdf");
    expect(pdf.by).toBeTruthy();
    const fileId = String(pdf.id);
    const download = (who: string) => get(fileLoader, "", who, { id: drillId, fileId });

    const byEvaluator = await download("evaluator");
    expect(byEvaluator.status).toBe(200);
    expect(byEvaluator.headers.get("content-type")).toBe("application/pdf");
    expect(byEvaluator.headers.get("content-disposition")).toContain(encodeURIComponent("演练方案（机密）.pdf"));
    expect((await download("inspector")).status).toBe(200);
    // The drill page lists them to the organizer.
    const page = await get(drillLoader, "", "officer", { id: drillId });
    expect(page.data.details!.files.map((f: { name: string }) => f.name)).toContain("演练方案（机密）.pdf");

    // A participant of the same enterprise, a bystander of it, another enterprise's officer: refused, and no name leaks.
    for (const who of ["worker", "bystander", "officer2"]) {
      expect((await download(who)).status, who).toBe(403);
      expect((await get(filesLoader, "", who, { id: drillId })).status, who).toBe(403);
      const seen = await get(drillLoader, "", who, { id: drillId });
      expect(JSON.stringify(seen.data ?? {})).not.toContain("演练方案（机密）");
    }

    expect((await start(drillId)).status).toBe(200);
    // After the start the participant gets them, as the sealed content; the others still do not.
    expect((await download("worker")).status).toBe(200);
    const workerPage = await get(drillLoader, "", "worker", { id: drillId });
    expect(workerPage.data.details!.files).toHaveLength(3);
    expect((await download("officer2")).status).toBe(403);
    expect((await download("bystander")).status).toBe(403);

    // Withdrawn with a reason: still listed with who and why, no longer offered.
    const voided = await run(() =>
      filesAction(
        args(request(`/drills/${drillId}/files`, cookies.officer, { intent: "void", fileId, reason: "已更新版本" }), {
          id: drillId,
        }),
      ),
    );
    expect(voided.status).toBe(200);
    expect((await download("evaluator")).status).toBe(404);
    const after = await get(filesLoader, "", "officer", { id: drillId });
    expect(after.data.files[0].voided!.reason).toBe("已更新版本");
  });

  it("rated 优/良/中/差 with comments on the sheet, stored as the codes they always were", async () => {
    const sheet = await get(evaluateLoader, "", "evaluator", { id: drillId });
    expect(sheet.status).toBe(200);
    expect(sheet.data.scored).toBeNull();
    const items = sheet.data.items as { id: number }[];
    const body: Record<string, string> = {
      intent: "submit",
      overallRating: "S",
      overallComment: "总体有序。\n建议：夜班增加一名监护人。",
    };
    for (const c of items) body[`scores.c${c.id}.rating`] = "P";
    body[`scores.c${items[0].id}.comment`] = "报警及时，但广播内容不完整，第二遍才听清。";
    const sent = await run(() =>
      evaluateAction(args(request(`/drills/${drillId}/evaluate`, cookies.evaluator, body), { id: drillId })),
    );
    expect(sent.status).toBe(302);
    const stored = await db
      .selectFrom("evaluation_score")
      .innerJoin("evaluation_sheet", "evaluation_sheet.id", "evaluation_score.sheet_id")
      .select(["evaluation_score.rating", "evaluation_score.comment", "evaluation_sheet.overall_comment"])
      .where("evaluation_sheet.drill_id", "=", Number(drillId))
      .execute();
    expect(new Set(stored.map((s) => s.rating))).toEqual(new Set(["P"]));
    expect(stored.find((s) => s.comment)?.comment).toContain("第二遍才听清");
    expect(stored[0].overall_comment).toContain("夜班增加一名监护人");
    const page = await get(drillLoader, "", "officer", { id: drillId });
    expect(page.data.details!.results!.kind).toBe("rated");
    expect(member(page.data.details!.results!.evaluators[0], "overall")).toBe("S");
    // A sheet exists: the organizer can no longer change the form.
    expect(page.data.details!.mayChangeForm).toBe(false);
    const change = await run(() =>
      drillAction(
        args(request(`/drills/${drillId}`, cookies.officer, { intent: "form", evaluationForm: "gbt46792" }), {
          id: drillId,
        }),
      ),
    );
    expect(change.status).toBe(422);
  });
});

describe("participants by post", () => {
  it("expands a chosen post (or all) into the enterprise's active people of it, on the server", async () => {
    const specials = people.filter((p) => p.post === "special_operator").map((p) => p.id);
    expect(specials.length).toBeGreaterThan(0);
    const byPost = await planDrill(
      { mode: "scripted", participants: [], participantPosts: ["special_operator"], announceWindow: "" },
      10,
    );
    expect(byPost.status).toBe(302);
    const id = Number(idOf(byPost.headers.get("location")));
    const members = await db
      .selectFrom("drill_member")
      .select("person_id")
      .where("drill_id", "=", id)
      .where("role", "=", "participant")
      .execute();
    expect(new Set(members.map((m) => m.person_id))).toEqual(new Set(specials));

    const everyone = await planDrill({ mode: "scripted", participants: [], participantPosts: ["all"] }, 14);
    expect(everyone.status).toBe(302);
    const all = await db
      .selectFrom("drill_member")
      .select("person_id")
      .where("drill_id", "=", Number(idOf(everyone.headers.get("location"))))
      .where("role", "=", "participant")
      .execute();
    const active = await db
      .selectFrom("person")
      .select("id")
      .where("enterprise_id", "=", people[0].enterprise_id)
      .where("active", "=", 1)
      .execute();
    expect(all).toHaveLength(active.length);

    const bogus = await planDrill({ mode: "scripted", participants: [], participantPosts: ["boss"] }, 18);
    expect(bogus.status).toBe(422);
    // Another enterprise's person chosen by id is still refused.
    const other = (await personIdsOf("安澜金属制品有限公司"))[0].id;
    const stranger = await planDrill({ mode: "scripted", participants: [String(other)] }, 18);
    expect(stranger.status).toBe(422);
    expect(stranger.data.fieldErrors.participants).toBe("所选参演人员不属于本企业");
  });
});

describe("the GB/T 46792 form for an enterprise drill", () => {
  it("is chosen when planning, scored per indicator within its maxima, graded, and named in the report", async () => {
    const planned = await planDrill({ mode: "scripted", evaluationForm: "gbt46792", announceWindow: "" }, 22);
    expect(planned.status).toBe(302);
    const id = idOf(planned.headers.get("location"));
    expect((await start(id)).status).toBe(200);
    const sheet = await get(evaluateLoader, "", "evaluator", { id });
    expect(sheet.data.formLabel).toContain("GB/T 46792");
    const indicators = sheet.data.scored!.indicators as { code: string; max: number }[];
    expect(indicators.length).toBeGreaterThan(3);
    const send = (who: string, points: Record<string, string>, intent = "submit") =>
      run(() =>
        evaluateAction(
          args(
            request(`/drills/${id}/evaluate`, cookies[who], {
              intent,
              overallComment: "转移有序",
              ...Object.fromEntries(Object.entries(points).map(([k, v]) => [`points.${k}`, v])),
            }),
            { id },
          ),
        ),
      );
    const full = Object.fromEntries(indicators.map((i) => [i.code, String(i.max)]));
    const over = await send("evaluator", { ...full, [indicators[0].code]: String(indicators[0].max + 1) });
    expect(over.status).toBe(422);
    expect(refusalOf(over).fieldErrors[`points.${indicators[0].code}`]).toContain("得分须在 0 到");
    const missing = await send("evaluator", { [indicators[0].code]: "5" });
    expect(missing.status).toBe(422);
    expect(await db.selectFrom("evaluation_sheet").select("id").where("drill_id", "=", Number(id)).execute()).toEqual(
      [],
    );
    expect((await send("evaluator", full)).status).toBe(302);
    const half = Object.fromEntries(indicators.map((i) => [i.code, String(i.max / 2)]));
    expect((await send("inspector", half)).status).toBe(302);
    const stored = await db
      .selectFrom("evaluation_sheet")
      .select(["form_code", "total", "grade"])
      .where("drill_id", "=", Number(id))
      .orderBy("id")
      .execute();
    expect(stored.map((s) => [s.form_code, Number(s.total), s.grade])).toEqual([
      ["gbt46792", 100, "优"],
      ["gbt46792", 50, "差"],
    ]);
    const page = await get(drillLoader, "", "officer", { id });
    expect(page.data.details!.results!.kind).toBe("scored");
    expect(page.data.details!.results!.overall).toEqual({ total: 75, percent: 75, grade: "中" });
    expect(
      (await run(() => drillAction(args(request(`/drills/${id}`, cookies.officer, { intent: "end" }), { id })))).status,
    ).toBe(200);
    const report = await get(reportLoader, "", "officer", { id });
    expect(report.data.evaluationFormLabel).toContain("GB/T 46792");
    expect(report.data.results.kind).toBe("scored");
  });

  it("can be changed by the organizer before any sheet, audited; not by anyone else", async () => {
    const planned = await planDrill({ mode: "scripted", announceWindow: "" }, 26);
    const id = idOf(planned.headers.get("location"));
    const change = (who: string) =>
      run(() =>
        drillAction(
          args(request(`/drills/${id}`, cookies[who], { intent: "form", evaluationForm: "gbt46792" }), { id }),
        ),
      );
    expect((await change("evaluator")).status).toBe(403);
    expect((await change("officer2")).status).toBe(403);
    expect((await change("officer")).status).toBe(200);
    const d = await db.selectFrom("drill").select("evaluation_form").where("id", "=", Number(id)).executeTakeFirst();
    expect(d?.evaluation_form).toBe("gbt46792");
    const audit = await db
      .selectFrom("audit_log")
      .select("actor_user_id")
      .where("action", "=", "drill.evaluation_form")
      .where("entity_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(audit.actor_user_id).toBe(users.officer);
  });
});

describe("a regulator's spot check of an enterprise", () => {
  it("starts the enterprise's double-blind drill at its sealed time, once, and gets its evaluation and findings back", async () => {
    const enterpriseId = people[0].enterprise_id;
    const planned = await run(() =>
      newCheckAction(
        args(
          request(
            "/rescue/spot-checks/new",
            cookies.regulator,
            form({
              target: `enterprise:${enterpriseId}`,
              title: SECRET.title,
              scenario: SECRET.scenario,
              windowStart: inDays(0, 1),
              windowEnd: inDays(5),
              plannedAt: inDays(2),
              evaluators: [users.inspector],
            }),
          ),
        ),
      ),
    );
    expect(planned.status).toBe(302);
    const checkId = idOf(planned.headers.get("location"));
    const drillOf = () => db.selectFrom("drill").selectAll().where("spot_check_id", "=", Number(checkId)).execute();

    // Before the start: no drill, nothing in any list of any role of the enterprise.
    expect(await drillOf()).toEqual([]);
    for (const who of ["officer", "worker", "evaluator", "bystander"]) {
      const mine = await myDrills(await actorOf(who === "bystander" ? "filebystander" : who));
      expect(JSON.stringify(mine), who).not.toContain(SECRET.title);
      const list = await get(drillsLoader, "/drills", who, {});
      expect(JSON.stringify(list.data ?? {}), who).not.toContain(SECRET.title);
    }

    advanceClock(2 * 86400_000 + 60_000);
    expect(await startDueSpotChecks()).toBeGreaterThanOrEqual(1);
    const [drill] = await drillOf();
    expect(drill).toMatchObject({
      status: "running",
      mode: "double_blind",
      organizer_user_id: users.regulator,
      enterprise_id: enterpriseId,
      title: SECRET.title,
      scenario: SECRET.scenario,
    });
    const id = String(drill.id);

    // Starting twice makes one drill: the job again, the check again, the drill step itself again.
    await startDueSpotChecks();
    expect(await startSpotCheck(null, Number(checkId), null)).toBe(false);
    const again = await db
      .transaction()
      .execute((trx) =>
        startSpotCheckDrill(
          trx,
          { ...drill, id: Number(checkId), enterprise_id: enterpriseId, planned_at: drill.planned_start! },
          now(),
        ),
      );
    expect(again).toBe(drill.id);
    expect(await drillOf()).toHaveLength(1);

    // From now on the enterprise's people see it like any drill; its officer logs it; the named evaluator evaluates.
    for (const who of ["officer", "worker"]) {
      const page = await get(drillLoader, "", who, { id });
      expect(page.status, who).toBe(200);
      expect(JSON.stringify(page.data), who).toContain(SECRET.scenario);
      expect(JSON.stringify(await myDrills(await actorOf(who))), who).toContain(SECRET.title);
    }
    const officerPage = await get(drillLoader, "", "officer", { id });
    expect(officerPage.data.role).toBe("controller");
    const logged = await run(() =>
      logAction(args(request(`/drills/${id}/log`, cookies.officer, { milestone: "alarm" }), { id })),
    );
    expect(logged.status).toBe(200);
    expect((await get(drillLoader, "", "officer2", { id })).status).toBe(403);

    const sheet = await get(evaluateLoader, "", "inspector", { id });
    const body: Record<string, string> = { intent: "submit", overallRating: "M", overallComment: "报告迟缓" };
    for (const c of sheet.data.items as { id: number }[]) body[`scores.c${c.id}.rating`] = "M";
    expect(
      (await run(() => evaluateAction(args(request(`/drills/${id}/evaluate`, cookies.inspector, body), { id }))))
        .status,
    ).toBe(302);
    const finding = await run(() =>
      drillAction(
        args(
          request(`/drills/${id}`, cookies.inspector, {
            intent: "finding",
            finding: "中控室未按规定启动应急广播",
            ownerPersonId: String(workerPerson),
            dueOn: "2027-01-31",
          }),
          { id },
        ),
      ),
    );
    expect(finding.status).toBe(200);

    const check = await get(checkLoader, "", "regulator", { id: checkId });
    expect(check.status).toBe(200);
    expect(check.data.drill!.id).toBe(drill.id);
    expect(member(check.data.drill!.results!.overall!, "rating")).toBe("M");
    expect(check.data.drill!.items.map((i: { finding: string }) => i.finding)).toEqual(["中控室未按规定启动应急广播"]);
    // The enterprise's officer sees the same on the check once it started.
    const byOfficer = await get(checkLoader, "", "officer", { id: checkId });
    expect(byOfficer.data.drill!.items).toHaveLength(1);
  });
});
