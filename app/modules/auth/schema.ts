import { optionalText, requiredText, z } from "../../lib/validation";
import { ROLES } from "../org/labels";
import { safeNext } from "./next";
import { normalizeUsername, USERNAME_PATTERN } from "./username";

export { safeNext };

export const PasswordSchema = z
  .string({ error: "请填写密码" })
  .min(8, "密码至少 8 位")
  .max(128, "密码不能超过 128 位")
  .regex(/[A-Za-z]/, "密码须同时包含字母和数字")
  .regex(/\d/, "密码须同时包含字母和数字");

export const LoginInput = z.object({
  username: z.string({ error: "请填写用户名" }).trim().min(1, "请填写用户名").max(64, "用户名过长"),
  password: z.string({ error: "请填写密码" }).min(1, "请填写密码").max(128, "密码过长"),
  // The login page only ever sends a safe path (it cleans the link's `next`); anything else is a crafted post.
  next: z
    .string()
    .optional()
    .refine((v) => !v || safeNext(v) === v, "登录后要打开的页面地址无效，请从本站页面重新登录。"),
});

export const ChangePasswordInput = z
  .object({
    current: z.string({ error: "请填写当前密码" }).min(1, "请填写当前密码"),
    next: PasswordSchema,
    confirm: z.string({ error: "请再次填写新密码" }),
  })
  .refine((v) => v.next === v.confirm, { path: ["confirm"], message: "两次填写的新密码不一致" })
  .refine((v) => v.next !== v.current, { path: ["next"], message: "新密码不能与当前密码相同" });

const optionalId = z.preprocess(
  (v) => (v === "" || v === undefined ? null : v),
  z.coerce.number().int().positive().nullable(),
);

const RoleSchema = z.enum(ROLES as [string, ...string[]], { error: "请选择角色" }) as z.ZodType<(typeof ROLES)[number]>;

const scopeRules = <T extends { role: string; enterpriseId: number | null; regionId: number | null }>(
  v: T,
  ctx: z.RefinementCtx,
) => {
  if ((v.role === "worker" || v.role === "enterprise_officer") && !v.enterpriseId) {
    ctx.addIssue({ code: "custom", path: ["enterpriseId"], message: "企业账号须选择所属企业" });
  }
  if ((v.role === "inspector" || v.role === "regulator") && !v.regionId) {
    ctx.addIssue({ code: "custom", path: ["regionId"], message: "监管账号须选择管辖区域" });
  }
};

export const AccountInput = z
  .object({
    // Stored normalized (NFKC, no invisible characters, lower case): one spelling per account.
    username: z
      .string({ error: "请填写用户名" })
      .transform(normalizeUsername)
      .pipe(z.string().regex(USERNAME_PATTERN, "用户名为 3 至 32 位字母、数字或 _ . -")),
    displayName: requiredText("显示名称", 32),
    role: RoleSchema,
    enterpriseId: optionalId,
    regionId: optionalId,
    personId: optionalId,
    password: PasswordSchema,
  })
  .superRefine(scopeRules);
export type AccountInput = z.output<typeof AccountInput>;

export const AccountUpdateInput = z
  .object({
    displayName: requiredText("显示名称", 32),
    role: RoleSchema,
    enterpriseId: optionalId,
    regionId: optionalId,
    personId: optionalId,
    newPassword: z.preprocess((v) => (v === "" ? undefined : v), PasswordSchema.optional()),
  })
  .superRefine(scopeRules);
export type AccountUpdateInput = z.output<typeof AccountUpdateInput>;

export const AccountListQuery = z.object({
  q: optionalText(64).catch(undefined),
  role: RoleSchema.optional().catch(undefined),
});
