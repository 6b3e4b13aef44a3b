import type { Kysely } from "kysely";

/**
 * Officers and regulators at work:
 * - 补考 windows: an exam may be a make-up of another (`exam.makeup_of`) meant only for the people listed in
 *   `exam_person` (an exam with no such rows is meant for its posts, as before).
 * - The city cockpit 驾驶舱 reads kept summaries: one row per enterprise (`cockpit_enterprise`, recounted by
 *   app/modules/cockpit/summary.server.ts) and one per region and month (`cockpit_month`; the current month is kept
 *   live by deltas, earlier months are the snapshots the trend reads).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("exam").addColumn("makeup_of", "integer").execute();
  await db.schema.createIndex("exam_makeup").on("exam").column("makeup_of").execute();
  await db.schema
    .createTable("exam_person")
    .addColumn("exam_id", "integer", (c) => c.notNull())
    .addColumn("person_id", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("exam_person_pk", ["exam_id", "person_id"])
    .execute();
  await db.schema.createIndex("exam_person_person").on("exam_person").columns(["person_id", "exam_id"]).execute();

  const counts = (t: any) =>
    t
      .addColumn("hours_people", "integer", (c: any) => c.notNull().defaultTo(0))
      .addColumn("hours_met", "integer", (c: any) => c.notNull().defaultTo(0))
      .addColumn("newhire_people", "integer", (c: any) => c.notNull().defaultTo(0))
      .addColumn("newhire_trained", "integer", (c: any) => c.notNull().defaultTo(0))
      .addColumn("quiz_taken", "integer", (c: any) => c.notNull().defaultTo(0))
      .addColumn("quiz_passed", "integer", (c: any) => c.notNull().defaultTo(0))
      .addColumn("plans", "integer", (c: any) => c.notNull().defaultTo(0))
      .addColumn("plans_on_time", "integer", (c: any) => c.notNull().defaultTo(0));
  await counts(
    db.schema
      .createTable("cockpit_enterprise")
      .addColumn("enterprise_id", "integer", (c) => c.primaryKey())
      .addColumn("region_path", "varchar(255)", (c) => c.notNull())
      .addColumn("counted_on", "date", (c) => c.notNull())
      .addColumn("cert_required", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("cert_holding", "integer", (c) => c.notNull().defaultTo(0)),
  ).execute();
  await db.schema
    .createIndex("cockpit_enterprise_region")
    .on("cockpit_enterprise")
    .columns(["region_path", "enterprise_id"])
    .execute();
  await counts(
    db.schema
      .createTable("cockpit_month")
      .addColumn("month", "char(7)", (c) => c.notNull())
      .addColumn("region_id", "integer", (c) => c.notNull()),
  )
    .addPrimaryKeyConstraint("cockpit_month_pk", ["region_id", "month"])
    .execute();
  // The ten worst enterprises of each region on each KPI, so the cockpit never sorts a region's enterprises.
  await db.schema
    .createTable("cockpit_worst")
    .addColumn("region_id", "integer", (c) => c.notNull())
    .addColumn("kpi", "varchar(8)", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("enterprise_id", "integer", (c) => c.notNull())
    .addColumn("num", "integer", (c) => c.notNull())
    .addColumn("den", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("cockpit_worst_pk", ["region_id", "kpi", "position"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("cockpit_worst").execute();
  await db.schema.dropTable("cockpit_month").execute();
  await db.schema.dropTable("cockpit_enterprise").execute();
  await db.schema.dropTable("exam_person").execute();
  await db.schema.dropIndex("exam_makeup").on("exam").execute();
  await db.schema.alterTable("exam").dropColumn("makeup_of").execute();
}
