/**
 * The question-type registry: one file per type (`single.ts`, `multiple.ts`, `judge.ts`; `choice.ts` is what the two
 * choice types share), each a `QuestionTypeDef` (`type.ts`). Code that would branch on `q.type` asks the registry
 * instead: `questionType(q.type).score(…)`. Decision 0032.
 */
import type { QuestionType, QuestionTypeDef } from "./type";
import { judge } from "./judge";
import { multiple } from "./multiple";
import { single } from "./single";

export type { MultipleScoring, QuestionContent, QuestionType, QuestionTypeDef } from "./type";
export { LETTERS, toDisplayed, toOriginal } from "./letters";

/** Every type, in the order papers group them and lists offer them. */
export const QUESTION_TYPES: Readonly<Record<QuestionType, QuestionTypeDef>> = { single, multiple, judge };

export const QUESTION_TYPE_NAMES = Object.keys(QUESTION_TYPES) as QuestionType[];

/** The definition of a type (throws on a name the registry does not know: the database enum and the registry agree). */
export function questionType(name: QuestionType | string): QuestionTypeDef {
  const def = (QUESTION_TYPES as Record<string, QuestionTypeDef | undefined>)[name];
  if (!def) throw new Error(`Unknown question type: ${name}`);
  return def;
}

/** Badge labels by type: 单选, 多选, 判断. */
export const TYPE_LABELS = Object.fromEntries(QUESTION_TYPE_NAMES.map((t) => [t, QUESTION_TYPES[t].label])) as Record<
  QuestionType,
  string
>;

/** An answer as people read it, or 未作答. */
export function answerText(type: QuestionType | string, answer: string | null | undefined): string {
  return answer == null ? "未作答" : questionType(type).answerText(answer);
}
