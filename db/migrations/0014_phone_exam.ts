import { sql, type Kysely } from "kysely";

/**
 * The exam on a phone (docs/decisions/0021):
 * - 切屏: every time an examinee leaves the paper (page hidden or window blurred) is an `attempt_leave` row with its
 *   time; `attempt.leave_count` counts them for lists; `exam_template.leave_limit` (NULL = no limit) hands a paper in
 *   once it is left more than that many times.
 * - 模拟考试: `attempt.mock` marks a paper drawn from a template for practice; it never counts as a sitting.
 * - Practice: `practice_position` remembers where a person is in 顺序练习 of a topic; `question_favorite` is 收藏.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("attempt")
    .addColumn("leave_count", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("attempt")
    .addColumn("mock", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema.alterTable("exam_template").addColumn("leave_limit", "integer").execute();
  await db.schema
    .createTable("attempt_leave")
    .addColumn("id", "bigint", (c) => c.primaryKey().autoIncrement())
    .addColumn("attempt_id", "bigint", (c) => c.notNull().references("attempt.id"))
    .addColumn("kind", "varchar(8)", (c) => c.notNull())
    .addColumn("left_at", "datetime(3)", (c) => c.notNull())
    .addColumn("away_ms", "integer")
    .execute();
  await db.schema.createIndex("attempt_leave_attempt").on("attempt_leave").columns(["attempt_id", "id"]).execute();
  // 顺序练习 walks a topic by id: one index range per bank.
  await db.schema
    .createIndex("question_sequence")
    .on("question")
    .columns(["owner_enterprise_id", "topic", "id"])
    .execute();
  await db.schema.createIndex("attempt_mock_person").on("attempt").columns(["person_id", "mock", "id"]).execute();
  await db.schema
    .createTable("practice_position")
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("topic", "varchar(64)", (c) => c.notNull())
    .addColumn("question_id", "integer", (c) => c.notNull())
    .addColumn("updated_at", "datetime(3)", (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addPrimaryKeyConstraint("practice_position_pk", ["person_id", "topic"])
    .execute();
  await db.schema
    .createTable("question_favorite")
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("question_id", "integer", (c) => c.notNull().references("question.id"))
    .addColumn("created_at", "datetime(3)", (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addPrimaryKeyConstraint("question_favorite_pk", ["person_id", "question_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("question_favorite").execute();
  await db.schema.dropTable("practice_position").execute();
  await db.schema.dropTable("attempt_leave").execute();
  await db.schema.dropIndex("attempt_mock_person").on("attempt").execute();
  await db.schema.dropIndex("question_sequence").on("question").execute();
  await db.schema.alterTable("exam_template").dropColumn("leave_limit").execute();
  await db.schema.alterTable("attempt").dropColumn("mock").execute();
  await db.schema.alterTable("attempt").dropColumn("leave_count").execute();
}
