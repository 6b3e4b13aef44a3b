import { sql, type Kysely } from "kysely";

/**
 * The in-app inbox 站内信. A notification is addressed to a person (who may have no account yet) or to an account
 * (inspectors and regulators have no person row); the inbox of an account reads both. `dedupe_key` keeps a reminder
 * job from writing the same reminder twice (e.g. "cert-review-90:<certificate id>").
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("notification")
    .addColumn("id", "bigint", (c) => c.primaryKey().autoIncrement())
    .addColumn("person_id", "integer")
    .addColumn("user_id", "varchar(32)")
    .addColumn("kind", "varchar(32)", (c) => c.notNull())
    .addColumn("title", "varchar(200)", (c) => c.notNull())
    .addColumn("body", "varchar(1000)", (c) => c.notNull().defaultTo(""))
    .addColumn("link", "varchar(300)")
    .addColumn("dedupe_key", "varchar(160)")
    .addColumn("created_by", "varchar(32)")
    .addColumn("created_at", "datetime(3)", (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn("read_at", "datetime(3)")
    .execute();
  await db.schema.createIndex("notification_person").on("notification").columns(["person_id", "id"]).execute();
  await db.schema.createIndex("notification_user").on("notification").columns(["user_id", "id"]).execute();
  await db.schema.createIndex("notification_dedupe").on("notification").column("dedupe_key").unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("notification").execute();
}
