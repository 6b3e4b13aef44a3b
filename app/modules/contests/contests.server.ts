import { refuseFields } from "~/lib/result";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { sql, type Kysely, type Transaction } from "kysely";
import ExcelJS from "exceljs";
import { dayOf, fromLocalInput } from "../../lib/calendar";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { env } from "../../lib/env.server";
import { recordAudit } from "../audit/audit.server";
import type { Actor, Scope } from "../auth/policy";
import type { PaperRule } from "../exams/draw";
import { cryptoRandom, DrawError, drawPaper } from "../exams/draw.server";
import { permutation } from "../exams/draw";
import { scoreItem, validAnswer } from "../exams/grading";
import { questionType } from "../exams/question-types";
import { hashIdNumber } from "../org/id-hash.server";
import { idNumberProblem, maskIdNumber } from "../org/identifiers";
import type { Database, QuestionType } from "../../../db/types";
import {
  ANSWER_GRACE_MS,
  answerTiming,
  bucketOfKey,
  entryRefusal,
  improves,
  maskPhone,
  MAX_MS,
  PHONE_RE,
  rankBucket,
  sortKey,
  suspiciousSpeed,
} from "./rules";
import type { ContestInput } from "./schema";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
/** Phone numbers are kept only as a keyed hash, like ID numbers (decision 0004). */
export const phoneHash = (phone: string) =>
  createHmac("sha256", env().ID_HASH_KEY).update(`phone:${phone}`).digest("hex");

export type Contest = NonNullable<Awaited<ReturnType<typeof contestById>>>;

export async function contestById(id: number) {
  return db
    .selectFrom("contest")
    .innerJoin("region", "region.id", "contest.region_id")
    .selectAll("contest")
    .select("region.name as region_name")
    .where("contest.id", "=", id)
    .executeTakeFirst();
}

export async function contestByToken(token: string) {
  if (!/^[A-Za-z0-9_-]{10,40}$/.test(token)) return undefined;
  const row = await db.selectFrom("contest").select("id").where("token", "=", token).executeTakeFirst();
  return row ? contestById(row.id) : undefined;
}

export const contestOpen = (c: { starts_at: Date; ends_at: Date }, at = now()) => at >= c.starts_at && at < c.ends_at;
export const contestEnded = (c: { ends_at: Date }, at = now()) => at >= c.ends_at;

/** The contest's paper: a rule per question type from the shared bank (any post, any industry), 10 points each. */
export function contestRules(input: Pick<ContestInput, "single" | "multiple" | "judge">): PaperRule[] {
  const rule = (type: QuestionType, count: number): PaperRule => ({
    type,
    count,
    topic: null,
    minDifficulty: 1,
    maxDifficulty: 5,
    post: "any",
    industry: "any",
    points: 10,
    excludeFlagged: true,
  });
  return (
    [
      ["single", input.single],
      ["multiple", input.multiple],
      ["judge", input.judge],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([t, n]) => rule(t, n));
}

export async function createContest(actor: Actor, input: ContestInput, ip: string) {
  const region = await db
    .selectFrom("region")
    .select(["id", "path"])
    .where("id", "=", input.regionId)
    .executeTakeFirst();
  if (!region) return refuseFields({ regionId: "区域不存在" });
  const startsAt = fromLocalInput(input.startsAt);
  const endsAt = fromLocalInput(input.endsAt);
  if (!startsAt || !endsAt) return refuseFields({ startsAt: "时间格式不对" });
  const rules = contestRules(input);
  // The bank must be able to make the paper before anyone is invited.
  try {
    await drawPaper(rules, { post: "worker", industry: "ALL", enterpriseId: 0 });
  } catch (e) {
    if (e instanceof DrawError) return refuseFields({ single: `题库不足：${e.message}` });
    throw e;
  }
  const id = await db.transaction().execute(async (trx) => {
    const res = await trx
      .insertInto("contest")
      .values({
        title: input.title,
        region_id: region.id,
        region_path: region.path,
        token: randomBytes(15).toString("base64url"),
        starts_at: startsAt,
        ends_at: endsAt,
        mode: input.mode,
        rules: JSON.stringify(rules),
        question_seconds: input.questionSeconds,
        attempts_per_day: input.attemptsPerDay,
        person_limit: input.mode === "paper" ? Math.min(input.personLimit, input.attemptsPerDay) : input.personLimit,
        eligibility: input.eligibility,
        created_by: actor.userId,
      })
      .executeTakeFirstOrThrow();
    const contestId = Number(res.insertId);
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "contest.created",
      entityType: "contest",
      entityId: contestId,
      after: { ...input, rules },
      ip,
    });
    return contestId;
  });
  return { ok: true as const, id };
}

