import { refuse, type Result } from "~/lib/result";
import { todayIso } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import type { Actor } from "../auth/policy";
import { saveCertificate } from "../certification/certificates.server";
import { enterpriseHours } from "../courses/training.server";
import {
  ENFORCEMENT_CERT,
  certDatesFor,
  holdingState,
  holds,
  rollUp,
  type HoldingState,
  type UnitLevel,
} from "./rules";
import type { EnforcementCertInput } from "./schema";

/** Enforcement units 执法单位 and the 执法证 of their people (decision 0029). */

export async function unitRow(id: number) {
  return db
    .selectFrom("enforcement_unit")
    .innerJoin("enterprise", "enterprise.id", "enforcement_unit.enterprise_id")
    .innerJoin("region", "region.id", "enforcement_unit.region_id")
    .select([
      "enforcement_unit.enterprise_id as id",
      "enterprise.name",
      "enforcement_unit.level",
      "enforcement_unit.region_id",
      "enforcement_unit.region_path",
      "region.name as region_name",
      "region.parent_id as region_parent_id",
    ])
    .where("enforcement_unit.enterprise_id", "=", id)
    .executeTakeFirst();
}

/** The kind's validity rule and target (data, `enforcement_cert_kind`). */
export async function certKind(code = ENFORCEMENT_CERT) {
  const k = await db.selectFrom("enforcement_cert_kind").selectAll().where("code", "=", code).executeTakeFirstOrThrow();
  return { ...k, target_rate: Number(k.target_rate) };
}

/** Every 执法证 of the people of units in a region subtree, by person (one range read on the region path). */
async function certificatesIn(regionPath: string) {
  const rows = await db
    .selectFrom("certificate")
    .select(["id", "person_id", "number", "valid_from", "expires_on", "valid_until", "revoked_on"])
    .where("region_path", "like", `${regionPath}%`)
    .where("kind", "=", ENFORCEMENT_CERT)
    .execute();
  const byPerson = new Map<number, typeof rows>();
  for (const r of rows) byPerson.set(r.person_id, [...(byPerson.get(r.person_id) ?? []), r]);
  return byPerson;
}

/** The certificate that decides a person's state today: among those already in force, the one lasting longest. */
function best<T extends { valid_from: string; valid_until: string }>(certs: T[] | undefined, today: string) {
  const started = (certs ?? []).filter((c) => c.valid_from <= today);
  return started.sort((a, b) => b.valid_until.localeCompare(a.valid_until))[0] ?? null;
}

/** Active people of the units in a region subtree, each with the state of their 执法证 today. */
async function peopleIn(regionPath: string, today: string, warnDays: number) {
  const [people, certs] = await Promise.all([
    db
      .selectFrom("enforcement_unit")
      .innerJoin("enterprise", "enterprise.id", "enforcement_unit.enterprise_id")
      .innerJoin("person", "person.enterprise_id", "enforcement_unit.enterprise_id")
      .select([
        "person.id",
        "person.name",
        "person.id_number_masked",
        "person.phone",
        "enforcement_unit.enterprise_id as unit_id",
        "enterprise.name as unit_name",
        "enforcement_unit.level",
        "enforcement_unit.region_path",
      ])
      .where("enforcement_unit.region_path", "like", `${regionPath}%`)
      .where("person.active", "=", 1)
      .orderBy("person.id")
      .limit(5000)
      .execute(),
    certificatesIn(regionPath),
  ]);
  return people.map((p) => {
    const cert = best(certs.get(p.id), today);
    const state: HoldingState = holdingState(cert, today, warnDays);
    return { ...p, cert, state };
  });
}

/** The 执法证 holding rate of a region: its total, by child region and by unit (units of the whole subtree). */
export async function enforcementRates(region: { id: number; path: string }, today = todayIso()) {
  const kind = await certKind();
  const [people, children, units] = await Promise.all([
    peopleIn(region.path, today, kind.warn_days),
    db
      .selectFrom("region")
      .select(["id", "name", "path"])
      .where("parent_id", "=", region.id)
      .where("active", "=", 1)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("enforcement_unit")
      .innerJoin("enterprise", "enterprise.id", "enforcement_unit.enterprise_id")
      .innerJoin("region", "region.id", "enforcement_unit.region_id")
      .select([
        "enforcement_unit.enterprise_id as id",
        "enterprise.name",
        "enforcement_unit.level",
        "enforcement_unit.region_path",
        "region.name as region_name",
      ])
      .where("enforcement_unit.region_path", "like", `${region.path}%`)
      .orderBy("enforcement_unit.region_path")
      .orderBy("enforcement_unit.enterprise_id")
      .execute(),
  ]);
  const unitRows = units.map((u) => {
    const own = people.filter((p) => p.unit_id === u.id);
    return {
      ...u,
      level: u.level as UnitLevel,
      required: own.length,
      holding: own.filter((p) => holds(p.state)).length,
      expiring: own.filter((p) => p.state === "expiring").length,
    };
  });
  const rolled = rollUp(
    children,
    unitRows.map((u) => ({ id: u.id, regionPath: u.region_path, required: u.required, holding: u.holding })),
  );
  const lists = {
    expiring: people
      .filter((p) => p.state === "expiring")
      .sort((a, b) => a.cert!.valid_until.localeCompare(b.cert!.valid_until)),
    expired: people.filter((p) => p.state === "expired"),
    none: people.filter((p) => p.state === "none"),
  };
  return { kind, ...rolled, units: unitRows, lists };
}

/** A unit's active people with their 执法证 and this year's 学时 (the courses module's ledger). */
export async function unitPeople(unit: { id: number; region_path: string }, today = todayIso()) {
  const kind = await certKind();
  const [people, hours] = await Promise.all([
    peopleIn(unit.region_path, today, kind.warn_days),
    enterpriseHours(unit.id),
  ]);
  const hoursOf = new Map(hours.map((h) => [h.id, h.done]));
  return people.filter((p) => p.unit_id === unit.id).map((p) => ({ ...p, hours: hoursOf.get(p.id) ?? 0 }));
}

export type CertResult = Result;

/**
 * Register a 执法证 for a person of the unit: expiry (and review) from the kind's rule, saved through the
 * certification module (same kind and number = the same certificate; audited; summaries recounted).
 */
export async function addEnforcementCertificate(
  actor: Actor,
  unit: { id: number; region_path: string },
  input: EnforcementCertInput,
  ip: string,
): Promise<CertResult> {
  const person = await db
    .selectFrom("person")
    .select(["id", "enterprise_id", "active"])
    .where("id", "=", input.personId)
    .executeTakeFirst();
  if (!person || person.enterprise_id !== unit.id || !person.active)
    return refuse(422, "该人员不属于本执法单位", "personId");
  const kind = await certKind();
  const dates = certDatesFor(kind, input.validFrom);
  return saveCertificate(
    actor,
    { id: person.id, enterpriseId: unit.id, regionPath: unit.region_path },
    {
      kind: ENFORCEMENT_CERT,
      number: input.number,
      authority: input.authority,
      firstIssuedOn: input.firstIssuedOn ?? input.validFrom,
      validFrom: input.validFrom,
      expiresOn: dates.expires_on,
      reviewDueOn: dates.review_due_on ?? undefined,
      lastReviewedOn: undefined,
      category: undefined,
      item: undefined,
    },
    ip,
  );
}
