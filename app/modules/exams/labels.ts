/** Labels the browser needs, kept apart from the zod schemas (schema.ts) so pages do not ship zod. */
export { TYPE_LABELS } from "./question-types";
