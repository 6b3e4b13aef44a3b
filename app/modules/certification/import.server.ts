import { db } from "../../lib/db.server";
import { refuse } from "../../lib/result";
import { readSheet, workbookBuffer } from "../../lib/excel.server";
import { fieldErrorsOf } from "../../lib/validation";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import { hashIdNumber } from "../org/id-hash.server";
import { idNumberProblem } from "../org/identifiers";
import { validUntil } from "./rules";

/** What the editable ledger shows for a person whose full number is not kept (ledger.server.ts, decision 0031). */
export const NO_FULL_ID = "—";
import { CertificateInput } from "./schema";
import { refreshEnterpriseIn } from "./summary.server";
import { SYNC_COLUMNS, SYNC_REQUIRED } from "./sync-rules";
import type { CertificateKind } from "../../../db/types";

/** The columns of the national certificate query (全国特种作业操作证及安全生产知识和管理能力考核合格信息查询): the same as a
 * regional sync file's (sync-rules.ts), so one template serves both. */
export const CERT_COLUMNS: string[] = [...SYNC_COLUMNS];
const REQUIRED: string[] = [...SYNC_REQUIRED];
const KINDS: Record<string, CertificateKind> = {
  特种作业操作证: "special_operation",
  安全生产知识和管理能力考核合格证: "principal_manager",
  特种设备作业人员证: "special_equipment",
};
const FIELD_COLUMN: Record<string, string> = {
  kind: "证书类型",
  category: "作业类别",
  item: "准操项目",
  number: "证书编号",
  authority: "发证机关",
  firstIssuedOn: "初领日期",
  validFrom: "有效期开始",
  expiresOn: "有效期结束",
  reviewDueOn: "应复审日期",
  lastReviewedOn: "实际复审日期",
};

export const certificateTemplate = () =>
  workbookBuffer(
    "证书",
    CERT_COLUMNS.map((header) => ({ header, width: header.length > 4 ? 18 : 12 })),
    [
      [
        "张三",
        "",
        "特种作业操作证",
        "电工作业",
        "低压电工作业",
        "T330100199001011234",
        "示范市应急管理局",
        "2023-05-06",
        "2023-05-06",
        "2029-05-05",
        "2026-05-05",
        "",
      ],
    ],
    [
      "每行一张证书。证书类型：特种作业操作证、安全生产知识和管理能力考核合格证、特种设备作业人员证。",
      "日期格式：2024-03-01。",
      "人员按身份证号码与本企业名册匹配，须先在人员名册中登记。",
    ],
  );

export interface CertRowProblem {
  row: number;
  column: string;
  reason: string;
}

