import { sql, type Kysely } from "kysely";

const now = sql`CURRENT_TIMESTAMP`;

/**
 * Enforcement units 执法单位 (支队, 大队) and the 执法证 (decision 0029). A unit is an organization backed by an
 * `enterprise` row of industry 行政执法机构, so its people, their accounts, course assignments, exams and the hours
 * ledger work through the existing tables; `enforcement_unit` says which rows are units and where they serve.
 * Certificate kinds of enforcement staff keep their validity rules as data (`enforcement_cert_kind`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db
    .insertInto("industry")
    .values({ code: "law_enforcement", name: "行政执法机构", high_risk: false, sort: 99 })
    .onDuplicateKeyUpdate({ name: "行政执法机构" }) // kept by a rollback while units used it
    .execute();

  await db.schema
    .createTable("enforcement_unit")
    .addColumn("enterprise_id", "integer", (c) => c.primaryKey().references("enterprise.id"))
    // detachment 支队 (city) | brigade 大队 (district, county) | squadron 中队 (town)
    .addColumn("level", "varchar(16)", (c) => c.notNull())
    .addColumn("region_id", "integer", (c) => c.notNull().references("region.id"))
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("created_by", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("enforcement_unit_region")
    .on("enforcement_unit")
    .columns(["region_path", "enterprise_id"])
    .execute();

  await db.schema
    .createTable("enforcement_cert_kind")
    .addColumn("code", "varchar(20)", (c) => c.primaryKey())
    .addColumn("name", "varchar(64)", (c) => c.notNull())
    // Months from the first valid day to expiry; review_months: an in-period review 年审 (null: none).
    .addColumn("validity_months", "integer", (c) => c.notNull())
    .addColumn("review_months", "integer")
    // Days before expiry or review that count as "soon" in the lists.
    .addColumn("warn_days", "integer", (c) => c.notNull())
    .addColumn("target_rate", "decimal(5, 4)", (c) => c.notNull())
    .addColumn("basis", "varchar(255)", (c) => c.notNull())
    .execute();
  await db
    .insertInto("enforcement_cert_kind")
    .values({
      code: "law_enforcement",
      name: "行政执法证",
      validity_months: 60,
      review_months: null,
      warn_days: 90,
      target_rate: "1.0000",
      basis: "执法人员持证上岗；有效期按本省行政执法证件管理办法，默认 5 年，可修改",
    })
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("enforcement_cert_kind").execute();
  await db.schema.dropTable("enforcement_unit").execute();
  // The units' enterprise rows (and their people and records) stay: the industry goes only when nothing uses it.
  const used = await db
    .selectFrom("enterprise")
    .select("id")
    .where("industry_code", "=", "law_enforcement")
    .limit(1)
    .executeTakeFirst();
  if (!used) await db.deleteFrom("industry").where("code", "=", "law_enforcement").execute();
}
