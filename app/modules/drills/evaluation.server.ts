import { refuse, refuseFields, type Refusal } from "~/lib/result";
import type { Transaction } from "kysely";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { httpError } from "../../lib/http";
import type { Database, Rating } from "../../../db/types";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import { evaluationForm } from "../rescue/towns.server";
import { gradeSheet, type EvaluationFormDefinition } from "../rescue/rules";
import { formCodeOf, type EvaluationFormCode } from "./evaluation-forms";
import { combineRatings } from "./rules";
import type { ScoredSheetInput, SheetInput } from "./schema";

/** The scored form's definition (GB/T 46792), read from `evaluation_form` (written there from the defaults once). */
export async function scoredForm(code: EvaluationFormCode) {
  if (code === "aqt9009") return null;
  const form = await evaluationForm(code);
  if (!form) throw new Error(`evaluation form ${code} missing`);
  return form;
}

export async function criteria() {
  return db
    .selectFrom("evaluation_criterion")
    .select(["id", "section", "text"])
    .where("active", "=", 1)
    .orderBy("sort")
    .execute();
}

export async function sheetOf(drillId: number, userId: string) {
  const sheet = await db
    .selectFrom("evaluation_sheet")
    .selectAll()
    .where("drill_id", "=", drillId)
    .where("evaluator_user_id", "=", userId)
    .executeTakeFirst();
  const scores = sheet
    ? await db
        .selectFrom("evaluation_score")
        .select(["criterion_id", "rating", "comment"])
        .where("sheet_id", "=", sheet.id)
        .execute()
    : [];
  return {
    submittedAt: sheet?.submitted_at?.toISOString() ?? null,
    points: (sheet?.scores_json ? JSON.parse(sheet.scores_json) : {}) as Record<string, number>,
    overallRating: sheet?.overall_rating ?? null,
    overallComment: sheet?.overall_comment ?? null,
    scores: Object.fromEntries(scores.map((s) => [s.criterion_id, { rating: s.rating, comment: s.comment }])) as Record<
      number,
      { rating: Rating; comment: string | null }
    >,
  };
}

export type SheetResult = { ok: true; submitted: boolean } | Refusal;

/**
 * Save an evaluator's own sheet; "submit" makes it final and needs every criterion and the overall rating.
 * A drill is evaluated from its start until it is closed; a submitted sheet never changes.
 */
export async function saveSheet(actor: Actor, drillId: number, input: SheetInput, ip: string): Promise<SheetResult> {
  const items = await criteria();
  const known = new Set(items.map((c) => c.id));
  const scores = Object.entries(input.scores)
    .map(([key, s]) => [Number(key.slice(1)), s] as const)
    .filter(([id, s]) => known.has(id) && s.rating);
  if (input.intent === "submit") {
    const fieldErrors: Record<string, string> = {};
    for (const c of items)
      if (!input.scores[`c${c.id}`]?.rating) fieldErrors[`scores.c${c.id}.rating`] = "请选择评定等级";
    if (!input.overallRating) fieldErrors.overallRating = "请给出总体评定";
    if (Object.keys(fieldErrors).length) return refuseFields(fieldErrors);
  }
  return db.transaction().execute(async (trx) => {
    const sheetId = await openSheet(trx, actor, drillId, {
      overall_rating: input.overallRating ?? null,
      overall_comment: input.overallComment ?? null,
      submitted_at: input.intent === "submit" ? now() : null,
      form_code: "aqt9009",
      scores_json: null,
      total: null,
      grade: null,
    });
    await trx.deleteFrom("evaluation_score").where("sheet_id", "=", sheetId).execute();
    if (scores.length) {
      await trx
        .insertInto("evaluation_score")
        .values(
          scores.map(([id, s]) => ({
            sheet_id: sheetId,
            criterion_id: id,
            rating: s.rating!,
            comment: s.comment ?? null,
          })),
        )
        .execute();
    }
    if (input.intent === "submit") {
      await recordAudit(trx, {
        actorUserId: actor.userId,
        action: "drill.evaluation_submitted",
        entityType: "drill",
        entityId: drillId,
        after: { overall: input.overallRating, scores: Object.fromEntries(scores.map(([id, s]) => [id, s.rating])) },
        ip,
      });
    }
    return { ok: true as const, submitted: input.intent === "submit" };
  });
}

type SheetValues = {
  overall_rating: Rating | null;
  overall_comment: string | null;
  submitted_at: Date | null;
  form_code: string;
  scores_json: string | null;
  total: string | null;
  grade: string | null;
};

