import { requiredText, strictDateTime, z } from "../../lib/validation";
import { INDUSTRY_CODES, POSTS } from "../org/labels";
import { QUESTION_TYPE_NAMES, questionType, type QuestionType } from "./question-types";

const Post = z.enum(POSTS as unknown as ["principal", "safety_manager", "special_operator", "worker"]);
export const QuestionTypeSchema = z.enum(QUESTION_TYPE_NAMES as [QuestionType, ...QuestionType[]]);
export { TYPE_LABELS } from "./labels";

/** A question as it is stored in the bank (content/questions/*.yaml, the editor, importers). */
export const QuestionInput = z
  .object({
    type: QuestionTypeSchema,
    stem: z.string().trim().min(2, "题干至少 2 个字").max(2000),
    options: z.array(z.string().trim().min(1, "选项不能为空").max(500)).max(8, "最多 8 个选项").default([]),
    answer: z.string().trim(),
    explanation: z.string().trim().max(2000).optional().nullable(),
    regulation: z.string().trim().max(255).optional().nullable(),
    difficulty: z.coerce.number().int().min(1).max(5).default(3),
    posts: z.array(Post).min(1, "至少选择一个适用岗位"),
    industries: z.array(z.enum(INDUSTRY_CODES)).default([]),
    topic: z.string().trim().min(1, "请填写知识点").max(64),
    course: z.string().max(64).optional().nullable(),
    lesson: z.string().max(64).optional().nullable(),
  })
  // Options and answer key as the type wants them (question-types/).
  .superRefine((q, ctx) => questionType(q.type).refine(q, ctx));
export type QuestionInput = z.output<typeof QuestionInput>;

export const ShippedQuestion = z.object({ id: z.string().regex(/^[a-z0-9-]{2,64}$/) }).passthrough();

export const ShippedBankFile = z.object({
  topic: z.string().min(1),
  course: z.string().optional(),
  questions: z.array(z.record(z.string(), z.unknown())).min(1),
});

export const PaperRuleSchema = z
  .object({
    type: QuestionTypeSchema,
    count: z.coerce.number({ error: "请填写题数" }).int().min(1, "题数至少为 1").max(200, "一条规则最多 200 题"),
    topic: z.preprocess((v) => (v === "" || v === undefined ? null : v), z.string().max(64).nullable()),
    minDifficulty: z.coerce.number().int().min(1).max(5).default(1),
    maxDifficulty: z.coerce.number().int().min(1).max(5).default(5),
    post: z.union([Post, z.literal("examinee"), z.literal("any")]).default("examinee"),
    industry: z.union([z.enum(INDUSTRY_CODES), z.literal("enterprise"), z.literal("any")]).default("enterprise"),
    points: z.coerce.number().positive("分值须大于 0").max(20).default(1),
    excludeFlagged: z
      .preprocess((v) => v === "on" || v === "1" || v === "true" || v === true, z.boolean())
      .default(false),
  })
  .refine((r) => r.minDifficulty <= r.maxDifficulty, { path: ["maxDifficulty"], message: "最高难度不能低于最低难度" });

export const TemplateInput = z.object({
  name: requiredText("试卷名称", 64),
  rules: z.array(PaperRuleSchema).min(1, "至少需要一条组卷规则").max(20),
  timeLimitMinutes: z.coerce.number({ error: "请填写考试时长" }).int().min(1, "考试时长至少 1 分钟").max(600),
  passMark: z.coerce.number({ error: "请填写及格分" }).int().min(1).max(100, "及格分不超过 100"),
  attemptsAllowed: z.coerce.number().int().min(1, "至少允许考 1 次").max(10),
  shuffleOptions: z.preprocess((v) => v === "on" || v === "1" || v === true, z.boolean()),
  showAnswers: z.enum(["after_submit", "after_close", "never"]),
  multipleScoring: z.enum(["all_or_nothing", "partial"]),
  /** 切屏 limit: hand in after more leaves than this; empty = no limit. */
  leaveLimit: z.preprocess(
    (v) => (v === "" || v === undefined || v === null ? null : v),
    z.coerce
      .number({ error: "切屏次数须为整数" })
      .int("切屏次数须为整数")
      .min(0, "切屏次数不能为负")
      .max(50, "切屏次数最多 50")
      .nullable(),
  ),
});
export type TemplateInput = z.output<typeof TemplateInput>;

export const ExamInput = z
  .object({
    templateId: z.coerce.number({ error: "请选择试卷" }).int().positive("请选择试卷"),
    title: requiredText("考试名称", 64),
    posts: z.preprocess(
      (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
      z.array(Post).min(1, "至少选择一个岗位"),
    ),
    opensAt: strictDateTime("开始时间"),
    closesAt: strictDateTime("结束时间"),
  })
  .refine((v) => v.closesAt > v.opensAt, { path: ["closesAt"], message: "结束时间须晚于开始时间" });
export type ExamInput = z.output<typeof ExamInput>;

/** One autosaved answer: position on the paper, the letters as displayed (or true/false), the client's counter. */
export const SaveAnswerInput = z.object({
  position: z.coerce.number().int().min(1).max(500),
  answer: z.string().regex(/^([A-H]{1,8}|true|false)$/, "答案格式无效"),
  seq: z.coerce.number().int().min(0).max(2_000_000_000),
});

/** A 切屏 report from the paper page: left (hidden or blurred), or back after so many milliseconds. */
export const LeaveInput = z.discriminatedUnion("event", [
  z.object({ event: z.literal("leave"), kind: z.enum(["hidden", "blur"]) }),
  z.object({ event: z.literal("back"), awayMs: z.coerce.number().int().min(0).max(86_400_000) }),
]);

const lines = (v: unknown) =>
  typeof v === "string"
    ? v
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean)
    : v;
const many = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The question editor's form: options one per line, 正确/错误 for true/false. */
export const QuestionForm = z
  .object({
    type: QuestionTypeSchema,
    stem: z.string(),
    options: z.preprocess(lines, z.array(z.string())),
    answer: z.preprocess(
      (v) => (v === "正确" ? "true" : v === "错误" ? "false" : typeof v === "string" ? v.trim().toUpperCase() : v),
      z.string(),
    ),
    explanation: z.string().optional(),
    regulation: z.string().optional(),
    topic: z.string(),
    difficulty: z.string().optional(),
    posts: z.preprocess(many, z.array(z.string())),
    industries: z.preprocess(many, z.array(z.string())),
  })
  .transform((v, ctx) => {
    const parsed = QuestionInput.safeParse({
      ...v,
      answer: questionType(v.type).normalizeKey(v.answer),
      difficulty: v.difficulty || 3,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
      return z.NEVER;
    }
    return parsed.data;
  });
