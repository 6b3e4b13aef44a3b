import { sql, type Kysely } from "kysely";

/**
 * Channels and re-test links (phone-shell).
 * - `notification_delivery`: one row per notification and outside channel (sms, wechat): pending → sent | failed,
 *   with attempts, the last error and when to try next. The inbox is the notification row itself and needs none.
 * - `retest_link`: a one-time link (QR) an officer or inspector hands to a person without an account, so they can
 *   re-test a follow-up; only the SHA-256 of the token is stored.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("notification_delivery")
    .addColumn("id", "bigint", (c) => c.primaryKey().autoIncrement())
    .addColumn("notification_id", "bigint", (c) => c.notNull().references("notification.id"))
    .addColumn("channel", "varchar(16)", (c) => c.notNull())
    // pending → sent | failed (attempts used up) | skipped (the person has no address on this channel)
    .addColumn("status", "varchar(12)", (c) => c.notNull().defaultTo("pending"))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "varchar(500)")
    .addColumn("next_at", "datetime(3)", (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn("sent_at", "datetime(3)")
    .addColumn("created_at", "datetime(3)", (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .execute();
  await db.schema
    .createIndex("notification_delivery_once")
    .on("notification_delivery")
    .columns(["notification_id", "channel"])
    .unique()
    .execute();
  await db.schema
    .createIndex("notification_delivery_due")
    .on("notification_delivery")
    .columns(["status", "next_at"])
    .execute();
  // How far the dispatcher has looked at notification ids, per channel (keyset, so it never rescans the table).
  await db.schema
    .createTable("notification_cursor")
    .addColumn("channel", "varchar(16)", (c) => c.primaryKey())
    .addColumn("last_id", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();

  // A person's WeChat openid for template messages (written by the official account's binding, see README).
  await db.schema
    .createTable("person_wechat")
    .addColumn("person_id", "integer", (c) => c.primaryKey().references("person.id"))
    .addColumn("openid", "varchar(64)", (c) => c.notNull())
    .addColumn("bound_at", "datetime(3)", (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .execute();

  await db.schema
    .createTable("retest_link")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("follow_up_id", "integer", (c) => c.notNull().references("follow_up.id"))
    .addColumn("token_hash", "char(64)", (c) => c.notNull().unique())
    .addColumn("expires_on", "date", (c) => c.notNull())
    .addColumn("secret_hash", "char(64)")
    .addColumn("used_at", "datetime(3)")
    .addColumn("attempt_id", "bigint", (c) => c.references("attempt.id"))
    .addColumn("created_by", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "datetime(3)", (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .execute();
  // The reminder job reads assignments by due date.
  await db.schema.createIndex("course_assignment_due").on("course_assignment").columns(["due_on", "active"]).execute();
  await db.schema.createIndex("retest_link_follow_up").on("retest_link").columns(["follow_up_id", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("course_assignment_due").on("course_assignment").execute();
  for (const t of ["retest_link", "person_wechat", "notification_cursor", "notification_delivery"])
    await db.schema.dropTable(t).ifExists().execute();
}