/** The evaluator's own sheet of a drill under evaluation, created or updated with these values; its id. */
async function openSheet(trx: Transaction<Database>, actor: Actor, drillId: number, values: SheetValues) {
  const d = await trx
    .selectFrom("drill")
    .select("status")
    .where("id", "=", drillId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (d.status !== "running" && d.status !== "ended")
    httpError(409, d.status === "planned" ? "演练开始后才能评估。" : "演练已关闭，评估表不能再修改。");
  const existing = await trx
    .selectFrom("evaluation_sheet")
    .select(["id", "submitted_at"])
    .where("drill_id", "=", drillId)
    .where("evaluator_user_id", "=", actor.userId)
    .forUpdate()
    .executeTakeFirst();
  if (existing?.submitted_at) httpError(409, "评估表已提交，不能再修改。");
  if (existing) {
    await trx
      .updateTable("evaluation_sheet")
      .set({ ...values, updated_at: now() })
      .where("id", "=", existing.id)
      .execute();
    return existing.id;
  }
  const res = await trx
    .insertInto("evaluation_sheet")
    .values({ ...values, drill_id: drillId, evaluator_user_id: actor.userId })
    .executeTakeFirstOrThrow();
  return Number(res.insertId);
}

/**
 * Save an evaluator's own sheet on a scored form (GB/T 46792): a score per indicator within its maximum; "submit"
 * needs every indicator and gives the total and its grade. A draft keeps the scores given so far.
 */
export async function saveScoredSheet(
  actor: Actor,
  drillId: number,
  form: { code: string; definition: EvaluationFormDefinition },
  input: ScoredSheetInput,
  ip: string,
): Promise<SheetResult> {
  const points: Record<string, number> = {};
  const fieldErrors: Record<string, string> = {};
  for (const i of form.definition.indicators) {
    const raw = input.points[i.code];
    if (raw === undefined || raw === "") {
      if (input.intent === "submit") fieldErrors[`points.${i.code}`] = "请填写本项得分";
      continue;
    }
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0 || n > i.max) fieldErrors[`points.${i.code}`] = `得分须在 0 到 ${i.max} 之间`;
    else points[i.code] = Math.round(n * 10) / 10;
  }
  if (Object.keys(fieldErrors).length) return refuseFields(fieldErrors);
  const graded = input.intent === "submit" ? gradeSheet(form.definition, points) : null;
  if (graded && !graded.ok) return refuseFields({ [`points.${graded.code}`]: "请填写本项得分" });
  return db.transaction().execute(async (trx) => {
    await openSheet(trx, actor, drillId, {
      overall_rating: null,
      overall_comment: input.overallComment ?? null,
      submitted_at: input.intent === "submit" ? now() : null,
      form_code: form.code,
      scores_json: JSON.stringify(points),
      total: graded?.ok ? graded.total.toFixed(2) : null,
      grade: graded?.ok ? graded.grade : null,
    });
    if (graded?.ok)
      await recordAudit(trx, {
        actorUserId: actor.userId,
        action: "drill.evaluation_submitted",
        entityType: "drill",
        entityId: drillId,
        after: { form: form.code, total: graded.total, grade: graded.grade, points },
        ip,
      });
    return { ok: true as const, submitted: input.intent === "submit" };
  });
}

/** A drill's evaluation on the form its organizer chose: rated (AQ/T 9009) or scored (GB/T 46792). */
export async function evaluationResults(drill: { id: number; evaluation_form: string }) {
  const code = formCodeOf(drill.evaluation_form);
  const form = await scoredForm(code);
  return form
    ? { kind: "scored" as const, ...(await scoredResults(drill.id, form)) }
    : { kind: "rated" as const, ...(await ratedResults(drill.id)) };
}
export type EvaluationResultsOf = Awaited<ReturnType<typeof evaluationResults>>;

