import { sql } from "kysely";
import { lastMonths } from "../../lib/calendar";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import type { Post } from "../../../db/types";
import { workbookBuffer } from "../../lib/excel.server";
import { industryName, POST_LABELS } from "../org/labels";
import { addDays, certificateStatus, KIND_LABELS, rate, STATUS_LABELS } from "./rules";
import { requirementsFor, todayIso } from "./summary.server";

const sum = (rows: { required: number; holding: number }[]) =>
  rows.reduce((a, r) => ({ required: a.required + r.required, holding: a.holding + r.holding }), {
    required: 0,
    holding: 0,
  });

/** A region's certification rate, by post and industry, its sub-regions (or towns' enterprises) and its monthly trend. */
export async function regionRates(regionId: number) {
  const region = await db
    .selectFrom("region")
    .select(["id", "name", "path", "level", "parent_id"])
    .where("id", "=", regionId)
    .executeTakeFirstOrThrow();
  const own = await db.selectFrom("cert_summary_region").selectAll().where("region_id", "=", regionId).execute();
  const children = await db
    .selectFrom("region")
    .select(["id", "name"])
    .where("parent_id", "=", regionId)
    .orderBy("id")
    .execute();
  const childRows = children.length
    ? await db
        .selectFrom("cert_summary_region")
        .select(["region_id", sql<number>`SUM(required)`.as("required"), sql<number>`SUM(holding)`.as("holding")])
        .where(
          "region_id",
          "in",
          children.map((c) => c.id),
        )
        .groupBy("region_id")
        .execute()
    : [];
  const byChild = new Map(
    childRows.map((r) => [r.region_id, { required: Number(r.required), holding: Number(r.holding) }]),
  );
  const enterprises = children.length
    ? []
    : await db
        .selectFrom("cert_summary_enterprise")
        .innerJoin("enterprise", "enterprise.id", "cert_summary_enterprise.enterprise_id")
        .select([
          "enterprise.id",
          "enterprise.name",
          sql<number>`SUM(required)`.as("required"),
          sql<number>`SUM(holding)`.as("holding"),
        ])
        .where("cert_summary_enterprise.region_path", "=", region.path)
        .groupBy(["enterprise.id", "enterprise.name"])
        .having(sql`SUM(required)`, ">", 0)
        .orderBy(sql`SUM(holding) / SUM(required)`)
        .limit(500)
        .execute();
  const months = lastMonths(now(), 12);
  const snapshots = await db
    .selectFrom("cert_summary_month")
    .select(["month", "required", "holding"])
    .where("region_id", "=", regionId)
    .where("month", ">=", months[0])
    .where("month", "<", months[months.length - 1])
    .execute();
  const snapshotOf = new Map(snapshots.map((t) => [t.month, rate(t.holding, t.required)]));
  const group = <K extends "post" | "industry_code">(k: K) => {
    const m = new Map<string, { required: number; holding: number }>();
    for (const r of own) m.set(r[k], sum([m.get(r[k]) ?? { required: 0, holding: 0 }, r]));
    return [...m.entries()].map(([key, v]) => ({
      key,
      label: k === "post" ? POST_LABELS[key as Post] : industryName(key),
      ...v,
      rate: rate(v.holding, v.required),
    }));
  };
  const total = sum(own);
  return {
    region,
    total: { ...total, rate: rate(total.holding, total.required) },
    byPost: group("post"),
    byIndustry: group("industry_code"),
    children: children.map((c) => {
      const v = byChild.get(c.id) ?? { required: 0, holding: 0 };
      return { id: c.id, name: c.name, ...v, rate: rate(v.holding, v.required) };
    }),
    enterprises: enterprises.map((e) => ({
      id: e.id,
      name: e.name,
      required: Number(e.required),
      holding: Number(e.holding),
      rate: rate(Number(e.holding), Number(e.required)),
    })),
    // Twelve months: past months from their snapshots, this month from the same read as the headline (one number on one page).
    trend: months.map((month, i) => ({
      month,
      rate: i === months.length - 1 ? rate(total.holding, total.required) : (snapshotOf.get(month) ?? null),
    })),
  };
}

