import { sql, type Kysely } from "kysely";

const now = sql`CURRENT_TIMESTAMP`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("region")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("parent_id", "integer", (c) => c.references("region.id"))
    .addColumn("name", "varchar(64)", (c) => c.notNull())
    .addColumn("level", "varchar(16)", (c) => c.notNull())
    .addColumn("code", "varchar(12)")
    .addColumn("path", "varchar(255)", (c) => c.notNull())
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("region_path").on("region").column("path").execute();
  await db.schema.createIndex("region_parent").on("region").columns(["parent_id", "name"]).execute();

  await db.schema
    .createTable("industry")
    .addColumn("code", "varchar(32)", (c) => c.primaryKey())
    .addColumn("name", "varchar(64)", (c) => c.notNull())
    .addColumn("high_risk", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("sort", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("enterprise")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("name", "varchar(128)", (c) => c.notNull())
    .addColumn("uscc", "char(18)", (c) => c.notNull().unique())
    .addColumn("region_id", "integer", (c) => c.notNull().references("region.id"))
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("industry_code", "varchar(32)", (c) => c.notNull().references("industry.code"))
    .addColumn("risk_level", "varchar(8)", (c) => c.notNull().defaultTo("blue"))
    .addColumn("address", "varchar(255)")
    .addColumn("contact_phone", "varchar(20)")
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("enterprise_region_path").on("enterprise").columns(["region_path", "id"]).execute();
  await db.schema
    .createIndex("enterprise_industry")
    .on("enterprise")
    .columns(["industry_code", "region_path"])
    .execute();
  await db.schema.createIndex("enterprise_name").on("enterprise").column("name").execute();

  await db.schema
    .createTable("person")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("enterprise_id", "integer", (c) => c.notNull().references("enterprise.id"))
    .addColumn("name", "varchar(64)", (c) => c.notNull())
    .addColumn("id_number_hash", "char(64)", (c) => c.notNull())
    .addColumn("id_number_masked", "char(18)", (c) => c.notNull())
    .addColumn("phone", "varchar(20)")
    .addColumn("post", "varchar(20)", (c) => c.notNull())
    .addColumn("hire_date", "date")
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "datetime", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("person_enterprise_id_number", ["enterprise_id", "id_number_hash"])
    .execute();
  await db.schema.createIndex("person_id_number_hash").on("person").column("id_number_hash").execute();
  await db.schema
    .createIndex("person_enterprise_post")
    .on("person")
    .columns(["enterprise_id", "post", "active"])
    .execute();
  await db.schema.createIndex("person_enterprise_name").on("person").columns(["enterprise_id", "name"]).execute();
  await db.schema.createIndex("person_name").on("person").column("name").execute();

  await db.schema
    .createTable("user")
    .addColumn("id", "varchar(32)", (c) => c.primaryKey())
    .addColumn("username", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("password_hash", "varchar(255)", (c) => c.notNull())
    .addColumn("role", "varchar(24)", (c) => c.notNull())
    .addColumn("display_name", "varchar(64)", (c) => c.notNull())
    .addColumn("enterprise_id", "integer", (c) => c.references("enterprise.id"))
    .addColumn("region_id", "integer", (c) => c.references("region.id"))
    .addColumn("person_id", "integer", (c) => c.references("person.id").unique())
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", "datetime", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "datetime", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("user_enterprise").on("user").column("enterprise_id").execute();
  await db.schema.createIndex("user_region").on("user").column("region_id").execute();

  await db.schema
    .createTable("session")
    .addColumn("id", "varchar(255)", (c) => c.primaryKey())
    .addColumn("user_id", "varchar(32)", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("expires_at", "datetime", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("session_user").on("session").column("user_id").execute();
  await db.schema.createIndex("session_expires").on("session").column("expires_at").execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "bigint", (c) => c.primaryKey().autoIncrement())
    .addColumn("at", sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn("actor_user_id", "varchar(32)")
    .addColumn("action", "varchar(64)", (c) => c.notNull())
    .addColumn("entity_type", "varchar(32)", (c) => c.notNull())
    .addColumn("entity_id", "varchar(64)", (c) => c.notNull())
    .addColumn("before_json", "text")
    .addColumn("after_json", "text")
    .addColumn("ip", "varchar(64)")
    .execute();
  await db.schema.createIndex("audit_entity").on("audit_log").columns(["entity_type", "entity_id", "at"]).execute();
  await db.schema.createIndex("audit_at").on("audit_log").column("at").execute();
  await db.schema.createIndex("audit_actor").on("audit_log").columns(["actor_user_id", "at"]).execute();

  // Table layout required by rate-limiter-flexible's MySQL store (created here, so the app needs no DDL rights).
  await sql`CREATE TABLE rate_limit (
    \`key\` VARCHAR(255) CHARACTER SET utf8mb4 NOT NULL,
    points INT NOT NULL DEFAULT 0,
    expire BIGINT UNSIGNED,
    PRIMARY KEY (\`key\`)
  ) ENGINE=InnoDB`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["rate_limit", "audit_log", "session", "user", "person", "enterprise", "industry", "region"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