/** Every evaluator's submitted sheet on a scored form: the mean per indicator, the mean total and the grade it gives. */
async function scoredResults(
  drillId: number,
  form: { code: string; name: string; definition: EvaluationFormDefinition },
) {
  const sheets = await db
    .selectFrom("evaluation_sheet")
    .innerJoin("user", "user.id", "evaluation_sheet.evaluator_user_id")
    .select([
      "evaluation_sheet.scores_json",
      "evaluation_sheet.total",
      "evaluation_sheet.grade",
      "evaluation_sheet.overall_comment",
      "evaluation_sheet.submitted_at",
      "user.display_name",
    ])
    .where("evaluation_sheet.drill_id", "=", drillId)
    .where("evaluation_sheet.submitted_at", "is not", null)
    .where("evaluation_sheet.form_code", "=", form.code)
    .orderBy("evaluation_sheet.submitted_at")
    .execute();
  const given = sheets.map((s) => JSON.parse(s.scores_json ?? "{}") as Record<string, number>);
  const mean = (xs: number[]) =>
    xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100 : null;
  const rows = form.definition.indicators.map((i) => {
    const scores = given.map((g) => (typeof g[i.code] === "number" ? g[i.code] : null));
    return { ...i, given: scores, mean: mean(scores.filter((x): x is number => x !== null)) };
  });
  const means = Object.fromEntries(rows.filter((r) => r.mean !== null).map((r) => [r.code, r.mean!]));
  const overall = sheets.length ? gradeSheet(form.definition, means) : null;
  return {
    formName: form.name,
    basis: form.definition.basis,
    max: form.definition.indicators.reduce((a, i) => a + i.max, 0),
    grades: form.definition.grades,
    evaluators: sheets.map((s) => ({
      name: s.display_name,
      total: Number(s.total),
      grade: s.grade ?? "—",
      comment: s.overall_comment,
      submittedAt: s.submitted_at!.toISOString(),
    })),
    rows,
    overall: overall?.ok ? { total: overall.total, percent: overall.percent, grade: overall.grade } : null,
  };
}

/** Every evaluator's submitted sheet, combined per criterion and overall (drafts do not count). */
async function ratedResults(drillId: number) {
  const [items, sheets] = await Promise.all([
    criteria(),
    db
      .selectFrom("evaluation_sheet")
      .innerJoin("user", "user.id", "evaluation_sheet.evaluator_user_id")
      .select([
        "evaluation_sheet.id",
        "evaluation_sheet.evaluator_user_id",
        "evaluation_sheet.overall_rating",
        "evaluation_sheet.overall_comment",
        "evaluation_sheet.submitted_at",
        "user.display_name",
      ])
      .where("evaluation_sheet.drill_id", "=", drillId)
      .where("evaluation_sheet.submitted_at", "is not", null)
      .orderBy("evaluation_sheet.submitted_at")
      .execute(),
  ]);
  const scores = sheets.length
    ? await db
        .selectFrom("evaluation_score")
        .select(["sheet_id", "criterion_id", "rating", "comment"])
        .where(
          "sheet_id",
          "in",
          sheets.map((s) => s.id),
        )
        .execute()
    : [];
  const bySheet = new Map(sheets.map((s) => [s.id, new Map<number, { rating: Rating; comment: string | null }>()]));
  for (const s of scores) bySheet.get(s.sheet_id)!.set(s.criterion_id, { rating: s.rating, comment: s.comment });
  return {
    evaluators: sheets.map((s) => ({
      name: s.display_name,
      overall: s.overall_rating,
      comment: s.overall_comment,
      submittedAt: s.submitted_at!.toISOString(),
    })),
    rows: items.map((c) => {
      const given = sheets.map((s) => bySheet.get(s.id)!.get(c.id) ?? null);
      return {
        id: c.id,
        section: c.section,
        text: c.text,
        given,
        combined: combineRatings(given.flatMap((g) => (g ? [g.rating] : []))),
      };
    }),
    overall: combineRatings(sheets.flatMap((s) => (s.overall_rating ? [s.overall_rating] : []))),
  };
}

/** Has any evaluator saved a sheet (draft or submitted) on this drill? Then its form is fixed. */
export async function hasSheets(drillId: number) {
  return !!(await db.selectFrom("evaluation_sheet").select("id").where("drill_id", "=", drillId).executeTakeFirst());
}

/** The organizer changes the drill's evaluation form, while no sheet has been saved on it; audited. */
export async function changeEvaluationForm(actor: Actor, drillId: number, code: EvaluationFormCode, ip: string) {
  return db.transaction().execute(async (trx) => {
    const d = await trx
      .selectFrom("drill")
      .select(["status", "evaluation_form"])
      .where("id", "=", drillId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (d.status === "closed" || d.status === "cancelled") return refuse(422, "演练已关闭或已取消，评估表不能再更换。");
    if (d.evaluation_form === code) return { ok: true as const };
    const sheet = await trx
      .selectFrom("evaluation_sheet")
      .select("id")
      .where("drill_id", "=", drillId)
      .executeTakeFirst();
    if (sheet) return refuse(422, "已有评估人员填写了评估表，评估表不能再更换。");
    await trx.updateTable("drill").set({ evaluation_form: code }).where("id", "=", drillId).execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "drill.evaluation_form",
      entityType: "drill",
      entityId: drillId,
      before: { form: d.evaluation_form },
      after: { form: code },
      ip,
    });
    return { ok: true as const };
  });
}
