/**
 * The interchange shape every importer returns and every exporter takes. Text fields are in our one text model
 * (text.ts): plain text with media tokens.
 */
import type { MediaFile } from "./media";

export type QuestionType = "single" | "multiple" | "judge";

export interface ImportedQuestion {
  /** Line (text formats) or row (Excel) where the question starts, 1-based. */
  line: number;
  /** The stable key: Anxun's id / Excel 编号, GIFT [id:…] or ::title::, Moodle <idnumber>, or none (a new question). */
  externalId?: string;
  /** GIFT ::name::, Moodle <name>. */
  name?: string;
  type: QuestionType;
  /** Our text (text.ts); HTML has been converted on import. */
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
  /** Pictures and audio the texts name by token, checked and hashed (media.ts). */
  files?: MediaFile[];
}

export interface ImportProblem {
  line: number;
  /** Which question, in the user's words (its title or first words of its stem), when known. */
  question?: string;
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

/** The media files an export needs, by hash. */
export type ExportMedia = Map<string, { contentType: string; data: Buffer }>;

/** What an exporter could not write, per question. */
export interface ExportSkip {
  externalId: string;
  stem: string;
  reason: string;
}
