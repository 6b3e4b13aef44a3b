import type { EvaluationFormDefinition } from "./rules";

/**
 * The default evaluation forms, written to `evaluation_form` the first time they are read; from then on the table is
 * the source (an administrator may correct indicators, maxima and bands there). See content/NOTES.md: the GB/T 46792-2025
 * indicator list below follows the structure of drill evaluation (planning, preparation, conduct, effect) and could not
 * be checked against the standard's official text; the rating bands 优/良/中/差 are likewise kept as data.
 */
export const DEFAULT_FORMS: Record<string, { name: string; definition: EvaluationFormDefinition }> = {
  gbt46792: {
    name: "GB/T 46792-2025 应急演练评估表（乡镇转移避险演练）",
    definition: {
      basis: "GB/T 46792-2025（指标结构按演练评估通行做法整理，未能核对标准正式文本，指标与分值可由管理员调整）",
      indicators: [
        {
          code: "plan_scenario",
          group: "演练策划与准备",
          text: "演练方案明确目标、情景、转移路线与安置点，针对本乡镇主要风险",
          max: 10,
        },
        {
          code: "prep_roles",
          group: "演练策划与准备",
          text: "组织机构、职责分工和联络方式明确，参演人员知晓任务",
          max: 10,
        },
        { code: "warning", group: "预警与信息报告", text: "预警信息发布及时、覆盖到村（社区）和重点人员", max: 15 },
        { code: "report", group: "预警与信息报告", text: "信息报告及时、准确，按规定逐级上报", max: 10 },
        { code: "evacuation", group: "转移避险", text: "按路线有序转移，重点人群（老弱病残孕）有专人负责", max: 20 },
        { code: "headcount", group: "转移避险", text: "安置点人员清点准确，转移人数与台账一致", max: 15 },
        { code: "support", group: "保障与处置", text: "物资、交通、医疗保障到位，现场秩序良好", max: 10 },
        { code: "review", group: "总结与改进", text: "演练结束后及时讲评，问题清单明确", max: 10 },
      ],
      grades: [
        { label: "优", minPercent: 90 },
        { label: "良", minPercent: 80 },
        { label: "中", minPercent: 60 },
        { label: "差", minPercent: 0 },
      ],
    },
  },
};