/** Check a file against the enterprise's people without writing; every bad row reported with its column. */
export async function previewCertificates(file: ArrayBuffer | Buffer, enterpriseId: number) {
  const sheet = await readSheet(file, REQUIRED, 10000);
  if (!sheet.ok) return sheet;
  if (sheet.rows.length === 0) return { ok: false as const, message: "文件中没有数据行。" };
  const problems: CertRowProblem[] = [];
  const valid: { row: number; personId: number; name: string; input: ReturnType<typeof CertificateInput.parse> }[] = [];
  const people = new Map(
    (
      await db
        .selectFrom("person")
        .select(["id", "name", "id_number_hash"])
        .where("enterprise_id", "=", enterpriseId)
        .where("active", "=", 1)
        .execute()
    ).map((p) => [p.id_number_hash, p]),
  );
  const seen = new Map<string, number>();
  for (const { row, cells } of sheet.rows) {
    const idProblem =
      cells["身份证号码"] === NO_FULL_ID
        ? "完整身份证号码未保存（该人员登记于加密保存之前），请填入完整号码后再导入"
        : idNumberProblem(cells["身份证号码"] ?? "");
    if (idProblem) {
      problems.push({ row, column: "身份证号码", reason: idProblem });
      continue;
    }
    const person = people.get(hashIdNumber(cells["身份证号码"]));
    if (!person) {
      problems.push({ row, column: "身份证号码", reason: "本企业人员名册中没有此人，请先登记人员" });
      continue;
    }
    if (cells["姓名"] && cells["姓名"] !== person.name)
      problems.push({ row, column: "姓名", reason: `姓名与名册不符（名册为「${person.name}」）` });
    const kind = KINDS[cells["证书类型"] ?? ""];
    const parsed = CertificateInput.safeParse({
      kind: kind ?? "",
      category: cells["作业类别"],
      item: cells["准操项目"],
      number: cells["证书编号"],
      authority: cells["发证机关"],
      firstIssuedOn: cells["初领日期"],
      validFrom: cells["有效期开始"],
      expiresOn: cells["有效期结束"],
      reviewDueOn: cells["应复审日期"],
      lastReviewedOn: cells["实际复审日期"],
    });
    if (!parsed.success) {
      for (const [k, reason] of Object.entries(fieldErrorsOf(parsed.error))) {
        problems.push({
          row,
          column: FIELD_COLUMN[k] ?? k,
          reason: k === "kind" ? `无法识别的证书类型「${cells["证书类型"] ?? ""}」` : reason,
        });
      }
      continue;
    }
    if (problems.some((p) => p.row === row)) continue;
    const key = `${parsed.data.kind}|${parsed.data.number}`;
    if (seen.has(key)) {
      problems.push({ row, column: "证书编号", reason: `与第 ${seen.get(key)} 行的证书编号重复` });
      continue;
    }
    seen.set(key, row);
    valid.push({ row, personId: person.id, name: person.name, input: parsed.data });
  }
  const clashes = valid.length
    ? await db
        .selectFrom("certificate")
        .select(["kind", "number", "person_id"])
        .where(
          "number",
          "in",
          valid.map((v) => v.input.number),
        )
        .execute()
    : [];
  const owner = new Map(clashes.map((c) => [`${c.kind}|${c.number}`, c.person_id]));
  const fresh = valid.filter((v) => {
    const o = owner.get(`${v.input.kind}|${v.input.number}`);
    if (o === undefined || o === v.personId) return true;
    problems.push({ row: v.row, column: "证书编号", reason: "该证书编号已登记在其他人员名下" });
    return false;
  });
  problems.sort((a, b) => a.row - b.row);
  return { ok: true as const, valid: fresh, problems, total: sheet.rows.length };
}

/** Write a checked batch in one transaction (same kind and number replaces), then recount the enterprise. */
export async function commitCertificates(
  actor: Actor,
  enterprise: { id: number; regionPath: string },
  rows: { personId: number; input: ReturnType<typeof CertificateInput.parse> }[],
  ip: string,
) {
  const ids = [...new Set(rows.map((r) => r.personId))];
  const mine = new Set(
    (
      await db
        .selectFrom("person")
        .select("id")
        .where("enterprise_id", "=", enterprise.id)
        .where("id", "in", ids)
        .execute()
    ).map((p) => p.id),
  );
  if (ids.some((id) => !mine.has(id))) return refuse(409, "导入数据中有不属于本企业的人员，整批未写入。");
  const taken = await db
    .selectFrom("certificate")
    .select(["kind", "number", "person_id"])
    .where(
      "number",
      "in",
      rows.map((r) => r.input.number),
    )
    .execute();
  const byKey = new Map(rows.map((r) => [`${r.input.kind}|${r.input.number}`, r.personId]));
  if (taken.some((t) => byKey.has(`${t.kind}|${t.number}`) && byKey.get(`${t.kind}|${t.number}`) !== t.person_id)) {
    return refuse(409, "有证书编号已登记在其他人员名下，整批未写入。");
  }
  await db.transaction().execute(async (trx) => {
    for (const { personId, input } of rows) {
      const values = {
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
        valid_until: validUntil({
          expires_on: input.expiresOn,
          review_due_on: input.reviewDueOn ?? null,
          revoked_on: null,
        }),
      };
      await trx
        .insertInto("certificate")
        .values({ ...values, person_id: personId, enterprise_id: enterprise.id, region_path: enterprise.regionPath })
        .onDuplicateKeyUpdate(values)
        .execute();
    }
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "certificate.imported",
      entityType: "enterprise",
      entityId: enterprise.id,
      after: { count: rows.length },
      ip,
    });
    await refreshEnterpriseIn(trx, enterprise.id);
  });
  return { ok: true as const, count: rows.length };
}
