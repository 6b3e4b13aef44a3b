import type { Post } from "../../../db/types";

/**
 * How long the training archive 一人一档 must be kept. AQ 8011-2023 (mandatory since 2024-07-01) requires a training
 * archive per person; the provincial rules built on it keep it 6 years for special operators and 3 years for
 * principals and safety managers. For other workers no period is set there (null): the enterprise's own rules apply.
 */
export function retentionYears(post: Post): number | null {
  if (post === "special_operator") return 6;
  if (post === "principal" || post === "safety_manager") return 3;
  return null;
}

export function retentionNote(post: Post): string {
  const years = retentionYears(post);
  const basis =
    "依据《生产经营单位从业人员安全生产培训规范》（AQ 8011-2023）及本省实施规定，生产经营单位应当建立从业人员安全培训档案（一人一档）";
  return years === null
    ? `${basis}；特种作业人员档案保存不少于 6 年，主要负责人和安全生产管理人员档案保存不少于 3 年，其他从业人员档案按本单位档案管理制度保存。`
    : `${basis}。本档案所属人员为${post === "special_operator" ? "特种作业人员" : post === "principal" ? "主要负责人" : "安全生产管理人员"}，档案应当保存不少于 ${years} 年（特种作业人员 6 年，主要负责人和安全生产管理人员 3 年）。`;
}

/** Kinds of documents and the prefix of their numbers. */
export const DOCUMENT_PREFIX = {
  transcript: "CJD",
  hours: "XSZM",
  archive: "PXDA",
  drill: "YLPG",
  inspection: "XCCY",
} as const;
export type DocumentKind = keyof typeof DOCUMENT_PREFIX;

/** A document's number: prefix, year, the record's id padded to six digits ("CJD-2026-000123"). */
export function documentNumber(kind: DocumentKind, year: string | number, id: number): string {
  return `${DOCUMENT_PREFIX[kind]}-${year}-${String(id).padStart(6, "0")}`;
}

/** A file name safe in a Content-Disposition header: no path separators, quotes or control characters. */
export function fileName(...parts: (string | number)[]): string {
  return `${parts
    .map((p) =>
      String(p)
        .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "_")
        .trim(),
    )
    .filter(Boolean)
    .join("-")
    .slice(0, 120)}.pdf`;
}

/** A cell of a filed table: long free text is cut so one row never outgrows a page. */
export const clip = (text: string | null | undefined, max = 600) => {
  const t = (text ?? "").replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
};
