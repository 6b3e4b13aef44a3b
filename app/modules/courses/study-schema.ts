import { z } from "../../lib/validation";

const num = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `请填写${label}` })
    .min(min, `${label}不能少于 ${min}`)
    .max(max, `${label}不能超过 ${max}`);

/**
 * A region's 学时 rule. AQ 8011-2023 sets the floor (30 minutes per online 学时, 45 per offline one): a region may ask
 * more, never less.
 */
export const StudyRuleInput = z
  .object({
    regionId: z.preprocess(
      (v) => (v === "" || v === undefined ? undefined : v),
      z.coerce.number().int().positive().optional(),
    ),
    onlineMinutesPerHour: num("每个网络学时的分钟数", 30, 120),
    offlineMinutesPerHour: num("每个面授学时的分钟数", 45, 180),
    checkinMinMinutes: num("签到最短间隔（分钟）", 1, 60),
    checkinMaxMinutes: num("签到最长间隔（分钟）", 1, 120),
    checkinAnswerSeconds: num("签到确认时限（秒）", 30, 600).int("签到确认时限须为整数秒"),
    basis: z
      .string({ error: "请填写依据" })
      .trim()
      .min(4, "请写明依据（如 AQ 8011-2023 或本省规定）")
      .max(255, "依据不超过 255 字"),
  })
  .refine((v) => v.checkinMaxMinutes >= v.checkinMinMinutes, {
    path: ["checkinMaxMinutes"],
    message: "最长间隔不能短于最短间隔",
  });
export type StudyRuleInput = z.output<typeof StudyRuleInput>;
