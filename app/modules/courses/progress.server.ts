import { sql } from "kysely";
import { db } from "../../lib/db.server";
import { env } from "../../lib/env.server";
import { minReadingSeconds } from "./rules";
import { todayIso } from "../../lib/clock.server";

export const minSecondsFor = (chars: number) => minReadingSeconds(chars, env().READING_CHARS_PER_MINUTE, env().LESSON_MIN_SECONDS);

export async function lessonRow(courseSlug: string, lessonSlug: string) {
  return db.selectFrom("lesson").innerJoin("course", "course.id", "lesson.course_id")
    .select(["lesson.id", "lesson.course_id", "lesson.chars", "lesson.title", "course.title as course_title", "course.hours", "course.version"])
    .where("course.slug", "=", courseSlug).where("lesson.slug", "=", lessonSlug).where("lesson.active", "=", 1).where("course.active", "=", 1)
    .executeTakeFirst();
}

/** Start counting time on a lesson (first open), or keep the existing count. */
export async function openLesson(personId: number, lessonId: number) {
  await sql`INSERT IGNORE INTO lesson_progress (person_id, lesson_id, seconds_spent, last_seen_at) VALUES (${personId}, ${lessonId}, 0, UTC_TIMESTAMP())`.execute(db);
}

/** Count the time since the last heartbeat, capped (a hidden tab sends none, so it earns at most one cap). */
export async function heartbeat(personId: number, lessonId: number) {
  await openLesson(personId, lessonId);
  await sql`UPDATE lesson_progress
    SET seconds_spent = seconds_spent + LEAST(GREATEST(TIMESTAMPDIFF(SECOND, last_seen_at, UTC_TIMESTAMP()), 0), ${env().HEARTBEAT_CAP_SECONDS}),
        last_seen_at = UTC_TIMESTAMP()
    WHERE person_id = ${personId} AND lesson_id = ${lessonId} AND completed_at IS NULL`.execute(db);
}

export type CompleteResult =
  | { ok: true; courseCompleted: boolean; hoursCredited: number }
  | { ok: false; secondsLeft: number };

/**
 * Complete a lesson once its reading time is reached; completing the last lesson completes the course and
 * credits its hours to the ledger exactly once (primary key on course_completion, unique key on the record),
 * even when the request arrives twice at the same moment.
 */
export async function completeLesson(personId: number, enterpriseId: number, lesson: { id: number; course_id: number; chars: number }): Promise<CompleteResult> {
  await heartbeat(personId, lesson.id);
  const progress = await db.selectFrom("lesson_progress").select(["seconds_spent", "completed_at"])
    .where("person_id", "=", personId).where("lesson_id", "=", lesson.id).executeTakeFirstOrThrow();
  const needed = minSecondsFor(lesson.chars);
  if (!progress.completed_at && progress.seconds_spent < needed) return { ok: false, secondsLeft: needed - progress.seconds_spent };
  await sql`UPDATE lesson_progress SET completed_at = UTC_TIMESTAMP() WHERE person_id = ${personId} AND lesson_id = ${lesson.id} AND completed_at IS NULL`.execute(db);

  const remaining = await db.selectFrom("lesson")
    .leftJoin("lesson_progress", (j) => j.onRef("lesson_progress.lesson_id", "=", "lesson.id").on("lesson_progress.person_id", "=", personId))
    .select(sql<number>`COUNT(*)`.as("n"))
    .where("lesson.course_id", "=", lesson.course_id).where("lesson.active", "=", 1).where("lesson_progress.completed_at", "is", null)
    .executeTakeFirstOrThrow();
  if (Number(remaining.n) > 0) return { ok: true, courseCompleted: false, hoursCredited: 0 };

  const credited = await db.transaction().execute(async (trx) => {
    const course = await trx.selectFrom("course").select(["id", "title", "hours", "version"]).where("id", "=", lesson.course_id).executeTakeFirstOrThrow();
    const inserted = await sql`INSERT IGNORE INTO course_completion (person_id, course_id, course_version) VALUES (${personId}, ${course.id}, ${course.version})`.execute(trx);
    if (Number(inserted.numAffectedRows ?? 0) === 0) return 0;
    const record = await sql`INSERT IGNORE INTO training_record (person_id, enterprise_id, source, source_key, title, hours, trained_on)
      VALUES (${personId}, ${enterpriseId}, 'course', ${`course:${course.id}`}, ${course.title}, ${course.hours}, ${todayIso()})`.execute(trx);
    return Number(record.numAffectedRows ?? 0) === 1 ? Number(course.hours) : 0;
  });
  return { ok: true, courseCompleted: true, hoursCredited: credited };
}

/** Per-lesson progress of a person in one course. */
export async function courseProgress(personId: number, courseId: number) {
  const rows = await db.selectFrom("lesson")
    .leftJoin("lesson_progress", (j) => j.onRef("lesson_progress.lesson_id", "=", "lesson.id").on("lesson_progress.person_id", "=", personId))
    .select(["lesson.id", "lesson.slug", "lesson_progress.seconds_spent", "lesson_progress.completed_at"])
    .where("lesson.course_id", "=", courseId).where("lesson.active", "=", 1).execute();
  const completion = await db.selectFrom("course_completion").select("completed_at").where("person_id", "=", personId).where("course_id", "=", courseId).executeTakeFirst();
  return { lessons: rows, completedAt: completion?.completed_at ?? null };
}

/** Completed-lesson counts per course for one person (catalogue progress bars). */
export async function progressByCourse(personId: number) {
  const rows = await db.selectFrom("lesson_progress").innerJoin("lesson", "lesson.id", "lesson_progress.lesson_id")
    .select(["lesson.course_id", sql<number>`COUNT(*)`.as("done")])
    .where("lesson_progress.person_id", "=", personId).where("lesson_progress.completed_at", "is not", null).where("lesson.active", "=", 1)
    .groupBy("lesson.course_id").execute();
  return new Map(rows.map((r) => [r.course_id, Number(r.done)]));
}

export async function courseIdsBySlug() {
  const rows = await db.selectFrom("course").select(["id", "slug", "lesson_count"]).where("active", "=", 1).execute();
  return new Map(rows.map((r) => [r.slug, r]));
}

export async function catalogCourseOptions() {
  return db.selectFrom("course").select(["id", "title", "hours"]).where("active", "=", 1).orderBy("position").execute();
}
