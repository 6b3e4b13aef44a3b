import { fromLocalInput } from "../../lib/calendar";
import { idParam, optionalText, requiredText, z } from "../../lib/validation";
import { EVALUATION_FORMS } from "./evaluation-forms";
import { POSTS } from "../org/labels";
import { MILESTONES, PLAN_TYPES, RATING_CODES } from "./rules";

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

const optionalBeijingTime = (message: string) =>
  z.preprocess((v) => (v === "" ? undefined : v), beijingTime(message).optional());

const list = <S extends z.ZodType>(item: S) =>
  z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(item));

export const PlanInput = z.object({
  type: choice(PLAN_TYPES, "请选择预案类型"),
  title: requiredText("预案名称", 100),
  scenarios: requiredText("适用的事故情景", 4000),
  responseRoles: requiredText("应急组织与职责", 4000),
  issuedOn: z.iso.date({ error: "请填写发布实施日期" }),
  /** Stricter local rules may ask for more frequent drills, never fewer (checked against the rule in plans.server.ts). */
  intervalMonths: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce
      .number()
      .int("请填写整数月数")
      .min(1, "演练周期至少 1 个月")
      .max(12, "演练周期不能超过 12 个月")
      .optional(),
  ),
});
export type PlanInput = z.output<typeof PlanInput>;

export const InjectInput = z.object({
  title: requiredText("情景注入标题", 100),
  body: requiredText("情景注入内容", 2000),
  offsetMinutes: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce
      .number()
      .int("请填写整数分钟")
      .min(0, "分钟数不能为负")
      .max(24 * 60, "不能晚于开始后 24 小时")
      .optional(),
  ),
});

export const DrillInput = z
  .object({
    planId: idParam,
    title: requiredText("演练名称", 100),
    form: choice(["tabletop", "live"] as const, "请选择演练形式"),
    mode: choice(["scripted", "unscripted", "double_blind"] as const, "请选择演练方式"),
    evaluationForm: z.preprocess(
      (v) => (v === undefined || v === "" ? "aqt9009" : v),
      z.enum(EVALUATION_FORMS, { error: "请选择评估表" }),
    ),
    announceWindow: z.preprocess((v) => v === "1" || v === "on" || v === true, z.boolean()),
    windowStart: beijingTime("请填写演练时间窗的开始时间"),
    windowEnd: beijingTime("请填写演练时间窗的结束时间"),
    plannedStart: optionalBeijingTime("计划开始时间格式不正确"),
    objectives: requiredText("演练目标", 2000),
    scenario: requiredText("演练情景", 4000),
    teams: optionalText(200),
    participants: list(idParam),
    /** Whole posts chosen at once (主要负责人 …): expanded on the server into the enterprise's active people of that post. */
    participantPosts: list(z.enum(["all", ...POSTS] as [string, ...string[]], { error: "岗位无效" })),
    evaluators: list(z.string().regex(/^[a-z0-9]{1,32}$/, "评估人员无效")).pipe(
      z.array(z.string()).min(1, "请至少指定一名评估人员"),
    ),
    controllers: list(z.string().regex(/^[a-z0-9]{1,32}$/, "导调人员无效")),
    injects: z.preprocess(
      (v) =>
        Array.isArray(v) ? v.filter((i) => i && typeof i === "object" && Object.values(i).some((x) => x !== "")) : [],
      z.array(InjectInput).max(30, "情景注入最多 30 条"),
    ),
  })
  .superRefine((v, ctx) => {
    if (v.mode === "double_blind" && !v.plannedStart)
      ctx.addIssue({ code: "custom", path: ["plannedStart"], message: "双盲演练须设定计划开始时间（对参演人员保密）" });
    if (v.participants.length === 0 && v.participantPosts.length === 0 && !v.teams)
      ctx.addIssue({ code: "custom", path: ["teams"], message: "请选择参演人员或填写参演队伍" });
  });
export type DrillInput = z.output<typeof DrillInput>;

export const EventInput = z
  .object({
    milestone: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.enum(MILESTONES, { error: "未知的演练节点" }).optional(),
    ),
    note: optionalText(500, "备注不能超过 500 个字"),
    /** Backfilled from memory: the time it happened, else now. */
    at: optionalBeijingTime("记录时间格式不正确"),
  })
  .refine((v) => v.milestone || v.note, { path: ["note"], message: "请选择一个节点或填写记录内容" });
export type EventInput = z.output<typeof EventInput>;

export const VoidEventInput = z.object({
  eventId: z.coerce.number({ error: "记录无效" }).int().positive("记录无效"),
  reason: z
    .string({ error: "请填写作废原因" })
    .trim()
    .min(2, "请填写作废原因（至少 2 个字）")
    .max(200, "作废原因不超过 200 字"),
});

const rating = choice(RATING_CODES, "请为每一项选择评定等级");

export const SheetInput = z.object({
  intent: z.enum(["save", "submit"]),
  /** Keyed "c<criterion id>" (form fields `scores.c12.rating`), so the form parser keeps them an object. */
  scores: z.preprocess(
    (v) => (v && typeof v === "object" && !Array.isArray(v) ? v : {}),
    z.record(
      z.string().regex(/^c\d+$/),
      z.object({ rating: rating.optional(), comment: optionalText(500, "评语不能超过 500 个字") }),
    ),
  ),
  overallRating: rating.optional(),
  overallComment: optionalText(4000, "评语不能超过 4000 个字"),
});
export type SheetInput = z.output<typeof SheetInput>;

/** A sheet on a scored form (GB/T 46792): `points.<indicator code>`, checked against the form's maxima by the module. */
export const ScoredSheetInput = z.object({
  intent: z.enum(["save", "submit"]),
  points: z.preprocess(
    (v) => (v && typeof v === "object" && !Array.isArray(v) ? v : {}),
    z.record(z.string().regex(/^[a-z0-9_]{1,32}$/), z.string().trim().max(8, "得分格式不正确")),
  ),
  overallComment: optionalText(4000, "评语不能超过 4000 个字"),
});
export type ScoredSheetInput = z.output<typeof ScoredSheetInput>;

export const FindingInput = z.object({
  finding: requiredText("发现的问题", 500),
  criterionId: z.preprocess((v) => (v === "" ? undefined : v), idParam.optional()),
  ownerPersonId: z
    .preprocess((v) => (v === "" ? undefined : v), idParam.optional())
    .pipe(z.number({ error: "请选择整改责任人" })),
  dueOn: z.iso.date({ error: "请填写整改期限" }),
});
export type FindingInput = z.output<typeof FindingInput>;

export const EvidenceInput = z.object({ evidence: requiredText("整改情况说明", 2000) });

export const VerifyInput = z
  .object({
    decision: z.enum(["close", "reopen", "accept"], { error: "请选择验收结论" }),
    note: optionalText(500, "说明不能超过 500 个字"),
  })
  .refine((v) => v.decision === "close" || v.note, { path: ["note"], message: "退回或接受风险时请写明理由" });

export const MonthParam = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
