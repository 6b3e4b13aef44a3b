import { sql, type Kysely } from "kysely";

const now = sql`CURRENT_TIMESTAMP`;

/**
 * The regulation registry 法规库 (loaded from content/regulations.yaml), what cites each entry, and the 待复核 flags
 * raised when an entry is repealed, superseded or revised (decision 0016).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("regulation")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("code", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("name", "varchar(120)", (c) => c.notNull())
    .addColumn("aliases", "text", (c) => c.notNull())
    .addColumn("kind", "varchar(32)", (c) => c.notNull())
    .addColumn("number", "varchar(100)")
    .addColumn("issuer", "varchar(100)", (c) => c.notNull())
    .addColumn("issued_on", "date")
    .addColumn("effective_on", "date")
    .addColumn("repealed_on", "date")
    .addColumn("superseded_by", "varchar(64)")
    .addColumn("version", "varchar(100)", (c) => c.notNull())
    .addColumn("article_count", "integer")
    .addColumn("note", "varchar(500)")
    .addColumn("updated_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createTable("regulation_article")
    .addColumn("regulation_id", "integer", (c) => c.notNull().references("regulation.id"))
    .addColumn("label", "varchar(40)", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("gist", "varchar(300)", (c) => c.notNull())
    .addPrimaryKeyConstraint("regulation_article_pk", ["regulation_id", "label"])
    .execute();
  // What cites an entry: courses (frontmatter), lessons (<Regulation>), questions of the shipped bank. Rebuilt by
  // each content sync; read by regulation id when an entry changes.
  await db.schema
    .createTable("regulation_citation")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("regulation_id", "integer", (c) => c.notNull().references("regulation.id"))
    .addColumn("item_kind", "varchar(16)", (c) => c.notNull())
    .addColumn("item_id", "integer", (c) => c.notNull())
    .addColumn("article", "varchar(40)", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema
    .createIndex("regulation_citation_item")
    .on("regulation_citation")
    .columns(["item_kind", "item_id", "regulation_id", "article"])
    .unique()
    .execute();
  await db.schema
    .createIndex("regulation_citation_entry")
    .on("regulation_citation")
    .columns(["regulation_id", "item_kind"])
    .execute();
  // A 待复核 flag: open until someone reviews it (who, when, what they found). Never deleted.
  await db.schema
    .createTable("content_review")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("item_kind", "varchar(16)", (c) => c.notNull())
    .addColumn("item_id", "integer", (c) => c.notNull())
    .addColumn("owner_enterprise_id", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("regulation_id", "integer", (c) => c.notNull().references("regulation.id"))
    .addColumn("reason", "varchar(500)", (c) => c.notNull())
    .addColumn("flagged_at", "datetime", (c) => c.notNull().defaultTo(now))
    .addColumn("reviewed_at", "datetime")
    .addColumn("reviewed_by", "varchar(32)")
    .addColumn("review_note", "varchar(500)")
    .execute();
  await db.schema
    .createIndex("content_review_open")
    .on("content_review")
    .columns(["owner_enterprise_id", "reviewed_at", "id"])
    .execute();
  await db.schema
    .createIndex("content_review_item")
    .on("content_review")
    .columns(["item_kind", "item_id", "reviewed_at"])
    .execute();
  await db.schema
    .createIndex("content_review_entry")
    .on("content_review")
    .columns(["regulation_id", "reviewed_at"])
    .execute();
  // Kept with the open flags, so the draw's pools know without a join (courses and lessons are read from the flags).
  await db.schema
    .alterTable("question")
    .addColumn("review_pending", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
  // Flagged questions sit in pools of their own, so a rule that excludes them reads only the unflagged ones.
  await db.schema
    .alterTable("question_pool_size")
    .addColumn("flagged", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("question_pool_size").dropColumn("flagged").execute();
  await db.schema.alterTable("question").dropColumn("review_pending").execute();
  for (const t of ["content_review", "regulation_citation", "regulation_article", "regulation"])
    await db.schema.dropTable(t).ifExists().execute();
}
