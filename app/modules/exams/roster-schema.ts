import { strictDateTime, z } from "../../lib/validation";

export const ROSTER_STATUSES = ["absent", "running", "passed", "failed"] as const;
export type RosterStatus = (typeof ROSTER_STATUSES)[number];
export const ROSTER_STATUS_LABELS: Record<RosterStatus, string> = {
  absent: "未参考",
  running: "进行中",
  passed: "合格",
  failed: "不合格",
};

/** The status of one person on an exam, from their attempts (pure, so the rule is tested apart from SQL). */
export function rosterStatus(a: { passedAny: boolean; openNow: number; submitted: number }): RosterStatus {
  if (a.passedAny) return "passed";
  if (a.openNow > 0) return "running";
  if (a.submitted > 0) return "failed";
  return "absent";
}

export const RosterQuery = z.object({
  status: z.enum(ROSTER_STATUSES).optional().catch(undefined),
  post: z.string().max(40).optional().catch(undefined),
  q: z.string().trim().max(20).optional().catch(undefined),
  after: z.coerce.number().int().min(0).optional().catch(undefined),
});
export type RosterQuery = z.output<typeof RosterQuery>;

/** A 补考 window for chosen people who failed or missed the exam. */
export const MakeupInput = z
  .object({
    personIds: z.preprocess(
      (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
      z
        .array(z.coerce.number().int().positive())
        .min(1, "请至少选择一名需要补考的人员")
        .max(500, "一次最多安排 500 人补考"),
    ),
    opensAt: strictDateTime("补考开始时间"),
    closesAt: strictDateTime("补考结束时间"),
  })
  .refine((v) => v.closesAt > v.opensAt, { path: ["closesAt"], message: "补考结束时间须晚于开始时间" });
export type MakeupInput = z.output<typeof MakeupInput>;
