import { sql, type Kysely } from "kysely";
import type { Database } from "../../../db/types";
import { addDays } from "../../lib/calendar";
import { todayIso } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { pendingAssignees } from "../courses/assignments.server";
import { notify } from "./notify.server";
import { KIND_LABELS as CERT_KINDS } from "../certification/rules";

/** Days before a training assignment's due date that its reminder goes out. */
export const ASSIGNMENT_DUE_SOON_DAYS = 3;
/** Days before a certificate's review or expiry that reminders go out. */
export const CERTIFICATE_REMINDER_DAYS = [90, 30] as const;

const PAGE = 500;

/** How far back an overdue reminder still goes out (a first run does not remind of years-old lapses). */
const OVERDUE_LOOKBACK_DAYS = 30;

/**
 * Reminders for what is in a reminder window today: training assignments due within 3 days or overdue; certificates
 * whose review (复审) or expiry comes within 90 days (31–90) or 30 days, or has passed. Each reminder has a dedupe key
 * (assignment or certificate id, window and due date), so running this every day — twice, or on two processes —
 * writes each reminder once, and something created today inside a window (an assignment due tomorrow, a certificate
 * imported 20 days before its review) is still reminded of; a renewed certificate (new due date) is reminded again.
 * Reads index ranges on due dates (course_assignment_due, certificate_due), paged by id.
 */
export async function sendReminders(today: string, q: Kysely<Database> = db) {
  let written = 0;
  // Windows are (lo, hi] on the due date.
  const windows = [
    { lo: addDays(today, -1), hi: addDays(today, ASSIGNMENT_DUE_SOON_DAYS), key: "soon" },
    { lo: addDays(today, -1 - OVERDUE_LOOKBACK_DAYS), hi: addDays(today, -1), key: "overdue" },
  ];
  for (const w of windows) {
    for (let after = 0; ;) {
      const rows = await q
        .selectFrom("course_assignment")
        .innerJoin("course", "course.id", "course_assignment.course_id")
        .select([
          "course_assignment.id",
          "course_assignment.enterprise_id",
          "course_assignment.course_id",
          "course_assignment.target",
          "course_assignment.target_post",
          "course_assignment.target_person_id",
          "course_assignment.due_on",
          "course.slug",
          "course.title",
        ])
        .where("course_assignment.due_on", ">", w.lo)
        .where("course_assignment.due_on", "<=", w.hi)
        .where("course_assignment.active", "=", 1)
        .where("course_assignment.id", ">", after)
        .orderBy("course_assignment.id")
        .limit(PAGE)
        .execute();
      for (const a of rows) {
        const overdue = w.key === "overdue";
        written += await q.transaction().execute(async (trx) =>
          notify(trx, {
            personIds: await pendingAssignees(trx, a),
            kind: "assignment_due",
            title: overdue ? `培训任务已逾期：${a.title}` : `培训任务即将到期：${a.title}`,
            body: overdue ? `截止日期 ${a.due_on} 已过，请尽快完成学习。` : `请在 ${a.due_on} 前完成学习。`,
            link: `/courses/${a.slug}`,
            dedupeKey: `assign-${w.key}:${a.id}:${a.due_on}`,
          }),
        );
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].id;
    }
  }
  // Certificates: valid_until (the earliest of expiry, review due, revocation) entering 90 and 30 days, and passing.
  const [far, near] = CERTIFICATE_REMINDER_DAYS;
  const certWindows = [
    { lo: addDays(today, near), hi: addDays(today, far), key: `${far}` },
    { lo: addDays(today, -1), hi: addDays(today, near), key: `${near}` },
    { lo: addDays(today, -1 - OVERDUE_LOOKBACK_DAYS), hi: addDays(today, -1), key: "overdue" },
  ];
  for (const w of certWindows) {
    for (let after = 0; ;) {
      const rows = await q
        .selectFrom("certificate")
        .select([
          "id",
          "person_id",
          "number",
          "category",
          "item",
          "kind",
          "expires_on",
          "review_due_on",
          "revoked_on",
          "valid_until",
        ])
        .where("valid_until", ">", w.lo)
        .where("valid_until", "<=", w.hi)
        .where("id", ">", after)
        .where("revoked_on", "is", null)
        .orderBy("id")
        .limit(PAGE)
        .execute();
      if (!rows.length) break;
      await q.transaction().execute(async (trx) => {
        for (const c of rows) {
          const review = c.review_due_on !== null && c.review_due_on === c.valid_until;
          const what = review ? "复审" : "有效期";
          const name = c.item ?? c.category ?? CERT_KINDS[c.kind];
          const overdue = w.key === "overdue";
          written += await notify(trx, {
            personIds: [c.person_id],
            kind: review ? "certificate_review" : "certificate_expiry",
            title: overdue
              ? `${name}已${review ? "超过复审期限" : "过期"}`
              : `${name}将于 ${c.valid_until} ${review ? "到复审期限" : "到期"}`,
            body: overdue
              ? `证书编号 ${c.number}：${what}已过（${c.valid_until}），请尽快办理。`
              : `证书编号 ${c.number}：${w.key} 天内到${what === "复审" ? "复审期限" : "期"}，请及时办理${review ? "复审" : "换证"}。`,
            link: "/me",
            dedupeKey: `cert-${w.key}:${c.id}:${c.valid_until}`,
          });
        }
      });
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].id;
    }
  }
  return written;
}

/** Once a day (any process; the job_state row `reminders` is claimed by compare-and-set): today's reminders. */
export async function dailyReminders(today = todayIso()) {
  const state = await db.selectFrom("job_state").select("value").where("name", "=", "reminders").executeTakeFirst();
  if (state && state.value >= today) return 0;
  const claimed = state
    ? await db
        .updateTable("job_state")
        .set({ value: today })
        .where("name", "=", "reminders")
        .where("value", "=", state.value)
        .executeTakeFirst()
    : await sql`INSERT IGNORE INTO job_state (name, value) VALUES ('reminders', ${today})`
        .execute(db)
        .then((r) => ({ numUpdatedRows: r.numAffectedRows }));
  if (Number(claimed.numUpdatedRows ?? 0) === 0) return 0;
  return sendReminders(today);
}
