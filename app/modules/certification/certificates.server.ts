import { refuse } from "~/lib/result";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import { certificateStatus, validUntil } from "./rules";
import type { CertificateInput } from "./schema";
import type { CertificateKind } from "../../../db/types";
import { refreshEnterpriseIn, todayIso } from "./summary.server";

/** The generic form's input, or another module's certificate of its own kind (the 执法证, decision 0029). */
type SavedCertificate = Omit<CertificateInput, "kind"> & { kind: CertificateKind };

const columns = (input: SavedCertificate) => ({
  kind: input.kind,
  category: input.category ?? null,
  item: input.item ?? null,
  number: input.number,
  authority: input.authority ?? null,
  first_issued_on: input.firstIssuedOn ?? null,
  valid_from: input.validFrom,
  expires_on: input.expiresOn,
  review_due_on: input.reviewDueOn ?? null,
  last_reviewed_on: input.lastReviewedOn ?? null,
  valid_until: validUntil({ expires_on: input.expiresOn, review_due_on: input.reviewDueOn ?? null, revoked_on: null }),
});

export async function certificatesOf(personId: number) {
  const rows = await db
    .selectFrom("certificate")
    .selectAll()
    .where("person_id", "=", personId)
    .orderBy("valid_until", "desc")
    .execute();
  const today = todayIso();
  return rows.map((c) => ({ ...c, status: certificateStatus(c, today) }));
}

export async function certificateResource(id: number) {
  return db
    .selectFrom("certificate")
    .select(["id", "person_id", "enterprise_id", "region_path"])
    .where("id", "=", id)
    .executeTakeFirst();
}

/** Add or replace a person's certificate (same kind and number = the same certificate), then recount. */
export async function saveCertificate(
  actor: Actor,
  person: { id: number; enterpriseId: number; regionPath: string },
  input: SavedCertificate,
  ip: string,
) {
  const values = columns(input);
  const clash = await db
    .selectFrom("certificate")
    .select(["id", "person_id"])
    .where("kind", "=", input.kind)
    .where("number", "=", input.number)
    .executeTakeFirst();
  if (clash && clash.person_id !== person.id) return refuse(422, "该证书编号已登记在其他人员名下", "number");
  await db.transaction().execute(async (trx) => {
    if (clash)
      await trx
        .updateTable("certificate")
        .set({ ...values, updated_at: now() })
        .where("id", "=", clash.id)
        .execute();
    else
      await trx
        .insertInto("certificate")
        .values({ ...values, person_id: person.id, enterprise_id: person.enterpriseId, region_path: person.regionPath })
        .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: clash ? "certificate.updated" : "certificate.created",
      entityType: "person",
      entityId: person.id,
      after: values,
      ip,
    });
    await refreshEnterpriseIn(trx, person.enterpriseId);
  });
  return { ok: true as const };
}

export async function revokeCertificate(actor: Actor, id: number, ip: string) {
  const c = await db.selectFrom("certificate").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const today = todayIso();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("certificate")
      .set({ revoked_on: today, valid_until: validUntil({ ...c, revoked_on: today }), updated_at: now() })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "certificate.revoked",
      entityType: "person",
      entityId: c.person_id,
      before: { number: c.number },
      ip,
    });
    await refreshEnterpriseIn(trx, c.enterprise_id);
  });
}

/** Does the person hold (or has held) a special operation certificate of this category? */
export async function holdsCategory(personId: number, category: string) {
  const row = await db
    .selectFrom("certificate")
    .select("id")
    .where("person_id", "=", personId)
    .where("kind", "=", "special_operation")
    .where("category", "=", category)
    .where("revoked_on", "is", null)
    .executeTakeFirst();
  return Boolean(row);
}
