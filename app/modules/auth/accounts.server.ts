import { refuse, type Refusal } from "~/lib/result";
import { generateIdFromEntropySize } from "lucia";
import { db } from "../../lib/db.server";
import type { PageParams } from "../../lib/paging";
import { keysetPage } from "../../lib/paging.server";
import { recordAudit } from "../audit/audit.server";
import { escapeLike } from "../org/enterprises.server";
import { lucia } from "./lucia.server";
import { hashPassword } from "./password.server";
import type { Actor, Scope } from "./policy";
import type { AccountInput, AccountUpdateInput } from "./schema";

const accountColumns = [
  "user.id",
  "user.username",
  "user.display_name",
  "user.role",
  "user.enterprise_id",
  "user.region_id",
  "user.person_id",
  "user.active",
] as const;

export async function listAccounts(scope: Scope, query: { q?: string; role?: string }, paging: PageParams) {
  let q = db
    .selectFrom("user")
    .leftJoin("enterprise", "enterprise.id", "user.enterprise_id")
    .leftJoin("region", "region.id", "user.region_id")
    .select([...accountColumns, "enterprise.name as enterprise_name", "region.name as region_name"]);
  if (scope.kind === "enterprise")
    q = q.where("user.enterprise_id", "=", scope.enterpriseId).where("user.role", "=", "worker");
  else if (scope.kind !== "all") return { rows: [], next: null, prev: null };
  if (query.q) q = q.where("user.username", "like", `${escapeLike(query.q.toLowerCase())}%`);
  if (query.role) q = q.where("user.role", "=", query.role as Actor["role"]);
  return keysetPage(q, { column: "user.username", of: (r) => r.username }, paging);
}

export async function getAccount(id: string) {
  return db.selectFrom("user").select(accountColumns).where("id", "=", id).executeTakeFirst();
}

type Scoped = { role: Actor["role"]; enterpriseId: number | null; regionId: number | null; personId: number | null };

/** Keep only the scope columns the role uses, and check that the linked person belongs to the enterprise. */
async function scopeColumns(v: Scoped): Promise<{ ok: true; cols: Record<string, number | null> } | Refusal> {
  const enterpriseRole = v.role === "worker" || v.role === "enterprise_officer";
  const regionalRole = v.role === "inspector" || v.role === "regulator";
  const cols = {
    enterprise_id: enterpriseRole ? v.enterpriseId : null,
    region_id: regionalRole ? v.regionId : null,
    person_id: enterpriseRole ? v.personId : null,
  };
  if (cols.enterprise_id) {
    const e = await db.selectFrom("enterprise").select("id").where("id", "=", cols.enterprise_id).executeTakeFirst();
    if (!e) return refuse(422, "所选企业不存在", "enterpriseId");
  }
  if (cols.region_id) {
    const r = await db.selectFrom("region").select("id").where("id", "=", cols.region_id).executeTakeFirst();
    if (!r) return refuse(422, "所选区域不存在", "regionId");
  }
  if (cols.person_id) {
    const p = await db.selectFrom("person").select("enterprise_id").where("id", "=", cols.person_id).executeTakeFirst();
    if (!p || p.enterprise_id !== cols.enterprise_id) return refuse(422, "关联人员不属于所选企业", "personId");
    const taken = await db.selectFrom("user").select("id").where("person_id", "=", cols.person_id).executeTakeFirst();
    if (taken) return refuse(422, "该人员已有账号", "personId");
  }
  return { ok: true, cols };
}

export type AccountSaveResult = { ok: true; id: string } | Refusal;

export async function createAccount(actor: Actor, input: AccountInput, ip: string): Promise<AccountSaveResult> {
  const existing = await db.selectFrom("user").select("id").where("username", "=", input.username).executeTakeFirst();
  if (existing) return refuse(422, "该用户名已被使用", "username");
  const scoped = await scopeColumns(input);
  if (!scoped.ok) return scoped;
  const id = generateIdFromEntropySize(10);
  const values = { id, username: input.username, display_name: input.displayName, role: input.role, ...scoped.cols };
  const password_hash = await hashPassword(input.password);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("user")
      .values({ ...values, password_hash })
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "account.created",
      entityType: "user",
      entityId: id,
      after: values,
      ip,
    });
  });
  return { ok: true, id };
}

export async function updateAccount(
  actor: Actor,
  id: string,
  input: AccountUpdateInput,
  ip: string,
): Promise<AccountSaveResult> {
  const before = await getAccount(id);
  if (!before) return refuse(422, "账号不存在", "_form");
  const scoped = await scopeColumns({
    ...input,
    personId: input.personId === before.person_id ? null : input.personId,
  });
  if (!scoped.ok) return scoped;
  if (input.personId === before.person_id && scoped.cols.enterprise_id === before.enterprise_id)
    scoped.cols.person_id = before.person_id;
  const values = { display_name: input.displayName, role: input.role, ...scoped.cols };
  const password_hash = input.newPassword ? await hashPassword(input.newPassword) : undefined;
  const scopeChanged =
    before.role !== values.role ||
    before.enterprise_id !== scoped.cols.enterprise_id ||
    before.region_id !== scoped.cols.region_id;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("user")
      .set({ ...values, ...(password_hash ? { password_hash } : {}), updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: scopeChanged ? "account.role_changed" : "account.updated",
      entityType: "user",
      entityId: id,
      ip,
      before: {
        display_name: before.display_name,
        role: before.role,
        enterprise_id: before.enterprise_id,
        region_id: before.region_id,
        person_id: before.person_id,
      },
      after: { ...values, password_reset: Boolean(password_hash) },
    });
  });
  // New permissions or a reset password take effect now, not at the next expiry.
  if (scopeChanged || password_hash) await lucia().invalidateUserSessions(id);
  return { ok: true, id };
}

export async function setAccountActive(actor: Actor, id: string, active: boolean, ip: string) {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("user")
      .set({ active: active ? 1 : 0, updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: active ? "account.reactivated" : "account.deactivated",
      entityType: "user",
      entityId: id,
      before: { active: !active },
      after: { active },
      ip,
    });
  });
  if (!active) await lucia().invalidateUserSessions(id);
}
