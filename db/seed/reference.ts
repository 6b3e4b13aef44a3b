import type { Kysely } from "kysely";
import type { Database, Post } from "../types";
import { INDUSTRIES } from "../../app/modules/org/labels";

/**
 * Default training-hours rules (DOMAIN.md; 《生产经营单位安全培训规定》). Inserted only when missing, so an admin's
 * later edits survive re-seeding.
 */
const HOURS_RULES: { post: Post; highRisk: boolean; phase: "initial" | "annual"; hours: number; basis: string }[] = [];
for (const post of ["principal", "safety_manager"] as const) {
  HOURS_RULES.push(
    { post, highRisk: false, phase: "initial", hours: 32, basis: "《生产经营单位安全培训规定》第九条：初次安全培训不少于 32 学时" },
    { post, highRisk: false, phase: "annual", hours: 12, basis: "《生产经营单位安全培训规定》第九条：每年再培训不少于 12 学时" },
    { post, highRisk: true, phase: "initial", hours: 48, basis: "《生产经营单位安全培训规定》第九条：高危行业初次培训不少于 48 学时" },
    { post, highRisk: true, phase: "annual", hours: 16, basis: "《生产经营单位安全培训规定》第九条：高危行业每年再培训不少于 16 学时" },
  );
}
for (const post of ["special_operator", "worker"] as const) {
  HOURS_RULES.push(
    { post, highRisk: false, phase: "initial", hours: 24, basis: "《生产经营单位安全培训规定》第十三条：新上岗从业人员岗前培训不少于 24 学时" },
    { post, highRisk: false, phase: "annual", hours: 20, basis: "《生产经营单位安全培训规定》：每年再培训（待核实，实践中常按不少于 20 学时）" },
    { post, highRisk: true, phase: "initial", hours: 72, basis: "《生产经营单位安全培训规定》第十三条：高危行业新上岗从业人员不少于 72 学时" },
    { post, highRisk: true, phase: "annual", hours: 20, basis: "《生产经营单位安全培训规定》第十三条：高危行业每年再培训不少于 20 学时" },
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
    await db.insertInto("training_hours_rule")
      .values({ post: r.post, high_risk: r.highRisk ? 1 : 0, phase: r.phase, hours: r.hours, basis: r.basis })
      .onDuplicateKeyUpdate({ post: r.post })
      .execute();
  }
  // Who must hold what (Work Safety Law Art. 27 and 30); admins may change these rows.
  const art27 = ["hazardous_chemicals", "non_coal_mining", "coal_mining", "metallurgy", "fireworks", "construction", "transport"];
  const requirements = [
    ...art27.flatMap((industry) => (["principal", "safety_manager"] as const).map((post) => ({
      post, industry_code: industry, kind: "principal_manager" as const,
      basis: "《中华人民共和国安全生产法》第二十七条：高危行业主要负责人和安全生产管理人员须经考核合格",
    }))),
    { post: "special_operator" as const, industry_code: "*", kind: "special_operation" as const, basis: "《中华人民共和国安全生产法》第三十条：特种作业人员须取得相应资格方可上岗作业" },
  ];
  for (const r of requirements) {
    await db.insertInto("certificate_requirement").values(r).onDuplicateKeyUpdate({ post: r.post }).execute();
  }
}