export async function listContests(scope: Scope) {
  let q = db
    .selectFrom("contest")
    .innerJoin("region", "region.id", "contest.region_id")
    .select([
      "contest.id",
      "contest.title",
      "contest.starts_at",
      "contest.ends_at",
      "contest.mode",
      "contest.eligibility",
      "region.name as region_name",
    ])
    .orderBy("contest.id", "desc")
    .limit(100);
  if (scope.kind === "region") q = q.where("contest.region_path", "like", `${scope.path}%`);
  else if (scope.kind !== "all") return [];
  return q.execute();
}

/** Districts (children of the contest's region) a participant without a file says they belong to. */
export async function contestRegions(contest: Pick<Contest, "region_id">) {
  return db
    .selectFrom("region")
    .select(["id", "name"])
    .where("parent_id", "=", contest.region_id)
    .where("active", "=", 1)
    .orderBy("id")
    .execute();
}

/** The child of `root` that `path` lies under (the district of a town), or root itself. */
function childUnder(rootPath: string, path: string): number | null {
  if (!path.startsWith(rootPath)) return null;
  const rest = path.slice(rootPath.length).split("/").filter(Boolean);
  return rest.length ? Number(rest[0]) : null;
}

export type ContestJoin =
  | { ok: true; participantId: number; secret: string }
  | { ok: false; status: 403 | 409 | 410 | 422; message: string; field?: string };

/**
 * Join a contest without an account (a mobile number, or an ID number for contests of people on file) or with one's
 * account. One participant per person and contest (unique key on the identity hash): the per-contest limits then
 * hold whichever phone they use. People on file are matched by ID number within the contest's region.
 */
export async function joinContest(
  contest: Contest,
  who: { actor: Actor | null; name?: string; ident?: string; regionId?: number },
): Promise<ContestJoin> {
  if (now() >= contest.ends_at) return { ok: false, status: 410, message: "竞赛已结束，不能再报名参赛。" };
  let person:
    | {
        id: number;
        name: string;
        enterprise_id: number;
        id_number_hash: string;
        id_number_masked: string;
        region_path: string;
      }
    | undefined;
  let identHash: string;
  let masked: string;
  const personQuery = () =>
    db
      .selectFrom("person")
      .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
      .select([
        "person.id",
        "person.name",
        "person.enterprise_id",
        "person.id_number_hash",
        "person.id_number_masked",
        "enterprise.region_path",
      ])
      .where("person.active", "=", 1)
      .where("enterprise.region_path", "like", `${contest.region_path}%`);
  if (who.actor?.personId) {
    person = await personQuery().where("person.id", "=", who.actor.personId).executeTakeFirst();
    if (!person) return { ok: false, status: 403, message: "您的单位不在本次竞赛的区域内。" };
    identHash = `id:${person.id_number_hash}`.slice(0, 64);
    masked = person.id_number_masked;
  } else {
    const ident = (who.ident ?? "").replace(/\s/g, "").toUpperCase();
    if (!who.name) return { ok: false, status: 422, message: "请填写姓名", field: "name" };
    if (PHONE_RE.test(ident)) {
      if (contest.eligibility === "on_file")
        return { ok: false, status: 422, message: "本次竞赛限在册人员参加，请填写身份证号码。", field: "ident" };
      identHash = phoneHash(ident);
      masked = maskPhone(ident);
    } else {
      const problem = idNumberProblem(ident);
      if (problem)
        return {
          ok: false,
          status: 422,
          message: contest.eligibility === "phone" ? "请填写 11 位手机号码或 18 位身份证号码" : problem,
          field: "ident",
        };
      const h = hashIdNumber(ident);
      person = await personQuery().where("person.id_number_hash", "=", h).executeTakeFirst();
      if (!person && contest.eligibility === "on_file")
        return {
          ok: false,
          status: 403,
          message: "本次竞赛限在册人员参加：本区域的企业人员名册中没有这个身份证号码。",
          field: "ident",
        };
      identHash = `id:${h}`.slice(0, 64);
      masked = maskIdNumber(ident);
    }
  }
  let regionId = person ? childUnder(contest.region_path, person.region_path) : null;
  if (!person) {
    const regions = await contestRegions(contest);
    if (regions.length && !regions.some((r) => r.id === who.regionId))
      return { ok: false, status: 422, message: "请选择您所在的区县", field: "regionId" };
    regionId = who.regionId ?? null;
  }
  const secret = randomBytes(24).toString("base64url");
  try {
    const res = await db
      .insertInto("contest_participant")
      .values({
        contest_id: contest.id,
        ident_hash: identHash,
        ident_masked: masked,
        name: person?.name ?? who.name!,
        person_id: person?.id ?? null,
        enterprise_id: person?.enterprise_id ?? null,
        group_region_id: regionId,
        user_id: who.actor?.personId ? who.actor.userId : null,
        secret_hash: sha256(secret),
      })
      .executeTakeFirstOrThrow();
    return { ok: true, participantId: Number(res.insertId), secret };
  } catch (e) {
    if ((e as { code?: string }).code !== "ER_DUP_ENTRY") throw e;
    return { ok: false, status: 409, message: "该号码已报名本次竞赛：请用首次报名的手机继续答题。" };
  }
}

