import type { Kysely } from "kysely";
import type { Database } from "../types";
import { INDUSTRIES } from "../../app/modules/org/labels";

/** Reference data every installation needs; safe to run again (upsert). */
export async function seedReference(db: Kysely<Database>) {
  for (const [sort, industry] of INDUSTRIES.entries()) {
    await db
      .insertInto("industry")
      .values({ code: industry.code, name: industry.name, high_risk: industry.highRisk ? 1 : 0, sort })
      .onDuplicateKeyUpdate({ name: industry.name, high_risk: industry.highRisk ? 1 : 0, sort })
      .execute();
  }
}
