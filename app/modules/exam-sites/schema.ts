import { z, requiredText } from "../../lib/validation";

export const CheckInInput = z.object({
  idNumber: z.string({ error: "请填写身份证号码" }).trim().min(1, "请填写身份证号码").max(30, "身份证号码过长"),
  seatId: z.coerce.number({ error: "请选择座位" }).int("请选择座位").positive("请选择座位"),
});

export const ExtendInput = z.object({
  rosterId: z.coerce.number({ error: "考生无效" }).int().positive("考生无效"),
  minutes: z.coerce
    .number({ error: "延时分钟数必须是数字" })
    .int("延时分钟数必须是整数")
    .min(1, "延时至少 1 分钟")
    .max(60, "一次最多延时 60 分钟"),
  reason: requiredText("延时原因", 300),
});

export const VoidInput = z.object({
  rosterId: z.coerce.number({ error: "考生无效" }).int().positive("考生无效"),
  reason: requiredText("作废原因", 300),
});

export const PauseInput = z.object({ reason: requiredText("暂停原因", 300) });

export const IdentityInput = z.object({
  rosterId: z.coerce.number({ error: "考生无效" }).int().positive("考生无效"),
  verdict: z.enum(["ok", "doubtful"], { error: "请选择核验结果" }),
  note: z.string().trim().max(300, "说明不能超过 300 字").optional(),
});
