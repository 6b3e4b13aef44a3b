import { sql, type Kysely } from "kysely";

const now = sql`CURRENT_TIMESTAMP`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("emergency_plan")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("enterprise_id", "integer", (c) => c.notNull().references("enterprise.id"))
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("industry_code", "varchar(32)", (c) => c.notNull())
    // comprehensive 综合应急预案 | special 专项应急预案 | onsite 现场处置方案
    .addColumn("type", "varchar(16)", (c) => c.notNull())
    .addColumn("title", "varchar(128)", (c) => c.notNull())
    .addColumn("scenarios", "text", (c) => c.notNull())
    .addColumn("response_roles", "text", (c) => c.notNull())
    .addColumn("issued_on", "date", (c) => c.notNull())
    .addColumn("interval_months", "integer", (c) => c.notNull())
    .addColumn("last_drilled_on", "date")
    // (last drilled or issued) + interval: kept on write so compliance is an index range, not a computation per row.
    .addColumn("due_on", "date", (c) => c.notNull())
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_by", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("emergency_plan_enterprise")
    .on("emergency_plan")
    .columns(["enterprise_id", "active", "due_on"])
    .execute();
  await db.schema
    .createIndex("emergency_plan_compliance")
    .on("emergency_plan")
    .columns(["active", "region_path", "industry_code", "due_on"])
    .execute();
  // An enterprise's earliest active plan due date, kept with its plans: "enterprises with overdue plans, longest
  // overdue first" is then a walk of this index that stops after one page, whatever the city's size.
  await db.schema.alterTable("enterprise").addColumn("drill_due_on", "date").execute();
  await db.schema
    .createIndex("enterprise_drill_due")
    .on("enterprise")
    .columns(["drill_due_on", "id", "region_path"])
    .execute();

  await db.schema
    .createTable("drill")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("plan_id", "integer", (c) => c.notNull().references("emergency_plan.id"))
    .addColumn("enterprise_id", "integer", (c) => c.notNull().references("enterprise.id"))
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("industry_code", "varchar(32)", (c) => c.notNull())
    .addColumn("organizer_user_id", "varchar(32)", (c) => c.notNull())
    .addColumn("title", "varchar(128)", (c) => c.notNull())
    .addColumn("form", "varchar(12)", (c) => c.notNull()) // tabletop | live
    .addColumn("mode", "varchar(12)", (c) => c.notNull()) // scripted | unscripted | double_blind
    // Double-blind: participants see "a drill in this window" (1) or nothing at all (0) before it starts.
    .addColumn("announce_window", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("window_start", "datetime", (c) => c.notNull())
    .addColumn("window_end", "datetime", (c) => c.notNull())
    .addColumn("planned_start", "datetime")
    .addColumn("objectives", "text", (c) => c.notNull())
    .addColumn("scenario", "text", (c) => c.notNull())
    .addColumn("teams", "varchar(255)")
    .addColumn("status", "varchar(12)", (c) => c.notNull().defaultTo("planned")) // planned | running | ended | closed | cancelled
    .addColumn("started_at", "datetime")
    .addColumn("ended_at", "datetime")
    .addColumn("closed_at", "datetime")
    .addColumn("summary", "text")
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("drill_enterprise_window")
    .on("drill")
    .columns(["enterprise_id", "window_start"])
    .execute();
  await db.schema.createIndex("drill_region_window").on("drill").columns(["region_path", "window_start"]).execute();
  await db.schema.createIndex("drill_region_ended").on("drill").columns(["region_path", "ended_at", "mode"]).execute();
  await db.schema
    .createIndex("drill_upcoming")
    .on("drill")
    .columns(["status", "region_path", "window_end", "window_start"])
    .execute();
  await db.schema.createIndex("drill_organizer").on("drill").columns(["organizer_user_id", "window_start"]).execute();
  await db.schema.createIndex("drill_plan").on("drill").columns(["plan_id", "ended_at"]).execute();

  // Who has a role in a drill: evaluators by account, participants by person (their account, if any, follows).
  await db.schema
    .createTable("drill_member")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("drill_id", "integer", (c) => c.notNull().references("drill.id"))
    .addColumn("role", "varchar(12)", (c) => c.notNull()) // evaluator | participant
    .addColumn("user_id", "varchar(32)")
    .addColumn("person_id", "integer", (c) => c.references("person.id"))
    .execute();
  await db.schema.createIndex("drill_member_drill").on("drill_member").columns(["drill_id", "role"]).execute();
  await db.schema.createIndex("drill_member_user").on("drill_member").columns(["user_id", "drill_id"]).execute();
  await db.schema.createIndex("drill_member_person").on("drill_member").columns(["person_id", "drill_id"]).execute();

  await db.schema
    .createTable("drill_inject")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("drill_id", "integer", (c) => c.notNull().references("drill.id"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("title", "varchar(128)", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    // Released this many minutes after the start, or by hand when null; released_at is set by a hand release.
    .addColumn("offset_minutes", "integer")
    .addColumn("released_at", "datetime")
    .execute();
  await db.schema.createIndex("drill_inject_drill").on("drill_inject").columns(["drill_id", "seq"]).execute();

  await db.schema
    .createTable("drill_event")
    .addColumn("id", "bigint", (c) => c.primaryKey().autoIncrement())
    .addColumn("drill_id", "integer", (c) => c.notNull().references("drill.id"))
    .addColumn("milestone", "varchar(24)")
    .addColumn("note", "varchar(500)")
    .addColumn("at", sql`datetime(3)`, (c) => c.notNull())
    .addColumn("logged_by", "varchar(32)", (c) => c.notNull())
    .addColumn("logged_by_name", "varchar(64)", (c) => c.notNull())
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("drill_event_drill").on("drill_event").columns(["drill_id", "at"]).execute();

  // Photos live in the database so every app process serves them (no shared file store).
  await db.schema
    .createTable("drill_photo")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("drill_id", "integer", (c) => c.notNull().references("drill.id"))
    .addColumn("event_id", "bigint")
    .addColumn("rectification_id", "integer")
    .addColumn("content_type", "varchar(32)", (c) => c.notNull())
    .addColumn("bytes", sql`mediumblob`, (c) => c.notNull())
    .addColumn("uploaded_by", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("drill_photo_drill").on("drill_photo").columns(["drill_id", "event_id"]).execute();
  await db.schema.createIndex("drill_photo_rectification").on("drill_photo").column("rectification_id").execute();

  // Evaluation criteria after AQ/T 9009, as data an admin can change.
  await db.schema
    .createTable("evaluation_criterion")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("section", "varchar(32)", (c) => c.notNull())
    .addColumn("text", "varchar(255)", (c) => c.notNull())
    .addColumn("sort", "integer", (c) => c.notNull())
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .execute();

  await db.schema
    .createTable("evaluation_sheet")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("drill_id", "integer", (c) => c.notNull().references("drill.id"))
    .addColumn("evaluator_user_id", "varchar(32)", (c) => c.notNull())
    .addColumn("overall_rating", "char(1)")
    .addColumn("overall_comment", "text")
    .addColumn("submitted_at", "datetime")
    .addColumn("updated_at", "datetime", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("evaluation_sheet_once", ["drill_id", "evaluator_user_id"])
    .execute();

  await db.schema
    .createTable("evaluation_score")
    .addColumn("sheet_id", "integer", (c) => c.notNull().references("evaluation_sheet.id"))
    .addColumn("criterion_id", "integer", (c) => c.notNull().references("evaluation_criterion.id"))
    .addColumn("rating", "char(1)", (c) => c.notNull()) // P | S | M | U
    .addColumn("comment", "varchar(500)")
    .addPrimaryKeyConstraint("evaluation_score_pk", ["sheet_id", "criterion_id"])
    .execute();

  // A finding of a drill is a rectification item from the moment it is written down.
  await db.schema
    .createTable("rectification")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("drill_id", "integer", (c) => c.notNull().references("drill.id"))
    .addColumn("enterprise_id", "integer", (c) => c.notNull().references("enterprise.id"))
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("finding", "varchar(500)", (c) => c.notNull())
    .addColumn("criterion_id", "integer")
    .addColumn("owner_person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("due_on", "date", (c) => c.notNull())
    .addColumn("status", "varchar(12)", (c) => c.notNull().defaultTo("open")) // open | submitted | closed | accepted
    .addColumn("evidence", "text")
    .addColumn("submitted_at", "datetime")
    .addColumn("verified_by", "varchar(32)")
    .addColumn("verified_at", "datetime")
    .addColumn("verification_note", "varchar(500)")
    .addColumn("raised_by", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("rectification_drill").on("rectification").column("drill_id").execute();
  await db.schema
    .createIndex("rectification_enterprise")
    .on("rectification")
    .columns(["enterprise_id", "status", "due_on"])
    .execute();
  await db.schema
    .createIndex("rectification_region")
    .on("rectification")
    .columns(["status", "region_path", "created_at", "due_on"])
    .execute();
  await db.schema
    .createIndex("rectification_owner")
    .on("rectification")
    .columns(["owner_person_id", "status"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "rectification",
    "evaluation_score",
    "evaluation_sheet",
    "evaluation_criterion",
    "drill_photo",
    "drill_event",
    "drill_inject",
    "drill_member",
    "drill",
    "emergency_plan",
  ])
    await db.schema.dropTable(t).ifExists().execute();
  await db.schema.dropIndex("enterprise_drill_due").on("enterprise").execute();
  await db.schema.alterTable("enterprise").dropColumn("drill_due_on").execute();
}
