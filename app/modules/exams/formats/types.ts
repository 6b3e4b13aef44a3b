/** The interchange shape every importer returns and every exporter takes (../shared/formats/README.md). */

export type QuestionType = "single" | "multiple" | "judge";

export interface ImportedQuestion {
  /** Line (text formats) or row (Excel) where the question starts, 1-based. */
  line: number;
  /** GIFT [id:…], Moodle <idnumber>, or none. */
  externalId?: string;
  /** GIFT ::name::, Moodle <name>. */
  name?: string;
  type: QuestionType;
  /** Plain text, or sanitised HTML for Moodle questions whose format is html (only safe inline tags kept). */
  stem: string;
  /** Option texts in file order; empty for judge. */
  options: string[];
  /** Letters of the correct options in order ("B", "ACD"), or "true"/"false" for judge. */
  answer: string;
  explanation?: string;
  regulation?: string;
  difficulty?: number;
  /** Post codes (principal, safety_manager, special_operator, worker) when the file names them. */
  posts?: string[];
  /** Industry codes when the file names them. */
  industries?: string[];
  /** Knowledge point 知识点 / topic. */
  topic?: string;
  /** GIFT $CATEGORY / Moodle category path. */
  category?: string;
  tags?: string[];
  /** Moodle embedded files referenced by the text, decoded. */
  files?: { name: string; data: Buffer }[];
}

export interface ImportProblem {
  line: number;
  /** Chinese, for the user: what is wrong and, where it helps, how to fix it. */
  reason: string;
}

export interface ImportResult {
  questions: ImportedQuestion[];
  problems: ImportProblem[];
}

/** What exporters write. */
export interface ExportQuestion {
  externalId: string;
  type: QuestionType;
  stem: string;
  options: string[];
  answer: string;
  explanation?: string | null;
  regulation?: string | null;
  difficulty?: number | null;
  posts?: string[];
  industries?: string[];
  topic?: string | null;
}
