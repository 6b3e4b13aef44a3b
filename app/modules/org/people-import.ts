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
  "入职日期格式：2024-03-01，可留空。",
  "同一身份证号码在同一企业只能登记一次。",
];

export interface RowProblem { row: number; column: string; reason: string }
export interface ImportRow { row: number; input: PersonInput }

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
      hireDate: cells["入职日期"] ?? "",
    };
    const parsed = PersonInput.safeParse(raw);
    if (!parsed.success) {
      for (const [key, reason] of Object.entries(fieldErrorsOf(parsed.error))) {
        problems.push({ row, column: headerOf(key), reason: key === "post" && postText ? `无法识别的岗位「${postText}」` : reason });
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
