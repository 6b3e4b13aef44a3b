import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams, Link } from "@remix-run/react";
import { requireActor } from "~/modules/auth/session.server";
import { alertsFor } from "~/modules/certification/access.server";
import { POST_LABELS } from "~/modules/org/labels";

export const meta: MetaFunction = () => [{ title: "证书预警 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return alertsFor(await requireActor(request), new URL(request.url));
}

export default function Alerts() {
  const { q, rows } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const titles = {
    "90": "90 天内需复审或到期",
    "30": "30 天内需复审或到期",
    overdue: "已逾期（近一年内失效且未换证）",
  };
  return (
    <>
      <h1>证书预警：{titles[q.window]}</h1>
      <Form method="get" className="filters">
        {q.enterpriseId ? <input type="hidden" name="enterpriseId" value={q.enterpriseId} /> : null}
        {q.regionId ? <input type="hidden" name="regionId" value={q.regionId} /> : null}
        <select name="window" aria-label="时间范围" defaultValue={q.window}>
          <option value="90">90 天内</option>
          <option value="30">30 天内</option>
          <option value="overdue">已逾期</option>
        </select>
        <button type="submit">查看</button>
        <a className="button secondary" href={`/certification/alerts/export?${search.toString()}`} download>
          导出 Excel
        </a>
      </Form>
      <table className="responsive">
        <thead>
          <tr>
            <th>姓名</th>
            <th>单位</th>
            <th>证书</th>
            <th>应复审</th>
            <th>有效期至</th>
            <th>状态</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td data-label="姓名">
                <Link to={`/people/${r.person_id}`}>{r.name}</Link>
                <div className="small muted">{POST_LABELS[r.post]}</div>
              </td>
              <td data-label="单位">{r.enterprise_name}</td>
              <td data-label="证书" className="small">
                {r.kindLabel}
                {r.item ? ` · ${r.item}` : ""}
                <div className="muted">{r.number}</div>
              </td>
              <td data-label="应复审">{r.review_due_on ?? "—"}</td>
              <td data-label="有效期至">{r.expires_on}</td>
              <td data-label="状态">
                <span className="badge warn">{r.status}</span>
              </td>
            </tr>
          ))}
          {rows.length === 0 ? (
            <tr>
              <td colSpan={6} className="muted">
                没有需要处理的证书。
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </>
  );
}
