import { sql, type Kysely } from "kysely";

/**
 * City-scale certificate sync (decision 0023): a regulator's file of a region's certificates is a job, processed in
 * chunks by the background runner. `rows_done` is the last row whose effects are committed (in the same transaction
 * as the certificates of its chunk), so a restart resumes after it. `lease_*` lets one process at a time run a job.
 * Issues (unmatched, conflicting, invalid rows) are the report an officer acts on; `(job_id, row_no)` is unique, so a
 * chunk processed again after an interruption writes no second copy. Touched enterprises are recounted at the end.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("cert_sync_job")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("region_id", "integer", (c) => c.notNull().references("region.id"))
    .addColumn("region_path", "varchar(255)", (c) => c.notNull())
    .addColumn("source", "varchar(32)", (c) => c.notNull())
    .addColumn("file_name", "varchar(255)", (c) => c.notNull())
    .addColumn("file_path", "varchar(500)", (c) => c.notNull())
    .addColumn("file_bytes", "bigint", (c) => c.notNull())
    .addColumn("file_sha256", "char(64)", (c) => c.notNull())
    .addColumn("status", "varchar(16)", (c) => c.notNull().defaultTo("queued"))
    .addColumn("phase", "varchar(16)", (c) => c.notNull().defaultTo("rows"))
    .addColumn("rows_done", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("summary_cursor", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("inserted", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("unchanged", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("unmatched", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("conflicts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("invalid", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("error", "varchar(1000)")
    .addColumn("lease_owner", "varchar(64)")
    .addColumn("lease_until", "datetime(3)")
    .addColumn("created_by", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "datetime(3)", (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn("started_at", "datetime(3)")
    .addColumn("finished_at", "datetime(3)")
    .execute();
  await db.schema.createIndex("cert_sync_job_region").on("cert_sync_job").columns(["region_path", "id"]).execute();
  await db.schema.createIndex("cert_sync_job_status").on("cert_sync_job").columns(["status", "id"]).execute();
  await db.schema
    .createTable("cert_sync_issue")
    .addColumn("id", "bigint", (c) => c.primaryKey().autoIncrement())
    .addColumn("job_id", "integer", (c) => c.notNull())
    .addColumn("row_no", "integer", (c) => c.notNull())
    .addColumn("kind", "varchar(16)", (c) => c.notNull())
    .addColumn("name", "varchar(100)")
    .addColumn("id_number_masked", "varchar(32)")
    .addColumn("cert_kind", "varchar(64)")
    .addColumn("cert_number", "varchar(64)")
    .addColumn("column_name", "varchar(32)")
    .addColumn("reason", "varchar(500)", (c) => c.notNull())
    .addColumn("enterprise_ids", "varchar(255)")
    .addUniqueConstraint("cert_sync_issue_row", ["job_id", "row_no"])
    .execute();
  await db.schema.createIndex("cert_sync_issue_kind").on("cert_sync_issue").columns(["job_id", "kind", "id"]).execute();
  await db.schema
    .createTable("cert_sync_touched")
    .addColumn("job_id", "integer", (c) => c.notNull())
    .addColumn("enterprise_id", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("cert_sync_touched_pk", ["job_id", "enterprise_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("cert_sync_touched").execute();
  await db.schema.dropTable("cert_sync_issue").execute();
  await db.schema.dropTable("cert_sync_job").execute();
}
