import { z, requiredText } from "../../lib/validation";

const int = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${label}必须是数字` })
    .int(`${label}必须是整数`)
    .min(min, `${label}不能小于 ${min}`)
    .max(max, `${label}不能大于 ${max}`);

export const ContestInput = z
  .object({
    title: requiredText("竞赛名称", 120),
    regionId: z.coerce.number({ error: "请选择区域" }).int().positive("请选择区域"),
    startsAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "请填写开始时间"),
    endsAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "请填写结束时间"),
    mode: z.enum(["daily", "paper"], { error: "请选择答题方式" }),
    single: int("单选题数", 0, 50),
    multiple: int("多选题数", 0, 50),
    judge: int("判断题数", 0, 50),
    questionSeconds: int("每题限时（秒）", 5, 300),
    attemptsPerDay: int("每天答题次数", 1, 10),
    personLimit: int("每人参赛次数上限", 1, 100),
    eligibility: z.enum(["phone", "on_file"], { error: "请选择参赛范围" }),
  })
  .refine((v) => v.single + v.multiple + v.judge > 0, { message: "每套题至少 1 道", path: ["single"] })
  .refine((v) => v.single + v.multiple + v.judge <= 50, { message: "每套题最多 50 道", path: ["single"] })
  .refine((v) => v.endsAt > v.startsAt, { message: "结束时间必须晚于开始时间", path: ["endsAt"] });
export type ContestInput = z.output<typeof ContestInput>;

export const ContestJoinInput = z.object({
  name: requiredText("姓名", 30),
  ident: z
    .string({ error: "请填写手机号码或身份证号码" })
    .trim()
    .min(1, "请填写手机号码或身份证号码")
    .max(30, "号码过长"),
  regionId: z.coerce.number().int().positive().optional(),
});

export const ContestAnswerInput = z.object({
  position: z.coerce.number({ error: "题号无效" }).int("题号无效").min(1, "题号无效").max(50, "题号无效"),
  answer: z
    .string()
    .regex(/^([A-H]{1,8}|true|false)?$/, "答案格式不对")
    .optional()
    .default(""),
});
