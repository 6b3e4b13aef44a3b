import { ENFORCEMENT_INDUSTRY } from "./labels";
import { listScope } from "../auth/policy";
import { sql } from "kysely";
import { db } from "../../lib/db.server";
import type { Actor } from "../auth/policy";
import { headcountByPost } from "./enterprises.server";

/** Enterprises of a region subtree by risk level and by industry: two grouped index ranges. */
export async function regionOverview(regionPath: string) {
  const [region, byRisk, byIndustry] = await Promise.all([
    db.selectFrom("region").select(["id", "name"]).where("path", "=", regionPath).executeTakeFirst(),
    db
      .selectFrom("enterprise")
      .select(["risk_level", sql<number>`COUNT(*)`.as("n")])
      .where("region_path", "like", `${regionPath}%`)
      .where("active", "=", 1)
      .where("industry_code", "<>", ENFORCEMENT_INDUSTRY)
      .groupBy("risk_level")
      .execute(),
    db
      .selectFrom("enterprise")
      .innerJoin("industry", "industry.code", "enterprise.industry_code")
      .select(["industry.name", sql<number>`COUNT(*)`.as("n")])
      .where("enterprise.region_path", "like", `${regionPath}%`)
      .where("enterprise.active", "=", 1)
      .where("enterprise.industry_code", "<>", ENFORCEMENT_INDUSTRY)
      .groupBy("industry.name")
      .orderBy("n", "desc")
      .execute(),
  ]);
  return {
    regionName: region?.name ?? "",
    enterprisesByRisk: Object.fromEntries(byRisk.map((r) => [r.risk_level, Number(r.n)])) as Record<string, number>,
    enterprisesByIndustry: byIndustry.map((r) => ({ name: r.name, count: Number(r.n) })),
  };
}

export async function enterpriseOverview(enterpriseId: number) {
  const enterprise = await db
    .selectFrom("enterprise")
    .select(["id", "name", "risk_level", "industry_code"])
    .where("id", "=", enterpriseId)
    .executeTakeFirst();
  return { enterprise, headcount: await headcountByPost(enterpriseId) };
}

export async function personOverview(personId: number) {
  return db
    .selectFrom("person")
    .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
    .select(["person.id", "person.name", "person.post", "person.hire_date", "enterprise.name as enterprise_name"])
    .where("person.id", "=", personId)
    .executeTakeFirst();
}

export async function adminOverview() {
  const count = (table: "region" | "enterprise" | "person" | "user") =>
    db
      .selectFrom(table)
      .select(sql<number>`COUNT(*)`.as("n"))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  const [regions, enterprises, accounts] = await Promise.all([count("region"), count("enterprise"), count("user")]);
  return { regions, enterprises, accounts };
}

/** The home page's facts for this actor's role. */
export async function homeFor(actor: Actor) {
  const scope = listScope(actor);
  switch (scope.kind) {
    case "person":
    case "none":
      return {
        kind: "worker" as const,
        person: scope.kind === "person" ? await personOverview(scope.personId) : undefined,
      };
    case "enterprise":
      return { kind: "enterprise" as const, ...(await enterpriseOverview(scope.enterpriseId)) };
    case "region":
      return { kind: "region" as const, ...(await regionOverview(scope.path)) };
    case "all":
      return { kind: "admin" as const, ...(await adminOverview()) };
  }
}

/** A person's name (the home page greets people with an account that is not a worker's by it). */
export async function personName(personId: number) {
  const row = await db.selectFrom("person").select("name").where("id", "=", personId).executeTakeFirst();
  return row?.name ?? null;
}
