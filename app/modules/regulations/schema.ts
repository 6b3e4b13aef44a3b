import { z } from "../../lib/validation";
import { ARTICLE_LABEL } from "./citations";

const day = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "日期应写作 YYYY-MM-DD"));

/** One entry of content/regulations.yaml. */
export const RegistryEntry = z
  .object({
    code: z.string().regex(/^[a-z0-9-]{2,64}$/, "code 只能用小写字母、数字和连字符"),
    name: z.string().min(2).max(120),
    aliases: z.array(z.string().min(2).max(120)).default([]),
    kind: z.enum([
      "law",
      "administrative_regulation",
      "departmental_rule",
      "normative_document",
      "national_standard",
      "industry_standard",
    ]),
    number: z.string().min(2).max(100).optional(),
    issuer: z.string().min(2).max(100),
    issued: day.optional(),
    effective: day.optional(),
    repealed: day.optional(),
    supersedes: z.array(z.string()).default([]),
    version: z.string().min(2).max(100),
    article_count: z.number().int().positive().max(2000).optional(),
    articles: z
      .record(z.string().regex(ARTICLE_LABEL, "条款应写作「第二十一条」的形式"), z.string().min(2).max(300))
      .default({}),
    note: z.string().max(500).optional(),
  })
  .strict();
export type RegistryEntry = z.output<typeof RegistryEntry>;

export const RegistryFile = z.object({ regulations: z.array(z.unknown()).min(1) }).strict();

/** The review of a 待复核 flag: what the reviewer found. */
export const ReviewInput = z.object({
  flagId: z.coerce.number().int().positive(),
  note: z.string().trim().min(2, "请写明复核结论（至少 2 个字）").max(500, "复核结论不超过 500 字"),
});
