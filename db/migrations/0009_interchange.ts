import { sql, type Kysely } from "kysely";

/**
 * The media store for question pictures and audio: one row per distinct file, named by the first 32 hex digits of
 * its SHA-256 (question texts carry [[img:<hash>]] tokens). In MySQL so that every app process serves every file.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("question_media")
    .addColumn("hash", "char(32)", (c) => c.primaryKey())
    .addColumn("kind", "varchar(8)", (c) => c.notNull())
    .addColumn("content_type", "varchar(32)", (c) => c.notNull())
    .addColumn("bytes", sql`mediumblob`, (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("created_by", "varchar(32)")
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("question_media").ifExists().execute();
}
