import { refuse } from "~/lib/result";
import { db } from "../../lib/db.server";
import { now } from "../../lib/clock.server";
import { idParam, requiredText, z } from "../../lib/validation";
import { recordAudit } from "../audit/audit.server";
import { can, type Actor } from "../auth/policy";

const STATUS = { open: "待整改", submitted: "待验收", closed: "已验收" } as const;

async function findingRows(checkId: number) {
  return db
    .selectFrom("rescue_finding")
    .innerJoin("spot_check", "spot_check.id", "rescue_finding.spot_check_id")
    .leftJoin("rescue_team", "rescue_team.id", "spot_check.team_id")
    .select([
      "rescue_finding.id",
      "rescue_finding.description",
      "rescue_finding.due_on",
      "rescue_finding.status",
      "rescue_finding.evidence",
      "rescue_finding.submitted_by",
      "rescue_finding.region_path",
      "spot_check.enterprise_id",
      "rescue_team.enterprise_id as team_enterprise_id",
    ])
    .where("rescue_finding.spot_check_id", "=", checkId)
    .orderBy("rescue_finding.id")
    .execute();
}

const resourceOf = (f: Awaited<ReturnType<typeof findingRows>>[number]) => ({
  type: "rescue_finding" as const,
  regionPath: f.region_path,
  enterpriseId: f.enterprise_id ?? f.team_enterprise_id,
  submittedBy: f.submitted_by,
});

/** Findings of a spot check become rectification items: the target answers, someone other than the submitter verifies. */
export async function findingsOf(actor: Actor, checkId: number) {
  return (await findingRows(checkId)).map((f) => ({
    id: f.id,
    description: f.description,
    dueOn: f.due_on,
    evidence: f.evidence,
    statusLabel: STATUS[f.status],
    maySubmit: f.status !== "closed" && can(actor, "update", resourceOf(f)),
    mayVerify: f.status === "submitted" && can(actor, "verify", resourceOf(f)),
  }));
}

const SubmitInput = z.object({ findingId: idParam, evidence: requiredText("整改情况", 2000) });
const VerifyInput = z.object({ findingId: idParam });

export async function submitFinding(actor: Actor, checkId: number, values: unknown, ip: string) {
  const p = SubmitInput.safeParse(values);
  if (!p.success) return refuse(422, "请填写整改情况。", "evidence");
  const f = (await findingRows(checkId)).find((r) => r.id === p.data.findingId);
  if (!f || f.status === "closed" || !can(actor, "update", resourceOf(f)))
    return refuse(403, "只有被抽查对象可以提交该整改项的材料。");
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("rescue_finding")
      .set({ status: "submitted", evidence: p.data.evidence, submitted_by: actor.userId, submitted_at: now() })
      .where("id", "=", f.id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "rescue_finding.submit",
      entityType: "rescue_finding",
      entityId: f.id,
      after: { evidence: p.data.evidence },
      ip,
    });
  });
  return { ok: true as const };
}

export async function verifyFinding(actor: Actor, checkId: number, values: unknown, ip: string) {
  const p = VerifyInput.safeParse(values);
  if (!p.success) return refuse(422, "整改项无效。");
  const f = (await findingRows(checkId)).find((r) => r.id === p.data.findingId);
  if (!f || f.status !== "submitted") return refuse(409, "该整改项尚未提交材料。");
  if (!can(actor, "verify", resourceOf(f))) {
    return refuse(
      403,
      f.submitted_by === actor.userId ? "整改材料由您提交，不能由您本人验收。" : "只有辖区监管部门可以验收整改。",
    );
  }
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable("rescue_finding")
      .set({ status: "closed", verified_by: actor.userId, verified_at: now() })
      .where("id", "=", f.id)
      .where("status", "=", "submitted")
      .executeTakeFirst();
    if (Number(r.numUpdatedRows))
      await recordAudit(trx, {
        actorUserId: actor.userId,
        action: "rescue_finding.verify",
        entityType: "rescue_finding",
        entityId: f.id,
        ip,
      });
  });
  return { ok: true as const };
}
