import { sql } from "kysely";
import { db } from "../../lib/db.server";
import { env } from "../../lib/env.server";
import { creditedHours, minReadingSeconds } from "./rules";
import { endStudy, requiredSecondsFor, settleActive, type StudyLesson, type StudyRule } from "./study.server";
import { now } from "../../lib/clock.server";
import { todayIso } from "../../lib/clock.server";

export const minSecondsFor = (chars: number) =>
  minReadingSeconds(chars, env().READING_CHARS_PER_MINUTE, env().LESSON_MIN_SECONDS);

export async function lessonRow(courseSlug: string, lessonSlug: string) {
  return db
    .selectFrom("lesson")
    .innerJoin("course", "course.id", "lesson.course_id")
    .select([
      "lesson.id",
      "lesson.course_id",
      "lesson.chars",
      "lesson.title",
      "course.title as course_title",
      "course.hours",
      "course.version",
    ])
    .where("course.slug", "=", courseSlug)
    .where("lesson.slug", "=", lessonSlug)
    .where("lesson.active", "=", 1)
    .where("course.active", "=", 1)
    .executeTakeFirst();
}

/** Where a learner studies: their enterprise, its region (for the 学时 rule) and whether check-ins take a photo. */
export async function learnerOf(personId: number) {
  return db
    .selectFrom("person")
    .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
    .select([
      "enterprise.id as enterpriseId",
      "enterprise.region_path as regionPath",
      "enterprise.study_photo_checkin as photoCheckin",
    ])
    .where("person.id", "=", personId)
    .executeTakeFirstOrThrow();
}

export type CompleteResult =
  { ok: true; courseCompleted: boolean; hoursCredited: number } | { ok: false; secondsLeft: number };

/**
 * Complete a lesson once its study time is reached; completing the last lesson completes the course and credits
 * the hours its active study earned (never more than it declares) to the ledger exactly once (primary key on
 * course_completion, unique key on the record), even when the request arrives twice at the same moment.
 */
export async function completeLesson(
  personId: number,
  enterpriseId: number,
  lesson: StudyLesson,
  rule: StudyRule,
): Promise<CompleteResult> {
  await settleActive(personId, lesson.id);
  const progress = await db
    .selectFrom("lesson_progress")
    .select(["seconds_spent", "completed_at"])
    .where("person_id", "=", personId)
    .where("lesson_id", "=", lesson.id)
    .executeTakeFirst();
  const needed = await requiredSecondsFor(lesson, rule);
  const spent = progress?.seconds_spent ?? 0;
  if (!progress?.completed_at && spent < needed) return { ok: false, secondsLeft: needed - spent };
  await db.transaction().execute(async (trx) => {
    await sql`UPDATE lesson_progress SET completed_at = ${now()} WHERE person_id = ${personId} AND lesson_id = ${lesson.id} AND completed_at IS NULL`.execute(
      trx,
    );
    await endStudy(trx, personId, lesson.id);
  });

  const remaining = await db
    .selectFrom("lesson")
    .leftJoin("lesson_progress", (j) =>
      j.onRef("lesson_progress.lesson_id", "=", "lesson.id").on("lesson_progress.person_id", "=", personId),
    )
    .select([
      sql<number>`SUM(lesson_progress.completed_at IS NULL)`.as("open"),
      sql<number>`COALESCE(SUM(lesson_progress.seconds_spent), 0)`.as("seconds"),
    ])
    .where("lesson.course_id", "=", lesson.course_id)
    .where("lesson.active", "=", 1)
    .executeTakeFirstOrThrow();
  if (Number(remaining.open) > 0) return { ok: true, courseCompleted: false, hoursCredited: 0 };

  const activeSeconds = Number(remaining.seconds);
  const credited = await db.transaction().execute(async (trx) => {
    const course = await trx
      .selectFrom("course")
      .select(["id", "title", "hours", "version"])
      .where("id", "=", lesson.course_id)
      .executeTakeFirstOrThrow();
    const inserted =
      await sql`INSERT IGNORE INTO course_completion (person_id, course_id, course_version, completed_at, active_seconds)
      VALUES (${personId}, ${course.id}, ${course.version}, ${now()}, ${activeSeconds})`.execute(trx);
    if (Number(inserted.numAffectedRows ?? 0) === 0) return 0;
    const hours = creditedHours(activeSeconds, rule.onlineMinutesPerHour, Number(course.hours));
    if (hours <= 0) return 0;
    const note = `在线学习有效时长 ${Math.floor(activeSeconds / 60)} 分钟，按每学时 ${rule.onlineMinutesPerHour} 分钟折算`;
    const record =
      await sql`INSERT IGNORE INTO training_record (person_id, enterprise_id, source, source_key, title, hours, trained_on, note, credit_rule)
      VALUES (${personId}, ${enterpriseId}, 'course', ${`course:${course.id}`}, ${course.title}, ${hours}, ${todayIso()}, ${note}, 'active_study')`.execute(
        trx,
      );
    return Number(record.numAffectedRows ?? 0) === 1 ? hours : 0;
  });
  return { ok: true, courseCompleted: true, hoursCredited: credited };
}

