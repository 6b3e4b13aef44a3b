import { z } from "../../lib/validation";
import { INDUSTRY_CODES, POSTS } from "../org/labels";

const Post = z.enum(POSTS as [string, ...string[]]);

export const RegulationRef = z.object({
  name: z.string().min(2, "法规名称不能为空"),
  articles: z
    .array(
      z
        .string()
        .regex(/^第[一二三四五六七八九十百零〇]+条(之[一二三四五六七八九十]+)?$/, "条款应写作「第二十一条」的形式"),
    )
    .optional(),
});

export const CourseFrontmatter = z
  .object({
    title: z.string().min(2).max(64),
    summary: z.string().min(10).max(300),
    hours: z.number().positive().max(200).multipleOf(0.5, "学时以 0.5 为单位"),
    posts: z.array(Post).min(1, "至少指定一个适用岗位"),
    industries: z.array(z.enum(INDUSTRY_CODES)).default([]),
    regulations: z.array(RegulationRef).min(1, "至少列出一部所讲授的法规"),
    version: z.number().int().positive(),
    order: z.number().int().nonnegative(),
  })
  .strict();
export type CourseFrontmatter = z.output<typeof CourseFrontmatter>;

export const LessonFrontmatter = z
  .object({
    title: z.string().min(2).max(64),
    /** Optional: what this lesson teaches beyond the course's list (checked against the registry like the course's). */
    regulations: z.array(RegulationRef).optional(),
  })
  .strict();

export const SelfCheckProps = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
    type: z.enum(["single", "multiple", "judge"]),
    question: z.string().min(1),
    options: z.array(z.string().min(1)).max(8).optional(),
    answer: z.string(),
    explanation: z.string().min(2),
  })
  .superRefine((v, ctx) => {
    const letters = "ABCDEFGH".slice(0, v.options?.length ?? 0);
    if (v.type === "judge") {
      if (v.options?.length) ctx.addIssue({ code: "custom", message: "判断题不应有选项" });
      if (v.answer !== "true" && v.answer !== "false")
        ctx.addIssue({ code: "custom", message: "判断题答案应为 true 或 false" });
    } else {
      if (!v.options || v.options.length < 2) ctx.addIssue({ code: "custom", message: "选择题至少需要 2 个选项" });
      if (![...v.answer].every((c) => letters.includes(c)) || v.answer.length === 0)
        ctx.addIssue({ code: "custom", message: `答案「${v.answer}」不在选项范围内` });
      if (v.type === "single" && v.answer.length !== 1)
        ctx.addIssue({ code: "custom", message: "单选题只能有一个答案" });
      if (v.type === "multiple" && v.answer.length < 2) ctx.addIssue({ code: "custom", message: "多选题至少两个答案" });
    }
  });

/** The self-check as the page gets it: no answer, no explanation. */
export type SelfCheckQuestion = {
  id: string;
  type: "single" | "multiple" | "judge";
  question: string;
  options: string[];
};

export const SelfCheckAnswer = z.object({
  lessonId: z.coerce.number().int().positive(),
  checkId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  answer: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).join("").toUpperCase().split("").sort().join("")),
});
