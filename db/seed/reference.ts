import type { Kysely } from "kysely";
import type { Database, Post } from "../types";
import { INDUSTRIES } from "../../app/modules/org/labels";

/**
 * Default training-hours rules (docs/domain.md; 《生产经营单位安全培训规定》). Inserted only when missing, so an admin's
 * later edits survive re-seeding.
 */
const HOURS_RULES: { post: Post; highRisk: boolean; phase: "initial" | "annual"; hours: number; basis: string }[] = [];
for (const post of ["principal", "safety_manager"] as const) {
  HOURS_RULES.push(
    {
      post,
      highRisk: false,
      phase: "initial",
      hours: 32,
      basis: "《生产经营单位安全培训规定》第九条：初次安全培训不少于 32 学时",
    },
    {
      post,
      highRisk: false,
      phase: "annual",
      hours: 12,
      basis: "《生产经营单位安全培训规定》第九条：每年再培训不少于 12 学时",
    },
    {
      post,
      highRisk: true,
      phase: "initial",
      hours: 48,
      basis: "《生产经营单位安全培训规定》第九条：高危行业初次培训不少于 48 学时",
    },
    {
      post,
      highRisk: true,
      phase: "annual",
      hours: 16,
      basis: "《生产经营单位安全培训规定》第九条：高危行业每年再培训不少于 16 学时",
    },
  );
}
for (const post of ["special_operator", "worker"] as const) {
  HOURS_RULES.push(
    {
      post,
      highRisk: false,
      phase: "initial",
      hours: 24,
      basis: "《生产经营单位安全培训规定》第十三条：新上岗从业人员岗前培训不少于 24 学时",
    },
    // 20 学时 a year is the high-risk figure of 第十三条, not a national rule for everyone; the general yearly figure
    // is 8 学时 (安委〔2012〕10号; wording to be checked against the official text, see content/NOTES.md).
    {
      post,
      highRisk: false,
      phase: "annual",
      hours: 8,
      basis:
        "《国务院安委会关于进一步加强安全培训工作的决定》（安委〔2012〕10号）：一般从业人员每年再培训不少于 8 学时（原文待核对）",
    },
    {
      post,
      highRisk: true,
      phase: "initial",
      hours: 72,
      basis: "《生产经营单位安全培训规定》第十三条：高危行业新上岗从业人员不少于 72 学时",
    },
    {
      post,
      highRisk: true,
      phase: "annual",
      hours: 20,
      basis: "《生产经营单位安全培训规定》第十三条：高危行业每年再培训不少于 20 学时",
    },
  );
}

/** Reference data every installation needs; safe to run again (upsert). */
export async function seedReference(db: Kysely<Database>) {
  for (const [sort, industry] of INDUSTRIES.entries()) {
    await db
      .insertInto("industry")
      .values({ code: industry.code, name: industry.name, high_risk: industry.highRisk ? 1 : 0, sort })
      .onDuplicateKeyUpdate({ name: industry.name, high_risk: industry.highRisk ? 1 : 0, sort })
      .execute();
  }
  for (const r of HOURS_RULES) {
    await db
      .insertInto("training_hours_rule")
      .values({ post: r.post, high_risk: r.highRisk ? 1 : 0, phase: r.phase, hours: r.hours, basis: r.basis })
      .onDuplicateKeyUpdate({ post: r.post })
      .execute();
  }
  // Who must hold what (Work Safety Law Art. 27 and 30); admins may change these rows.
  const art27 = [
    "hazardous_chemicals",
    "non_coal_mining",
    "coal_mining",
    "metallurgy",
    "fireworks",
    "construction",
    "transport",
  ];
  const requirements = [
    ...art27.flatMap((industry) =>
      (["principal", "safety_manager"] as const).map((post) => ({
        post,
        industry_code: industry,
        kind: "principal_manager" as const,
        basis: "《中华人民共和国安全生产法》第二十七条：高危行业主要负责人和安全生产管理人员须经考核合格",
      })),
    ),
    {
      post: "special_operator" as const,
      industry_code: "*",
      kind: "special_operation" as const,
      basis: "《中华人民共和国安全生产法》第三十条：特种作业人员须取得相应资格方可上岗作业",
    },
  ];
  for (const r of requirements) {
    await db.insertInto("certificate_requirement").values(r).onDuplicateKeyUpdate({ post: r.post }).execute();
  }
  // Drill evaluation criteria after AQ/T 9009-2015 (preparation, then each part of the response); admins may change them.
  const hasCriteria = await db.selectFrom("evaluation_criterion").select("id").limit(1).executeTakeFirst();
  if (!hasCriteria) {
    await db
      .insertInto("evaluation_criterion")
      .values(EVALUATION_CRITERIA.map(([section, text], sort) => ({ section, text, sort })))
      .execute();
  }
}

export const EVALUATION_CRITERIA: [section: string, text: string][] = [
  ["演练准备", "演练方案和情景设计符合本单位风险实际，目标明确"],
  ["演练准备", "参演人员、物资装备、场地和通信准备到位"],
  ["演练准备", "演练安全保障措施落实，有中止演练的条件和程序"],
  ["预警与信息报告", "发现险情后及时报警，预警信息发布准确"],
  ["预警与信息报告", "信息报告内容完整，报告程序和时限符合预案"],
  ["应急响应", "按预案及时启动相应级别的应急响应"],
  ["指挥与协调", "应急指挥部及时成立，职责分工明确"],
  ["指挥与协调", "决策指挥正确，各应急小组协调有序"],
  ["应急通讯", "通讯联络畅通，指令和信息传递准确及时"],
  ["现场处置", "现场警戒、隔离和交通管控到位"],
  ["现场处置", "处置措施正确，个人防护用品使用规范"],
  ["现场处置", "应急装备、器材使用熟练有效"],
  ["疏散与安置", "人员疏散路线正确，疏散及时有序"],
  ["疏散与安置", "人员清点准确，受伤人员得到及时救护"],
  ["后勤保障", "应急物资、医疗救护和后勤保障到位"],
  ["应急结束", "应急结束程序规范，现场恢复和善后安排妥当"],
];
