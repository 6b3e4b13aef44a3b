import { db } from "../../lib/db.server";
import { readSheet, workbookBuffer } from "../../lib/excel.server";
import type { Actor } from "../auth/policy";
import { hashIdNumber } from "./id-hash.server";
import { POST_LABELS } from "./labels";
import { createPeopleBatch } from "./people.server";
import {
  checkPeopleRows,
  PEOPLE_COLUMNS,
  PEOPLE_REQUIRED_HEADERS,
  PEOPLE_TEMPLATE_NOTES,
  type ImportRow,
  type RowProblem,
} from "./people-import";
import type { PersonInput } from "./schema";

export const MAX_IMPORT_ROWS = 5000;

export function peopleTemplate() {
  return workbookBuffer(
    "人员",
    PEOPLE_COLUMNS.map((c) => ({ header: c.header, width: c.width })),
    [["张三", "", "13800000000", POST_LABELS.worker, "2024-03-01"]],
    PEOPLE_TEMPLATE_NOTES,
  );
}

export type ImportPreview =
  { ok: true; valid: ImportRow[]; problems: RowProblem[]; total: number } | { ok: false; message: string };

/** Read and check a file without writing anything; people already on file are problems too. */
export async function previewPeopleImport(file: ArrayBuffer | Buffer, enterpriseId: number): Promise<ImportPreview> {
  const sheet = await readSheet(file, PEOPLE_REQUIRED_HEADERS, MAX_IMPORT_ROWS);
  if (!sheet.ok) return sheet;
  if (sheet.rows.length === 0) return { ok: false, message: "文件中没有数据行。" };
  const { valid, problems } = checkPeopleRows(sheet.rows, enterpriseId);
  const hashes = new Map(valid.map((v) => [hashIdNumber(v.input.idNumber), v]));
  const onFile = new Set<string>();
  for (let i = 0; i < valid.length; i += 500) {
    const chunk = [...hashes.keys()].slice(i, i + 500);
    if (chunk.length === 0) break;
    const rows = await db
      .selectFrom("person")
      .select("id_number_hash")
      .where("enterprise_id", "=", enterpriseId)
      .where("id_number_hash", "in", chunk)
      .execute();
    rows.forEach((r) => onFile.add(r.id_number_hash));
  }
  const fresh = valid.filter((v) => {
    if (!onFile.has(hashIdNumber(v.input.idNumber))) return true;
    problems.push({ row: v.row, column: "身份证号码", reason: "该身份证号码已在本企业登记" });
    return false;
  });
  problems.sort((a, b) => a.row - b.row);
  return { ok: true, valid: fresh, problems, total: sheet.rows.length };
}

export async function commitPeopleImport(actor: Actor, inputs: PersonInput[], ip: string) {
  return createPeopleBatch(actor, inputs, ip);
}
