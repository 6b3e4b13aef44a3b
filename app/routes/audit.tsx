import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatInstant } from "~/lib/calendar";
import { z } from "~/lib/validation";
import { listAudit } from "~/modules/audit/audit.server";
import { authorize, requireActor } from "~/modules/auth/session.server";

export const meta: MetaFunction = () => [{ title: "审计日志 · 安训" }];

const Query = z.object({
  entityType: z
    .string()
    .regex(/^[a-z_]{1,32}$/)
    .optional()
    .catch(undefined),
  entityId: z.string().max(64).optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  authorize(actor, "view", { type: "audit_log" });
  const q = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  return listAudit({ entityType: q.entityType, entityId: q.entityId, beforeId: q.before, limit: 50 });
}

export default function Audit() {
  const { rows, hasMore } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>审计日志</h1>
      <p className="muted">账号、角色、权限及档案的每一次变更：谁、何时、改了什么（前 / 后）。</p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>时间 (UTC)</th>
              <th>操作人</th>
              <th>操作</th>
              <th>对象</th>
              <th>变更前</th>
              <th>变更后</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td className="small">{formatInstant(r.at, true)}</td>
                <td>{r.actor_name ?? "系统"}</td>
                <td>
                  <code>{r.action}</code>
                </td>
                <td>
                  {r.entity_type} #{r.entity_id}
                </td>
                <td className="small">
                  <code>{r.before_json}</code>
                </td>
                <td className="small">
                  <code>{r.after_json}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {hasMore ? (
        <p className="pager">
          <a href={`?before=${rows[rows.length - 1].id}`}>更早的记录</a>
        </p>
      ) : null}
    </>
  );
}
