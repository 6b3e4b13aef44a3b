import { createHash, randomBytes } from "node:crypto";
import { todayIso } from "../../lib/clock.server";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { refuse, type Refusal } from "../../lib/result";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import { hashIdNumber } from "../org/id-hash.server";
import { sameName, startRetest } from "./quiz.server";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Link tokens: 24 random bytes, base64url (32 characters). */
export const RETEST_TOKEN = /^[A-Za-z0-9_-]{32}$/;

/**
 * A one-time re-test link for a follow-up (for someone without an account): valid until the follow-up's re-test due
 * date; the first person who identifies as the follow-up's person (name + ID number, as at the on-site quiz, decision
 * 0007) claims it, and their browser gets a secret cookie for it. Only hashes of the token and secret are stored.
 */
export async function createRetestLink(actor: Actor, followUpId: number, ip: string) {
  const f = await db
    .selectFrom("follow_up")
    .select(["id", "retest_due", "closed_at"])
    .where("id", "=", followUpId)
    .executeTakeFirstOrThrow();
  if (f.closed_at) return refuse(409, "该复测已关闭，无需再发链接。");
  if (f.retest_due < todayIso()) return refuse(409, `复测期限（${f.retest_due}）已过，不能再发复测链接。`);
  const token = randomBytes(24).toString("base64url");
  await db.transaction().execute(async (trx) => {
    const res = await trx
      .insertInto("retest_link")
      .values({ follow_up_id: f.id, token_hash: sha256(token), expires_on: f.retest_due, created_by: actor.userId })
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "retest_link.created",
      entityType: "retest_link",
      entityId: Number(res.insertId),
      after: { followUpId: f.id, expiresOn: f.retest_due },
      ip,
    });
  });
  return { ok: true as const, token, expiresOn: f.retest_due };
}

export async function retestLinkByToken(token: string) {
  if (!RETEST_TOKEN.test(token)) return undefined;
  return db
    .selectFrom("retest_link")
    .innerJoin("follow_up", "follow_up.id", "retest_link.follow_up_id")
    .innerJoin("enterprise", "enterprise.id", "follow_up.enterprise_id")
    .select([
      "retest_link.id",
      "retest_link.follow_up_id",
      "retest_link.expires_on",
      "retest_link.used_at",
      "retest_link.secret_hash",
      "retest_link.attempt_id",
      "follow_up.person_id",
      "follow_up.weak_topics",
      "follow_up.closed_at",
      "follow_up.retest_due",
      "enterprise.name as enterprise_name",
    ])
    .where("retest_link.token_hash", "=", sha256(token))
    .executeTakeFirst();
}

export type RetestLink = NonNullable<Awaited<ReturnType<typeof retestLinkByToken>>>;

/** Why a link cannot be claimed now (Chinese, for the page), or null. */
export function linkRefusal(
  link: Pick<RetestLink, "expires_on" | "used_at" | "closed_at">,
  today = todayIso(),
): { status: 409 | 410; message: string } | null {
  if (link.used_at)
    return {
      status: 409,
      message: "此复测链接已经使用过，每个链接只能使用一次。如需再次复测，请联系企业安全培训管理员重新领取。",
    };
  if (link.closed_at) return { status: 410, message: "该复测已经完成或关闭，无需再次复测。" };
  if (link.expires_on < today)
    return { status: 410, message: `此复测链接已过期（复测期限 ${link.expires_on}）。请联系企业安全培训管理员。` };
  return null;
}

/** The link this browser claimed: the cookie holds `<linkId>.<secret>`. */
export function holderOf(link: Pick<RetestLink, "id" | "secret_hash">, cookieValue: string | undefined) {
  const m = /^(\d+)\.([A-Za-z0-9_-]{20,64})$/.exec(cookieValue ?? "");
  return Boolean(m && Number(m[1]) === link.id && link.secret_hash && link.secret_hash === sha256(m[2]));
}

export type ClaimResult = { ok: true; secret: string; attemptId: number } | Refusal;

/**
 * Claim a link: the name and ID number must be those of the follow-up's person (keyed hash, as at the quiz). The
 * claim, the link's secret and the re-test paper commit together; a second claim (another phone, the same phone
 * twice, two at once) finds `used_at` set under the row lock and changes nothing.
 */
export async function claimRetestLink(link: RetestLink, who: { name: string; idNumber: string }): Promise<ClaimResult> {
  const refusal = linkRefusal(link);
  if (refusal) return { ok: false, ...refusal };
  const person = await db
    .selectFrom("person")
    .select(["name", "id_number_hash"])
    .where("id", "=", link.person_id)
    .executeTakeFirstOrThrow();
  if (person.id_number_hash !== hashIdNumber(who.idNumber) || !sameName(person.name, who.name)) {
    return refuse(422, "姓名或身份证号码与该复测人员不符，请核对后重试。", "idNumber");
  }
  const secret = randomBytes(24).toString("base64url");
  return db.transaction().execute(async (trx): Promise<ClaimResult> => {
    const locked = await trx
      .selectFrom("retest_link")
      .innerJoin("follow_up", "follow_up.id", "retest_link.follow_up_id")
      .select(["retest_link.used_at", "retest_link.expires_on", "follow_up.closed_at"])
      .where("retest_link.id", "=", link.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const again = linkRefusal(locked);
    if (again) return { ok: false, ...again };
    const started = await startRetest(link.follow_up_id, trx);
    if (!started.ok) return refuse(410, started.message);
    await trx
      .updateTable("retest_link")
      .set({ used_at: now(), secret_hash: sha256(secret), attempt_id: started.attemptId })
      .where("id", "=", link.id)
      .execute();
    return { ok: true, secret, attemptId: started.attemptId };
  });
}

/** Links handed out for a follow-up (newest first): when, until, used or not. */
export async function linksOfFollowUp(followUpId: number) {
  return db
    .selectFrom("retest_link")
    .select(["id", "expires_on", "used_at", "created_at"])
    .where("follow_up_id", "=", followUpId)
    .orderBy("id", "desc")
    .limit(20)
    .execute();
}
