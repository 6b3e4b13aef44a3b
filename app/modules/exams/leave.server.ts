import { sql } from "kysely";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { finalizeAttempt } from "./grading.server";
import { LEAVE_MERGE_MS, leaveWarning, overLeaveLimit } from "./leave";
import { LeaveInput } from "./schema";

export type LeaveResult =
  | { ok: true; count: number; limit: number | null; handedIn: boolean; message: string }
  | { ok: false; status: 404 | 409; message: string };

/**
 * Record that the examinee left the paper (切屏). Only an open paper within its deadline counts: a leave after the
 * hand-in or the deadline changes nothing. A leave within LEAVE_MERGE_MS of the previous one is the same leave. When
 * the template's limit is exceeded the paper is handed in with what was saved (closed_by = leave_limit).
 */
export async function recordLeave(
  attemptId: number,
  personId: number | null,
  kind: "hidden" | "blur",
): Promise<LeaveResult> {
  const outcome = await db.transaction().execute(async (trx) => {
    // Lock the attempt only: joined under FOR UPDATE, the template's row would be locked too, and every 切屏 of an
    // exam day would queue on it.
    const attempt = await trx
      .selectFrom("attempt")
      .select(["person_id", "template_id", "submitted_at", "deadline_at", "leave_count"])
      .where("id", "=", attemptId)
      .forUpdate()
      .executeTakeFirst();
    if (!attempt || attempt.person_id !== personId)
      return { ok: false as const, status: 404 as const, message: "该答卷不存在。" };
    const { leave_limit } = await trx
      .selectFrom("exam_template")
      .select("leave_limit")
      .where("id", "=", attempt.template_id)
      .executeTakeFirstOrThrow();
    const a = { ...attempt, leave_limit };
    if (a.submitted_at) return { ok: false as const, status: 409 as const, message: "已交卷，切屏不再记录。" };
    const t = now();
    if (t >= a.deadline_at)
      return { ok: false as const, status: 409 as const, message: "考试时间已到。", expired: true };
    const last = await trx
      .selectFrom("attempt_leave")
      .select("left_at")
      .where("attempt_id", "=", attemptId)
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    let count = a.leave_count;
    if (!last || t.getTime() - last.left_at.getTime() >= LEAVE_MERGE_MS) {
      await trx
        .insertInto("attempt_leave")
        .values({ attempt_id: attemptId, kind, left_at: t, away_ms: null })
        .execute();
      count += 1;
      await trx.updateTable("attempt").set({ leave_count: count }).where("id", "=", attemptId).execute();
    }
    return { ok: true as const, count, limit: a.leave_limit };
  });
  if (!outcome.ok) {
    if ("expired" in outcome) await finalizeAttempt(attemptId, "deadline");
    return { ok: false, status: outcome.status, message: outcome.message };
  }
  const over = overLeaveLimit(outcome.count, outcome.limit);
  // Graded once whichever request gets there first (finalizeAttempt locks and checks submitted_at).
  if (over) await finalizeAttempt(attemptId, "leave_limit");
  return {
    ok: true,
    count: outcome.count,
    limit: outcome.limit,
    handedIn: over,
    message: leaveWarning(outcome.count, outcome.limit),
  };
}

/** How long the examinee was away, reported when they come back (kept on their newest leave, capped at a day). */
export async function recordReturn(attemptId: number, personId: number | null, awayMs: number) {
  const a = await db
    .selectFrom("attempt")
    .select(["person_id", "submitted_at"])
    .where("id", "=", attemptId)
    .executeTakeFirst();
  if (!a || a.person_id !== personId || a.submitted_at) return;
  await sql`UPDATE attempt_leave SET away_ms = ${Math.min(Math.max(0, Math.round(awayMs)), 86_400_000)}
    WHERE attempt_id = ${attemptId} AND away_ms IS NULL ORDER BY id DESC LIMIT 1`.execute(db);
}

/** 切屏 of a template's attempts for the officer: papers left at least once, newest first, with each leave's time. */
export async function leavesOfTemplate(templateId: number, enterpriseId: number | null, limit = 50) {
  let q = db
    .selectFrom("attempt")
    .innerJoin("person", "person.id", "attempt.person_id")
    .leftJoin("exam", "exam.id", "attempt.exam_id")
    .select([
      "attempt.id",
      "attempt.leave_count",
      "attempt.closed_by",
      "attempt.score",
      "attempt.submitted_at",
      "person.name",
      "exam.title",
    ])
    .where("attempt.template_id", "=", templateId)
    .where("attempt.leave_count", ">", 0)
    .where("attempt.mock", "=", 0)
    .orderBy("attempt.id", "desc")
    .limit(limit);
  if (enterpriseId !== null) q = q.where("person.enterprise_id", "=", enterpriseId);
  const rows = await q.execute();
  const leaves = rows.length
    ? await db
        .selectFrom("attempt_leave")
        .select(["attempt_id", "left_at", "kind", "away_ms"])
        .where(
          "attempt_id",
          "in",
          rows.map((r) => r.id),
        )
        .orderBy("id")
        .execute()
    : [];
  return rows.map((r) => ({
    ...r,
    leaves: leaves
      .filter((l) => l.attempt_id === r.id)
      .map((l) => ({ at: l.left_at.toISOString(), kind: l.kind, awayMs: l.away_ms })),
  }));
}

/** A 切屏 report from the page, checked and recorded for the attempt's own person: JSON status and body to send. */
export async function reportLeave(
  attemptId: number,
  personId: number | null,
  fields: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const input = LeaveInput.safeParse(fields);
  if (!input.success) return { status: 422, body: { ok: false, message: "切屏记录格式无效" } };
  if (input.data.event === "back") {
    await recordReturn(attemptId, personId, input.data.awayMs);
    return { status: 200, body: { ok: true } };
  }
  const r = await recordLeave(attemptId, personId, input.data.kind);
  return r.ok ? { status: 200, body: r } : { status: r.status, body: r };
}
