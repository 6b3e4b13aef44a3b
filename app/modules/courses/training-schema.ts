import { today } from "../../lib/calendar";
import { optionalText, requiredText, z } from "../../lib/validation";
import { POSTS } from "../org/labels";

const toArray = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export const OfflineTrainingInput = z.object({
  title: requiredText("培训名称", 64),
  trainedOn: z.iso.date({ error: "请填写培训日期，如 2026-03-01" }).refine((d) => d <= today(), "培训日期不能晚于今天"),
  hours: z.coerce
    .number({ error: "请填写学时" })
    .positive("学时须大于 0")
    .max(72, "单次培训不超过 72 学时")
    .multipleOf(0.5, "学时以 0.5 为单位"),
  personIds: z.preprocess(
    toArray,
    z.array(z.coerce.number().int().positive()).min(1, "请至少选择一名参训人员").max(5000),
  ),
  note: optionalText(200),
});
export type OfflineTrainingInput = z.output<typeof OfflineTrainingInput>;

export const AssignmentInput = z
  .object({
    courseId: z.coerce.number({ error: "请选择课程" }).int().positive("请选择课程"),
    target: z.enum(["everyone", "post", "person", "new_hires"], { error: "请选择分配对象" }),
    targetPost: z.preprocess((v) => (v === "" ? undefined : v), z.enum(POSTS as [string, ...string[]]).optional()),
    targetPersonId: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().positive().optional()),
    dueOn: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.iso.date({ error: "截止日期格式应为 2026-03-01" }).optional(),
    ),
    dueDays: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.coerce.number().int().min(1, "天数至少为 1").max(365).optional(),
    ),
  })
  .superRefine((v, ctx) => {
    if (v.target === "post" && !v.targetPost)
      ctx.addIssue({ code: "custom", path: ["targetPost"], message: "请选择岗位" });
    if (v.target === "person" && !v.targetPersonId)
      ctx.addIssue({ code: "custom", path: ["targetPersonId"], message: "请选择人员" });
    if (v.target === "new_hires" && !v.dueDays)
      ctx.addIssue({ code: "custom", path: ["dueDays"], message: "新员工岗前培训须填写入职后几天内完成" });
    if (v.target !== "new_hires" && !v.dueOn)
      ctx.addIssue({ code: "custom", path: ["dueOn"], message: "请填写截止日期" });
    if (v.dueOn && v.dueOn < today())
      ctx.addIssue({ code: "custom", path: ["dueOn"], message: "截止日期不能早于今天" });
  });
export type AssignmentInput = z.output<typeof AssignmentInput>;
