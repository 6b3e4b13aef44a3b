import { sql } from "kysely";
import { db } from "../../lib/db.server";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import { headcountByPost } from "../org/enterprises.server";
import { certificationGlance } from "../certification/rates.server";
import type { InspectionInput } from "./schema";

export async function createInspection(
  actor: Actor,
  enterprise: { id: number; regionPath: string },
  input: InspectionInput,
  ip: string,
) {
  return db.transaction().execute(async (trx) => {
    const values = {
      enterprise_id: enterprise.id,
      region_path: enterprise.regionPath,
      inspected_on: input.inspectedOn,
      inspectors: input.inspectors,
      place: input.place ?? null,
      notes: input.notes ?? null,
      created_by: actor.userId,
    };
    const res = await trx.insertInto("inspection").values(values).executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "inspection.created",
      entityType: "inspection",
      entityId: Number(res.insertId),
      after: values,
      ip,
    });
    return Number(res.insertId);
  });
}

export async function inspectionResource(id: number) {
  return db
    .selectFrom("inspection")
    .select(["id", "enterprise_id", "region_path"])
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function getInspection(id: number) {
  return db
    .selectFrom("inspection")
    .innerJoin("enterprise", "enterprise.id", "inspection.enterprise_id")
    .selectAll("inspection")
    .select([
      "enterprise.name as enterprise_name",
      "enterprise.uscc",
      "enterprise.industry_code",
      "enterprise.risk_level",
    ])
    .where("inspection.id", "=", id)
    .executeTakeFirst();
}

/** The enterprise at a glance for the inspector: people by post, past quizzes, open follow-ups, flags. */
export async function enterpriseProfile(enterpriseId: number) {
  const [headcount, quizzes, followUps, inspections, certification] = await Promise.all([
    headcountByPost(enterpriseId),
    db
      .selectFrom("onsite_quiz")
      .leftJoin("quiz_participant", "quiz_participant.quiz_id", "onsite_quiz.id")
      .leftJoin("attempt", "attempt.id", "quiz_participant.attempt_id")
      .select([
        "onsite_quiz.id",
        "onsite_quiz.created_at",
        "onsite_quiz.inspection_id",
        sql<number>`SUM(attempt.passed IS NOT NULL AND quiz_participant.identity IN ('ok', 'confirmed'))`.as("people"),
        sql<number>`SUM(attempt.passed = 1 AND quiz_participant.identity IN ('ok', 'confirmed'))`.as("passed"),
      ])
      .where("onsite_quiz.enterprise_id", "=", enterpriseId)
      .groupBy(["onsite_quiz.id", "onsite_quiz.created_at", "onsite_quiz.inspection_id"])
      .orderBy("onsite_quiz.id", "desc")
      .limit(10)
      .execute(),
    openFollowUps(enterpriseId),
    db
      .selectFrom("inspection")
      .select(["id", "inspected_on", "inspectors"])
      .where("enterprise_id", "=", enterpriseId)
      .orderBy("inspected_on", "desc")
      .limit(10)
      .execute(),
    certificationGlance(enterpriseId),
  ]);
  return {
    headcount,
    quizzes: quizzes.map((q) => ({ ...q, people: Number(q.people), passed: Number(q.passed ?? 0) })),
    followUps,
    inspections,
    certification,
    // A principal or safety manager who failed and has not yet passed again flags the enterprise.
    managementFailed: followUps.some((f) => f.post === "principal" || f.post === "safety_manager"),
  };
}

export async function openFollowUps(enterpriseId: number) {
  return db
    .selectFrom("follow_up")
    .innerJoin("person", "person.id", "follow_up.person_id")
    .leftJoin("course", "course.id", "follow_up.course_id")
    .select([
      "follow_up.id",
      "follow_up.post",
      "follow_up.weak_topics",
      "follow_up.retest_due",
      "follow_up.created_at",
      "person.name",
      "person.id as person_id",
      "course.title as course_title",
      "course.slug as course_slug",
    ])
    .where("follow_up.enterprise_id", "=", enterpriseId)
    .where("follow_up.closed_at", "is", null)
    .orderBy("follow_up.retest_due")
    .execute();
}

export async function followUpsOfPerson(personId: number) {
  return db
    .selectFrom("follow_up")
    .leftJoin("course", "course.id", "follow_up.course_id")
    .select([
      "follow_up.id",
      "follow_up.weak_topics",
      "follow_up.retest_due",
      "follow_up.closed_at",
      "follow_up.closed_how",
      "course.title as course_title",
      "course.slug as course_slug",
    ])
    .where("follow_up.person_id", "=", personId)
    .orderBy("follow_up.id", "desc")
    .limit(20)
    .execute();
}

export async function followUpResource(id: number) {
  return db
    .selectFrom("follow_up")
    .innerJoin("enterprise", "enterprise.id", "follow_up.enterprise_id")
    .select(["follow_up.id", "follow_up.person_id", "follow_up.enterprise_id", "enterprise.region_path"])
    .where("follow_up.id", "=", id)
    .executeTakeFirst();
}

/** The quiz part of an inspection record: people by post, pass rate, weakest topics. */
export async function inspectionSummary(inspectionId: number) {
  const rows = await db
    .selectFrom("quiz_participant")
    .innerJoin("onsite_quiz", "onsite_quiz.id", "quiz_participant.quiz_id")
    .leftJoin("attempt", "attempt.id", "quiz_participant.attempt_id")
    .select([
      "quiz_participant.id",
      "quiz_participant.quiz_id",
      "quiz_participant.name",
      "quiz_participant.post",
      "quiz_participant.on_file",
      "quiz_participant.id_number_masked",
      "quiz_participant.typed_name",
      "quiz_participant.identity",
      "quiz_participant.identity_reason",
      "attempt.id as attempt_id",
      "attempt.score",
      "attempt.passed",
      "attempt.submitted_at",
      "attempt.closed_by",
    ])
    .where("onsite_quiz.inspection_id", "=", inspectionId)
    .orderBy("quiz_participant.post")
    .orderBy("quiz_participant.id")
    .execute();
  const attemptIds = rows.map((r) => r.attempt_id).filter((x): x is number => x !== null);
  const photos = rows.length
    ? new Set(
        (
          await db
            .selectFrom("quiz_participant_photo")
            .innerJoin("onsite_quiz", "onsite_quiz.id", "quiz_participant_photo.quiz_id")
            .select("quiz_participant_photo.participant_id")
            .where("onsite_quiz.inspection_id", "=", inspectionId)
            .execute()
        ).map((r) => r.participant_id),
      )
    : new Set<number>();
  const topics = attemptIds.length
    ? await db
        .selectFrom("attempt_item")
        .innerJoin("question", "question.id", "attempt_item.question_id")
        .select([
          "question.topic",
          sql<number>`SUM(attempt_item.earned)`.as("earned"),
          sql<number>`SUM(attempt_item.points)`.as("points"),
        ])
        .where("attempt_item.attempt_id", "in", attemptIds)
        .where("attempt_item.earned", "is not", null)
        .groupBy("question.topic")
        .execute()
    : [];
  // What counts: graded papers whose identity is not in doubt or voided.
  const graded = rows.filter((r) => r.passed !== null && (r.identity === "ok" || r.identity === "confirmed"));
  const byPost: Record<string, { people: number; passed: number }> = {};
  for (const r of graded) {
    byPost[r.post] ??= { people: 0, passed: 0 };
    byPost[r.post].people++;
    if (r.passed) byPost[r.post].passed++;
  }
  return {
    people: rows.map((r) => ({
      ...r,
      photo: photos.has(r.id),
      incomplete: r.closed_by === "incomplete",
      score: r.score === null ? null : Number(r.score),
      passed: r.passed === null ? null : Boolean(r.passed),
    })),
    byPost,
    passRate: graded.length ? graded.filter((r) => r.passed).length / graded.length : null,
    weakestTopics: topics
      .map((t) => ({ topic: t.topic, rate: Number(t.points) ? Number(t.earned) / Number(t.points) : 0 }))
      .sort((a, b) => a.rate - b.rate)
      .slice(0, 5),
  };
}

export async function recentInspections(regionPath: string | null, limit = 20) {
  let q = db
    .selectFrom("inspection")
    .innerJoin("enterprise", "enterprise.id", "inspection.enterprise_id")
    .select(["inspection.id", "inspection.inspected_on", "inspection.inspectors", "enterprise.name as enterprise_name"])
    .orderBy("inspection.id", "desc")
    .limit(limit);
  if (regionPath) q = q.where("inspection.region_path", "like", `${regionPath}%`);
  return q.execute();
}

/** One follow-up with its person and enterprise region (for authorizing and the re-test link page). */
export async function followUpCard(id: number) {
  return db
    .selectFrom("follow_up")
    .innerJoin("enterprise", "enterprise.id", "follow_up.enterprise_id")
    .innerJoin("person", "person.id", "follow_up.person_id")
    .select([
      "follow_up.id",
      "follow_up.person_id",
      "follow_up.enterprise_id",
      "follow_up.post",
      "follow_up.weak_topics",
      "follow_up.retest_due",
      "follow_up.closed_at",
      "enterprise.region_path",
      "person.name",
    ])
    .where("follow_up.id", "=", id)
    .executeTakeFirst();
}
