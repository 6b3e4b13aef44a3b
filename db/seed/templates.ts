import type { Kysely } from "kysely";
import type { Database } from "../types";
import type { PaperRule } from "../../app/modules/exams/draw";

const rule = (type: PaperRule["type"], count: number, points: number): PaperRule => ({
  type,
  count,
  topic: null,
  minDifficulty: 1,
  maxDifficulty: 5,
  post: "examinee",
  industry: "enterprise",
  points,
});

/** The shared exam templates every enterprise can use; inserted once, then maintained by admins. */
export async function seedTemplates(db: Kysely<Database>) {
  const existing = await db
    .selectFrom("exam_template")
    .select("id")
    .where("enterprise_id", "is", null)
    .limit(1)
    .executeTakeFirst();
  if (existing) return;
  await db
    .insertInto("exam_template")
    .values([
      {
        name: "年度安全生产知识考试（按岗位）",
        rules: JSON.stringify([rule("single", 20, 2), rule("multiple", 10, 4), rule("judge", 10, 2)]),
        time_limit_minutes: 60,
        pass_mark: 80,
        attempts_allowed: 2,
        shuffle_options: 1,
        show_answers: "after_submit",
        multiple_scoring: "all_or_nothing",
        purpose: "exam",
        created_by: "system",
        enterprise_id: null,
      },
      ...(["principal", "safety_manager", "special_operator", "worker"] as const).map((post) => ({
        name: `逢查必考·${{ principal: "主要负责人", safety_manager: "安全生产管理人员", special_operator: "特种作业人员", worker: "从业人员" }[post]}`,
        // About 10 questions in about 10 minutes, 80 to pass (docs/domain.md), by post and the enterprise's industry.
        rules: JSON.stringify(
          [rule("single", 6, 10), rule("multiple", 2, 10), rule("judge", 2, 10)].map((r) => ({ ...r, post })),
        ),
        time_limit_minutes: 10,
        pass_mark: 80,
        attempts_allowed: 1,
        shuffle_options: 1,
        show_answers: "after_submit" as const,
        multiple_scoring: "all_or_nothing" as const,
        purpose: "quiz" as const,
        created_by: "system",
        enterprise_id: null,
      })),
      {
        name: "岗前安全培训考试（新员工）",
        rules: JSON.stringify([rule("single", 15, 4), rule("judge", 10, 4)].map((r) => ({ ...r, maxDifficulty: 3 }))),
        time_limit_minutes: 30,
        pass_mark: 80,
        attempts_allowed: 3,
        shuffle_options: 1,
        show_answers: "after_submit",
        multiple_scoring: "all_or_nothing",
        purpose: "exam",
        created_by: "system",
        enterprise_id: null,
      },
    ])
    .execute();
}
