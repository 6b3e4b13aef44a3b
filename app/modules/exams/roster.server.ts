import { refuse, type Refusal } from "~/lib/result";
import { sql } from "kysely";
import { dayOf, formatInstant, fromLocalInput } from "../../lib/calendar";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { typedWorkbookBuffer } from "../../lib/excel.server";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import { notify } from "../notifications/notify.server";
import { POST_LABELS } from "../org/labels";
import type { Post } from "../../../db/types";
import {
  rosterStatus,
  ROSTER_STATUS_LABELS,
  type MakeupInput,
  type RosterQuery,
  type RosterStatus,
} from "./roster-schema";

export const ROSTER_PAGE = 50;
const EXPORT_MAX = 20_000;

export async function rosterExam(examId: number) {
  return db
    .selectFrom("exam")
    .innerJoin("exam_template", "exam_template.id", "exam.template_id")
    .innerJoin("enterprise", "enterprise.id", "exam.enterprise_id")
    .select([
      "exam.id",
      "exam.title",
      "exam.posts",
      "exam.opens_at",
      "exam.closes_at",
      "exam.enterprise_id",
      "exam.makeup_of",
      "exam.template_id",
      "exam_template.pass_mark",
      "exam_template.attempts_allowed",
      "exam_template.time_limit_minutes",
      "enterprise.region_path",
      "enterprise.name as enterprise_name",
    ])
    .where("exam.id", "=", examId)
    .executeTakeFirst();
}
type RosterExam = NonNullable<Awaited<ReturnType<typeof rosterExam>>>;

const STATUS_SQL = sql<RosterStatus>`CASE WHEN a.passed_any = 1 THEN 'passed' WHEN a.open_now > 0 THEN 'running' WHEN a.submitted > 0 THEN 'failed' ELSE 'absent' END`;

/**
 * Everyone the exam was meant for (its posts' active people, or the people named for a 补考) plus anyone who sat it,
 * each with their attempts summarized. One index range on person (enterprise) and one on attempt (exam).
 */
function rosterBase(exam: RosterExam, at: Date) {
  const attempts = db
    .selectFrom("attempt")
    .select([
      "person_id",
      sql<number>`COUNT(*)`.as("attempts"),
      sql<number>`SUM(submitted_at IS NOT NULL)`.as("submitted"),
      sql<string | null>`MAX(score)`.as("best"),
      sql<number>`COALESCE(MAX(passed), 0)`.as("passed_any"),
      sql<number>`SUM(submitted_at IS NULL AND deadline_at > ${at})`.as("open_now"),
    ])
    .where("exam_id", "=", exam.id)
    .groupBy("person_id")
    .as("a");
  const posts = exam.posts.split(",").filter(Boolean) as Post[];
  return db
    .selectFrom("person")
    .leftJoin(attempts, "a.person_id", "person.id")
    .where("person.enterprise_id", "=", exam.enterprise_id)
    .where((eb) =>
      eb.or([
        eb("a.person_id", "is not", null),
        exam.makeup_of !== null
          ? eb("person.id", "in", eb.selectFrom("exam_person").select("person_id").where("exam_id", "=", exam.id))
          : eb.and([eb("person.active", "=", 1), eb("person.post", "in", posts.length ? posts : ["__none__" as Post])]),
      ]),
    );
}

export interface RosterRow {
  personId: number;
  name: string;
  post: Post;
  status: RosterStatus;
  attempts: number;
  best: number | null;
  last: number | null;
  lastSeconds: number | null;
  lastSubmittedAt: Date | null;
}

