import { sql, type Kysely } from "kysely";

/**
 * A photo taken at join for an on-site quiz 逢查必考 whose inspector asked for one (`onsite_quiz.photo_at_join`):
 * one row per participant, written in the join's transaction, served only to those who may read the inspection.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("onsite_quiz")
    .addColumn("photo_at_join", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema
    .createTable("quiz_participant_photo")
    .addColumn("participant_id", "integer", (c) => c.primaryKey().references("quiz_participant.id"))
    .addColumn("quiz_id", "integer", (c) => c.notNull().references("onsite_quiz.id"))
    .addColumn("content_type", "varchar(32)", (c) => c.notNull())
    .addColumn("bytes", sql`mediumblob`, (c) => c.notNull())
    .addColumn("taken_at", sql`datetime(3)`, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("quiz_participant_photo_quiz")
    .on("quiz_participant_photo")
    .columns(["quiz_id", "participant_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("quiz_participant_photo").execute();
  await db.schema.alterTable("onsite_quiz").dropColumn("photo_at_join").execute();
}
