/** Labels the browser needs, kept apart from the zod schemas (schema.ts) so pages do not ship zod. */
export const TYPE_LABELS = { single: "单选", multiple: "多选", judge: "判断" } as const;
