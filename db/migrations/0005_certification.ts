import { sql, type Kysely } from "kysely";

const now = sql`CURRENT_TIMESTAMP`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("certificate")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("enterprise_id", "integer", (c) => c.notNull().references("enterprise.id"))
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    // principal_manager 安全生产知识和管理能力考核合格证 | special_operation 特种作业操作证 | special_equipment 特种设备作业人员证
    .addColumn("kind", "varchar(20)", (c) => c.notNull())
    .addColumn("category", "varchar(64)")
    .addColumn("item", "varchar(64)")
    .addColumn("number", "varchar(64)", (c) => c.notNull())
    .addColumn("authority", "varchar(128)")
    .addColumn("first_issued_on", "date")
    .addColumn("valid_from", "date", (c) => c.notNull())
    .addColumn("expires_on", "date", (c) => c.notNull())
    .addColumn("review_due_on", "date")
    .addColumn("last_reviewed_on", "date")
    .addColumn("revoked_on", "date")
    // min(expires_on, review_due_on), or the revocation date: the day it stops counting as held.
    .addColumn("valid_until", "date", (c) => c.notNull())
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "datetime", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("certificate_number", ["kind", "number"])
    .execute();
  await db.schema.createIndex("certificate_person").on("certificate").columns(["person_id", "valid_until"]).execute();
  await db.schema
    .createIndex("certificate_enterprise_due")
    .on("certificate")
    .columns(["enterprise_id", "valid_until"])
    .execute();
  await db.schema.createIndex("certificate_due").on("certificate").columns(["valid_until", "region_path"]).execute();

  // Who must hold what (docs/domain.md, Work Safety Law Art. 27 and 30), as data an admin can change. industry '*' = any.
  await db.schema
    .createTable("certificate_requirement")
    .addColumn("post", "varchar(20)", (c) => c.notNull())
    .addColumn("industry_code", "varchar(32)", (c) => c.notNull())
    .addColumn("kind", "varchar(20)", (c) => c.notNull())
    .addColumn("basis", "varchar(255)", (c) => c.notNull())
    .addPrimaryKeyConstraint("certificate_requirement_pk", ["post", "industry_code"])
    .execute();

  // Certification counts kept up to date on every write (and by a daily sweep of what lapsed): per enterprise
  // and post, and rolled up into every ancestor region, so a city's rate is a handful of rows.
  await db.schema
    .createTable("cert_summary_enterprise")
    .addColumn("enterprise_id", "integer", (c) => c.notNull())
    .addColumn("post", "varchar(20)", (c) => c.notNull())
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("industry_code", "varchar(32)", (c) => c.notNull())
    .addColumn("required", "integer", (c) => c.notNull())
    .addColumn("holding", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("cert_summary_enterprise_pk", ["enterprise_id", "post"])
    .execute();
  await db.schema
    .createIndex("cert_summary_enterprise_region")
    .on("cert_summary_enterprise")
    .columns(["region_path", "enterprise_id"])
    .execute();
  await db.schema
    .createTable("cert_summary_region")
    .addColumn("region_id", "integer", (c) => c.notNull())
    .addColumn("post", "varchar(20)", (c) => c.notNull())
    .addColumn("industry_code", "varchar(32)", (c) => c.notNull())
    .addColumn("required", "integer", (c) => c.notNull())
    .addColumn("holding", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("cert_summary_region_pk", ["region_id", "post", "industry_code"])
    .execute();
  await db.schema
    .createTable("cert_summary_month")
    .addColumn("month", "char(7)", (c) => c.notNull())
    .addColumn("region_id", "integer", (c) => c.notNull())
    .addColumn("required", "integer", (c) => c.notNull())
    .addColumn("holding", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("cert_summary_month_pk", ["region_id", "month"])
    .execute();
  await db.schema
    .createTable("job_state")
    .addColumn("name", "varchar(64)", (c) => c.primaryKey())
    .addColumn("value", "varchar(255)", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "job_state",
    "cert_summary_month",
    "cert_summary_region",
    "cert_summary_enterprise",
    "certificate_requirement",
    "certificate",
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
