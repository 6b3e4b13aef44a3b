import { sql, type Kysely } from "kysely";

const now = sql`CURRENT_TIMESTAMP`;

export async function up(db: Kysely<any>): Promise<void> {
  // A question's identity and its tags; the words live in versions so answered questions never change.
  await db.schema
    .createTable("question")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    // 0 = the shared bank (shipped content, admin imports); otherwise the enterprise that imported it.
    .addColumn("owner_enterprise_id", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("external_id", "varchar(64)", (c) => c.notNull())
    .addColumn("current_version_id", "integer")
    .addColumn("type", "varchar(8)", (c) => c.notNull())
    .addColumn("topic", "varchar(64)", (c) => c.notNull())
    .addColumn("difficulty", "smallint", (c) => c.notNull())
    .addColumn("posts", "varchar(128)", (c) => c.notNull())
    .addColumn("industries", "varchar(512)", (c) => c.notNull())
    .addColumn("course_slug", "varchar(64)")
    .addColumn("lesson_slug", "varchar(64)")
    .addColumn("source", "varchar(16)", (c) => c.notNull())
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("question_external")
    .on("question")
    .columns(["owner_enterprise_id", "external_id"])
    .unique()
    .execute();
  await db.schema
    .createIndex("question_topic")
    .on("question")
    .columns(["owner_enterprise_id", "topic", "type", "active"])
    .execute();

  await db.schema
    .createTable("question_version")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("question_id", "integer", (c) => c.notNull().references("question.id"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("stem", "text", (c) => c.notNull())
    .addColumn("options", "text", (c) => c.notNull())
    .addColumn("answer", "varchar(16)", (c) => c.notNull())
    .addColumn("explanation", "text")
    .addColumn("regulation", "varchar(255)")
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("question_version_once", ["question_id", "version"])
    .execute();

  // Dense pools: every active question sits at seq 1..n of each pool its tags put it in, so a uniform draw
  // picks random positions and reads them by primary key: cost grows with questions drawn, not bank size.
  await db.schema
    .createTable("question_pool")
    .addColumn("pool_key", "varchar(191)", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("question_id", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("question_pool_pk", ["pool_key", "seq"])
    .execute();
  await db.schema
    .createIndex("question_pool_question")
    .on("question_pool")
    .columns(["question_id", "pool_key"])
    .execute();
  await db.schema
    .createTable("question_pool_size")
    .addColumn("pool_key", "varchar(191)", (c) => c.primaryKey())
    .addColumn("n", "integer", (c) => c.notNull())
    .addColumn("owner_enterprise_id", "integer", (c) => c.notNull())
    .addColumn("type", "varchar(8)", (c) => c.notNull())
    .addColumn("topic", "varchar(64)", (c) => c.notNull())
    .addColumn("difficulty", "smallint", (c) => c.notNull())
    .addColumn("post", "varchar(20)", (c) => c.notNull())
    .addColumn("industry", "varchar(32)", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("question_pool_size_lookup")
    .on("question_pool_size")
    .columns(["owner_enterprise_id", "type", "post", "industry", "topic", "difficulty"])
    .execute();

  await db.schema
    .createTable("exam_template")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("enterprise_id", "integer", (c) => c.references("enterprise.id"))
    .addColumn("name", "varchar(128)", (c) => c.notNull())
    .addColumn("rules", "text", (c) => c.notNull())
    .addColumn("time_limit_minutes", "integer", (c) => c.notNull())
    .addColumn("pass_mark", "integer", (c) => c.notNull())
    .addColumn("attempts_allowed", "integer", (c) => c.notNull())
    .addColumn("shuffle_options", "boolean", (c) => c.notNull())
    .addColumn("show_answers", "varchar(16)", (c) => c.notNull())
    .addColumn("multiple_scoring", "varchar(16)", (c) => c.notNull())
    .addColumn("purpose", "varchar(16)", (c) => c.notNull().defaultTo("exam"))
    .addColumn("created_by", "varchar(32)", (c) => c.notNull())
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("exam_template_enterprise")
    .on("exam_template")
    .columns(["enterprise_id", "active"])
    .execute();

  await db.schema
    .createTable("exam")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("template_id", "integer", (c) => c.notNull().references("exam_template.id"))
    .addColumn("enterprise_id", "integer", (c) => c.notNull().references("enterprise.id"))
    .addColumn("title", "varchar(128)", (c) => c.notNull())
    .addColumn("posts", "varchar(128)", (c) => c.notNull())
    .addColumn("opens_at", "datetime", (c) => c.notNull())
    .addColumn("closes_at", "datetime", (c) => c.notNull())
    .addColumn("created_by", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("exam_enterprise").on("exam").columns(["enterprise_id", "closes_at"]).execute();

  await db.schema
    .createTable("attempt")
    .addColumn("id", "bigint", (c) => c.primaryKey().autoIncrement())
    .addColumn("template_id", "integer", (c) => c.notNull().references("exam_template.id"))
    .addColumn("exam_id", "integer", (c) => c.references("exam.id"))
    .addColumn("person_id", "integer", (c) => c.references("person.id"))
    .addColumn("attempt_no", "integer", (c) => c.notNull())
    .addColumn("started_at", sql`datetime(3)`, (c) => c.notNull())
    .addColumn("deadline_at", sql`datetime(3)`, (c) => c.notNull())
    .addColumn("submitted_at", sql`datetime(3)`)
    .addColumn("closed_by", "varchar(16)")
    .addColumn("score", "decimal(5, 1)")
    .addColumn("passed", "boolean")
    .addColumn("total_points", "decimal(6, 1)", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("attempt_exam_person")
    .on("attempt")
    .columns(["exam_id", "person_id", "attempt_no"])
    .unique()
    .execute();
  await db.schema.createIndex("attempt_person").on("attempt").columns(["person_id", "started_at"]).execute();
  await db.schema.createIndex("attempt_open_deadline").on("attempt").columns(["submitted_at", "deadline_at"]).execute();
  await db.schema.createIndex("attempt_template").on("attempt").columns(["template_id", "submitted_at"]).execute();

  await db.schema
    .createTable("attempt_item")
    .addColumn("attempt_id", "bigint", (c) => c.notNull().references("attempt.id"))
    .addColumn("position", "smallint", (c) => c.notNull())
    .addColumn("question_id", "integer", (c) => c.notNull().references("question.id"))
    .addColumn("question_version_id", "integer", (c) => c.notNull().references("question_version.id"))
    // Displayed option i is original option option_order[i] (digits), so a reload shows the same order.
    .addColumn("option_order", "varchar(8)", (c) => c.notNull())
    .addColumn("points", "decimal(4, 1)", (c) => c.notNull())
    .addColumn("earned", "decimal(4, 1)")
    .addPrimaryKeyConstraint("attempt_item_pk", ["attempt_id", "position"])
    .execute();
  await db.schema.createIndex("attempt_item_question").on("attempt_item").columns(["question_id"]).execute();

  // One row per answered item: saving is an upsert, ordered by the client's sequence number.
  await db.schema
    .createTable("attempt_answer")
    .addColumn("attempt_id", "bigint", (c) => c.notNull().references("attempt.id"))
    .addColumn("position", "smallint", (c) => c.notNull())
    .addColumn("answer", "varchar(16)", (c) => c.notNull())
    .addColumn("client_seq", "integer", (c) => c.notNull())
    .addColumn("saved_at", sql`datetime(3)`, (c) => c.notNull())
    .addPrimaryKeyConstraint("attempt_answer_pk", ["attempt_id", "position"])
    .execute();

  await db.schema
    .createTable("wrong_answer")
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("question_id", "integer", (c) => c.notNull().references("question.id"))
    .addColumn("wrong_count", "integer", (c) => c.notNull())
    .addColumn("last_wrong_at", "datetime", (c) => c.notNull())
    .addColumn("mastered_at", "datetime")
    .addPrimaryKeyConstraint("wrong_answer_pk", ["person_id", "question_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "wrong_answer",
    "attempt_answer",
    "attempt_item",
    "attempt",
    "exam",
    "exam_template",
    "question_pool_size",
    "question_pool",
    "question_version",
    "question",
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
