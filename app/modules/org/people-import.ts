import { addDays } from "../../lib/calendar";
import { fieldErrorsOf } from "../../lib/validation";
import { POST_LABELS, POSTS } from "./labels";
import { PersonInput } from "./schema";

/** The people template's columns, in order; the header text is what the importer matches. */
export const PEOPLE_COLUMNS = [
  { key: "name", header: "姓名", width: 12 },
  { key: "idNumber", header: "身份证号码", width: 22 },
  { key: "phone", header: "手机号", width: 16 },
  { key: "post", header: "岗位", width: 18 },
  { key: "hireDate", header: "入职日期", width: 14 },
] as const;

export const PEOPLE_REQUIRED_HEADERS = ["姓名", "身份证号码", "岗位"];

export const PEOPLE_TEMPLATE_NOTES = [
  "每行一人；第 1 行为表头，请勿修改。",
  `岗位填写：${POSTS.map((p) => POST_LABELS[p]).join("、")}。`,
  "身份证号码为 18 位，请设置为文本格式，避免被 Excel 转为科学计数法。",
  "入职日期：日期单元格或 2024-03-01（也可写 2024/3/1、2024年3月1日），可留空。",
  "同一身份证号码在同一企业只能登记一次。",
];

/**
 * A date cell as the sheet reader gave it, as YYYY-MM-DD where it clearly is a day: a real Excel date cell (read as
 * 2024-03-01), its serial number when the column was formatted as text (45352), or a typed 2024/3/1, 2024.3.1 or
 * 2024年3月1日. Anything else is returned as it was, for the schema to refuse with its message.
 */
export function normalizeDateCell(text: string): string {
  const t = text.trim();
  // Excel's day serials: 1 is 1900-01-01, counted from 1899-12-30 because of Excel's 1900 leap-day bug.
  if (/^\d{5}(\.\d+)?$/.test(t)) {
    const serial = Math.floor(Number(t));
    if (serial >= 366 && serial <= 73050) return addDays("1899-12-30", serial);
  }
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(t);
  return m ? `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}` : t;
}

export interface RowProblem {
  row: number;
  column: string;
  reason: string;
}
export interface ImportRow {
  row: number;
  input: PersonInput;
}

const postByLabel = new Map<string, string>(POSTS.map((p) => [POST_LABELS[p], p]));
const headerOf = (key: string) => PEOPLE_COLUMNS.find((c) => c.key === key)?.header ?? key;

/** Check each sheet row for one enterprise: every problem with its row and column, valid rows as inputs. */
export function checkPeopleRows(rows: { row: number; cells: Record<string, string> }[], enterpriseId: number) {
  const valid: ImportRow[] = [];
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of rows) {
    const postText = cells["岗位"] ?? "";
    const raw = {
      enterpriseId,
      name: cells["姓名"] ?? "",
      idNumber: cells["身份证号码"] ?? "",
      phone: cells["手机号"] ?? "",
      post: postByLabel.get(postText) ?? (POSTS.includes(postText as never) ? postText : ""),
      hireDate: normalizeDateCell(cells["入职日期"] ?? ""),
    };
    const parsed = PersonInput.safeParse(raw);
    if (!parsed.success) {
      for (const [key, reason] of Object.entries(fieldErrorsOf(parsed.error))) {
        problems.push({
          row,
          column: headerOf(key),
          reason: key === "post" && postText ? `无法识别的岗位「${postText}」` : reason,
        });
      }
      continue;
    }
    const first = seen.get(parsed.data.idNumber);
    if (first !== undefined) {
      problems.push({ row, column: "身份证号码", reason: `与第 ${first} 行的身份证号码重复` });
      continue;
    }
    seen.set(parsed.data.idNumber, row);
    valid.push({ row, input: parsed.data });
  }
  return { valid, problems };
}
