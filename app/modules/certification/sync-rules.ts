import type { CertificateKind } from "../../../db/types";
import { fieldErrorsOf } from "../../lib/validation";
import { idNumberProblem, maskIdNumber } from "../org/identifiers";
import { validUntil } from "./rules";
import { CertificateInput } from "./schema";

/**
 * Columns of a regional certificate file: those of the national special-operation e-certificate (ZWFW C 0210-2021,
 * as far as its fields are public: holder, ID number, certificate number, 作业类别/操作项目, issuing authority, first
 * issue, validity, review dates) and of the principal/safety-manager certificate (行业类别, 人员类型). Headers are
 * matched by name; the aliases are the names other exports use for the same field.
 */
export const SYNC_COLUMNS = [
  "姓名",
  "身份证号码",
  "证书类型",
  "作业类别",
  "准操项目",
  "证书编号",
  "发证机关",
  "初领日期",
  "有效期开始",
  "有效期结束",
  "应复审日期",
  "实际复审日期",
] as const;
export type SyncColumn = (typeof SYNC_COLUMNS)[number];
export const SYNC_REQUIRED: SyncColumn[] = ["姓名", "身份证号码", "证书类型", "证书编号", "有效期开始", "有效期结束"];
const ALIASES: Record<string, SyncColumn> = {
  持证人姓名: "姓名",
  证件号码: "身份证号码",
  身份证号: "身份证号码",
  公民身份号码: "身份证号码",
  证照类型: "证书类型",
  证件类型名称: "证书类型",
  行业类别: "作业类别",
  操作项目: "准操项目",
  人员类型: "准操项目",
  证照编号: "证书编号",
  证号: "证书编号",
  发证机构: "发证机关",
  颁证单位: "发证机关",
  初次领证日期: "初领日期",
  有效期起始日期: "有效期开始",
  有效期起: "有效期开始",
  有效期截止日期: "有效期结束",
  有效期至: "有效期结束",
  复审日期: "应复审日期",
  应复审时间: "应复审日期",
  实际复审时间: "实际复审日期",
};
export const SYNC_KINDS: Record<string, CertificateKind> = {
  特种作业操作证: "special_operation",
  中华人民共和国特种作业操作证: "special_operation",
  安全生产知识和管理能力考核合格证: "principal_manager",
  安全生产知识和管理能力考核合格证明: "principal_manager",
  特种设备作业人员证: "special_equipment",
};

export const ISSUE_LABELS = { unmatched: "未匹配", conflict: "冲突", invalid: "数据有误" } as const;
export type IssueKind = keyof typeof ISSUE_LABELS;

/** The canonical column of each header cell (null for columns we do not read), or what is missing. */
export function mapHeader(
  cells: string[],
): { ok: true; columns: (SyncColumn | null)[] } | { ok: false; message: string } {
  const columns = cells.map((raw) => {
    const h = raw.replace(/^\uFEFF/, "").replace(/\s+/g, "");
    return (SYNC_COLUMNS as readonly string[]).includes(h) ? (h as SyncColumn) : (ALIASES[h] ?? null);
  });
  const missing = SYNC_REQUIRED.filter((c) => !columns.includes(c));
  return missing.length ? { ok: false, message: `第 1 行缺少列：${missing.join("、")}。` } : { ok: true, columns };
}

export type SyncRow = { row: number; cells: Partial<Record<SyncColumn, string>> };
export type CheckedRow = {
  row: number;
  name: string;
  idNumber: string;
  masked: string;
  values: {
    kind: CertificateKind;
    category: string | null;
    item: string | null;
    number: string;
    authority: string | null;
    first_issued_on: string | null;
    valid_from: string;
    expires_on: string;
    review_due_on: string | null;
    last_reviewed_on: string | null;
  };
};
export type RowIssue = {
  row: number;
  kind: "unmatched" | "conflict" | "invalid";
  name: string | null;
  masked: string | null;
  certKind: string | null;
  certNumber: string | null;
  column: string | null;
  reason: string;
  enterpriseIds?: number[];
};

