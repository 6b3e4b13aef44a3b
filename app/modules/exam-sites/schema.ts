import { z, requiredText, strictDateTime } from "../../lib/validation";

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

const idOf = (what: string) =>
  z.coerce
    .number({ error: `请选择${what}` })
    .int(`请选择${what}`)
    .positive(`请选择${what}`);

export const SiteInput = z.object({
  name: requiredText("考试点名称", 120),
  address: requiredText("地址", 200),
  regionId: idOf("所在区域"),
});
export type SiteInput = z.output<typeof SiteInput>;

/** Most seats one room may have (seats are generated with numbers: A01, A02 …). */
export const MAX_SEATS = 200;

export const RoomInput = z.object({
  name: requiredText("考场名称", 60),
  camera: z.preprocess((v) => v === "1" || v === "on" || v === "true", z.boolean()),
  seats: z.coerce
    .number({ error: "座位数必须是数字" })
    .int("座位数必须是整数")
    .min(1, "座位数至少为 1")
    .max(MAX_SEATS, `一个考场最多 ${MAX_SEATS} 个座位`),
  prefix: z
    .string()
    .trim()
    .regex(/^[A-Z]{0,2}$/, "座位号前缀须为 0 至 2 个大写字母，如 A")
    .default(""),
});
export type RoomInput = z.output<typeof RoomInput>;

export const SessionInput = z.object({
  title: requiredText("考试名称", 120),
  roomId: idOf("考场"),
  templateId: idOf("试卷模板"),
  scheduledAt: strictDateTime("开考时间"),
  minutes: z.coerce
    .number({ error: "考试时长必须是数字" })
    .int("考试时长必须是整数")
    .min(10, "考试时长至少 10 分钟")
    .max(300, "考试时长最多 300 分钟"),
});
export type SessionInput = z.output<typeof SessionInput>;

/** ID numbers pasted one a line (or separated by commas / spaces). */
export const RosterIdsInput = z.object({
  idNumbers: requiredText("身份证号码", 20_000).transform((v) =>
    [...new Set(v.split(/[\s,，;；]+/).map((x) => x.trim().toUpperCase()))].filter(Boolean),
  ),
});

const idList = (what: string) =>
  z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(
        z.coerce
          .number({ error: `${what}无效` })
          .int(`${what}无效`)
          .positive(`${what}无效`),
      )
      .max(500),
  );

export const RosterPeopleInput = z.object({ personId: idList("人员").pipe(z.array(z.number()).min(1, "请选择人员")) });
export const RosterRemoveInput = z.object({ rosterId: idOf("考生") });
export const ProctorsInput = z.object({
  userId: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().max(32)).max(50)),
});
