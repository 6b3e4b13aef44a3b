import { sql, type Kysely } from "kysely";

/**
 * Exam-site administration, seat photos, and kept rank counts of contests.
 *
 * - `contest_score_count` (people per best score) and `contest_time_count` (people per best score and whole second of
 *   time) are kept in the transaction that changes a person's best, so "my rank" is a sum over the better scores plus
 *   a sum over the better seconds of one's own score plus a count of one's own score and second: O(distinct scores +
 *   distinct seconds) instead of O(rank). Back-filled here from the participants.
 * - `exam_roster.identity`: the proctor's check of the seat photos (unchecked / ok 核验通过 / doubtful 存疑), by whom
 *   and when; `photo_type` of the check-in photo; `removed_at/by`: taken off the roster before the start (kept, and
 *   put back by adding the person again).
 * - `exam_seat_photo`: photos the seat terminal takes where the room's camera is on (one row per photo, kept).
 * - `exam_site` / `exam_room` / `exam_session` get who changed them last (the audit log has the history).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("contest_score_count")
    .addColumn("contest_id", "integer", (c) => c.notNull())
    .addColumn("score", "integer", (c) => c.notNull())
    .addColumn("people", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("contest_score_count_pk", ["contest_id", "score"])
    .execute();
  await db.schema
    .createTable("contest_time_count")
    .addColumn("contest_id", "integer", (c) => c.notNull())
    .addColumn("score", "integer", (c) => c.notNull())
    .addColumn("second", "integer", (c) => c.notNull())
    .addColumn("people", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("contest_time_count_pk", ["contest_id", "score", "second"])
    .execute();
  await sql`INSERT INTO contest_score_count (contest_id, score, people)
    SELECT contest_id, best_score, COUNT(*) FROM contest_participant WHERE best_score IS NOT NULL
    GROUP BY contest_id, best_score`.execute(db);
  await sql`INSERT INTO contest_time_count (contest_id, score, second, people)
    SELECT contest_id, best_score, FLOOR(LEAST(999999999, GREATEST(0, COALESCE(best_ms, 999999999))) / 1000), COUNT(*)
    FROM contest_participant WHERE best_score IS NOT NULL
    GROUP BY contest_id, best_score, FLOOR(LEAST(999999999, GREATEST(0, COALESCE(best_ms, 999999999))) / 1000)`.execute(
    db,
  );

  await sql`ALTER TABLE exam_roster
    ADD COLUMN photo_type VARCHAR(32) NULL,
    ADD COLUMN identity ENUM('unchecked','ok','doubtful') NOT NULL DEFAULT 'unchecked',
    ADD COLUMN identity_by VARCHAR(32) NULL,
    ADD COLUMN identity_at DATETIME(3) NULL,
    ADD COLUMN identity_note VARCHAR(300) NULL,
    ADD COLUMN removed_at DATETIME(3) NULL,
    ADD COLUMN removed_by VARCHAR(32) NULL`.execute(db);
  await db.schema
    .createTable("exam_seat_photo")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("roster_id", "integer", (c) => c.notNull())
    .addColumn("content_type", "varchar(32)", (c) => c.notNull())
    .addColumn("bytes", sql`mediumblob`, (c) => c.notNull())
    .addColumn("taken_at", "datetime(3)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("exam_seat_photo_roster").on("exam_seat_photo").columns(["roster_id", "id"]).execute();
  for (const t of ["exam_site", "exam_room", "exam_session"])
    await sql`ALTER TABLE ${sql.table(t)} ADD COLUMN updated_by VARCHAR(32) NULL, ADD COLUMN updated_at DATETIME(3) NULL`.execute(
      db,
    );
  await db.schema.createIndex("exam_site_region").on("exam_site").columns(["region_path", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("exam_site_region").on("exam_site").execute();
  for (const t of ["exam_site", "exam_room", "exam_session"])
    await sql`ALTER TABLE ${sql.table(t)} DROP COLUMN updated_by, DROP COLUMN updated_at`.execute(db);
  await db.schema.dropTable("exam_seat_photo").execute();
  await sql`ALTER TABLE exam_roster DROP COLUMN photo_type, DROP COLUMN identity, DROP COLUMN identity_by,
    DROP COLUMN identity_at, DROP COLUMN identity_note, DROP COLUMN removed_at, DROP COLUMN removed_by`.execute(db);
  await db.schema.dropTable("contest_time_count").execute();
  await db.schema.dropTable("contest_score_count").execute();
}
