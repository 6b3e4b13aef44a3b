import { sql, type Kysely } from "kysely";

const now = sql`CURRENT_TIMESTAMP`;

/**
 * Drill files and the enterprise side of a spot check (decision 0028).
 *
 * - `drill_file`: a drill's plan/script 方案/脚本 and task cards 任务卡 (PDF, Word, pictures), kept in the same store
 *   as drill photos — a MEDIUMBLOB row beside the drill, served only through a route that applies the drill's policy
 *   and its sealing. Never deleted: a withdrawn file is voided with who, when and why.
 * - `drill.evaluation_form`: the evaluation form the organizer chose, `aqt9009` (criteria rated 优/良/中/差, stored
 *   as the letters P/S/M/U as before) or `gbt46792` (indicators scored against maxima, graded by bands); sheets of
 *   the scored form keep their form, scores, total and grade.
 * - `drill.spot_check_id`: the enterprise drill a regulator's spot check 双盲抽查 started (one at most, unique);
 *   such a drill need not rest on one of the enterprise's plans, so `plan_id` may be null.
 * - `spot_check_evaluator`: the accounts a spot check names as evaluators of the drill it starts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("drill_file")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("drill_id", "integer", (c) => c.notNull().references("drill.id"))
    .addColumn("kind", "varchar(16)", (c) => c.notNull()) // plan 方案/脚本 | task_card 任务卡
    .addColumn("file_name", "varchar(200)", (c) => c.notNull())
    .addColumn("content_type", "varchar(100)", (c) => c.notNull())
    .addColumn("byte_size", "integer", (c) => c.notNull())
    .addColumn("bytes", sql`mediumblob`, (c) => c.notNull())
    .addColumn("uploaded_by", "varchar(32)", (c) => c.notNull())
    .addColumn("uploaded_by_name", "varchar(64)", (c) => c.notNull())
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .addColumn("voided_at", "datetime")
    .addColumn("voided_by", "varchar(32)")
    .addColumn("void_reason", "varchar(255)")
    .execute();
  await db.schema.createIndex("drill_file_drill").on("drill_file").columns(["drill_id", "id"]).execute();

  await db.schema
    .alterTable("drill")
    .addColumn("evaluation_form", "varchar(32)", (c) => c.notNull().defaultTo("aqt9009"))
    .execute();
  await db.schema.alterTable("drill").addColumn("spot_check_id", "integer").execute();
  await db.schema.createIndex("drill_spot_check").on("drill").column("spot_check_id").unique().execute();
  await sql`ALTER TABLE drill MODIFY plan_id integer NULL`.execute(db);

  await db.schema.alterTable("evaluation_sheet").addColumn("form_code", "varchar(32)").execute();
  await db.schema.alterTable("evaluation_sheet").addColumn("scores_json", "text").execute();
  await db.schema.alterTable("evaluation_sheet").addColumn("total", "decimal(6, 2)").execute();
  await db.schema.alterTable("evaluation_sheet").addColumn("grade", "varchar(8)").execute();

  await db.schema
    .createTable("spot_check_evaluator")
    .addColumn("spot_check_id", "integer", (c) => c.notNull().references("spot_check.id"))
    .addColumn("user_id", "varchar(32)", (c) => c.notNull())
    .addPrimaryKeyConstraint("spot_check_evaluator_pk", ["spot_check_id", "user_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("spot_check_evaluator").execute();
  for (const c of ["grade", "total", "scores_json", "form_code"])
    await db.schema.alterTable("evaluation_sheet").dropColumn(c).execute();
  await db.schema.dropIndex("drill_spot_check").on("drill").execute();
  await db.schema.alterTable("drill").dropColumn("spot_check_id").execute();
  await db.schema.alterTable("drill").dropColumn("evaluation_form").execute();
  await db.schema.dropTable("drill_file").execute();
}
