import { sql, type Kysely, type Transaction } from "kysely";
import { todayIso } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import type { Database, Post } from "../../../db/types";

type Db = Kysely<Database> | Transaction<Database>;
export { todayIso };

/** Which posts of an enterprise must hold which certificate kind (industry-specific rows beat '*'). */
export async function requirementsFor(q: Db, industryCode: string) {
  const rows = await q
    .selectFrom("certificate_requirement")
    .selectAll()
    .where("industry_code", "in", [industryCode, "*"])
    .execute();
  const byPost = new Map<Post, (typeof rows)[number]>();
  for (const r of rows.sort((a, b) => (a.industry_code === "*" ? -1 : 1) - (b.industry_code === "*" ? -1 : 1)))
    byPost.set(r.post, r);
  return byPost;
}

/** Recount one enterprise in a transaction of its own (the daily sweep, a bulk load). */
export async function refreshEnterprise(enterpriseId: number, today = todayIso()) {
  await db.transaction().execute((trx) => refreshEnterpriseIn(trx, enterpriseId, today));
}

/**
 * Recount one enterprise's certification (people in posts that require a certificate, and those holding a
 * valid one today) and apply the change to its row and to every ancestor region's row, in the caller's
 * transaction: the person or certificate change that caused it commits or rolls back with it.
 */
export async function refreshEnterpriseIn(trx: Transaction<Database>, enterpriseId: number, today = todayIso()) {
  {
    const e = await trx
      .selectFrom("enterprise")
      .select(["id", "region_path", "industry_code"])
      .where("id", "=", enterpriseId)
      .executeTakeFirstOrThrow();
    const reqs = await requirementsFor(trx, e.industry_code);
    const old = new Map(
      (
        await trx
          .selectFrom("cert_summary_enterprise")
          .select(["post", "required", "holding"])
          .where("enterprise_id", "=", enterpriseId)
          .forUpdate()
          .execute()
      ).map((r) => [r.post, r]),
    );
    const fresh = new Map<Post, { required: number; holding: number }>();
    for (const [post, req] of reqs) {
      const row = await trx
        .selectFrom("person")
        .select([
          sql<number>`COUNT(*)`.as("required"),
          sql<number>`SUM(EXISTS (SELECT 1 FROM certificate c WHERE c.person_id = person.id AND c.kind = ${req.kind} AND c.valid_until >= ${today} AND c.valid_from <= ${today}))`.as(
            "holding",
          ),
        ])
        .where("enterprise_id", "=", enterpriseId)
        .where("post", "=", post)
        .where("active", "=", 1)
        .executeTakeFirstOrThrow();
      fresh.set(post, { required: Number(row.required), holding: Number(row.holding ?? 0) });
    }
    const ancestors = e.region_path.split("/").filter(Boolean).map(Number);
    for (const post of new Set<Post>([...old.keys(), ...fresh.keys()])) {
      const before = old.get(post) ?? { required: 0, holding: 0 };
      const after = fresh.get(post) ?? { required: 0, holding: 0 };
      const dr = after.required - before.required;
      const dh = after.holding - before.holding;
      await trx
        .insertInto("cert_summary_enterprise")
        .values({
          enterprise_id: enterpriseId,
          post,
          region_path: e.region_path,
          industry_code: e.industry_code,
          ...after,
        })
        .onDuplicateKeyUpdate({ ...after, region_path: e.region_path, industry_code: e.industry_code })
        .execute();
      if (dr === 0 && dh === 0) continue;
      for (const regionId of ancestors) {
        await sql`INSERT INTO cert_summary_region (region_id, post, industry_code, required, holding) VALUES (${regionId}, ${post}, ${e.industry_code}, ${dr}, ${dh})
          ON DUPLICATE KEY UPDATE required = required + ${dr}, holding = holding + ${dh}`.execute(trx);
      }
    }
  }
}

/**
 * An enterprise moved region or changed industry (in the caller's transaction, before the enterprise row changes
 * is fine): its certificates follow, and its counts leave the old region's ancestors for the new ones. A changed
 * industry may change who must hold what: call refreshEnterpriseIn() after the enterprise row changed.
 */