export async function participantBySecret(contestId: number, cookieValue: string | undefined) {
  const m = /^(\d+)\.([A-Za-z0-9_-]{20,64})$/.exec(cookieValue ?? "");
  if (!m) return undefined;
  const p = await db.selectFrom("contest_participant").selectAll().where("id", "=", Number(m[1])).executeTakeFirst();
  return p && p.contest_id === contestId && p.secret_hash === sha256(m[2]) ? p : undefined;
}
export type Participant = NonNullable<Awaited<ReturnType<typeof participantBySecret>>>;

/** How many entries a participant has used, today and in all, and whether one is open. */
async function usage(trx: Transaction<Database> | typeof db, participantId: number, day: string) {
  const [today, open] = await Promise.all([
    trx
      .selectFrom("contest_entry")
      .select(sql<number>`COUNT(*)`.as("n"))
      .where("participant_id", "=", participantId)
      .where("day", "=", day)
      .executeTakeFirstOrThrow(),
    trx.selectFrom("contest_entry").select("id").where("open_key", "=", participantId).executeTakeFirst(),
  ]);
  return { today: Number(today.n), openId: open?.id ?? null };
}

const allowance = (c: Contest) => ({
  mode: c.mode,
  attemptsPerDay: c.attempts_per_day,
  personLimit: c.person_limit,
  startsAt: c.starts_at,
  endsAt: c.ends_at,
});

/** Why this participant may not start now, or null. */
export async function startRefusal(contest: Contest, p: Participant) {
  const u = await usage(db, p.id, dayOf(now()));
  return entryRefusal(allowance(contest), now(), { total: p.entries, today: u.today, open: u.openId !== null });
}

/**
 * Start an entry: draw a fresh paper from the shared bank and store it. The participant row is locked, so two
 * phones pressing 开始 at once make one entry; `open_key` (unique) allows one open entry per person.
 */