async function rosterRows(exam: RosterExam, query: RosterQuery, limit: number, at: Date): Promise<RosterRow[]> {
  let q = rosterBase(exam, at)
    .select([
      "person.id",
      "person.name",
      "person.post",
      "a.attempts",
      "a.submitted",
      "a.best",
      "a.passed_any",
      "a.open_now",
    ])
    .where("person.id", ">", query.after ?? 0);
  if (query.status) q = q.where(STATUS_SQL, "=", query.status);
  if (query.post) q = q.where("person.post", "=", query.post as Post);
  if (query.q) q = q.where("person.name", "like", `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const rows = await q.orderBy("person.id").limit(limit).execute();
  const ids = rows.filter((r) => Number(r.submitted ?? 0) > 0).map((r) => r.id);
  // The last graded attempt of each person on the page: its score and the time it took.
  const last = new Map<number, { score: number | null; seconds: number; submittedAt: Date }>();
  if (ids.length) {
    const graded = await db
      .selectFrom("attempt")
      .select(["person_id", "attempt_no", "score", "started_at", "submitted_at"])
      .where("exam_id", "=", exam.id)
      .where("person_id", "in", ids)
      .where("submitted_at", "is not", null)
      .orderBy("attempt_no")
      .execute();
    for (const g of graded) {
      last.set(g.person_id!, {
        score: g.score === null ? null : Number(g.score),
        submittedAt: g.submitted_at!,
        seconds: Math.max(0, Math.round((g.submitted_at!.getTime() - g.started_at.getTime()) / 1000)),
      });
    }
  }
  return rows.map((r) => {
    const l = last.get(r.id);
    return {
      personId: r.id,
      name: r.name,
      post: r.post,
      status: rosterStatus({
        passedAny: Number(r.passed_any ?? 0) === 1,
        openNow: Number(r.open_now ?? 0),
        submitted: Number(r.submitted ?? 0),
      }),
      attempts: Number(r.attempts ?? 0),
      best: r.best === null || r.best === undefined ? null : Number(r.best),
      last: l?.score ?? null,
      lastSeconds: l?.seconds ?? null,
      lastSubmittedAt: l?.submittedAt ?? null,
    };
  });
}

/** One page of the roster (keyset by person id) and the count of each status. */
export async function examRoster(exam: RosterExam, query: RosterQuery) {
  const at = now();
  const rows = await rosterRows(exam, query, ROSTER_PAGE + 1, at);
  const counts = await rosterBase(exam, at)
    .select([STATUS_SQL.as("status"), sql<number>`COUNT(*)`.as("n")])
    .groupBy(sql`1`)
    .execute();
  const byStatus: Record<RosterStatus, number> = { absent: 0, running: 0, passed: 0, failed: 0 };
  for (const c of counts) byStatus[c.status] = Number(c.n);
  return {
    rows: rows.slice(0, ROSTER_PAGE),
    next: rows.length > ROSTER_PAGE ? rows[ROSTER_PAGE - 1].personId : null,
    counts: byStatus,
    makeups: await db
      .selectFrom("exam")
      .select(["id", "title", "opens_at", "closes_at"])
      .where("makeup_of", "=", exam.id)
      .orderBy("id")
      .execute(),
  };
}

/** The whole roster (with the page's filters) as a workbook: scores as numbers, minutes as numbers, days as dates. */
export async function rosterWorkbook(exam: RosterExam, query: RosterQuery) {
  const at = now();
  const all: RosterRow[] = [];
  let after = 0;
  for (;;) {
    const page = await rosterRows(exam, { ...query, after }, 1000, at);
    all.push(...page);
    if (page.length < 1000 || all.length >= EXPORT_MAX) break;
    after = page[page.length - 1].personId;
  }
  return typedWorkbookBuffer(
    "成绩",
    [
      { header: "姓名", width: 12, kind: "text" },
      { header: "岗位", width: 18, kind: "text" },
      { header: "状态", width: 10, kind: "text" },
      { header: "最高分", width: 10, kind: "number" },
      { header: "最后一次得分", width: 14, kind: "number" },
      { header: "考试次数", width: 10, kind: "integer" },
      { header: "最后一次用时（分钟）", width: 20, kind: "number" },
      { header: "最后交卷日期", width: 14, kind: "date" },
    ],
    all
      .slice(0, EXPORT_MAX)
      .map((r) => [
        r.name,
        POST_LABELS[r.post],
        ROSTER_STATUS_LABELS[r.status],
        r.best,
        r.last,
        r.attempts,
        r.lastSeconds === null ? null : Math.round(r.lastSeconds / 6) / 10,
        r.lastSubmittedAt ? dayOf(r.lastSubmittedAt) : null,
      ]),
  );
}

export type MakeupResult = { ok: true; id: number; notified: number } | Refusal;

/**
 * A 补考 window: a new exam on the same paper for the chosen people who failed or missed this one, with a notice to
 * each, in one transaction. A window already over, or starting in the past, is refused and nothing is saved.
 */
export async function scheduleMakeup(
  actor: Actor,
  exam: RosterExam,
  input: MakeupInput,
  ip: string,
): Promise<MakeupResult> {
  const opens = fromLocalInput(input.opensAt);
  const closes = fromLocalInput(input.closesAt);
  if (!opens) return refuse(422, "补考开始时间无效", "opensAt");
  if (!closes) return refuse(422, "补考结束时间无效", "closesAt");
  const t = now();
  if (closes.getTime() <= t.getTime()) return refuse(422, "补考结束时间已经过去，请选择今后的时间", "closesAt");
  // A minute of grace: "now" typed into a minute-precision field is already a little in the past.
  if (opens.getTime() < t.getTime() - 60_000)
    return refuse(422, "补考开始时间不能早于现在，请选择今后的时间", "opensAt");
  if (opens.getTime() > t.getTime() + 366 * 86400_000) return refuse(422, "补考须安排在一年之内", "opensAt");
  const ids = [...new Set(input.personIds)];
  const rows = await rosterRows(exam, {}, 100_000, t).then((all) => all.filter((r) => ids.includes(r.personId)));
  if (rows.length !== ids.length) return refuse(422, "所选人员中有人不在本场考试的名单上", "personIds");
  const blocked = rows.filter((r) => r.status === "passed" || r.status === "running");
  if (blocked.length) {
    const names = blocked
      .slice(0, 5)
      .map((r) => `${r.name}（${ROSTER_STATUS_LABELS[r.status]}）`)
      .join("、");
    return refuse(422, `只有不合格或未参考的人员可以补考：${names}`, "personIds");
  }
  const title = `${exam.title}（补考）`.slice(0, 64);
  const values = {
    template_id: exam.template_id,
    enterprise_id: exam.enterprise_id,
    title,
    posts: exam.posts,
    opens_at: opens,
    closes_at: closes,
    created_by: actor.userId,
    makeup_of: exam.makeup_of ?? exam.id,
  };
  return db.transaction().execute(async (trx) => {
    const res = await trx.insertInto("exam").values(values).executeTakeFirstOrThrow();
    const id = Number(res.insertId);
    await trx
      .insertInto("exam_person")
      .values(ids.map((personId) => ({ exam_id: id, person_id: personId })))
      .execute();
    const notified = await notify(trx, {
      personIds: ids,
      kind: "makeup_exam",
      title: `补考通知：${exam.title}`,
      body: `请于 ${formatInstant(opens)} 至 ${formatInstant(closes)} 参加补考。`,
      link: "/exams",
      dedupeKey: `makeup:${id}`,
      createdBy: actor.userId,
    });
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "exam.makeup_scheduled",
      entityType: "exam",
      entityId: id,
      after: { ...values, of: exam.id, personIds: ids },
      ip,
    });
    return { ok: true as const, id, notified };
  });
}
