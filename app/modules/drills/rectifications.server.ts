import { refuse, type Refusal } from "~/lib/result";
import { now, todayIso } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { httpError } from "../../lib/http";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import type { Photo } from "../../lib/photo.server";
import { storePhoto } from "./log.server";
import { OPEN_RECTIFICATION } from "./rules";
import { notify } from "../notifications/notify.server";
import type { FindingInput } from "./schema";

export type FindingResult = { ok: true; id: number } | Refusal;

/** A finding written down by the organizer or an evaluator: it is a rectification item from that moment. */
export async function addFinding(
  actor: Actor,
  drillId: number,
  input: FindingInput,
  ip: string,
): Promise<FindingResult> {
  if (input.dueOn < todayIso()) return refuse(422, "整改期限不能早于今天", "dueOn");
  return db.transaction().execute(async (trx) => {
    const d = await trx
      .selectFrom("drill")
      .select(["status", "enterprise_id", "region_path"])
      .where("id", "=", drillId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (d.status !== "running" && d.status !== "ended")
      httpError(409, d.status === "planned" ? "演练开始后才能记录发现的问题。" : "演练已关闭，不能再增加问题。");
    const owner = await trx
      .selectFrom("person")
      .select("id")
      .where("id", "=", input.ownerPersonId)
      .where("enterprise_id", "=", d.enterprise_id)
      .where("active", "=", 1)
      .executeTakeFirst();
    if (!owner) return refuse(422, "整改责任人须为本企业在职人员", "ownerPersonId");
    if (input.criterionId) {
      const c = await trx
        .selectFrom("evaluation_criterion")
        .select("id")
        .where("id", "=", input.criterionId)
        .executeTakeFirst();
      if (!c) return refuse(422, "评估项目不存在", "criterionId");
    }
    const values = {
      drill_id: drillId,
      enterprise_id: d.enterprise_id,
      region_path: d.region_path,
      finding: input.finding,
      criterion_id: input.criterionId ?? null,
      owner_person_id: input.ownerPersonId,
      due_on: input.dueOn,
      raised_by: actor.userId,
    };
    const res = await trx.insertInto("rectification").values(values).executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "rectification.raised",
      entityType: "rectification",
      entityId: Number(res.insertId),
      after: values,
      ip,
    });
    await notify(trx, {
      personIds: [input.ownerPersonId],
      kind: "rectification",
      title: "您有一项演练整改任务",
      body: `${input.finding.slice(0, 80)}（整改期限 ${input.dueOn}）`,
      link: `/rectifications/${Number(res.insertId)}`,
      dedupeKey: `rectification:${Number(res.insertId)}`,
      createdBy: actor.userId,
    });
    return { ok: true as const, id: Number(res.insertId) };
  });
}

export async function rectificationRow(id: number) {
  return db
    .selectFrom("rectification")
    .innerJoin("person", "person.id", "rectification.owner_person_id")
    .innerJoin("drill", "drill.id", "rectification.drill_id")
    .leftJoin("evaluation_criterion", "evaluation_criterion.id", "rectification.criterion_id")
    .leftJoin("user as submitter", "submitter.id", "rectification.submitted_by")
    .leftJoin("user as verifier", "verifier.id", "rectification.verified_by")
    .selectAll("rectification")
    .select([
      "person.name as owner_name",
      "drill.organizer_user_id",
      "drill.status as drill_status",
      "evaluation_criterion.text as criterion_text",
      "submitter.display_name as submitted_by_name",
      "verifier.display_name as verified_by_name",
    ])
    .where("rectification.id", "=", id)
    .executeTakeFirst();
}

export async function evidencePhotos(rectificationId: number) {
  return (
    await db.selectFrom("drill_photo").select("id").where("rectification_id", "=", rectificationId).execute()
  ).map((p) => p.id);
}