/** An enterprise's rate by post, and every person in a post that requires a certificate, with their status. */
export async function enterpriseRates(enterpriseId: number) {
  const e = await db
    .selectFrom("enterprise")
    .select(["id", "name", "industry_code", "region_id"])
    .where("id", "=", enterpriseId)
    .executeTakeFirstOrThrow();
  const reqs = await requirementsFor(db, e.industry_code);
  const summary = await db
    .selectFrom("cert_summary_enterprise")
    .selectAll()
    .where("enterprise_id", "=", enterpriseId)
    .execute();
  const posts = [...reqs.keys()];
  const people = posts.length
    ? await db
        .selectFrom("person")
        .select(["id", "name", "post"])
        .where("enterprise_id", "=", enterpriseId)
        .where("active", "=", 1)
        .where("post", "in", posts)
        .orderBy("post")
        .orderBy("id")
        .execute()
    : [];
  const certs = people.length
    ? await db
        .selectFrom("certificate")
        .selectAll()
        .where(
          "person_id",
          "in",
          people.map((p) => p.id),
        )
        .execute()
    : [];
  const today = todayIso();
  const list = people.map((p) => {
    const kind = reqs.get(p.post)!.kind;
    const mine = certs
      .filter((c) => c.person_id === p.id && c.kind === kind)
      .map((c) => ({ ...c, status: certificateStatus(c, today) }))
      .sort((a, b) => b.valid_until.localeCompare(a.valid_until));
    const best = mine[0];
    const holds = Boolean(best && best.valid_until >= today && best.valid_from <= today);
    return {
      id: p.id,
      name: p.name,
      post: p.post,
      kind: KIND_LABELS[kind],
      holds,
      status: best ? STATUS_LABELS[best.status] : "无证",
      validUntil: best?.valid_until ?? null,
    };
  });
  const total = sum(summary);
  return {
    enterprise: e,
    total: { ...total, rate: rate(total.holding, total.required) },
    byPost: summary.map((s) => ({
      key: s.post,
      label: POST_LABELS[s.post],
      required: s.required,
      holding: s.holding,
      rate: rate(s.holding, s.required),
    })),
    people: list.sort((a, b) => Number(a.holds) - Number(b.holds)),
    requirements: [...reqs.values()].map((r) => ({
      post: POST_LABELS[r.post],
      kind: KIND_LABELS[r.kind],
      basis: r.basis,
    })),
  };
}

export type AlertWindow = "90" | "30" | "overdue";

/** Certificates whose review or expiry falls in the window (or that lapsed in the last year), soonest first. */
export async function certificateAlerts(
  scope: { enterpriseId: number } | { regionPath: string },
  window: AlertWindow,
  limit = 200,
) {
  const today = todayIso();
  let q = db
    .selectFrom("certificate")
    .innerJoin("person", "person.id", "certificate.person_id")
    .innerJoin("enterprise", "enterprise.id", "certificate.enterprise_id")
    .select([
      "certificate.id",
      "certificate.kind",
      "certificate.number",
      "certificate.category",
      "certificate.item",
      "certificate.expires_on",
      "certificate.review_due_on",
      "certificate.revoked_on",
      "certificate.valid_until",
      "person.id as person_id",
      "person.name",
      "person.post",
      "enterprise.name as enterprise_name",
    ])
    .where("person.active", "=", 1)
    .where("certificate.revoked_on", "is", null)
    .orderBy("certificate.valid_until")
    .limit(limit);
  q =
    window === "overdue"
      ? q
          .where("certificate.valid_until", "<", today)
          .where("certificate.valid_until", ">=", addDays(today, -365))
          // Only if no newer certificate of the same kind is held today.
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom("certificate as c2")
                  .select("c2.id")
                  .whereRef("c2.person_id", "=", "certificate.person_id")
                  .whereRef("c2.kind", "=", "certificate.kind")
                  .where("c2.valid_until", ">=", today),
              ),
            ),
          )
      : q
          .where("certificate.valid_until", ">=", today)
          .where("certificate.valid_until", "<=", addDays(today, Number(window)));
  q =
    "enterpriseId" in scope
      ? q.where("certificate.enterprise_id", "=", scope.enterpriseId)
      : q.where("certificate.region_path", "like", `${scope.regionPath}%`);
  return (await q.execute()).map((c) => ({
    ...c,
    status: STATUS_LABELS[certificateStatus(c, today)],
    kindLabel: KIND_LABELS[c.kind],
  }));
}

export async function alertsWorkbook(rows: Awaited<ReturnType<typeof certificateAlerts>>) {
  return workbookBuffer(
    "证书预警",
    [
      { header: "单位", width: 28 },
      { header: "姓名", width: 10 },
      { header: "岗位", width: 16 },
      { header: "证书", width: 28 },
      { header: "作业类别/准操项目", width: 28 },
      { header: "证书编号", width: 22 },
      { header: "应复审", width: 12 },
      { header: "有效期至", width: 12 },
      { header: "状态", width: 12 },
    ],
    rows.map((r) => [
      r.enterprise_name,
      r.name,
      POST_LABELS[r.post],
      r.kindLabel,
      [r.category, r.item].filter(Boolean).join(" / "),
      r.number,
      r.review_due_on ?? "",
      r.expires_on,
      r.status,
    ]),
  );
}

/** Headline figures for one enterprise (inspector's profile, home pages): rate and alert counts. */
export async function certificationGlance(enterpriseId: number) {
  const today = todayIso();
  const [summary, soon, overdue] = await Promise.all([
    db
      .selectFrom("cert_summary_enterprise")
      .select([
        sql<number>`COALESCE(SUM(required), 0)`.as("required"),
        sql<number>`COALESCE(SUM(holding), 0)`.as("holding"),
      ])
      .where("enterprise_id", "=", enterpriseId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("certificate")
      .select(sql<number>`COUNT(*)`.as("n"))
      .where("enterprise_id", "=", enterpriseId)
      .where("valid_until", ">=", today)
      .where("valid_until", "<=", addDays(today, 90))
      .where("revoked_on", "is", null)
      .executeTakeFirstOrThrow(),
    certificateAlerts({ enterpriseId }, "overdue", 1000),
  ]);
  const required = Number(summary.required);
  const holding = Number(summary.holding);
  return { required, holding, rate: rate(holding, required), dueIn90: Number(soon.n), overdue: overdue.length };
}
