import type { Post, RegionLevel, RiskLevel, Role } from "../../../db/types";

export const POSTS: readonly Post[] = ["principal", "safety_manager", "special_operator", "worker"];
export const POST_LABELS: Record<Post, string> = {
  principal: "主要负责人",
  safety_manager: "安全生产管理人员",
  special_operator: "特种作业人员",
  worker: "从业人员",
};

export const RISK_LEVELS: readonly RiskLevel[] = ["red", "orange", "yellow", "blue"];
export const RISK_LABELS: Record<RiskLevel, string> = {
  red: "红（重大风险）",
  orange: "橙（较大风险）",
  yellow: "黄（一般风险）",
  blue: "蓝（低风险）",
};

export const REGION_LEVELS: readonly RegionLevel[] = ["city", "district", "town"];
export const REGION_LEVEL_LABELS: Record<RegionLevel, string> = { city: "市", district: "区县", town: "镇街" };

export const ROLES: readonly Role[] = ["worker", "enterprise_officer", "inspector", "regulator", "admin"];
export const ROLE_LABELS: Record<Role, string> = {
  worker: "从业人员",
  enterprise_officer: "企业安全培训管理员",
  inspector: "执法检查人员",
  regulator: "监管部门培训管理员",
  admin: "系统管理员",
};

/** Reference industries; `high_risk` ones get stricter hours and drill rules (docs/domain.md). */
export const INDUSTRIES: readonly { code: string; name: string; highRisk: boolean }[] = [
  { code: "hazardous_chemicals", name: "危险化学品", highRisk: true },
  { code: "non_coal_mining", name: "非煤矿山", highRisk: true },
  { code: "coal_mining", name: "煤矿", highRisk: true },
  { code: "metallurgy", name: "金属冶炼", highRisk: true },
  { code: "fireworks", name: "烟花爆竹", highRisk: true },
  { code: "dust_explosion", name: "粉尘涉爆", highRisk: false },
  { code: "ammonia_refrigeration", name: "涉氨制冷", highRisk: false },
  { code: "confined_space", name: "有限空间作业", highRisk: false },
  { code: "construction", name: "建筑施工", highRisk: false },
  { code: "transport", name: "交通运输", highRisk: false },
  { code: "other_industry_trade", name: "其他工贸", highRisk: false },
];
export const INDUSTRY_CODES = INDUSTRIES.map((i) => i.code) as [string, ...string[]];
export const industryName = (code: string) => INDUSTRIES.find((i) => i.code === code)?.name ?? code;

/**
 * The industry of enforcement units 执法单位 (decision 0029): organizations kept as enterprise rows so their people
 * learn through the same machinery, but not enterprises under supervision, so enterprise lists and counts leave them out.
 */
export const ENFORCEMENT_INDUSTRY = "law_enforcement";
