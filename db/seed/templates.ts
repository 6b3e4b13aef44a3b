import type { Kysely } from "kysely";
import type { Database } from "../types";
import type { PaperRule } from "../../app/modules/exams/draw";

const rule = (type: PaperRule["type"], count: number, points: number): PaperRule =>
  ({ type, count, topic: null, minDifficulty: 1, maxDifficulty: 5, post: "examinee", industry: "enterprise", points });

/** The shared exam templates every enterprise can use; inserted once, then maintained by admins. */
export async function seedTemplates(db: Kysely<Database>) {
  const existing = await db.selectFrom("exam_template").select("id").where("enterprise_id", "is", null).limit(1).executeTakeFirst();
  if (existing) return;
  await db.insertInto("exam_template").values([
    {
      name: "年度安全生产知识考试（按岗位）", rules: JSON.stringify([rule("single", 20, 2), rule("multiple", 10, 4), rule("judge", 10, 2)]),
      time_limit_minutes: 60, pass_mark: 80, attempts_allowed: 2, shuffle_options: 1, show_answers: "after_submit",
      multiple_scoring: "all_or_nothing", purpose: "exam", created_by: "system", enterprise_id: null,
    },
    {
      name: "岗前安全培训考试（新员工）", rules: JSON.stringify([rule("single", 15, 4), rule("judge", 10, 4)].map((r) => ({ ...r, maxDifficulty: 3 }))),
      time_limit_minutes: 30, pass_mark: 80, attempts_allowed: 3, shuffle_options: 1, show_answers: "after_submit",
      multiple_scoring: "all_or_nothing", purpose: "exam", created_by: "system", enterprise_id: null,
    },
  ]).execute();
}