/** Check one row on its own (no database): a valid certificate, or the first problem with its column. */
export function checkRow(r: SyncRow, today: Date): { ok: true; row: CheckedRow } | { ok: false; issue: RowIssue } {
  const c = r.cells;
  const idRaw = (c["身份证号码"] ?? "").trim();
  const base = {
    row: r.row,
    kind: "invalid" as const,
    name: c["姓名"]?.trim() || null,
    certKind: c["证书类型"]?.trim() || null,
    certNumber: c["证书编号"]?.trim() || null,
  };
  const idProblem = idNumberProblem(idRaw, today);
  if (idProblem)
    return {
      ok: false,
      issue: { ...base, masked: idRaw ? maskIdNumber(idRaw) : null, column: "身份证号码", reason: idProblem },
    };
  const masked = maskIdNumber(idRaw);
  if (!base.name) return { ok: false, issue: { ...base, masked, column: "姓名", reason: "请填写姓名" } };
  const kind = SYNC_KINDS[(c["证书类型"] ?? "").replace(/\s+/g, "")];
  if (!kind)
    return {
      ok: false,
      issue: { ...base, masked, column: "证书类型", reason: `无法识别的证书类型「${c["证书类型"] ?? ""}」` },
    };
  const parsed = CertificateInput.safeParse({
    kind,
    category: c["作业类别"],
    item: c["准操项目"],
    number: c["证书编号"],
    authority: c["发证机关"],
    firstIssuedOn: c["初领日期"],
    validFrom: c["有效期开始"],
    expiresOn: c["有效期结束"],
    reviewDueOn: c["应复审日期"],
    lastReviewedOn: c["实际复审日期"],
  });
  if (!parsed.success) {
    const [field, reason] = Object.entries(fieldErrorsOf(parsed.error))[0] ?? ["", "数据不完整"];
    return { ok: false, issue: { ...base, masked, column: FIELD_COLUMN[field] ?? field, reason } };
  }
  const v = parsed.data;
  return {
    ok: true,
    row: {
      row: r.row,
      name: base.name,
      idNumber: idRaw,
      masked,
      values: {
        kind: v.kind,
        category: v.category ?? null,
        item: v.item ?? null,
        number: v.number,
        authority: v.authority ?? null,
        first_issued_on: v.firstIssuedOn ?? null,
        valid_from: v.validFrom,
        expires_on: v.expiresOn,
        review_due_on: v.reviewDueOn ?? null,
        last_reviewed_on: v.lastReviewedOn ?? null,
      },
    },
  };
}
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

export type Candidate = { id: number; name: string; enterpriseId: number; regionPath: string };
export type Existing = {
  id: number;
  person_id: number;
  enterprise_id: number;
  revoked_on: string | null;
} & CheckedRow["values"];
export type Decision =
  | { action: "insert"; person: Candidate }
  | { action: "update"; person: Candidate; existing: Existing }
  | { action: "unchanged" }
  | { action: "issue"; issue: RowIssue };

const FIELDS = [
  "category",
  "item",
  "authority",
  "first_issued_on",
  "valid_from",
  "expires_on",
  "review_due_on",
  "last_reviewed_on",
] as const;

/**
 * What one checked row does, given the people in the region with its ID number and the certificate already stored
 * under its kind and number. Pure: the same row against the same data always decides the same (re-loading a file
 * changes nothing). The certificate stays with the person who holds it when that person is among the matches.
 */
export function decideRow(r: CheckedRow, candidates: Candidate[], existing: Existing | undefined): Decision {
  const issue = (kind: RowIssue["kind"], column: string, reason: string, enterpriseIds?: number[]): Decision => ({
    action: "issue",
    issue: {
      row: r.row,
      kind,
      name: r.name,
      masked: r.masked,
      certKind: r.values.kind,
      certNumber: r.values.number,
      column,
      reason,
      enterpriseIds,
    },
  });
  if (candidates.length === 0)
    return issue(
      "unmatched",
      "身份证号码",
      "辖区内各企业的人员名册中没有此身份证号码：请核实该人员的任职单位，或由其单位先登记人员",
    );
  const named = candidates.filter((p) => p.name === r.name);
  if (named.length === 0)
    return issue(
      "conflict",
      "姓名",
      `姓名与名册不符（名册为「${[...new Set(candidates.map((p) => p.name))].join("、")}」）`,
      candidates.map((p) => p.enterpriseId),
    );
  if (existing && !named.some((p) => p.id === existing.person_id)) {
    return issue("conflict", "证书编号", "该证书编号已登记在其他人员名下，请核实后在证书页更正", [
      existing.enterprise_id,
    ]);
  }
  const holder = existing ? named.find((p) => p.id === existing.person_id)! : named.length === 1 ? named[0] : null;
  if (!holder)
    return issue(
      "conflict",
      "身份证号码",
      `此人在辖区内 ${named.length} 家企业的名册中登记，无法确定证书归属：请由持证人所在企业在本企业导入`,
      named.map((p) => p.enterpriseId),
    );
  if (!existing) return { action: "insert", person: holder };
  return FIELDS.every((f) => (existing[f] ?? null) === (r.values[f] ?? null))
    ? { action: "unchanged" }
    : { action: "update", person: holder, existing };
}

/** The columns a certificate row gets from a checked row (valid_until computed as everywhere else). */
export function certificateValues(v: CheckedRow["values"], revokedOn: string | null) {
  return {
    ...v,
    valid_until: validUntil({ expires_on: v.expires_on, review_due_on: v.review_due_on, revoked_on: revokedOn }),
  };
}
