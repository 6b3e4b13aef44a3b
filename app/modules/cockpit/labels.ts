/** The cockpit's KPIs and their Chinese labels (shared by server and browser). */
export const KPIS = ["cert", "hours", "newhire", "quiz", "drill"] as const;
export type Kpi = (typeof KPIS)[number];
export const KPI_LABELS: Record<Kpi, string> = {
  cert: "持证率",
  hours: "学时达标率",
  newhire: "新增从业人员培训率",
  quiz: "逢查必考合格率",
  drill: "演练按期率",
};
export const KPI_HINTS: Record<Kpi, string> = {
  cert: "须持证岗位人员中持有效证书的比例",
  hours: "在岗人员中本年度学时达到要求的比例",
  newhire: "近 12 个月入职人员中上岗前完成岗前学时（24 或 72 学时）的比例",
  quiz: "近 12 个月逢查必考答卷的合格比例",
  drill: "在用应急预案中未超过演练期限的比例",
};
export interface Ratio {
  num: number;
  den: number;
  rate: number | null;
}