export async function startEntry(
  contest: Contest,
  participantId: number,
): Promise<{ ok: true; entryId: number } | { ok: false; status: 409 | 410 | 422; message: string }> {
  const drawn = await drawPaper(JSON.parse(contest.rules) as PaperRule[], {
    post: "worker",
    industry: "ALL",
    enterpriseId: 0,
  }).catch((e) => {
    if (e instanceof DrawError) return e;
    throw e;
  });
  if (drawn instanceof DrawError) return { ok: false, status: 422, message: `题库不足，无法组卷：${drawn.message}` };
  const orders = drawn.map((d) => questionType(d.type).optionOrder(d.optionCount, (n) => permutation(n, cryptoRandom)));
  return db.transaction().execute(async (trx) => {
    const p = await trx
      .selectFrom("contest_participant")
      .select(["id", "entries"])
      .where("id", "=", participantId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const at = now();
    const day = dayOf(at);
    const u = await usage(trx, p.id, day);
    const refusal = entryRefusal(allowance(contest), at, { total: p.entries, today: u.today, open: u.openId !== null });
    if (refusal)
      return { ok: false as const, status: (at >= contest.ends_at ? 410 : 409) as 409 | 410, message: refusal };
    const res = await trx
      .insertInto("contest_entry")
      .values({
        contest_id: contest.id,
        participant_id: p.id,
        day,
        open_key: p.id,
        started_at: at,
        question_count: drawn.length,
      })
      .executeTakeFirstOrThrow();
    const entryId = Number(res.insertId);
    await trx
      .insertInto("contest_item")
      .values(
        drawn.map((d, i) => ({
          entry_id: entryId,
          position: i + 1,
          question_id: d.questionId,
          question_version_id: d.versionId,
          option_order: orders[i],
          points: d.points,
        })),
      )
      .execute();
    await trx
      .updateTable("contest_participant")
      .set({ entries: sql`entries + 1` })
      .where("id", "=", p.id)
      .execute();
    return { ok: true as const, entryId };
  });
}

const displayOptions = (options: string[], order: string) => [...order].map((d) => options[Number(d)]);

/** What the phone shows now: the served question (never its answer), the last answer's feedback, or the result. */
export async function playState(contest: Contest, participantId: number) {
  const entry = await db
    .selectFrom("contest_entry")
    .selectAll()
    .where("participant_id", "=", participantId)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!entry) return { kind: "none" as const };
  const items = await db
    .selectFrom("contest_item")
    .innerJoin("question", "question.id", "contest_item.question_id")
    .select([
      "contest_item.position",
      "contest_item.served_at",
      "contest_item.answered_at",
      "contest_item.answer",
      "contest_item.earned",
      "contest_item.option_order",
      "contest_item.question_version_id",
      "question.type",
    ])
    .where("entry_id", "=", entry.id)
    .orderBy("position")
    .execute();
  const answered = items.filter((i) => i.answered_at).length;
  const last = [...items].reverse().find((i) => i.answered_at);
  let feedback = null;
  if (last) {
    const v = await db
      .selectFrom("question_version")
      .select(["answer", "explanation"])
      .where("id", "=", last.question_version_id)
      .executeTakeFirstOrThrow();
    const shown = (a: string | null) => (a === null ? null : questionType(last.type).toShown(a, last.option_order));
    feedback = {
      position: last.position,
      correct: (last.earned ?? 0) > 0,
      given: shown(last.answer),
      answer: shown(v.answer),
      explanation: v.explanation,
      type: last.type,
    };
  }
  if (entry.finished_at) {
    return {
      kind: "done" as const,
      entryId: entry.id,
      score: entry.score ?? 0,
      totalMs: entry.total_ms ?? 0,
      count: entry.question_count,
      answered,
      feedback,
    };
  }
  const current = items.find((i) => i.served_at && !i.answered_at);
  if (current) {
    const remainingMs = current.served_at!.getTime() + contest.question_seconds * 1000 - now().getTime();
    const v = await db
      .selectFrom("question_version")
      .select(["stem", "options"])
      .where("id", "=", current.question_version_id)
      .executeTakeFirstOrThrow();
    return {
      kind: "question" as const,
      entryId: entry.id,
      position: current.position,
      count: items.length,
      type: current.type as QuestionType,
      stem: v.stem,
      options: questionType(current.type).hasOptions
        ? displayOptions(JSON.parse(v.options) as string[], current.option_order)
        : [],
      remainingMs: Math.max(0, remainingMs),
      expired: remainingMs < -ANSWER_GRACE_MS,
      questionSeconds: contest.question_seconds,
    };
  }
  return { kind: "between" as const, entryId: entry.id, next: answered + 1, count: items.length, feedback };
}

/**
 * Serve the next question (the clock for it starts now, on the server), or close the current one when its time is
 * up (no answer, no points). Idempotent: a served question that is still running is left as it is.
 */
export async function advance(contest: Contest, participantId: number) {
  await db.transaction().execute(async (trx) => {
    const entry = await trx
      .selectFrom("contest_entry")
      .select(["id", "finished_at"])
      .where("open_key", "=", participantId)
      .forUpdate()
      .executeTakeFirst();
    if (!entry) return;
    const items = await trx
      .selectFrom("contest_item")
      .select(["position", "served_at", "answered_at"])
      .where("entry_id", "=", entry.id)
      .orderBy("position")
      .execute();
    const at = now();
    const current = items.find((i) => i.served_at && !i.answered_at);
    if (current) {
      if (!answerTiming(current.served_at!, at, contest.question_seconds).late) return;
      await trx
        .updateTable("contest_item")
        .set({ answered_at: at, earned: 0, elapsed_ms: contest.question_seconds * 1000 })
        .where("entry_id", "=", entry.id)
        .where("position", "=", current.position)
        .execute();
      current.answered_at = at;
    }
    const next = items.find((i) => !i.served_at);
    if (next && at < contest.ends_at) {
      await trx
        .updateTable("contest_item")
        .set({ served_at: at })
        .where("entry_id", "=", entry.id)
        .where("position", "=", next.position)
        .execute();
    } else if (!next || at >= contest.ends_at) {
      await finishEntry(trx, contest, entry.id, participantId);
    }
  });
}