/** Per-lesson progress of a person in one course. */
export async function courseProgress(personId: number, courseId: number) {
  const rows = await db
    .selectFrom("lesson")
    .leftJoin("lesson_progress", (j) =>
      j.onRef("lesson_progress.lesson_id", "=", "lesson.id").on("lesson_progress.person_id", "=", personId),
    )
    .select(["lesson.id", "lesson.slug", "lesson_progress.seconds_spent", "lesson_progress.completed_at"])
    .where("lesson.course_id", "=", courseId)
    .where("lesson.active", "=", 1)
    .execute();
  const completion = await db
    .selectFrom("course_completion")
    .select("completed_at")
    .where("person_id", "=", personId)
    .where("course_id", "=", courseId)
    .executeTakeFirst();
  return { lessons: rows, completedAt: completion?.completed_at ?? null };
}

/** Completed-lesson counts per course for one person (catalogue progress bars). */
export async function progressByCourse(personId: number) {
  const rows = await db
    .selectFrom("lesson_progress")
    .innerJoin("lesson", "lesson.id", "lesson_progress.lesson_id")
    .select(["lesson.course_id", sql<number>`COUNT(*)`.as("done")])
    .where("lesson_progress.person_id", "=", personId)
    .where("lesson_progress.completed_at", "is not", null)
    .where("lesson.active", "=", 1)
    .groupBy("lesson.course_id")
    .execute();
  return new Map(rows.map((r) => [r.course_id, Number(r.done)]));
}

export async function courseIdsBySlug() {
  const rows = await db.selectFrom("course").select(["id", "slug", "lesson_count"]).where("active", "=", 1).execute();
  return new Map(rows.map((r) => [r.slug, r]));
}

export async function catalogCourseOptions() {
  return db.selectFrom("course").select(["id", "title", "hours"]).where("active", "=", 1).orderBy("position").execute();
}

/** Every course a person has studied: lessons completed of the course's lessons, and when the course was completed. */
export async function coursesOfPerson(personId: number) {
  const [done, completions] = await Promise.all([
    progressByCourse(personId),
    db
      .selectFrom("course_completion")
      .select(["course_id", "completed_at"])
      .where("person_id", "=", personId)
      .execute(),
  ]);
  const ids = [...new Set([...done.keys(), ...completions.map((c) => c.course_id)])];
  if (ids.length === 0) return [];
  const courses = await db
    .selectFrom("course")
    .select(["id", "title", "lesson_count"])
    .where("id", "in", ids)
    .orderBy("id")
    .execute();
  const completedAt = new Map(completions.map((c) => [c.course_id, c.completed_at]));
  return courses.map((c) => ({
    id: c.id,
    title: c.title,
    lessons: c.lesson_count,
    done: done.get(c.id) ?? 0,
    completedAt: completedAt.get(c.id) ?? null,
  }));
}
