import { ENFORCEMENT_INDUSTRY } from "./labels";
import { refuse, type Refusal } from "~/lib/result";
import type { Transaction } from "kysely";
import { refreshEnterpriseIn } from "../certification/summary.server";
import { db } from "../../lib/db.server";
import type { PageParams } from "../../lib/paging";
import { keysetPage } from "../../lib/paging.server";
import type { Database } from "../../../db/types";
import { recordAudit } from "../audit/audit.server";
import type { Actor, Resource, Scope } from "../auth/policy";
import { escapeLike } from "./enterprises.server";
import { hashIdNumber, personIdNumberColumns } from "./id-hash.server";
import { idNumberProblem } from "./identifiers";
import { type ListQuery, type PersonInput, type PersonUpdateInput } from "./schema";

const personColumns = [
  "person.id",
  "person.enterprise_id",
  "person.name",
  "person.id_number_masked",
  "person.phone",
  "person.post",
  "person.hire_date",
  "person.active",
] as const;

/** One keyset page of people the scope may see, by id, without a count (a region may hold a million). */
export async function listPeople(scope: Scope, query: ListQuery, paging: PageParams) {
  let q = db
    .selectFrom("person")
    .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
    .select([...personColumns, "enterprise.name as enterprise_name"]);
  if (scope.kind === "region") q = q.where("enterprise.region_path", "like", `${scope.path}%`);
  else if (scope.kind === "enterprise") q = q.where("person.enterprise_id", "=", scope.enterpriseId);
  else if (scope.kind === "person") q = q.where("person.id", "=", scope.personId);
  else if (scope.kind === "none") return { rows: [], next: null, prev: null };
  if (query.enterpriseId) q = q.where("person.enterprise_id", "=", query.enterpriseId);
  if (query.post) q = q.where("person.post", "=", query.post as PersonInput["post"]);
  if (!query.showInactive) q = q.where("person.active", "=", 1);
  if (query.q) {
    q =
      idNumberProblem(query.q) === null
        ? q.where("person.id_number_hash", "=", hashIdNumber(query.q))
        : q.where("person.name", "like", `${escapeLike(query.q)}%`);
  }
  return keysetPage(q, { column: "person.id", of: (r) => r.id, numeric: true }, paging);
}

export async function getPerson(id: number) {
  return db
    .selectFrom("person")
    .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
    .select([
      ...personColumns,
      "enterprise.name as enterprise_name",
      "enterprise.region_path",
      "enterprise.industry_code",
    ])
    .where("person.id", "=", id)
    .executeTakeFirst();
}

/** What the policy needs to decide about a person. */
export async function personResource(id: number): Promise<Extract<Resource, { type: "person" }> | null> {
  const row = await db
    .selectFrom("person")
    .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
    .select(["person.id", "person.enterprise_id", "enterprise.region_path"])
    .where("person.id", "=", id)
    .executeTakeFirst();
  return row ? { type: "person", id: row.id, enterpriseId: row.enterprise_id, regionPath: row.region_path } : null;
}

export async function enterpriseResource(id: number): Promise<Extract<Resource, { type: "enterprise" }> | null> {
  const row = await db.selectFrom("enterprise").select(["id", "region_path"]).where("id", "=", id).executeTakeFirst();
  return row ? { type: "enterprise", id: row.id, regionPath: row.region_path } : null;
}

export type PersonSaveResult = { ok: true; id: number } | Refusal;

const DUPLICATE_ID = "该身份证号码已在本企业登记";

async function insertPerson(
  trx: Transaction<Database>,
  actor: Actor,
  input: PersonInput,
  ip: string,
): Promise<PersonSaveResult> {
  const ids = personIdNumberColumns(input.idNumber);
  const clash = await trx
    .selectFrom("person")
    .select("id")
    .where("enterprise_id", "=", input.enterpriseId)
    .where("id_number_hash", "=", ids.id_number_hash)
    .executeTakeFirst();
  if (clash) return refuse(422, DUPLICATE_ID, "idNumber");
  const values = {
    enterprise_id: input.enterpriseId,
    name: input.name,
    ...ids,
    phone: input.phone ?? null,
    post: input.post,
    hire_date: input.hireDate ?? null,
  };
  const res = await trx.insertInto("person").values(values).executeTakeFirstOrThrow();
  const id = Number(res.insertId);
  const { id_number_hash: _omit, id_number_cipher: _secret, ...logged } = values;
  await recordAudit(trx, {
    actorUserId: actor.userId,
    action: "person.created",
    entityType: "person",
    entityId: id,
    after: logged,
    ip,
  });
  return { ok: true, id };
}