export type AnswerResult = { ok: true } | { ok: false; status: 409 | 422; message: string };

/** Answer the served question: timed on the server; a late or repeated answer changes nothing. */
export async function answer(
  contest: Contest,
  participantId: number,
  position: number,
  given: string,
): Promise<AnswerResult> {
  return db.transaction().execute(async (trx): Promise<AnswerResult> => {
    const entry = await trx
      .selectFrom("contest_entry")
      .select(["id"])
      .where("open_key", "=", participantId)
      .forUpdate()
      .executeTakeFirst();
    if (!entry) return { ok: false, status: 409, message: "本次答题已结束。" };
    const item = await trx
      .selectFrom("contest_item")
      .innerJoin("question", "question.id", "contest_item.question_id")
      .innerJoin("question_version", "question_version.id", "contest_item.question_version_id")
      .select([
        "contest_item.position",
        "contest_item.served_at",
        "contest_item.answered_at",
        "contest_item.option_order",
        "contest_item.points",
        "question.type",
        "question_version.answer as correct",
        "question_version.options",
      ])
      .where("contest_item.entry_id", "=", entry.id)
      .where("contest_item.position", "=", position)
      .executeTakeFirst();
    if (!item || !item.served_at) return { ok: false, status: 409, message: "这道题还没有开始。" };
    if (item.answered_at) return { ok: false, status: 409, message: "这道题已经作答，不能修改。" };
    const at = now();
    const timing = answerTiming(item.served_at, at, contest.question_seconds);
    const type = questionType(item.type);
    const optionCount = type.hasOptions ? (JSON.parse(item.options) as string[]).length : 2;
    if (!timing.late && given && !validAnswer(item.type as QuestionType, given, optionCount))
      return { ok: false, status: 422, message: "答案格式与题型不符" };
    const stored = !given || timing.late ? null : type.toStored(given, item.option_order);
    const earned = stored
      ? scoreItem(item.type as QuestionType, item.correct, stored, item.points, "all_or_nothing")
      : 0;
    await trx
      .updateTable("contest_item")
      .set({ answered_at: at, answer: stored, earned, elapsed_ms: timing.elapsedMs })
      .where("entry_id", "=", entry.id)
      .where("position", "=", position)
      .execute();
    const left = await trx
      .selectFrom("contest_item")
      .select("position")
      .where("entry_id", "=", entry.id)
      .where("answered_at", "is", null)
      .limit(1)
      .executeTakeFirst();
    if (!left) await finishEntry(trx, contest, entry.id, participantId);
    if (timing.late) return { ok: false, status: 409, message: "本题作答时间已到，未计分。" };
    return { ok: true };
  });
}

/**
 * Close an entry: its score and time, the speed flag, and — when it beats the person's best — the person's sort key
 * and the enterprise and region boards, all in the caller's transaction.
 */
