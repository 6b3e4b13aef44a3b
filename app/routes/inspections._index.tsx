import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams, Link } from "@remix-run/react";
import { forbidden } from "~/lib/http";
import { can, listScope } from "~/modules/auth/policy";
import { requireActor } from "~/modules/auth/session.server";
import { recentInspections } from "~/modules/inspections/inspections.server";
import { listEnterprises } from "~/modules/org/enterprises.server";
import { industryName, RISK_LABELS } from "~/modules/org/labels";
import { listQueryOf } from "~/modules/org/schema";

export const meta: MetaFunction = () => [{ title: "执法检查 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const scope = listScope(actor);
  // Inspections are a regional activity: inspectors run them, regulators and admins read them.
  if (scope.kind !== "region" && scope.kind !== "all") forbidden("执法检查仅供监管部门使用。");
  const query = listQueryOf(new URL(request.url));
  const [found, recent] = await Promise.all([
    query.q
      ? listEnterprises(scope, query, { after: undefined, before: undefined })
      : Promise.resolve({ rows: [], next: null, prev: null }),
    recentInspections(scope.kind === "region" ? scope.path : null),
  ]);
  // Each found enterprise says whether this actor may inspect it (the same check as /inspections/new).
  const rows = found.rows.map((e) => ({
    ...e,
    canInspect: can(actor, "inspect", { type: "enterprise", id: e.id, regionPath: e.region_path }),
  }));
  return { found: rows, recent, searched: Boolean(query.q) };
}

export default function Inspections() {
  const { found, recent, searched } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <>
      <h1>执法检查</h1>
      <Form method="get" className="filters" role="search">
        <input
          name="q"
          aria-label="企业名称或统一社会信用代码"
          placeholder="企业名称或统一社会信用代码"
          defaultValue={search.get("q") ?? ""}
        />
        <button type="submit">查找企业</button>
      </Form>
      {searched ? (
        <ul className="lesson-list" aria-label="查找结果">
          {found.map((e) => (
            <li key={e.id}>
              <span>
                <strong>{e.name}</strong>
                <br />
                <span className="small muted">
                  {e.uscc} · {industryName(e.industry_code)} · {e.region_name} ·{" "}
                  <span className={`risk-${e.risk_level}`}>{RISK_LABELS[e.risk_level]}</span>
                </span>
              </span>
              {e.canInspect ? (
                <Link className="button" to={`/inspections/new?enterpriseId=${e.id}`}>
                  开始检查
                </Link>
              ) : (
                <Link to={`/enterprises/${e.id}`}>查看</Link>
              )}
            </li>
          ))}
          {found.length === 0 ? <li className="muted">辖区内没有找到该企业。</li> : null}
        </ul>
      ) : null}
      <h2>最近的检查</h2>
      <ul className="lesson-list">
        {recent.map((i) => (
          <li key={i.id}>
            <Link to={`/inspections/${i.id}`}>{i.enterprise_name}</Link>
            <span className="small muted">
              {i.inspected_on} · {i.inspectors}
            </span>
          </li>
        ))}
        {recent.length === 0 ? <li className="muted">暂无检查记录。</li> : null}
      </ul>
    </>
  );
}