/** The owner (or the organizer for them) reports what was done; the item waits for the organizer's verification. */
export async function submitEvidence(actor: Actor, id: number, evidence: string, photo: Photo | null, ip: string) {
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .selectFrom("rectification")
      .select(["status", "drill_id"])
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (r.status !== "open")
      httpError(409, r.status === "submitted" ? "整改材料已提交，等待验收。" : "该整改项已关闭。");
    await trx
      .updateTable("rectification")
      .set({ status: "submitted", evidence, submitted_at: now(), submitted_by: actor.userId })
      .where("id", "=", id)
      .execute();
    if (photo) await storePhoto(trx, actor, r.drill_id, photo, { rectificationId: id });
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "rectification.submitted",
      entityType: "rectification",
      entityId: id,
      after: { evidence },
      ip,
    });
  });
}

/** The organizer closes a submitted item, sends it back, or accepts it without further work (with a reason). */
export async function verifyRectification(
  actor: Actor,
  id: number,
  decision: "close" | "reopen" | "accept",
  note: string | undefined,
  ip: string,
) {
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .selectFrom("rectification")
      .select(["status", "submitted_by"])
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (!OPEN_RECTIFICATION.includes(r.status)) httpError(409, "该整改项已关闭。");
    // Checked again under the lock: evidence submitted since the page was read is not verified by its submitter.
    if (r.submitted_by === actor.userId) httpError(403, "整改材料由您提交，不能由您本人验收。");
    if (decision !== "accept" && r.status !== "submitted") httpError(409, "责任人尚未提交整改材料，不能验收。");
    const status = decision === "close" ? "closed" : decision === "accept" ? "accepted" : "open";
    await trx
      .updateTable("rectification")
      .set({ status, verified_by: actor.userId, verified_at: now(), verification_note: note ?? null })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: `rectification.${decision}`,
      entityType: "rectification",
      entityId: id,
      before: { status: r.status },
      after: { status, note },
      ip,
    });
  });
}

const itemColumns = [
  "rectification.id",
  "rectification.drill_id",
  "rectification.finding",
  "rectification.due_on",
  "rectification.status",
  "rectification.created_at",
  "person.name as owner_name",
  "rectification.owner_person_id",
] as const;

export async function rectificationsOfDrill(drillId: number) {
  return db
    .selectFrom("rectification")
    .innerJoin("person", "person.id", "rectification.owner_person_id")
    .select([...itemColumns])
    .where("rectification.drill_id", "=", drillId)
    .orderBy("rectification.id")
    .execute();
}

/** Open items past their due date at an enterprise (the officer's home page), oldest due first. */
export async function overdueRectifications(enterpriseId: number, limit = 20) {
  return db
    .selectFrom("rectification")
    .innerJoin("person", "person.id", "rectification.owner_person_id")
    .select([...itemColumns])
    .where("rectification.enterprise_id", "=", enterpriseId)
    .where("rectification.status", "in", OPEN_RECTIFICATION)
    .where("rectification.due_on", "<", todayIso())
    .orderBy("rectification.due_on")
    .limit(limit)
    .execute();
}

/** Open items a person owns (a worker's home page). */
export async function openRectificationsOwnedBy(personId: number) {
  return db
    .selectFrom("rectification")
    .innerJoin("person", "person.id", "rectification.owner_person_id")
    .select([...itemColumns])
    .where("rectification.owner_person_id", "=", personId)
    .where("rectification.status", "in", OPEN_RECTIFICATION)
    .orderBy("rectification.due_on")
    .limit(50)
    .execute();
}

/** Open items of an enterprise, overdue first (the drills page). */
export async function openRectificationsOf(enterpriseId: number, limit = 100) {
  return db
    .selectFrom("rectification")
    .innerJoin("person", "person.id", "rectification.owner_person_id")
    .select([...itemColumns])
    .where("rectification.enterprise_id", "=", enterpriseId)
    .where("rectification.status", "in", OPEN_RECTIFICATION)
    .orderBy("rectification.due_on")
    .limit(limit)
    .execute();
}
