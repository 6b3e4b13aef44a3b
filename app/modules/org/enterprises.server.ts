import { refuse, type Refusal } from "~/lib/result";
import { ENFORCEMENT_INDUSTRY } from "./labels";
import { sql } from "kysely";
import { db } from "../../lib/db.server";
import type { PageParams } from "../../lib/paging";
import { keysetPage } from "../../lib/paging.server";
import { moveEnterpriseCertification, refreshEnterpriseIn } from "../certification/summary.server";
import { followEnterpriseMove } from "../drills/plans.server";
import { recordAudit } from "../audit/audit.server";
import type { Actor, Scope } from "../auth/policy";
import { normalizeUscc } from "./identifiers";
import { type EnterpriseInput, type ListQuery } from "./schema";

const enterpriseColumns = [
  "enterprise.id",
  "enterprise.name",
  "enterprise.uscc",
  "enterprise.region_id",
  "enterprise.region_path",
  "enterprise.industry_code",
  "enterprise.risk_level",
  "enterprise.address",
  "enterprise.contact_phone",
  "enterprise.active",
  "enterprise.study_photo_checkin",
] as const;

/** One page of enterprises the scope may see; `hasMore` instead of a count keeps big regions cheap. */
export async function listEnterprises(scope: Scope, query: ListQuery, paging: PageParams) {
  let q = db
    .selectFrom("enterprise")
    .innerJoin("region", "region.id", "enterprise.region_id")
    .select([...enterpriseColumns, "region.name as region_name"]);
  if (scope.kind === "region") q = q.where("enterprise.region_path", "like", `${scope.path}%`);
  else if (scope.kind === "enterprise") q = q.where("enterprise.id", "=", scope.enterpriseId);
  else if (scope.kind !== "all") return { rows: [], next: null, prev: null };
  if (query.q) {
    const uscc = normalizeUscc(query.q);
    q = /^[0-9A-Z]{18}$/.test(uscc)
      ? q.where("enterprise.uscc", "=", uscc)
      : q.where("enterprise.name", "like", `%${escapeLike(query.q)}%`);
  }
  if (query.industry) q = q.where("enterprise.industry_code", "=", query.industry);
  if (query.regionId) {
    const region = await db.selectFrom("region").select("path").where("id", "=", query.regionId).executeTakeFirst();
    if (region) q = q.where("enterprise.region_path", "like", `${region.path}%`);
  }
  if (!query.showInactive) q = q.where("enterprise.active", "=", 1);
  q = q.where("enterprise.industry_code", "<>", ENFORCEMENT_INDUSTRY);
  return keysetPage(q, { column: "enterprise.id", of: (r) => r.id, numeric: true }, paging);
}

export function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function getEnterprise(id: number) {
  return db
    .selectFrom("enterprise")
    .innerJoin("region", "region.id", "enterprise.region_id")
    .innerJoin("industry", "industry.code", "enterprise.industry_code")
    .select([
      ...enterpriseColumns,
      "region.name as region_name",
      "industry.name as industry_name",
      "industry.high_risk",
    ])
    .where("enterprise.id", "=", id)
    .executeTakeFirst();
}

/** People by post for the enterprise profile: one grouped index range. */
export async function headcountByPost(enterpriseId: number) {
  const rows = await db
    .selectFrom("person")
    .select(["post", sql<number>`COUNT(*)`.as("n")])
    .where("enterprise_id", "=", enterpriseId)
    .where("active", "=", 1)
    .groupBy("post")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.post, Number(r.n)])) as Record<string, number>;
}

export type EnterpriseSaveResult = { ok: true; id: number } | Refusal;

export async function saveEnterprise(
  actor: Actor,
  id: number | null,
  input: EnterpriseInput,
  ip: string,
): Promise<EnterpriseSaveResult> {
  const result = await db.transaction().execute(async (trx) => {
    const region = await trx
      .selectFrom("region")
      .select(["path", "active"])
      .where("id", "=", input.regionId)
      .executeTakeFirst();
    if (!region || !region.active) return refuse(422, "所选区域不存在或已停用", "regionId");
    const clash = await trx.selectFrom("enterprise").select("id").where("uscc", "=", input.uscc).executeTakeFirst();
    if (clash && clash.id !== id) return refuse(422, "该统一社会信用代码已被其他企业使用", "uscc");
    const values = {
      name: input.name,
      uscc: input.uscc,
      region_id: input.regionId,
      region_path: region.path,
      industry_code: input.industryCode,
      risk_level: input.riskLevel,
      address: input.address ?? null,
      contact_phone: input.contactPhone ?? null,
      study_photo_checkin: input.studyPhotoCheckin ? 1 : 0,
    };
    if (id === null) {
      const res = await trx.insertInto("enterprise").values(values).executeTakeFirstOrThrow();
      const newId = Number(res.insertId);
      await recordAudit(trx, {
        actorUserId: actor.userId,
        action: "enterprise.created",
        entityType: "enterprise",
        entityId: newId,
        after: values,
        ip,
      });
      return { ok: true as const, id: newId };
    }
    const before = await trx
      .selectFrom("enterprise")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable("enterprise")
      .set({ ...values, updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    if (before.region_path !== values.region_path || before.industry_code !== values.industry_code) {
      // Records that count toward regional figures follow the enterprise (inspections stay where they happened).
      await moveEnterpriseCertification(trx, id, {
        regionPath: values.region_path,
        industryCode: values.industry_code,
      });
      await followEnterpriseMove(trx, id, values.region_path, values.industry_code);
      // Another industry may require other certificates: recount with the new row, in this transaction.
      if (before.industry_code !== values.industry_code) await refreshEnterpriseIn(trx, id);
    }
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "enterprise.updated",
      entityType: "enterprise",
      entityId: id,
      before,
      after: values,
      ip,
    });
    return { ok: true as const, id };
  });
  return result;
}

/** Whether study check-ins of the enterprise's people need a photo (its officer or the admin decides); audited. */
export async function setStudyPhotoCheckin(actor: Actor, id: number, on: boolean, ip: string) {
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("enterprise")
      .select("study_photo_checkin")
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (Boolean(before.study_photo_checkin) === on) return;
    await trx
      .updateTable("enterprise")
      .set({ study_photo_checkin: on ? 1 : 0, updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "enterprise.study_photo_checkin",
      entityType: "enterprise",
      entityId: id,
      before: { studyPhotoCheckin: Boolean(before.study_photo_checkin) },
      after: { studyPhotoCheckin: on },
      ip,
    });
  });
}

export async function setEnterpriseActive(actor: Actor, id: number, active: boolean, ip: string) {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("enterprise")
      .set({ active: active ? 1 : 0, updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: active ? "enterprise.reactivated" : "enterprise.deactivated",
      entityType: "enterprise",
      entityId: id,
      ip,
    });
  });
}

export async function listIndustries() {
  return db.selectFrom("industry").selectAll().orderBy("sort").execute();
}
