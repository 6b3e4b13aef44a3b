import { sql } from "kysely";
import { db } from "../../lib/db.server";
import type { InboxOwner } from "./notify.server";

/** The shell's badge: unread notices, counted up to 100 (shown as 99+), so a neglected inbox costs no more. */
export async function unreadBadge(owner: InboxOwner): Promise<number> {
  const inner = db
    .selectFrom("notification")
    .select(sql<number>`1`.as("x"))
    .where("read_at", "is", null)
    .where((eb) =>
      owner.personId === null
        ? eb("user_id", "=", owner.userId)
        : eb.or([eb("user_id", "=", owner.userId), eb("person_id", "=", owner.personId)]),
    )
    .limit(100);
  const row = await db
    .selectFrom(inner.as("t"))
    .select(sql<number>`COUNT(*)`.as("n"))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export const KIND_LABELS: Record<string, string> = {
  assignment: "培训任务",
  assignment_due: "培训提醒",
  reminder: "提醒",
  exam_open: "考试",
  exam_result: "考试成绩",
  makeup_exam: "补考",
  retest: "复测",
  certificate_review: "证书复审",
  certificate_expiry: "证书到期",
  drill_task: "应急演练",
  rectification: "整改",
  callout: "应急调用",
  contest: "竞赛",
  system: "系统",
};