export async function createPerson(actor: Actor, input: PersonInput, ip: string): Promise<PersonSaveResult> {
  const enterprise = await db
    .selectFrom("enterprise")
    .select(["id", "active"])
    .where("id", "=", input.enterpriseId)
    .executeTakeFirst();
  if (!enterprise || !enterprise.active) return refuse(422, "所选企业不存在或已停用", "enterpriseId");
  return db.transaction().execute(async (trx) => {
    const saved = await insertPerson(trx, actor, input, ip);
    // A new person in a post that needs a certificate changes the enterprise's 持证率 in the same commit.
    if (saved.ok) await refreshEnterpriseIn(trx, input.enterpriseId);
    return saved;
  });
}

/** All rows or none: a failing row rolls back the whole batch and is reported by its index. */
export async function createPeopleBatch(
  actor: Actor,
  inputs: PersonInput[],
  ip: string,
): Promise<{ ok: true; created: number } | { ok: false; index: number; message: string }> {
  try {
    return await db.transaction().execute(async (trx) => {
      for (let i = 0; i < inputs.length; i++) {
        const res = await insertPerson(trx, actor, inputs[i], ip);
        if (!res.ok) throw new BatchRowError(i, res.message);
      }
      for (const enterpriseId of new Set(inputs.map((p) => p.enterpriseId)))
        await refreshEnterpriseIn(trx, enterpriseId);
      return { ok: true as const, created: inputs.length };
    });
  } catch (e) {
    if (e instanceof BatchRowError) return { ok: false, index: e.index, message: e.message };
    throw e;
  }
}

class BatchRowError extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(message);
  }
}

export async function updatePerson(
  actor: Actor,
  id: number,
  input: PersonUpdateInput,
  ip: string,
): Promise<PersonSaveResult> {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("person")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const values: Record<string, unknown> = {
      name: input.name,
      phone: input.phone ?? null,
      post: input.post,
      hire_date: input.hireDate ?? null,
    };
    if (input.idNumber) {
      const ids = personIdNumberColumns(input.idNumber);
      const clash = await trx
        .selectFrom("person")
        .select("id")
        .where("enterprise_id", "=", before.enterprise_id)
        .where("id_number_hash", "=", ids.id_number_hash)
        .executeTakeFirst();
      if (clash && clash.id !== id) return refuse(422, DUPLICATE_ID, "idNumber");
      Object.assign(values, ids);
    }
    await trx
      .updateTable("person")
      .set({ ...values, updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    const { id_number_hash: _a, id_number_cipher: _c, ...beforeLogged } = before;
    const { id_number_hash: _b, id_number_cipher: _d, ...afterLogged } = values;
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "person.updated",
      entityType: "person",
      entityId: id,
      before: beforeLogged,
      after: afterLogged,
      ip,
    });
    // A change of post can change who must hold a certificate.
    await refreshEnterpriseIn(trx, before.enterprise_id);
    return { ok: true as const, id };
  });
}

export async function setPersonActive(actor: Actor, id: number, active: boolean, ip: string) {
  await db.transaction().execute(async (trx) => {
    const person = await trx
      .selectFrom("person")
      .select("enterprise_id")
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable("person")
      .set({ active: active ? 1 : 0, updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    // A person who left can no longer log in.
    if (!active)
      await trx.updateTable("user").set({ active: 0, updated_at: new Date() }).where("person_id", "=", id).execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: active ? "person.reactivated" : "person.deactivated",
      entityType: "person",
      entityId: id,
      ip,
    });
    await refreshEnterpriseIn(trx, person.enterprise_id);
  });
}

/** Enterprises the actor may add people to, for pickers. */
/** Active enterprises of a scope for a picker; `enforcementUnits: false` leaves the units out (decision 0029). */
export async function enterpriseChoices(scope: Scope, limit = 200, { enforcementUnits = true } = {}) {
  let q = db.selectFrom("enterprise").select(["id", "name"]).where("active", "=", 1).orderBy("name").limit(limit);
  if (!enforcementUnits) q = q.where("industry_code", "<>", ENFORCEMENT_INDUSTRY);
  if (scope.kind === "enterprise") q = q.where("id", "=", scope.enterpriseId);
  else if (scope.kind === "region") q = q.where("region_path", "like", `${scope.path}%`);
  else if (scope.kind !== "all") return [];
  return q.execute();
}

export async function personEnterprise(personId: number): Promise<number> {
  const row = await db
    .selectFrom("person")
    .select("enterprise_id")
    .where("id", "=", personId)
    .executeTakeFirstOrThrow();
  return row.enterprise_id;
}

/** Every active person of an enterprise, by post and name (pickers for training and quizzes). */
export async function activePeopleOf(enterpriseId: number) {
  return db
    .selectFrom("person")
    .select(["id", "name", "post"])
    .where("enterprise_id", "=", enterpriseId)
    .where("active", "=", 1)
    .orderBy("post")
    .orderBy("name")
    .execute();
}
