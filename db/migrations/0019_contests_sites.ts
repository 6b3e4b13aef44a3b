import { sql, type Kysely } from "kysely";

/**
 * Knowledge contests 知识竞赛 and proctored exam sites 考试点.
 *
 * Contests: `contest_participant.sort_key` = score * 1e9 + (999999999 - time in ms), kept when a person's best entry
 * improves, so the person leaderboard is one index range on (contest_id, sort_key) read in keyset pages and "my rank"
 * is 1 + a count over the range above one's own key. Enterprise and region boards are kept rows in `contest_group`.
 *
 * Exam sites: rooms, seats, sessions with a roster; `attempt.paused_at` marks a paper whose clock is stopped (a
 * session paused by its proctor): no answer is taken and no deadline job grades it until resumed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("contest")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("title", "varchar(120)", (c) => c.notNull())
    .addColumn("region_id", "integer", (c) => c.notNull())
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("token", "varchar(40)", (c) => c.notNull().unique())
    .addColumn("starts_at", "datetime", (c) => c.notNull())
    .addColumn("ends_at", "datetime", (c) => c.notNull())
    .addColumn("mode", sql`enum('daily','paper')`, (c) => c.notNull())
    .addColumn("rules", "text", (c) => c.notNull())
    .addColumn("question_seconds", "integer", (c) => c.notNull())
    .addColumn("attempts_per_day", "integer", (c) => c.notNull())
    .addColumn("person_limit", "integer", (c) => c.notNull())
    .addColumn("eligibility", sql`enum('phone','on_file')`, (c) => c.notNull())
    .addColumn("created_by", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "datetime(3)", (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .execute();
  await db.schema.createIndex("contest_region").on("contest").columns(["region_path", "id"]).execute();

  await db.schema
    .createTable("contest_participant")
    .addColumn("id", "bigint", (c) => c.primaryKey().autoIncrement())
    .addColumn("contest_id", "integer", (c) => c.notNull())
    .addColumn("ident_hash", "char(64)", (c) => c.notNull())
    .addColumn("ident_masked", "varchar(32)", (c) => c.notNull())
    .addColumn("name", "varchar(60)", (c) => c.notNull())
    .addColumn("person_id", "integer")
    .addColumn("enterprise_id", "integer")
    .addColumn("group_region_id", "integer")
    .addColumn("user_id", "varchar(32)")
    .addColumn("secret_hash", "char(64)", (c) => c.notNull())
    .addColumn("joined_at", "datetime(3)", (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn("entries", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("best_score", "integer")
    .addColumn("best_ms", "integer")
    .addColumn("sort_key", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("flagged", "integer", (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint("contest_participant_ident", ["contest_id", "ident_hash"])
    .execute();
  await db.schema
    .createIndex("contest_participant_rank")
    .on("contest_participant")
    .columns(["contest_id", "sort_key", "id"])
    .execute();

  await db.schema
    .createTable("contest_entry")
    .addColumn("id", "bigint", (c) => c.primaryKey().autoIncrement())
    .addColumn("contest_id", "integer", (c) => c.notNull())
    .addColumn("participant_id", "bigint", (c) => c.notNull())
    .addColumn("day", "date", (c) => c.notNull())
    .addColumn("open_key", "bigint")
    .addColumn("started_at", "datetime(3)", (c) => c.notNull())
    .addColumn("finished_at", "datetime(3)")
    .addColumn("question_count", "integer", (c) => c.notNull())
    .addColumn("score", "integer")
    .addColumn("total_ms", "integer")
    .addColumn("suspicious", "integer", (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint("contest_entry_open", ["open_key"])
    .execute();
  await db.schema
    .createIndex("contest_entry_participant")
    .on("contest_entry")
    .columns(["participant_id", "day"])
    .execute();
  await db.schema.createIndex("contest_entry_contest").on("contest_entry").columns(["contest_id", "id"]).execute();

  await db.schema
    .createTable("contest_item")
    .addColumn("entry_id", "bigint", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("question_id", "integer", (c) => c.notNull())
    .addColumn("question_version_id", "integer", (c) => c.notNull())
    .addColumn("option_order", "varchar(8)", (c) => c.notNull())
    .addColumn("points", "integer", (c) => c.notNull())
    .addColumn("served_at", "datetime(3)")
    .addColumn("answered_at", "datetime(3)")
    .addColumn("answer", "varchar(8)")
    .addColumn("earned", "integer")
    .addColumn("elapsed_ms", "integer")
    .addPrimaryKeyConstraint("contest_item_pk", ["entry_id", "position"])
    .execute();

  await db.schema
    .createTable("contest_group")
    .addColumn("contest_id", "integer", (c) => c.notNull())
    .addColumn("kind", sql`enum('enterprise','region')`, (c) => c.notNull())
    .addColumn("group_id", "integer", (c) => c.notNull())
    .addColumn("name", "varchar(120)", (c) => c.notNull())
    .addColumn("members", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("total", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("sort_key", "bigint", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("contest_group_pk", ["contest_id", "kind", "group_id"])
    .execute();
  await db.schema
    .createIndex("contest_group_rank")
    .on("contest_group")
    .columns(["contest_id", "kind", "sort_key"])
    .execute();

  await db.schema
    .createTable("exam_site")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("name", "varchar(120)", (c) => c.notNull())
    .addColumn("address", "varchar(200)", (c) => c.notNull().defaultTo(""))
    .addColumn("region_id", "integer", (c) => c.notNull())
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("created_at", "datetime(3)", (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .execute();
  await db.schema
    .createTable("exam_room")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("site_id", "integer", (c) => c.notNull())
    .addColumn("name", "varchar(60)", (c) => c.notNull())
    .addColumn("camera", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("exam_room_site").on("exam_room").columns(["site_id", "id"]).execute();
  await db.schema
    .createTable("exam_seat")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("room_id", "integer", (c) => c.notNull())
    .addColumn("label", "varchar(16)", (c) => c.notNull())
    .addUniqueConstraint("exam_seat_label", ["room_id", "label"])
    .execute();
  await db.schema
    .createTable("exam_session")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("site_id", "integer", (c) => c.notNull())
    .addColumn("room_id", "integer", (c) => c.notNull())
    .addColumn("template_id", "integer", (c) => c.notNull())
    .addColumn("title", "varchar(120)", (c) => c.notNull())
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("scheduled_at", "datetime", (c) => c.notNull())
    .addColumn("minutes", "integer", (c) => c.notNull())
    .addColumn("status", sql`enum('scheduled','running','paused','ended')`, (c) => c.notNull().defaultTo("scheduled"))
    .addColumn("started_at", "datetime(3)")
    .addColumn("paused_at", "datetime(3)")
    .addColumn("paused_ms", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("ended_at", "datetime(3)")
    .addColumn("created_by", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "datetime(3)", (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .execute();
  await db.schema
    .createIndex("exam_session_region")
    .on("exam_session")
    .columns(["region_path", "scheduled_at"])
    .execute();
  await db.schema
    .createTable("exam_session_proctor")
    .addColumn("session_id", "integer", (c) => c.notNull())
    .addColumn("user_id", "varchar(32)", (c) => c.notNull())
    .addPrimaryKeyConstraint("exam_session_proctor_pk", ["session_id", "user_id"])
    .execute();
  await db.schema
    .createIndex("exam_session_proctor_user")
    .on("exam_session_proctor")
    .columns(["user_id", "session_id"])
    .execute();
  await db.schema
    .createTable("exam_roster")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("session_id", "integer", (c) => c.notNull())
    .addColumn("person_id", "integer", (c) => c.notNull())
    .addColumn("seat_id", "integer")
    .addColumn("checked_in_at", "datetime(3)")
    .addColumn("checked_in_by", "varchar(32)")
    .addColumn("photo", sql`mediumblob`)
    .addColumn("seat_secret_hash", "char(64)")
    .addColumn("attempt_id", "integer")
    .addColumn("extra_minutes", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("voided_at", "datetime(3)")
    .addColumn("voided_by", "varchar(32)")
    .addColumn("void_reason", "varchar(300)")
    .addUniqueConstraint("exam_roster_person", ["session_id", "person_id"])
    .addUniqueConstraint("exam_roster_seat", ["session_id", "seat_id"])
    .execute();
  await sql`ALTER TABLE attempt ADD COLUMN paused_at DATETIME(3) NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE attempt DROP COLUMN paused_at`.execute(db);
  for (const t of [
    "exam_roster",
    "exam_session_proctor",
    "exam_session",
    "exam_seat",
    "exam_room",
    "exam_site",
    "contest_group",
    "contest_item",
    "contest_entry",
    "contest_participant",
    "contest",
  ])
    await db.schema.dropTable(t).execute();
}
