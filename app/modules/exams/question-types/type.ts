import type { z } from "zod";
import type { QuestionType } from "../../../../db/types";

export type { QuestionType };

/** How a multiple-choice item is scored (the template's setting); other types ignore it. */
export type MultipleScoring = "all_or_nothing" | "partial";

/** The stored question's options and answer, as the bank schema checks them. */
export interface QuestionContent {
  options: string[];
  answer: string;
}

/**
 * One question type: everything the bank, the paper, grading, review and the interchange formats need to know about
 * it. Plain data and pure functions: no zod at run time (zod is imported as a type only), no React, no database, so
 * the browser bundle, the server and the parse worker import the same registry.
 *
 * As in Moodle's question engine, the type knows its content (options, answer key) and how one response is checked
 * and scored; how a response is collected and when it is graded (autosave, hand-in, deadline: the attempt's
 * "behaviour") stays with the attempt files (`answers.server.ts`, `grading.server.ts`).
 */
export interface QuestionTypeDef {
  readonly name: QuestionType;
  /** Short label on badges and in lists: 单选. */
  readonly label: string;
  /** Does the question carry its own options A–H (shuffled per paper)? A judge question's choices are fixed. */
  readonly hasOptions: boolean;
  /** The answer input: one choice (radio) or several (checkbox), sent as one value or sorted letters. */
  readonly input: "radio" | "checkbox";
  /** The choices on the paper, in display order: [value sent, text shown]. */
  choices(options: readonly string[]): [value: string, text: string][];
  /** The zod refinement of a stored question's options and answer (bank editor, YAML, imports). */
  refine(q: QuestionContent, ctx: z.RefinementCtx<QuestionContent>): void;
  /** An answer key as typed in an import form, in this type's spelling ("TRUE" → "true"). */
  normalizeKey(answer: string): string;
  /** Is `answer` well-formed for this type with `optionCount` options (in the letters the examinee sees)? */
  validAnswer(answer: string, optionCount: number): boolean;
  /** An answer as given (choices in any order) in its canonical spelling, to compare with the key. */
  canonical(answer: string): string;
  /** The stored option order of a drawn item ("" when the type has no options); `shuffle` null keeps A–H. */
  optionOrder(optionCount: number, shuffle: ((n: number) => number[]) | null): string;
  /** Display letters → the question's own letters (what is stored), and back. */
  toStored(answer: string, optionOrder: string): string;
  toShown(answer: string, optionOrder: string): string;
  /** Points earned on one item (`given` in stored letters; null: not answered). */
  score(correct: string, given: string | null, points: number, scoring: MultipleScoring): number;
  /** An answer as people read it: "AC", 正确. */
  answerText(answer: string): string;
  /** Interchange: the names of this type in spreadsheets (题型 column), the first one written on export. */
  readonly sheetLabels: readonly string[];
}
