import { sql, type Kysely } from "kysely";

const now = sql`CURRENT_TIMESTAMP`;

export async function up(db: Kysely<any>): Promise<void> {
  // Synced from the built content catalog (scripts/db.ts setup); lessons keep their ids across syncs.
  await db.schema
    .createTable("course")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("slug", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("title", "varchar(128)", (c) => c.notNull())
    .addColumn("hours", "decimal(5, 1)", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("content_hash", "char(16)", (c) => c.notNull())
    .addColumn("posts", "varchar(128)", (c) => c.notNull())
    .addColumn("industries", "varchar(512)", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("lesson_count", "integer", (c) => c.notNull())
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .execute();

  await db.schema
    .createTable("lesson")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("course_id", "integer", (c) => c.notNull().references("course.id"))
    .addColumn("slug", "varchar(64)", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("title", "varchar(128)", (c) => c.notNull())
    .addColumn("chars", "integer", (c) => c.notNull())
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addUniqueConstraint("lesson_course_slug", ["course_id", "slug"])
    .execute();

  // Time on page is counted by the server between heartbeats, never taken from the client.
  await db.schema
    .createTable("lesson_progress")
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("lesson_id", "integer", (c) => c.notNull().references("lesson.id"))
    .addColumn("seconds_spent", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_seen_at", "datetime", (c) => c.notNull())
    .addColumn("completed_at", "datetime")
    .addPrimaryKeyConstraint("lesson_progress_pk", ["person_id", "lesson_id"])
    .execute();

  // One row per person and course: the primary key makes crediting hours happen once.
  await db.schema
    .createTable("course_completion")
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("course_id", "integer", (c) => c.notNull().references("course.id"))
    .addColumn("course_version", "integer", (c) => c.notNull())
    .addColumn("completed_at", "datetime", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("course_completion_pk", ["person_id", "course_id"])
    .execute();
  await db.schema
    .createIndex("course_completion_course")
    .on("course_completion")
    .columns(["course_id", "completed_at"])
    .execute();

  // The credit-hours ledger 学时台账: every source writes here, keyed so the same event counts once.
  await db.schema
    .createTable("training_record")
    .addColumn("id", "bigint", (c) => c.primaryKey().autoIncrement())
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("enterprise_id", "integer", (c) => c.notNull().references("enterprise.id"))
    .addColumn("source", "varchar(16)", (c) => c.notNull())
    .addColumn("source_key", "varchar(64)", (c) => c.notNull())
    .addColumn("title", "varchar(128)", (c) => c.notNull())
    .addColumn("hours", "decimal(5, 1)", (c) => c.notNull())
    .addColumn("trained_on", "date", (c) => c.notNull())
    .addColumn("note", "varchar(255)")
    .addColumn("recorded_by", "varchar(32)")
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("training_record_once", ["person_id", "source_key"])
    .execute();
  await db.schema
    .createIndex("training_record_person_date")
    .on("training_record")
    .columns(["person_id", "trained_on"])
    .execute();
  await db.schema
    .createIndex("training_record_enterprise_date")
    .on("training_record")
    .columns(["enterprise_id", "trained_on"])
    .execute();

  await db.schema
    .createTable("course_assignment")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("enterprise_id", "integer", (c) => c.notNull().references("enterprise.id"))
    .addColumn("course_id", "integer", (c) => c.notNull().references("course.id"))
    // everyone | post | person | new_hires (pre-job set: due a number of days after each hire date)
    .addColumn("target", "varchar(16)", (c) => c.notNull())
    .addColumn("target_post", "varchar(20)")
    .addColumn("target_person_id", "integer", (c) => c.references("person.id"))
    .addColumn("due_on", "date")
    .addColumn("due_days", "integer")
    .addColumn("created_by", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .execute();
  await db.schema
    .createIndex("course_assignment_enterprise")
    .on("course_assignment")
    .columns(["enterprise_id", "active"])
    .execute();

  // Hours a post must reach (docs/domain.md), kept as data so an admin can follow rule changes.
  await db.schema
    .createTable("training_hours_rule")
    .addColumn("post", "varchar(20)", (c) => c.notNull())
    .addColumn("high_risk", "boolean", (c) => c.notNull())
    .addColumn("phase", "varchar(8)", (c) => c.notNull())
    .addColumn("hours", "decimal(5, 1)", (c) => c.notNull())
    .addColumn("basis", "varchar(255)", (c) => c.notNull())
    .addPrimaryKeyConstraint("training_hours_rule_pk", ["post", "high_risk", "phase"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "training_hours_rule",
    "course_assignment",
    "training_record",
    "course_completion",
    "lesson_progress",
    "lesson",
    "course",
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
