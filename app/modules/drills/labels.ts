import type { DrillState, RectificationStatus } from "../../../db/types";
import type { PlanDrillStatus } from "./rules";

export { MILESTONE_LABELS, PLAN_TYPE_LABELS, RATING_LABELS, RATING_MEANINGS } from "./rules";
import { PLAN_TYPE_LABELS } from "./rules";
import type { PlanType } from "./rules";

/** The plan a drill rests on, for a page or a report; a drill a spot check started may rest on none. */
export const planLabel = (type: PlanType | null, title: string | null) =>
  type && title ? `${PLAN_TYPE_LABELS[type]}《${title}》` : "未指定预案（监管部门双盲抽查）";
export const MODE_LABELS = { scripted: "有脚本演练", unscripted: "无脚本演练", double_blind: "双盲演练" } as const;
export const FORM_LABELS = { tabletop: "桌面演练", live: "实战演练" } as const;
export const STATE_LABELS: Record<DrillState, string> = {
  planned: "计划中",
  running: "进行中",
  ended: "已结束（待评估整改）",
  closed: "已关闭",
  cancelled: "已取消",
};
export const RECTIFICATION_LABELS: Record<RectificationStatus, string> = {
  open: "整改中",
  submitted: "待验收",
  closed: "已验收关闭",
  accepted: "已接受（不再整改）",
};
export const PLAN_STATUS_LABELS: Record<PlanDrillStatus, string> = {
  drilled: "按期演练",
  due_soon: "即将到期",
  overdue: "逾期未演练",
};
export const PLAN_STATUS_BADGE: Record<PlanDrillStatus, string> = { drilled: "ok", due_soon: "", overdue: "bad" };
