import { sql, type Kysely } from "kysely";

const now = sql`CURRENT_TIMESTAMP`;

/**
 * Rescue teams and their members and certificates, regulator-run spot checks 双盲抽查 (planned one by one or drawn
 * by a sealed random schedule), call-outs 拉动集结 with one personal link per member, town plans and town drills
 * with evaluation sheets on a form kept as data (decision 0025).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("rescue_team")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("name", "varchar(128)", (c) => c.notNull())
    // professional 专业救援队伍 | town 乡镇综合队伍 | social 社会应急力量
    .addColumn("kind", "varchar(16)", (c) => c.notNull())
    .addColumn("region_id", "integer", (c) => c.notNull().references("region.id"))
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("enterprise_id", "integer", (c) => c.references("enterprise.id"))
    .addColumn("equipment", "text", (c) => c.notNull())
    // The team's assembly standard: required strength within standard_minutes; first_n is the vanguard counted first.
    .addColumn("standard_minutes", "integer", (c) => c.notNull())
    .addColumn("required_strength", "integer", (c) => c.notNull())
    .addColumn("first_n", "integer", (c) => c.notNull())
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_by", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("rescue_team_region").on("rescue_team").columns(["region_path", "kind", "id"]).execute();
  await db.schema.createIndex("rescue_team_enterprise").on("rescue_team").columns(["enterprise_id"]).execute();

  await db.schema
    .createTable("rescue_member")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("team_id", "integer", (c) => c.notNull().references("rescue_team.id"))
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("name", "varchar(64)", (c) => c.notNull())
    .addColumn("phone", "varchar(20)", (c) => c.notNull())
    .addColumn("id_number_hash", "char(64)", (c) => c.notNull())
    .addColumn("id_number_masked", "varchar(24)", (c) => c.notNull())
    .addColumn("person_id", "integer")
    .addColumn("core", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("rescue_member_team_id")
    .on("rescue_member")
    .columns(["team_id", "id_number_hash"])
    .unique()
    .execute();
  await db.schema
    .createIndex("rescue_member_region")
    .on("rescue_member")
    .columns(["region_path", "core", "active"])
    .execute();
  await db.schema.createIndex("rescue_member_person").on("rescue_member").columns(["person_id"]).execute();

  // Certificate kinds as data: validity in months (null: does not expire) and the holding-rate target of core members.
  await db.schema
    .createTable("rescue_cert_kind")
    .addColumn("code", "varchar(32)", (c) => c.primaryKey())
    .addColumn("name", "varchar(64)", (c) => c.notNull())
    .addColumn("validity_months", "integer")
    .addColumn("target_rate", "decimal(5, 4)")
    .addColumn("basis", "varchar(255)", (c) => c.notNull())
    .execute();
  await db
    .insertInto("rescue_cert_kind")
    .values([
      {
        code: "rescuer",
        name: "救护员证",
        validity_months: 36,
        target_rate: "0.9000",
        basis: "应急救护培训合格证（救护员），有效期按发证机构规定，默认 3 年，可修改",
      },
      {
        code: "first_aid_instructor",
        name: "救护师资证",
        validity_months: 36,
        target_rate: null,
        basis: "默认 3 年，可修改",
      },
      {
        code: "rope_rescue",
        name: "绳索救援技术证书",
        validity_months: 24,
        target_rate: null,
        basis: "默认 2 年，可修改",
      },
      {
        code: "water_rescue",
        name: "水域救援技术证书",
        validity_months: 24,
        target_rate: null,
        basis: "默认 2 年，可修改",
      },
      {
        code: "drone_pilot",
        name: "无人机驾驶员执照",
        validity_months: 72,
        target_rate: null,
        basis: "默认 6 年，可修改",
      },
    ])
    .execute();

  await db.schema
    .createTable("rescue_cert")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("member_id", "integer", (c) => c.notNull().references("rescue_member.id"))
    .addColumn("kind", "varchar(32)", (c) => c.notNull().references("rescue_cert_kind.code"))
    .addColumn("number", "varchar(64)", (c) => c.notNull())
    .addColumn("issued_on", "date", (c) => c.notNull())
    .addColumn("expires_on", "date")
    .addColumn("voided_at", "datetime")
    .addColumn("void_reason", "varchar(255)")
    .addColumn("created_by", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("rescue_cert_member")
    .on("rescue_cert")
    .columns(["member_id", "kind", "expires_on"])
    .execute();

  await db.schema
    .createTable("spot_schedule")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("organizer_user_id", "varchar(32)", (c) => c.notNull())
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("title", "varchar(128)", (c) => c.notNull())
    // The draw's inputs, exactly as drawn: the pool (team ids, ascending), the count, the period and the seed.
    .addColumn("pool_json", "text", (c) => c.notNull())
    .addColumn("draw_count", "integer", (c) => c.notNull())
    .addColumn("period_start", "datetime", (c) => c.notNull())
    .addColumn("period_end", "datetime", (c) => c.notNull())
    .addColumn("seed", "char(32)", (c) => c.notNull())
    .addColumn("algorithm", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("spot_check")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("organizer_user_id", "varchar(32)", (c) => c.notNull())
    .addColumn("schedule_id", "integer")
    .addColumn("target_kind", "varchar(12)", (c) => c.notNull()) // team | enterprise
    .addColumn("team_id", "integer")
    .addColumn("enterprise_id", "integer")
    .addColumn("region_path", "varchar(255)", (c) => c.notNull()) // the target's
    .addColumn("title", "varchar(128)", (c) => c.notNull())
    .addColumn("scenario", "text", (c) => c.notNull())
    .addColumn("window_start", "datetime", (c) => c.notNull())
    .addColumn("window_end", "datetime", (c) => c.notNull())
    .addColumn("planned_at", "datetime", (c) => c.notNull())
    .addColumn("status", "varchar(12)", (c) => c.notNull().defaultTo("planned")) // planned | running | ended | cancelled
    .addColumn("started_at", "datetime")
    .addColumn("ended_at", "datetime")
    .addColumn("outcome", "varchar(12)") // pass | fail
    .addColumn("findings", "text")
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("spot_check_region").on("spot_check").columns(["region_path", "id"]).execute();
  await db.schema.createIndex("spot_check_due").on("spot_check").columns(["status", "planned_at"]).execute();
  await db.schema.createIndex("spot_check_schedule").on("spot_check").columns(["schedule_id"]).execute();

  await db.schema
    .createTable("callout")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("team_id", "integer", (c) => c.notNull().references("rescue_team.id"))
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("spot_check_id", "integer")
    .addColumn("organizer_user_id", "varchar(32)", (c) => c.notNull())
    // The team's standard as it was at the start, so a later change of the standard does not rewrite results.
    .addColumn("standard_minutes", "integer", (c) => c.notNull())
    .addColumn("required_strength", "integer", (c) => c.notNull())
    .addColumn("first_n", "integer", (c) => c.notNull())
    .addColumn("message", "varchar(255)", (c) => c.notNull())
    .addColumn("started_at", "datetime(3)", (c) => c.notNull())
    .addColumn("ended_at", "datetime(3)")
    .execute();
  await db.schema.createIndex("callout_team").on("callout").columns(["team_id", "id"]).execute();
  await db.schema.createIndex("callout_region").on("callout").columns(["region_path", "id"]).execute();

  await db.schema
    .createTable("callout_member")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("callout_id", "integer", (c) => c.notNull().references("callout.id"))
    .addColumn("member_id", "integer", (c) => c.notNull().references("rescue_member.id"))
    .addColumn("token", "char(32)", (c) => c.notNull())
    // SHA-256 of the device secret (cookie) of the phone that first used the link: the link is bound to it.
    .addColumn("device_hash", "char(64)")
    .addColumn("acked_at", "datetime(3)")
    .addColumn("arrived_at", "datetime(3)")
    .addColumn("taps", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("latitude", "decimal(9, 6)")
    .addColumn("longitude", "decimal(9, 6)")
    .addColumn("photo_type", "varchar(32)")
    .addColumn("photo", sql`mediumblob`)
    .execute();
  await db.schema.createIndex("callout_member_token").on("callout_member").column("token").unique().execute();
  await db.schema
    .createIndex("callout_member_once")
    .on("callout_member")
    .columns(["callout_id", "member_id"])
    .unique()
    .execute();

  await db.schema
    .createTable("town_plan")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("region_id", "integer", (c) => c.notNull().references("region.id"))
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("type", "varchar(16)", (c) => c.notNull()) // comprehensive 综合应急预案 | evacuation 转移避险方案
    .addColumn("title", "varchar(128)", (c) => c.notNull())
    .addColumn("issued_on", "date", (c) => c.notNull())
    .addColumn("interval_months", "integer", (c) => c.notNull())
    .addColumn("last_drilled_on", "date")
    .addColumn("due_on", "date", (c) => c.notNull())
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_by", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("town_plan_region").on("town_plan").columns(["region_path", "type", "active"]).execute();

  await db.schema
    .createTable("town_drill")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("plan_id", "integer", (c) => c.notNull().references("town_plan.id"))
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("organizer_user_id", "varchar(32)", (c) => c.notNull())
    .addColumn("title", "varchar(128)", (c) => c.notNull())
    .addColumn("planned_start", "datetime", (c) => c.notNull())
    .addColumn("expected_people", "integer", (c) => c.notNull())
    .addColumn("status", "varchar(12)", (c) => c.notNull().defaultTo("planned")) // planned | running | ended
    .addColumn("started_at", "datetime")
    .addColumn("ended_at", "datetime")
    .addColumn("people_moved", "integer")
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("town_drill_region").on("town_drill").columns(["region_path", "id"]).execute();

  // Evaluation forms as data (indicators, weights, rating bands); sheets keep the form code and the scores they gave.
  await db.schema
    .createTable("evaluation_form")
    .addColumn("code", "varchar(32)", (c) => c.primaryKey())
    .addColumn("name", "varchar(128)", (c) => c.notNull())
    .addColumn("definition_json", "text", (c) => c.notNull())
    .addColumn("updated_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createTable("town_drill_evaluation")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("drill_id", "integer", (c) => c.notNull().references("town_drill.id"))
    .addColumn("evaluator_user_id", "varchar(32)", (c) => c.notNull())
    .addColumn("form_code", "varchar(32)", (c) => c.notNull())
    .addColumn("scores_json", "text", (c) => c.notNull())
    .addColumn("total", "decimal(6, 2)", (c) => c.notNull())
    .addColumn("grade", "varchar(8)", (c) => c.notNull())
    .addColumn("comment", "text", (c) => c.notNull())
    .addColumn("submitted_at", "datetime", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("town_drill_evaluation_once")
    .on("town_drill_evaluation")
    .columns(["drill_id", "evaluator_user_id"])
    .unique()
    .execute();

  // Findings of a spot check or a town drill, answered by the target and verified by someone else than the submitter.
  await db.schema
    .createTable("rescue_finding")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("spot_check_id", "integer")
    .addColumn("town_drill_id", "integer")
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("description", "varchar(1000)", (c) => c.notNull())
    .addColumn("due_on", "date", (c) => c.notNull())
    .addColumn("status", "varchar(12)", (c) => c.notNull().defaultTo("open")) // open | submitted | closed
    .addColumn("evidence", "varchar(2000)")
    .addColumn("submitted_by", "varchar(32)")
    .addColumn("submitted_at", "datetime")
    .addColumn("verified_by", "varchar(32)")
    .addColumn("verified_at", "datetime")
    .addColumn("raised_by", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("rescue_finding_check").on("rescue_finding").columns(["spot_check_id"]).execute();
  await db.schema
    .createIndex("rescue_finding_region")
    .on("rescue_finding")
    .columns(["region_path", "status"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "rescue_finding",
    "town_drill_evaluation",
    "evaluation_form",
    "town_drill",
    "town_plan",
    "callout_member",
    "callout",
    "spot_check",
    "spot_schedule",
    "rescue_cert",
    "rescue_cert_kind",
    "rescue_member",
    "rescue_team",
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
