import { sql, type Kysely } from "kysely";

const now = sql`CURRENT_TIMESTAMP`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("inspection")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("enterprise_id", "integer", (c) => c.notNull().references("enterprise.id"))
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("inspected_on", "date", (c) => c.notNull())
    .addColumn("inspectors", "varchar(255)", (c) => c.notNull())
    .addColumn("place", "varchar(255)")
    .addColumn("notes", "text")
    .addColumn("created_by", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("inspection_enterprise")
    .on("inspection")
    .columns(["enterprise_id", "inspected_on"])
    .execute();
  await db.schema.createIndex("inspection_region").on("inspection").columns(["region_path", "inspected_on"]).execute();

  await db.schema
    .createTable("onsite_quiz")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("inspection_id", "integer", (c) => c.notNull().references("inspection.id"))
    .addColumn("enterprise_id", "integer", (c) => c.notNull().references("enterprise.id"))
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("industry_code", "varchar(32)", (c) => c.notNull())
    // The QR code carries the token; people can also type the short code.
    .addColumn("token", "char(24)", (c) => c.notNull().unique())
    .addColumn("join_code", "char(6)", (c) => c.notNull().unique())
    // JSON: { post: { count, templateId } } — who is quizzed, how many, on which paper.
    .addColumn("plan", "text", (c) => c.notNull())
    .addColumn("expires_at", "datetime", (c) => c.notNull())
    .addColumn("closed_at", "datetime")
    .addColumn("created_by", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("onsite_quiz_inspection").on("onsite_quiz").column("inspection_id").execute();
  await db.schema
    .createIndex("onsite_quiz_region_time")
    .on("onsite_quiz")
    .columns(["region_path", "created_at"])
    .execute();

  await db.schema
    .createTable("quiz_participant")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("quiz_id", "integer", (c) => c.notNull().references("onsite_quiz.id"))
    .addColumn("person_id", "integer", (c) => c.references("person.id"))
    .addColumn("name", "varchar(64)", (c) => c.notNull())
    .addColumn("id_number_hash", "char(64)", (c) => c.notNull())
    .addColumn("id_number_masked", "char(18)", (c) => c.notNull())
    .addColumn("post", "varchar(20)", (c) => c.notNull())
    .addColumn("on_file", "boolean", (c) => c.notNull())
    .addColumn("name_mismatch", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("secret_hash", "char(64)", (c) => c.notNull())
    .addColumn("attempt_id", "bigint", (c) => c.references("attempt.id"))
    .addColumn("joined_at", "datetime", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("quiz_participant_once", ["quiz_id", "id_number_hash"])
    .execute();
  await db.schema
    .createIndex("quiz_participant_person")
    .on("quiz_participant")
    .columns(["person_id", "quiz_id"])
    .execute();
  await db.schema.createIndex("quiz_participant_attempt").on("quiz_participant").column("attempt_id").execute();

  await db.schema
    .createTable("follow_up")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("participant_id", "integer", (c) => c.notNull().references("quiz_participant.id").unique())
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("enterprise_id", "integer", (c) => c.notNull().references("enterprise.id"))
    .addColumn("post", "varchar(20)", (c) => c.notNull())
    .addColumn("course_id", "integer", (c) => c.references("course.id"))
    .addColumn("weak_topics", "varchar(255)", (c) => c.notNull())
    .addColumn("retest_due", "date", (c) => c.notNull())
    .addColumn("retest_attempt_id", "bigint", (c) => c.references("attempt.id"))
    .addColumn("closed_at", "datetime")
    .addColumn("closed_how", "varchar(16)")
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("follow_up_enterprise").on("follow_up").columns(["enterprise_id", "closed_at"]).execute();
  await db.schema.createIndex("follow_up_person").on("follow_up").columns(["person_id", "closed_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["follow_up", "quiz_participant", "onsite_quiz", "inspection"])
    await db.schema.dropTable(t).ifExists().execute();
}
