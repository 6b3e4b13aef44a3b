import { sql, type Kysely } from "kysely";

const now = sql`CURRENT_TIMESTAMP`;

/**
 * Records that hold up as evidence: 学时 from active study sessions (with their archive), identities on quizzes,
 * quiz closing with a grace period, voidable drill log entries, and who submitted a rectification's evidence.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // How many minutes of study make one 学时, per region (the longest matching path wins; "/" is the default).
  await db.schema
    .createTable("study_rule")
    .addColumn("region_path", "varchar(255)", (c) => c.primaryKey())
    .addColumn("online_minutes_per_hour", "decimal(6, 2)", (c) => c.notNull())
    .addColumn("offline_minutes_per_hour", "decimal(6, 2)", (c) => c.notNull())
    .addColumn("checkin_min_seconds", "integer", (c) => c.notNull())
    .addColumn("checkin_max_seconds", "integer", (c) => c.notNull())
    .addColumn("checkin_answer_seconds", "integer", (c) => c.notNull())
    .addColumn("basis", "varchar(255)", (c) => c.notNull())
    .addColumn("updated_by", "varchar(32)")
    .addColumn("updated_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db
    .insertInto("study_rule")
    .values({
      region_path: "/",
      online_minutes_per_hour: 30,
      offline_minutes_per_hour: 45,
      checkin_min_seconds: 600,
      checkin_max_seconds: 1200,
      checkin_answer_seconds: 120,
      basis: "AQ 8011-2023《安全生产培训机构基本条件》：网络培训每学时不少于30分钟，面授每学时不少于45分钟",
    })
    .execute();

  // One window (or device) studying one lesson: the unit of the training archive 一人一档.
  await db.schema
    .createTable("study_session")
    .addColumn("id", "bigint", (c) => c.primaryKey().autoIncrement())
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("lesson_id", "integer", (c) => c.notNull().references("lesson.id"))
    .addColumn("course_id", "integer", (c) => c.notNull().references("course.id"))
    .addColumn("state", "varchar(12)", (c) => c.notNull()) // counting | hidden | checkin | missed | elsewhere | ended
    .addColumn("started_at", sql`datetime(3)`, (c) => c.notNull())
    .addColumn("last_counted_at", sql`datetime(3)`) // null while not counting
    .addColumn("active_seconds", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("checkin_at", sql`datetime(3)`, (c) => c.notNull()) // next check-in prompt
    .addColumn("checkin_nonce", "char(16)")
    .addColumn("checkin_deadline", sql`datetime(3)`)
    .addColumn("ended_at", sql`datetime(3)`)
    .addColumn("user_agent", "varchar(255)")
    .addColumn("ip", "varchar(64)")
    .execute();
  await db.schema
    .createIndex("study_session_person")
    .on("study_session")
    .columns(["person_id", "started_at"])
    .execute();

  // The one session per person that counts; a new window takes it over (the server decides).
  await db.schema
    .createTable("study_active")
    .addColumn("person_id", "integer", (c) => c.primaryKey().references("person.id"))
    .addColumn("session_id", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("study_event")
    .addColumn("id", "bigint", (c) => c.primaryKey().autoIncrement())
    .addColumn("session_id", "bigint", (c) => c.notNull().references("study_session.id"))
    .addColumn("person_id", "integer", (c) => c.notNull())
    .addColumn("at", sql`datetime(3)`, (c) => c.notNull())
    .addColumn("kind", "varchar(16)", (c) => c.notNull())
    .addColumn("active_seconds", "integer", (c) => c.notNull())
    .addColumn("detail", "varchar(255)")
    .execute();
  await db.schema.createIndex("study_event_session").on("study_event").columns(["session_id", "id"]).execute();
  await db.schema.createIndex("study_event_person").on("study_event").columns(["person_id", "at"]).execute();

  await db.schema
    .alterTable("enterprise")
    .addColumn("study_photo_checkin", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema
    .createTable("study_photo")
    .addColumn("id", "bigint", (c) => c.primaryKey().autoIncrement())
    .addColumn("session_id", "bigint", (c) => c.notNull().references("study_session.id"))
    .addColumn("content_type", "varchar(32)", (c) => c.notNull())
    .addColumn("bytes", sql`mediumblob`, (c) => c.notNull())
    .addColumn("taken_at", sql`datetime(3)`, (c) => c.notNull())
    .execute();

  // Under which rule a ledger row was credited: rows before active study stay, marked as the old reading-time rule.
  await db.schema.alterTable("training_record").addColumn("credit_rule", "varchar(24)").execute();
  await sql`UPDATE training_record SET credit_rule = 'reading_time' WHERE source = 'course'`.execute(db);
  await db.schema.alterTable("course_completion").addColumn("active_seconds", "integer").execute();

  // Quizzes: the name typed at join is kept; a mismatch is doubtful until the inspector confirms or voids it.
  await db.schema
    .alterTable("quiz_participant")
    .addColumn("typed_name", "varchar(64)")
    .addColumn("identity", "varchar(12)", (c) => c.notNull().defaultTo("ok")) // ok | doubtful | confirmed | voided
    .addColumn("identity_by", "varchar(32)")
    .addColumn("identity_at", "datetime")
    .addColumn("identity_reason", "varchar(255)")
    .execute();
  await sql`UPDATE quiz_participant SET identity = 'doubtful' WHERE name_mismatch = 1`.execute(db);
  await db.schema
    .alterTable("onsite_quiz")
    .addColumn("close_requested_at", "datetime")
    .addColumn("close_requested_by", "varchar(32)")
    .addColumn("unfinished", "varchar(12)") // incomplete | grade: what happens to papers still open at the end of the grace
    .addColumn("unknown_limit", "integer", (c) => c.notNull().defaultTo(5))
    .addColumn("unknown_closed", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
  // What the deadline does to an unsubmitted attempt: grade what was saved, or close it as 未完成 without a score.
  await db.schema
    .alterTable("attempt")
    .addColumn("at_deadline", "varchar(12)", (c) => c.notNull().defaultTo("grade"))
    .execute();

  // Drill log entries are voided with a reason, never deleted.
  await db.schema
    .alterTable("drill_event")
    .addColumn("voided_at", "datetime")
    .addColumn("voided_by", "varchar(32)")
    .addColumn("void_reason", "varchar(255)")
    .execute();
  // Segregation of duties: whoever submitted the evidence cannot verify it.
  await db.schema.alterTable("rectification").addColumn("submitted_by", "varchar(32)").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("rectification").dropColumn("submitted_by").execute();
  await db.schema
    .alterTable("drill_event")
    .dropColumn("voided_at")
    .dropColumn("voided_by")
    .dropColumn("void_reason")
    .execute();
  await db.schema.alterTable("attempt").dropColumn("at_deadline").execute();
  await db.schema
    .alterTable("onsite_quiz")
    .dropColumn("close_requested_at")
    .dropColumn("close_requested_by")
    .dropColumn("unfinished")
    .dropColumn("unknown_limit")
    .dropColumn("unknown_closed")
    .execute();
  await db.schema
    .alterTable("quiz_participant")
    .dropColumn("typed_name")
    .dropColumn("identity")
    .dropColumn("identity_by")
    .dropColumn("identity_at")
    .dropColumn("identity_reason")
    .execute();
  await db.schema.alterTable("course_completion").dropColumn("active_seconds").execute();
  await db.schema.alterTable("training_record").dropColumn("credit_rule").execute();
  await db.schema.dropTable("study_photo").execute();
  await db.schema.alterTable("enterprise").dropColumn("study_photo_checkin").execute();
  await db.schema.dropTable("study_event").execute();
  await db.schema.dropTable("study_active").execute();
  await db.schema.dropTable("study_session").execute();
  await db.schema.dropTable("study_rule").execute();
}
