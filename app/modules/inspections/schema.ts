import { optionalText, requiredText, strictDate, z } from "../../lib/validation";
import { POSTS } from "../org/labels";
import { CATEGORIES } from "../certification/catalogue";
import { IdNumberSchema } from "../org/schema";
import type { Post } from "../../../db/types";

export const InspectionInput = z.object({
  inspectedOn: strictDate("检查日期"),
  inspectors: requiredText("检查人员", 120),
  place: optionalText(120),
  notes: optionalText(2000),
});
export type InspectionInput = z.output<typeof InspectionInput>;

const count = z.preprocess(
  (v) => (v === "" || v === undefined ? 0 : v),
  z.coerce.number().int().min(0, "人数不能为负").max(200, "每个岗位最多 200 人"),
);

/** How many people of each post to quiz; at least one post. */
export const QuizPlanInput = z
  .object({
    principal: count,
    safety_manager: count,
    special_operator: count,
    worker: count,
    minutes: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(10).max(240).default(60)),
    /** Special operators of one operation category only (e.g. 焊接与热切割作业), or of any. */
    specialCategory: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.enum(CATEGORIES as [string, ...string[]], { error: "请选择特种作业目录中的作业类别" }).optional(),
    ),
    /** Everyone takes a photo with the phone camera when joining (kept with the participant, shown on the board). */
    photoAtJoin: z.preprocess((v) => v === "1" || v === "on" || v === true, z.boolean()).optional(),
  })
  .refine((v) => POSTS.some((p) => v[p] > 0), { path: ["worker"], message: "请至少选择一个岗位并填写人数" });
export type QuizPlanInput = z.output<typeof QuizPlanInput>;

/** Stored with the quiz: per post, how many and on which template. */
export type QuizPlan = Partial<Record<Post, { count: number; templateId: number; category?: string }>>;

export const JoinInput = z.object({
  name: requiredText("姓名", 32),
  idNumber: IdNumberSchema,
  post: z.preprocess((v) => (v === "" ? undefined : v), z.enum(POSTS as [string, ...string[]]).optional()),
});

export const JoinCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "请输入 6 位数字测验码");

/** Claiming a one-time re-test link: the person's name and ID number (checked against the follow-up's person). */
export const RetestClaimInput = z.object({
  name: requiredText("姓名", 32),
  idNumber: IdNumberSchema,
});
