import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams, Link } from "@remix-run/react";
import { Pager } from "~/components/form";
import { forbidden } from "~/lib/http";
import { can, listScope } from "~/modules/auth/policy";
import { requireActor } from "~/modules/auth/session.server";
import { listEnterprises } from "~/modules/org/enterprises.server";
import { industryName, INDUSTRIES, RISK_LABELS } from "~/modules/org/labels";
import { pageParamsOf } from "~/lib/paging";
import { listQueryOf } from "~/modules/org/schema";

export const meta: MetaFunction = () => [{ title: "企业 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const scope = listScope(actor);
  if (scope.kind === "person") forbidden("从业人员不能浏览企业名录。");
  const url = new URL(request.url);
  return {
    ...(await listEnterprises(scope, listQueryOf(url), pageParamsOf(url))),
    canCreate: can(actor, "create", { type: "reference_data" }),
  };
}

export default function Enterprises() {
  const { rows, next, prev, canCreate } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <>
      <h1>企业</h1>
      {canCreate ? (
        <div className="actions">
          <Link className="button" to="/enterprises/new">
            新增企业
          </Link>
        </div>
      ) : null}
      <Form method="get" className="filters" role="search">
        <input
          name="q"
          aria-label="企业名称或统一社会信用代码"
          placeholder="企业名称或统一社会信用代码"
          defaultValue={search.get("q") ?? ""}
        />
        <select name="industry" aria-label="行业" defaultValue={search.get("industry") ?? ""}>
          <option value="">全部行业</option>
          {INDUSTRIES.map((i) => (
            <option key={i.code} value={i.code}>
              {i.name}
            </option>
          ))}
        </select>
        <button type="submit">查询</button>
      </Form>
      <div className="table-wrap">
        <table className="responsive">
          <thead>
            <tr>
              <th>企业名称</th>
              <th>统一社会信用代码</th>
              <th>行业</th>
              <th>区域</th>
              <th>风险等级</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.id}>
                <td data-label="企业">
                  <Link to={`/enterprises/${e.id}`}>{e.name}</Link>
                  {e.active ? null : <span className="badge"> 已停用</span>}
                </td>
                <td data-label="信用代码">{e.uscc}</td>
                <td data-label="行业">{industryName(e.industry_code)}</td>
                <td data-label="区域">{e.region_name}</td>
                <td data-label="风险">
                  <span className={`risk-${e.risk_level}`}>{RISK_LABELS[e.risk_level]}</span>
                </td>
              </tr>
            ))}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  没有符合条件的企业。
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <Pager next={next} prev={prev} search={search} />
    </>
  );
}
