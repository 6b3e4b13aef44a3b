import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { todayIso } from "~/lib/clock.server";
import { authorize, requireActor } from "~/modules/auth/session.server";
import { can } from "~/modules/auth/policy";
import { KIND_LABELS, type RegulationKind } from "~/modules/regulations/citations";
import { listRegulations } from "~/modules/regulations/regulations.server";
import { entryStatus, STATUS_LABELS } from "~/modules/regulations/rules";

export const meta: MetaFunction = () => [{ title: "法规库 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  authorize(actor, "view", { type: "regulation" });
  const today = todayIso();
  const rows = (await listRegulations()).map((r) => ({ ...r, status: entryStatus(r, today) }));
  return { rows, mayReview: can(actor, "view", { type: "content_review", owner: 0 }) };
}

export default function Regulations() {
  const { rows, mayReview } = useLoaderData<typeof loader>();
  const pending = rows.reduce((s, r) => s + r.pending, 0);
  return (
    <>
      <h1>法规库</h1>
      <p className="muted">
        课程和题目引用的法律、法规、规章、规范性文件和标准。法规废止、被取代或修订时，引用它的课程、课时和题目会被标记为「待复核」。
      </p>
      {mayReview ? (
        <p>
          <Link to="/regulations/review">待复核内容{pending ? `（${pending}）` : ""}</Link>
        </p>
      ) : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>名称</th>
              <th>类别</th>
              <th>文号 / 标准号</th>
              <th>施行</th>
              <th>状态</th>
              <th>引用</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.code} data-testid={`regulation-${r.code}`}>
                <td>
                  <Link to={`/regulations/${r.code}`}>《{r.name}》</Link>
                  {r.superseded_by ? <span className="small muted">（已被取代）</span> : null}
                </td>
                <td className="small">{KIND_LABELS[r.kind as RegulationKind] ?? r.kind}</td>
                <td className="small">{r.number ?? "—"}</td>
                <td className="small">{r.effective_on ?? "—"}</td>
                <td className="small">{STATUS_LABELS[r.status]}</td>
                <td className="small">
                  {r.cited}
                  {r.pending ? <strong> · 待复核 {r.pending}</strong> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
