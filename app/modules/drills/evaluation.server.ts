import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { httpError } from "../../lib/http";
import type { Rating } from "../../../db/types";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import { combineRatings } from "./rules";
import type { SheetInput } from "./schema";

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
    overallRating: sheet?.overall_rating ?? null,
    overallComment: sheet?.overall_comment ?? null,
    scores: Object.fromEntries(scores.map((s) => [s.criterion_id, { rating: s.rating, comment: s.comment }])) as Record<
      number,
      { rating: Rating; comment: string | null }
    >,
  };
}

export type SheetResult = { ok: true; submitted: boolean } | { ok: false; fieldErrors: Record<string, string> };

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
    if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors };
  }
  return db.transaction().execute(async (trx) => {
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
    const values = {
      overall_rating: input.overallRating ?? null,
      overall_comment: input.overallComment ?? null,
      updated_at: now(),
      submitted_at: input.intent === "submit" ? now() : null,
    };
    let sheetId = existing?.id;
    if (sheetId) await trx.updateTable("evaluation_sheet").set(values).where("id", "=", sheetId).execute();
    else
      sheetId = Number(
        (
          await trx
            .insertInto("evaluation_sheet")
            .values({ ...values, drill_id: drillId, evaluator_user_id: actor.userId })
            .executeTakeFirstOrThrow()
        ).insertId,
      );
    await trx.deleteFrom("evaluation_score").where("sheet_id", "=", sheetId).execute();
    if (scores.length) {
      await trx
        .insertInto("evaluation_score")
        .values(
          scores.map(([id, s]) => ({
            sheet_id: sheetId!,
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

/** Every evaluator's submitted sheet, combined per criterion and overall (drafts do not count). */
export async function evaluationResults(drillId: number) {
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
