import { z } from "../../lib/validation";

/** What the practice page reads and posts. A `.server` module, so the page's browser bundle does not carry zod. */
export const PracticeQuery = z.object({
  topic: z.string().max(64).optional().catch(undefined),
  book: z.enum(["wrong", "favorite"]).optional().catch(undefined),
  mode: z.literal("sequence").optional().catch(undefined),
  q: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined),
});

export const PracticeAnswer = z.object({
  token: z
    .string({ error: "练习题已失效，请点击「下一题」重新抽题。" })
    .max(128, "练习题已失效，请点击「下一题」重新抽题。"),
  answer: z.preprocess(
    (v) => (Array.isArray(v) ? v.join("") : v),
    z.string({ error: "请先选择答案" }).regex(/^([A-H]{1,8}|true|false)$/, "请先选择答案"),
  ),
});

export const PracticeFavorite = z.object({ token: z.string().max(128), on: z.enum(["1", "0"]) });
