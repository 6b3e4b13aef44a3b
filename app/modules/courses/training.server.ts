import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { todayIso } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { refuse } from "../../lib/result";
import { recordAudit } from "../audit/audit.server";
import { refreshCockpitEnterprise } from "../cockpit/summary.server";
import type { Actor } from "../auth/policy";
import { requiredHours, type HoursRule } from "./rules";
import type { OfflineTrainingInput } from "./training-schema";

/** The 学时 year is the calendar year in China: the days of `today`'s year. */
const yearRange = (today: string) => [`${today.slice(0, 4)}-01-01`, `${today.slice(0, 4)}-12-31`] as const;

export async function hoursRules(): Promise<HoursRule[]> {
  return db.selectFrom("training_hours_rule").selectAll().execute();
}

/** A person's ledger rows, newest first. */
export async function ledgerOf(personId: number, limit = 100) {
  return db
    .selectFrom("training_record")
    .select(["id", "source", "title", "hours", "trained_on", "note", "credit_rule"])
    .where("person_id", "=", personId)
    .orderBy("trained_on", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** A person's ledger rows of one calendar year, oldest first (the 学时证明), bounded. */
export async function ledgerOfYear(personId: number, year: number, limit = 5000) {
  return db
    .selectFrom("training_record")
    .select(["id", "source", "title", "hours", "trained_on", "note", "credit_rule"])
    .where("person_id", "=", personId)
    .where("trained_on", ">=", `${year}-01-01`)
    .where("trained_on", "<=", `${year}-12-31`)
    .orderBy("trained_on")
    .orderBy("id")
    .limit(limit)
    .execute();
}

/** Hours this calendar year against what the post requires. */
export async function hoursStatus(personId: number, today = todayIso()) {
  const [from, to] = yearRange(today);
  // The person and their year's sum in one statement.
  const [person, rules] = await Promise.all([
    db
      .selectFrom("person")
      .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
      .innerJoin("industry", "industry.code", "enterprise.industry_code")
      .select([
        "person.post",
        "person.hire_date",
        "industry.high_risk",
        sql<string>`(SELECT COALESCE(SUM(hours), 0) FROM training_record WHERE person_id = ${personId} AND trained_on >= ${from} AND trained_on <= ${to})`.as(
          "h",
        ),
      ])
      .where("person.id", "=", personId)
      .executeTakeFirstOrThrow(),
    hoursRules(),
  ]);
  const required = requiredHours(rules, person.post, Boolean(person.high_risk), person.hire_date, today);
  return { done: Number(person.h), required };
}

/** Every active person of an enterprise with hours this year, required hours and shortfall (one grouped query). */
export async function enterpriseHours(enterpriseId: number, today = todayIso()) {
  const [from, to] = yearRange(today);
  const [people, rules, industry] = await Promise.all([
    db
      .selectFrom("person")
      .leftJoin("training_record", (j) =>
        j
          .onRef("training_record.person_id", "=", "person.id")
          .on("training_record.trained_on", ">=", from)
          .on("training_record.trained_on", "<=", to),
      )
      .select([
        "person.id",
        "person.name",
        "person.post",
        "person.hire_date",
        sql<string>`COALESCE(SUM(training_record.hours), 0)`.as("hours"),
      ])
      .where("person.enterprise_id", "=", enterpriseId)
      .where("person.active", "=", 1)
      .groupBy(["person.id", "person.name", "person.post", "person.hire_date"])
      .orderBy("person.id")
      .execute(),
    hoursRules(),
    db
      .selectFrom("enterprise")
      .innerJoin("industry", "industry.code", "enterprise.industry_code")
      .select("industry.high_risk")
      .where("enterprise.id", "=", enterpriseId)
      .executeTakeFirstOrThrow(),
  ]);
  return people.map((p) => {
    const required = requiredHours(rules, p.post, Boolean(industry.high_risk), p.hire_date, today);
    const done = Number(p.hours);
    return {
      id: p.id,
      name: p.name,
      post: p.post,
      done,
      required: required?.hours ?? 0,
      phase: required?.phase ?? "annual",
      shortfall: Math.max(0, (required?.hours ?? 0) - done),
    };
  });
}

/** Classroom (offline) training entered by an officer: one ledger row per person, in one transaction. */
export async function recordOfflineTraining(
  actor: Actor,
  enterpriseId: number,
  input: OfflineTrainingInput,
  ip: string,
) {
  const people = await db
    .selectFrom("person")
    .select("id")
    .where("enterprise_id", "=", enterpriseId)
    .where("active", "=", 1)
    .where("id", "in", input.personIds)
    .execute();
  if (people.length !== new Set(input.personIds).size)
    return refuse(422, "所选人员中有人不属于本企业或已停用", "personIds");
  const session = randomUUID();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("training_record")
      .values(
        people.map((p) => ({
          person_id: p.id,
          enterprise_id: enterpriseId,
          source: "offline" as const,
          source_key: `offline:${session}`,
          title: input.title,
          hours: input.hours,
          trained_on: input.trainedOn,
          note: input.note ?? null,
          recorded_by: actor.userId,
        })),
      )
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "training.offline_recorded",
      entityType: "enterprise",
      entityId: enterpriseId,
      after: { ...input, session },
      ip,
    });
  });
  // New hours change the cockpit's 学时达标 and 新增从业人员培训 counts of the enterprise.
  await refreshCockpitEnterprise(enterpriseId).catch((e) => console.error("cockpit refresh failed", e));
  return { ok: true as const, count: people.length };
}
