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
}
