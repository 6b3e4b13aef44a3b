import { db } from "../../lib/db.server";
import { workbookBuffer } from "../../lib/excel.server";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import { decryptIdNumber } from "../org/id-cipher.server";
import { hashIdNumber } from "../org/id-hash.server";
import { CERT_COLUMNS, NO_FULL_ID } from "./import.server";
import { certificateStatus, KIND_LABELS, STATUS_LABELS } from "./rules";
import { todayIso } from "./summary.server";

export interface Ledger {
  buffer: Buffer;
  rows: number;
  /** Rows whose full number was given (0 in a masked ledger). */
  full: number;
  /** Rows that asked for a full number but whose person has none kept (shown as "—"). */
  missing: number;
}

/**
 * Every certificate of an enterprise in the import template's columns (plus 状态), so the workbook imports back.
 * `fullIds`: the person's full ID number, decrypted and checked against the keyed hash; the caller decides (the
 * policy's `full_id_numbers`) and audits. Otherwise the masked form, which cannot be imported back.
 */
export async function ledgerWorkbook(enterpriseId: number, fullIds: boolean): Promise<Ledger> {
  const rows = await db
    .selectFrom("certificate")
    .innerJoin("person", "person.id", "certificate.person_id")
    .select([
      "person.name",
      "person.id_number_masked",
      "person.id_number_hash",
      "person.id_number_cipher",
      "certificate.kind",
      "certificate.category",
      "certificate.item",
      "certificate.number",
      "certificate.authority",
      "certificate.first_issued_on",
      "certificate.valid_from",
      "certificate.expires_on",
      "certificate.review_due_on",
      "certificate.last_reviewed_on",
      "certificate.revoked_on",
      "certificate.valid_until",
    ])
    .where("certificate.enterprise_id", "=", enterpriseId)
    .orderBy("person.id")
    .orderBy("certificate.valid_until", "desc")
    .execute();
  const today = todayIso();
  let full = 0;
  let missing = 0;
  const idOf = (r: (typeof rows)[number]) => {
    if (!fullIds) return r.id_number_masked;
    const plain = r.id_number_cipher ? decryptIdNumber(r.id_number_cipher) : null;
    // A number that does not hash to the row's hash (a cipher copied from another row, a key mix-up) is not given out.
    if (plain === null || hashIdNumber(plain) !== r.id_number_hash) {
      missing++;
      return NO_FULL_ID;
    }
    full++;
    return plain;
  };
  const body = rows.map((r) => [
    r.name,
    idOf(r),
    KIND_LABELS[r.kind],
    r.category ?? "",
    r.item ?? "",
    r.number,
    r.authority ?? "",
    r.first_issued_on ?? "",
    r.valid_from,
    r.expires_on,
    r.review_due_on ?? "",
    r.last_reviewed_on ?? "",
    STATUS_LABELS[certificateStatus(r, today)],
  ]);
  const notes = fullIds
    ? [
        "本台账含完整身份证号码，仅供本企业安全培训管理员核对和修改证书信息后重新导入（证书 → 从 Excel 导入证书），请妥善保管，用后删除。",
        "同一证书编号再次导入即为更新；「状态」列由系统计算，导入时忽略。",
        ...(missing
          ? [
              `有 ${missing} 行的身份证号码显示为「${NO_FULL_ID}」：这些人员登记于系统开始加密保存身份证号码之前，系统只保存了号码的校验值，无法还原完整号码。请在人员名册中重新填写其身份证号码后再导出，或在本表中填入完整号码后导入。`,
            ]
          : []),
      ]
    : [
        "身份证号码已脱敏。脱敏的台账不能直接导入；本企业安全培训管理员可在持证情况页导出含完整身份证号码的可编辑台账。",
      ];
  const buffer = await workbookBuffer(
    "证书台账",
    [...CERT_COLUMNS, "状态"].map((header) => ({ header, width: header.length > 4 ? 18 : 12 })),
    body,
    notes,
  );
  return { buffer, rows: rows.length, full, missing };
}

/** The editable ledger with full ID numbers, audited (who, when, how many rows) in the same step that makes it. */
export async function fullLedgerFor(actor: Actor, enterpriseId: number, ip: string): Promise<Ledger> {
  const ledger = await ledgerWorkbook(enterpriseId, true);
  await db.transaction().execute((trx) =>
    recordAudit(trx, {
      actorUserId: actor.userId,
      action: "certificate.ledger_exported",
      entityType: "enterprise",
      entityId: enterpriseId,
      after: { rows: ledger.rows, fullIdNumbers: ledger.full, withoutFullIdNumber: ledger.missing },
      ip,
    }),
  );
  return ledger;
}
