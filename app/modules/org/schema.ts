import { idParam, optionalStrictDate, optionalText, requiredText, z } from "../../lib/validation";
import { idNumberProblem, normalizeIdNumber, normalizeUscc, usccProblem } from "./identifiers";
import { INDUSTRY_CODES, POSTS, REGION_LEVELS, RISK_LEVELS } from "./labels";

export const PostSchema = z.enum(POSTS as [string, ...string[]], { error: "请选择岗位" }) as z.ZodType<
  (typeof POSTS)[number]
>;

export const IdNumberSchema = z
  .string({ error: "请填写身份证号码" })
  .transform((v) => normalizeIdNumber(v))
  .superRefine((v, ctx) => {
    const problem = idNumberProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const UsccSchema = z
  .string({ error: "请填写统一社会信用代码" })
  .transform((v) => normalizeUscc(v))
  .superRefine((v, ctx) => {
    const problem = usccProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const phone = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
  z
    .string()
    .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, "请填写 11 位手机号或带区号的固定电话")
    .optional(),
);

const isoDate = optionalStrictDate("日期");

export const PersonInput = z.object({
  enterpriseId: idParam,
  name: requiredText("姓名", 32),
  idNumber: IdNumberSchema,
  phone,
  post: PostSchema,
  hireDate: isoDate,
});
export type PersonInput = z.output<typeof PersonInput>;

/** Editing keeps the ID number unless a new one is typed. */
export const PersonUpdateInput = PersonInput.omit({ enterpriseId: true, idNumber: true }).extend({
  idNumber: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), IdNumberSchema.optional()),
});
export type PersonUpdateInput = z.output<typeof PersonUpdateInput>;

export const EnterpriseInput = z.object({
  name: requiredText("企业名称", 64),
  uscc: UsccSchema,
  regionId: z.coerce.number({ error: "请选择所在区域" }).int().positive("请选择所在区域"),
  industryCode: z.enum(INDUSTRY_CODES, { error: "请选择行业" }),
  riskLevel: z.enum(RISK_LEVELS as [string, ...string[]], { error: "请选择风险等级" }) as z.ZodType<
    (typeof RISK_LEVELS)[number]
  >,
  address: optionalText(120),
  contactPhone: phone,
  /** Learners of the enterprise take a photo at each study check-in. */
  studyPhotoCheckin: z.preprocess((v) => v === "1" || v === "on", z.boolean()).optional(),
});
export type EnterpriseInput = z.output<typeof EnterpriseInput>;

export const RegionInput = z.object({
  name: requiredText("区域名称", 32),
  parentId: z.preprocess(
    (v) => (v === "" || v === undefined ? null : v),
    z.coerce.number().int().positive().nullable(),
  ),
  level: z.enum(REGION_LEVELS as [string, ...string[]], { error: "请选择区域级别" }) as z.ZodType<
    (typeof REGION_LEVELS)[number]
  >,
  code: optionalText(12),
});
export type RegionInput = z.output<typeof RegionInput>;

/** List filters from the query string; anything malformed falls back to the first page. */
export const ListQuery = z.object({
  q: z.string().trim().max(64).optional().catch(undefined),
  enterpriseId: z.coerce.number().int().positive().optional().catch(undefined),
  post: z
    .enum(POSTS as [string, ...string[]])
    .optional()
    .catch(undefined),
  regionId: z.coerce.number().int().positive().optional().catch(undefined),
  industry: z.enum(INDUSTRY_CODES).optional().catch(undefined),
  showInactive: z.literal("1").optional().catch(undefined),
});
export type ListQuery = z.output<typeof ListQuery>;

export function listQueryOf(url: URL): ListQuery {
  return ListQuery.parse(Object.fromEntries(url.searchParams));
}
