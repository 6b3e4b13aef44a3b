import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageParamsOf } from "~/lib/paging";
import { Form, useLoaderData, useSearchParams, Link } from "@remix-run/react";
import { Pager } from "~/components/form";
import { listAccounts } from "~/modules/auth/accounts.server";
import { listScope } from "~/modules/auth/policy";
import { AccountListQuery } from "~/modules/auth/schema";
import { authorize, requireActor } from "~/modules/auth/session.server";
import { ROLE_LABELS, ROLES } from "~/modules/org/labels";

export const meta: MetaFunction = () => [{ title: "账号 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const scope = listScope(actor);
  // Admins see every account; officers the worker accounts of their enterprise (listScope narrows the rows).
  authorize(actor, "view", { type: "account", role: "worker", enterpriseId: actor.enterpriseId });
  const url = new URL(request.url);
  const query = AccountListQuery.parse(Object.fromEntries(url.searchParams));
  return listAccounts(scope, query, pageParamsOf(url));
}

export default function Accounts() {
  const { rows, next, prev } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <>
      <h1>账号</h1>
      <div className="actions">
        <Link className="button" to="/accounts/new">
          新增账号
        </Link>
      </div>
      <Form method="get" className="filters" role="search">
        <input name="q" aria-label="用户名" placeholder="用户名（开头）" defaultValue={search.get("q") ?? ""} />
        <select name="role" aria-label="角色" defaultValue={search.get("role") ?? ""}>
          <option value="">全部角色</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
        <button type="submit">查询</button>
      </Form>
      <div className="table-wrap">
        <table className="responsive">
          <thead>
            <tr>
              <th>用户名</th>
              <th>显示名称</th>
              <th>角色</th>
              <th>范围</th>
              <th>状态</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => (
              <tr key={u.id}>
                <td data-label="用户名">
                  <Link to={`/accounts/${u.id}`}>{u.username}</Link>
                </td>
                <td data-label="名称">{u.display_name}</td>
                <td data-label="角色">{ROLE_LABELS[u.role]}</td>
                <td data-label="范围">{u.enterprise_name ?? u.region_name ?? "全部"}</td>
                <td data-label="状态">
                  {u.active ? <span className="badge ok">启用</span> : <span className="badge">停用</span>}
                </td>
              </tr>
            ))}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  没有账号。
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
