import { z } from "../../lib/validation";

/** Marking notices read: one id, or all of the inbox. */
export const MarkReadInput = z.union([
  z.object({ all: z.literal("1") }).transform(() => "all" as const),
  z.object({ id: z.coerce.number({ error: "参数不正确" }).int().positive("参数不正确") }).transform((v) => [v.id]),
]);

/** Keyset page of the inbox: notices older than this id. */
export const InboxPage = z.coerce.number().int().positive().optional().catch(undefined);
