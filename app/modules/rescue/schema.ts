import { fromLocalInput } from "../../lib/calendar";
import { idParam, optionalText, requiredText, z } from "../../lib/validation";
import { idNumberProblem } from "../org/identifiers";
import { TEAM_KINDS } from "./rules";

const choice = <T extends string>(values: readonly T[], message: string) =>
  z.preprocess((v) => (v === "" ? undefined : v), z.enum(values as unknown as [T, ...T[]], { error: message }));

const beijingTime = (message: string) =>
  z.string({ error: message }).transform((v, ctx) => {
    const d = fromLocalInput(v.trim());
    if (!d) {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }
    return d;
  });

const int = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `请填写${label}` })
    .int(`${label}须为整数`)
    .min(min, `${label}不能小于 ${min}`)
    .max(max, `${label}不能大于 ${max}`);

export const TeamInput = z.object({
  name: requiredText("队伍名称", 100),
  kind: choice(TEAM_KINDS, "请选择队伍类型"),
  regionId: idParam,
  equipment: optionalText(4000).transform((v) => v ?? ""),
  standardMinutes: int("集结时限（分钟）", 1, 24 * 60),
  requiredStrength: int("应到人数", 1, 5000),
  firstN: int("先遣人数", 1, 5000),
});
export type TeamInput = z.output<typeof TeamInput>;

export const MemberInput = z.object({
  name: requiredText("姓名", 32),
  phone: z
    .string()
    .trim()
    .regex(/^1\d{10}$/, "请填写 11 位手机号码"),
  idNumber: z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      const problem = idNumberProblem(v);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  core: z.preprocess((v) => v === "1" || v === "on", z.boolean()),
});
export type MemberInput = z.output<typeof MemberInput>;

export const CertInput = z.object({
  memberId: idParam,
  kind: z.string().trim().min(1, "请选择证书类型").max(32),
  number: requiredText("证书编号", 60),
  issuedOn: z.iso.date({ error: "请填写发证日期" }),
});

export const SpotCheckInput = z.object({
  /** "team:12" or "enterprise:3". */
  target: z.string({ error: "请选择抽查对象" }).regex(/^(team|enterprise):[1-9]\d{0,9}$/, "请选择抽查对象"),
  title: requiredText("抽查名称", 100),
  scenario: requiredText("密封的抽查情景", 4000),
  windowStart: beijingTime("请填写时间窗开始"),
  windowEnd: beijingTime("请填写时间窗结束"),
  plannedAt: beijingTime("请填写密封的抽查时间"),
  /** For an enterprise: who evaluates the drill the check starts in the enterprise (drills/spotcheck.server.ts). */
  evaluators: z.preprocess(
    (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.string().regex(/^[a-z0-9]{1,32}$/, "评估人员无效")).max(20, "评估人员最多 20 名"),
  ),
});
export type SpotCheckInput = z.output<typeof SpotCheckInput>;
export const targetParts = (target: string) => ({
  kind: target.split(":")[0] as "team" | "enterprise",
  id: Number(target.split(":")[1]),
});

export const ScheduleInput = z.object({
  title: requiredText("计划名称", 100),
  kind: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.enum(["all", ...TEAM_KINDS] as ["all", ...string[]]).optional(),
  ),
  count: int("抽取数量", 1, 200),
  periodStart: beijingTime("请填写抽查期开始"),
  periodEnd: beijingTime("请填写抽查期结束"),
});

export const EndInput = z.object({
  outcome: choice(["pass", "fail"] as const, "请选择抽查结论"),
  findings: optionalText(4000).transform((v) => v ?? ""),
  dueOn: z.preprocess((v) => (v === "" ? undefined : v), z.iso.date({ error: "整改期限日期无效" }).optional()),
});

export const TownPlanInput = z.object({
  regionId: idParam,
  type: choice(["comprehensive", "evacuation"] as const, "请选择预案类型"),
  title: requiredText("预案名称", 100),
  issuedOn: z.iso.date({ error: "请填写发布日期" }),
  intervalMonths: int("演练周期（月）", 1, 36),
});

export const TownDrillInput = z.object({
  planId: idParam,
  title: requiredText("演练名称", 100),
  plannedStart: beijingTime("请填写计划开始时间"),
  expectedPeople: int("应转移人数", 1, 100000),
});

export const TownDrillEndInput = z.object({ peopleMoved: int("实际转移人数", 0, 100000) });

export const EvaluationInput = z.object({
  scores: z.record(z.string().max(32), z.coerce.number({ error: "请填写分数" })),
  comment: optionalText(8000).transform((v) => v ?? ""),
});