export async function finishEntry(
  trx: Transaction<Database>,
  contest: Pick<Contest, "id" | "question_seconds">,
  entryId: number,
  participantId: number,
) {
  const items = await trx
    .selectFrom("contest_item")
    .select(["earned", "elapsed_ms"])
    .where("entry_id", "=", entryId)
    .execute();
  const score = items.reduce((s, i) => s + (i.earned ?? 0), 0);
  const totalMs = items.reduce((s, i) => s + (i.elapsed_ms ?? contest.question_seconds * 1000), 0);
  const suspicious = suspiciousSpeed(items.map((i) => ({ earned: i.earned, elapsedMs: i.elapsed_ms }))) ? 1 : 0;
  await trx
    .updateTable("contest_entry")
    .set({ finished_at: now(), score, total_ms: totalMs, suspicious, open_key: null })
    .where("id", "=", entryId)
    .execute();
  const p = await trx
    .selectFrom("contest_participant")
    .select(["id", "best_score", "best_ms", "enterprise_id", "group_region_id"])
    .where("id", "=", participantId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (suspicious) await trx.updateTable("contest_participant").set({ flagged: 1 }).where("id", "=", p.id).execute();
  if (!improves(score, totalMs, { score: p.best_score, ms: p.best_ms })) return;
  await trx
    .updateTable("contest_participant")
    .set({ best_score: score, best_ms: totalMs, sort_key: sortKey(score, totalMs) })
    .where("id", "=", p.id)
    .execute();
  await moveRankCounts(trx, contest.id, p.best_score === null ? null : { score: p.best_score, ms: p.best_ms }, {
    score,
    ms: totalMs,
  });
  const first = p.best_score === null;
  const delta = score - (p.best_score ?? 0);
  const groups: { kind: "enterprise" | "region"; id: number }[] = [];
  if (p.enterprise_id) groups.push({ kind: "enterprise", id: p.enterprise_id });
  if (p.group_region_id) groups.push({ kind: "region", id: p.group_region_id });
  for (const g of groups) {
    if (!first && delta === 0) continue;
    const name =
      g.kind === "enterprise"
        ? (await trx.selectFrom("enterprise").select("name").where("id", "=", g.id).executeTakeFirstOrThrow()).name
        : (await trx.selectFrom("region").select("name").where("id", "=", g.id).executeTakeFirstOrThrow()).name;
    const add = first ? 1 : 0;
    // Left-to-right SET: sort_key sees the new total and members (groupSortKey in rules.ts, in SQL).
    await sql`INSERT INTO contest_group (contest_id, kind, group_id, name, members, total, sort_key)
      VALUES (${contest.id}, ${g.kind}, ${g.id}, ${name}, 1, ${score}, ${score * 100 * 10_000_000 + 1})
      ON DUPLICATE KEY UPDATE members = members + ${add}, total = total + ${delta},
        sort_key = FLOOR(total * 100 / members) * 10000000 + LEAST(members, 9999999)`.execute(trx);
  }
}

const maskName = (name: string) => (name.length <= 1 ? name : `${name[0]}${"*".repeat(Math.min(2, name.length - 1))}`);

/**
 * One page of the person leaderboard: a keyset read down the (contest_id, sort_key, id) index, O(page) whatever
 * the number of people. Ranks are competition ranks (equal score and time share a rank).
 */
export async function personBoard(
  contestId: number,
  opts: { limit: number; after?: { key: number; id: number }; full?: boolean },
) {
  // Step 1: the keys of the page, from the index alone (covering: contest_id, sort_key, id).
  let k = db
    .selectFrom("contest_participant")
    .select(["id", "sort_key"])
    .where("contest_id", "=", contestId)
    .orderBy("sort_key", "desc")
    .orderBy("id", "desc")
    .limit(opts.limit);
  const after = opts.after;
  // Keyset: an upper bound on sort_key alone (MariaDB then walks the index backwards from it); with a lower bound as
  // well (`sort_key > 0`), or with the name columns selected in the same query, it scanned the range instead: 17–20 s
  // instead of 0.1 s on a million (docs/benchmarks.md). Unfinished people (key 0) sort last and are dropped here.
  if (after)
    k = k
      .where("sort_key", "<=", after.key)
      .where((eb) => eb.or([eb("sort_key", "<", after.key), eb("id", "<", after.id)]));
  else k = k.where("sort_key", ">", 0);
  const keys = (await k.execute()).filter((r) => Number(r.sort_key) > 0);
  // Step 2: the rows of the page by primary key.
  const details = keys.length
    ? await db
        .selectFrom("contest_participant")
        .leftJoin("enterprise", "enterprise.id", "contest_participant.enterprise_id")
        .leftJoin("region", "region.id", "contest_participant.group_region_id")
        .select([
          "contest_participant.id",
          "contest_participant.name",
          "contest_participant.ident_masked",
          "contest_participant.best_score",
          "contest_participant.best_ms",
          "contest_participant.sort_key",
          "contest_participant.flagged",
          "contest_participant.entries",
          "enterprise.name as enterprise_name",
          "region.name as region_name",
        ])
        .where(
          "contest_participant.id",
          "in",
          keys.map((r) => r.id),
        )
        .execute()
    : [];
  const byId = new Map(details.map((d) => [d.id, d]));
  const rows = keys.map((r) => byId.get(r.id)!).filter(Boolean);
  // Competition ranks: the first row's rank from one count above its key; a page that starts inside a tie also
  // counts the tied rows on earlier pages; later rows follow by position.
  const first = rows[0];
  const firstRank = first ? await rankOfKey(contestId, Number(first.sort_key)) : 1;
  const tiedBefore =
    first && after
      ? Number(
          (
            await db
              .selectFrom("contest_participant")
              .select(sql<number>`COUNT(*)`.as("n"))
              .where("contest_id", "=", contestId)
              .where("sort_key", "=", first.sort_key)
              .where("id", ">", first.id)
              .executeTakeFirstOrThrow()
          ).n,
        )
      : 0;
  let rank = firstRank;
  return rows.map((r, i) => {
    if (i > 0 && Number(r.sort_key) !== Number(rows[i - 1].sort_key)) rank = firstRank + tiedBefore + i;
    return {
      id: r.id,
      rank,
      name: opts.full ? r.name : maskName(r.name),
      ident: r.ident_masked,
      score: r.best_score ?? 0,
      ms: r.best_ms ?? 0,
      enterprise: r.enterprise_name,
      region: r.region_name,
      flagged: Boolean(r.flagged),
      entries: r.entries,
      key: Number(r.sort_key),
    };
  });
}

/**
 * Keep the rank counts (0022) as a person's best moves from `from` (null: first finish) to `to`, in the caller's
 * transaction: one person less in the old score and second, one more in the new.
 */
export async function moveRankCounts(
  trx: Transaction<Database>,
  contestId: number,
  from: { score: number; ms: number | null } | null,
  to: { score: number; ms: number | null },
) {
  const bump = async (b: { score: number; second: number }, n: 1 | -1) => {
    await sql`INSERT INTO contest_score_count (contest_id, score, people) VALUES (${contestId}, ${b.score}, ${n})
      ON DUPLICATE KEY UPDATE people = people + ${n}`.execute(trx);
    await sql`INSERT INTO contest_time_count (contest_id, score, second, people)
      VALUES (${contestId}, ${b.score}, ${b.second}, ${n}) ON DUPLICATE KEY UPDATE people = people + ${n}`.execute(trx);
  };
  if (from) await bump(rankBucket(from.score, from.ms), -1);
  await bump(rankBucket(to.score, to.ms), 1);
}

/** Rebuild a contest's rank counts from its participants (bulk loads, and the test that they stay equal to a recount). */
export async function recountRankCounts(contestId: number, on: Kysely<Database> | Transaction<Database> = db) {
  await on.deleteFrom("contest_score_count").where("contest_id", "=", contestId).execute();
  await on.deleteFrom("contest_time_count").where("contest_id", "=", contestId).execute();
  await sql`INSERT INTO contest_score_count (contest_id, score, people)
    SELECT contest_id, best_score, COUNT(*) FROM contest_participant
    WHERE contest_id = ${contestId} AND best_score IS NOT NULL GROUP BY best_score`.execute(on);
  await sql`INSERT INTO contest_time_count (contest_id, score, second, people)
    SELECT contest_id, best_score, FLOOR(LEAST(${MAX_MS}, GREATEST(0, COALESCE(best_ms, ${MAX_MS}))) / 1000) AS sec, COUNT(*)
    FROM contest_participant WHERE contest_id = ${contestId} AND best_score IS NOT NULL GROUP BY best_score, sec`.execute(
    on,
  );
}

/**
 * 1 + the number of people with a strictly better key (higher score, or equal score and less time), from the kept
 * counts: the people of every better score, plus those of one's own score in a faster whole second, plus a count over
 * the index range of one's own score and second. O(distinct scores + distinct seconds + people in one's second),
 * not O(rank).
 */
export async function rankOfKey(contestId: number, key: number) {
  const { score, second } = bucketOfKey(key);
  const [better, faster, same] = await Promise.all([
    db
      .selectFrom("contest_score_count")
      .select(sql<number>`COALESCE(SUM(people), 0)`.as("n"))
      .where("contest_id", "=", contestId)
      .where("score", ">", score)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("contest_time_count")
      .select(sql<number>`COALESCE(SUM(people), 0)`.as("n"))
      .where("contest_id", "=", contestId)
      .where("score", "=", score)
      .where("second", "<", second)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("contest_participant")
      .select(sql<number>`COUNT(*)`.as("n"))
      .where("contest_id", "=", contestId)
      .where("sort_key", ">", key)
      .where("sort_key", "<=", sortKey(score, second * 1000))
      .executeTakeFirstOrThrow(),
  ]);
  return Number(better.n) + Number(faster.n) + Number(same.n) + 1;
}

export async function myStanding(contestId: number, participantId: number) {
  const p = await db
    .selectFrom("contest_participant")
    .select(["best_score", "best_ms", "sort_key", "entries", "name"])
    .where("id", "=", participantId)
    .executeTakeFirstOrThrow();
  if (p.best_score === null) return { rank: null, score: null, ms: null, entries: p.entries, name: p.name };
  return {
    rank: await rankOfKey(contestId, Number(p.sort_key)),
    score: p.best_score,
    ms: p.best_ms,
    entries: p.entries,
    name: p.name,
  };
}

/** Enterprise or region board: kept rows, one index range. */
export async function groupBoard(contestId: number, kind: "enterprise" | "region", limit: number) {
  const rows = await db
    .selectFrom("contest_group")
    .select(["group_id", "name", "members", "total", "sort_key"])
    .where("contest_id", "=", contestId)
    .where("kind", "=", kind)
    .orderBy("sort_key", "desc")
    .orderBy("group_id")
    .limit(limit)
    .execute();
  return rows.map((r, i) => ({
    rank: i + 1,
    id: r.group_id,
    name: r.name,
    members: r.members,
    average: Math.round((Number(r.total) * 10) / r.members) / 10,
  }));
}

/** Everything the phone's and the organizer's boards show. */
export async function boards(contestId: number, limit = 10, full = false) {
  const [people, enterprises, regions] = await Promise.all([
    personBoard(contestId, { limit, full }),
    groupBoard(contestId, "enterprise", limit),
    groupBoard(contestId, "region", limit),
  ]);
  return { people, enterprises, regions };
}

/** Totals for the organizer: participants who finished, from the region board (a handful of rows). */
export async function contestTotals(contestId: number) {
  const r = await db
    .selectFrom("contest_group")
    .select([sql<number>`COALESCE(SUM(members), 0)`.as("n")])
    .where("contest_id", "=", contestId)
    .where("kind", "=", "region")
    .executeTakeFirstOrThrow();
  const flagged = await db
    .selectFrom("contest_participant")
    .select(sql<number>`COUNT(*)`.as("n"))
    .where("contest_id", "=", contestId)
    .where("flagged", "=", 1)
    .where("sort_key", ">", 0)
    .executeTakeFirstOrThrow();
  return { finished: Number(r.n), flagged: Number(flagged.n) };
}

/** Results as Excel: every ranked person in rank order, read in keyset pages; scores and times as numbers. */
export async function resultsWorkbook(contest: Contest) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("个人排名");
  sheet.columns = [
    { header: "名次", key: "rank", width: 8 },
    { header: "姓名", key: "name", width: 12 },
    { header: "号码", key: "ident", width: 22 },
    { header: "单位", key: "enterprise", width: 30 },
    { header: "区县", key: "region", width: 12 },
    { header: "最好成绩（分）", key: "score", width: 14 },
    { header: "用时（秒）", key: "seconds", width: 12 },
    { header: "答题次数", key: "entries", width: 10 },
    { header: "速度异常", key: "flagged", width: 10 },
  ];
  sheet.getRow(1).font = { bold: true };
  let after: { key: number; id: number } | undefined;
  for (;;) {
    const page = await personBoard(contest.id, { limit: 1000, after, full: true });
    for (const r of page) {
      sheet.addRow({
        rank: r.rank,
        name: r.name,
        ident: r.ident,
        enterprise: r.enterprise ?? "",
        region: r.region ?? "",
        score: r.score,
        seconds: Math.round(r.ms / 100) / 10,
        entries: r.entries,
        flagged: r.flagged ? "是" : "",
      });
    }
    if (page.length < 1000) break;
    after = { key: page[page.length - 1].key, id: page[page.length - 1].id };
    await new Promise((r) => setImmediate(r));
  }
  for (const kind of ["enterprise", "region"] as const) {
    const s = workbook.addWorksheet(kind === "enterprise" ? "单位排名" : "区县排名");
    s.columns = [
      { header: "名次", key: "rank", width: 8 },
      { header: kind === "enterprise" ? "单位" : "区县", key: "name", width: 30 },
      { header: "参赛人数", key: "members", width: 10 },
      { header: "平均成绩（分）", key: "average", width: 14 },
    ];
    s.getRow(1).font = { bold: true };
    for (const g of await groupBoard(contest.id, kind, 10_000)) s.addRow(g);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The certificate of participation: the person's best finished entry. */
export async function certificateOf(contest: Contest, participantId: number) {
  const p = await db
    .selectFrom("contest_participant")
    .select(["name", "ident_masked", "best_score", "best_ms", "sort_key", "entries"])
    .where("id", "=", participantId)
    .executeTakeFirstOrThrow();
  if (p.best_score === null) return null;
  const lastEntry = await db
    .selectFrom("contest_entry")
    .select("finished_at")
    .where("participant_id", "=", participantId)
    .where("finished_at", "is not", null)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirstOrThrow();
  return {
    name: p.name,
    ident: p.ident_masked,
    score: p.best_score,
    ms: p.best_ms ?? 0,
    rank: await rankOfKey(contest.id, Number(p.sort_key)),
    entries: p.entries,
    issuedOn: dayOf(lastEntry.finished_at!),
    number: `JS${contest.id}-${String(participantId).padStart(7, "0")}`,
  };
}