export async function moveEnterpriseCertification(
  trx: Transaction<Database>,
  enterpriseId: number,
  to: { regionPath: string; industryCode: string },
) {
  await trx
    .updateTable("certificate")
    .set({ region_path: to.regionPath })
    .where("enterprise_id", "=", enterpriseId)
    .execute();
  const rows = await trx
    .selectFrom("cert_summary_enterprise")
    .selectAll()
    .where("enterprise_id", "=", enterpriseId)
    .forUpdate()
    .execute();
  const ancestors = (path: string) => path.split("/").filter(Boolean).map(Number);
  for (const r of rows) {
    for (const [path, industry, sign] of [
      [r.region_path, r.industry_code, -1],
      [to.regionPath, to.industryCode, 1],
    ] as const) {
      for (const regionId of ancestors(path)) {
        await sql`INSERT INTO cert_summary_region (region_id, post, industry_code, required, holding) VALUES (${regionId}, ${r.post}, ${industry}, ${sign * r.required}, ${sign * r.holding})
          ON DUPLICATE KEY UPDATE required = required + ${sign * r.required}, holding = holding + ${sign * r.holding}`.execute(
          trx,
        );
      }
    }
  }
  await trx
    .updateTable("cert_summary_enterprise")
    .set({ region_path: to.regionPath, industry_code: to.industryCode })
    .where("enterprise_id", "=", enterpriseId)
    .execute();
}

/** Recompute every summary from scratch (after a bulk load), set-based. */
export async function rebuildSummaries(q: Kysely<Database> = db, today = todayIso()) {
  await sql`DELETE FROM cert_summary_enterprise`.execute(q);
  await sql`DELETE FROM cert_summary_region`.execute(q);
  await sql`INSERT INTO cert_summary_enterprise (enterprise_id, post, region_path, industry_code, required, holding)
    SELECT e.id, p.post, e.region_path, e.industry_code, COUNT(*),
      SUM(EXISTS (SELECT 1 FROM certificate c WHERE c.person_id = p.id AND c.kind = r.kind AND c.valid_until >= ${today} AND c.valid_from <= ${today}))
    FROM enterprise e
    JOIN person p ON p.enterprise_id = e.id AND p.active = 1
    JOIN certificate_requirement r ON r.post = p.post AND r.industry_code = (
      SELECT r2.industry_code FROM certificate_requirement r2 WHERE r2.post = p.post AND r2.industry_code IN (e.industry_code, '*')
      ORDER BY r2.industry_code = '*' LIMIT 1)
    GROUP BY e.id, p.post, e.region_path, e.industry_code`.execute(q);
  const rows = await q.selectFrom("cert_summary_enterprise").selectAll().execute();
  const totals = new Map<
    string,
    { region_id: number; post: Post; industry_code: string; required: number; holding: number }
  >();
  for (const r of rows) {
    for (const regionId of r.region_path.split("/").filter(Boolean).map(Number)) {
      const key = `${regionId}|${r.post}|${r.industry_code}`;
      const t = totals.get(key) ?? {
        region_id: regionId,
        post: r.post,
        industry_code: r.industry_code,
        required: 0,
        holding: 0,
      };
      t.required += r.required;
      t.holding += r.holding;
      totals.set(key, t);
    }
  }
  const list = [...totals.values()];
  for (let i = 0; i < list.length; i += 2000)
    await q
      .insertInto("cert_summary_region")
      .values(list.slice(i, i + 2000))
      .execute();
}

/**
 * Once a day (any process; the job_state row makes it once): recount enterprises whose certificates lapsed
 * since the last run, and on a new month keep a snapshot of every region's rate for the trend.
 */
export async function dailyCertificationSweep(today = todayIso()) {
  const state = await db.selectFrom("job_state").select("value").where("name", "=", "cert_sweep").executeTakeFirst();
  const last = state?.value ?? today;
  if (state && last >= today) return 0;
  const claimed = state
    ? await db
        .updateTable("job_state")
        .set({ value: today })
        .where("name", "=", "cert_sweep")
        .where("value", "=", last)
        .executeTakeFirst()
    : await sql`INSERT IGNORE INTO job_state (name, value) VALUES ('cert_sweep', ${today})`
        .execute(db)
        .then((r) => ({ numUpdatedRows: r.numAffectedRows }));
  if (Number(claimed.numUpdatedRows ?? 0) === 0) return 0;
  const lapsed = await db
    .selectFrom("certificate")
    .select("enterprise_id")
    .distinct()
    .where("valid_until", ">=", last === today ? today : last)
    .where("valid_until", "<", today)
    .execute();
  for (const { enterprise_id } of lapsed) await refreshEnterprise(enterprise_id, today);
  if (last.slice(0, 7) !== today.slice(0, 7) || !state) await snapshotMonth(today.slice(0, 7));
  return lapsed.length;
}

export async function snapshotMonth(month: string, q: Kysely<Database> = db) {
  await sql`INSERT INTO cert_summary_month (month, region_id, required, holding)
    SELECT ${month}, region_id, SUM(required), SUM(holding) FROM cert_summary_region GROUP BY region_id
    ON DUPLICATE KEY UPDATE required = VALUES(required), holding = VALUES(holding)`.execute(q);
}
