import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams, Link } from "@remix-run/react";
import { Pager } from "~/components/form";
import { can, listScope } from "~/modules/auth/policy";
import { requireActor } from "~/modules/auth/session.server";
import { POST_LABELS, POSTS } from "~/modules/org/labels";
import { listPeople } from "~/modules/org/people.server";
import { listQueryOf } from "~/modules/org/schema";
import { pageParamsOf } from "~/lib/paging";

export const meta: MetaFunction = () => [{ title: "人员 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const url = new URL(request.url);
  const page = await listPeople(listScope(actor), listQueryOf(url), pageParamsOf(url));
  return {
    ...page,
    canManage: can(actor, "create", { type: "people", enterpriseId: actor.enterpriseId ?? 0, regionPath: "" }),
  };
}

export default function People() {
  const { rows, next, prev, canManage } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <>
      <h1>人员</h1>
      {canManage ? (
        <div className="actions">
          <Link className="button" to="/people/new">
            新增人员
          </Link>
          <Link className="button secondary" to="/people/import">
            从 Excel 导入
          </Link>
        </div>
      ) : null}
      <Form method="get" className="filters" role="search">
        <input
          name="q"
          aria-label="姓名或身份证号"
          placeholder="姓名（开头）或完整身份证号"
          defaultValue={search.get("q") ?? ""}
        />
        <select name="post" aria-label="岗位" defaultValue={search.get("post") ?? ""}>
          <option value="">全部岗位</option>
          {POSTS.map((p) => (
            <option key={p} value={p}>
              {POST_LABELS[p]}
            </option>
          ))}
        </select>
        <button type="submit">查询</button>
      </Form>
      <div className="table-wrap">
        <table className="responsive">
          <thead>
            <tr>
              <th>姓名</th>
              <th>岗位</th>
              <th>身份证号</th>
              <th>单位</th>
              <th>状态</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.id}>
                <td data-label="姓名">
                  <Link to={`/people/${p.id}`}>{p.name}</Link>
                </td>
                <td data-label="岗位">{POST_LABELS[p.post]}</td>
                <td data-label="身份证号">{p.id_number_masked}</td>
                <td data-label="单位">{p.enterprise_name}</td>
                <td data-label="状态">
                  {p.active ? <span className="badge ok">在职</span> : <span className="badge">已停用</span>}
                </td>
              </tr>
            ))}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  没有符合条件的人员。
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
