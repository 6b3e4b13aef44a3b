import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, Link } from "@remix-run/react";
import { can } from "~/modules/auth/policy";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedEnterprise } from "~/modules/certification/access.server";
import { enterpriseRates } from "~/modules/certification/rates.server";
import { enterpriseHours } from "~/modules/courses/training.server";
import { POST_LABELS } from "~/modules/org/labels";

export const meta: MetaFunction = () => [{ title: "企业持证情况 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const enterprise = await authorizedEnterprise(actor, params.id);
  const [rates, hours] = await Promise.all([enterpriseRates(enterprise.id), enterpriseHours(enterprise.id)]);
  const certified = new Set(rates.people.map((p) => p.id));
  return {
    ...rates,
    // Re-training: certified-post people short of this year's hours.
    shortfall: hours.filter((h) => certified.has(h.id) && h.shortfall > 0),
    canImport: can(actor, "create", {
      type: "training",
      enterpriseId: enterprise.id,
      regionPath: enterprise.regionPath,
    }),
    canExportFullIds: can(actor, "view", { type: "full_id_numbers", enterpriseId: enterprise.id }),
  };
}

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

export default function EnterpriseCertification() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <h1>持证情况：{d.enterprise.name}</h1>
      <section className="card">
        <div className="stat" data-testid="enterprise-rate">
          {pct(d.total.rate)}
        </div>
        <div className="stat-label">
          应持证 {d.total.required} 人，持有效证书 {d.total.holding} 人
        </div>
        <ul className="small">
          {d.byPost.map((p) => (
            <li key={p.key}>
              {p.label}：{pct(p.rate)}（{p.holding}/{p.required}）
            </li>
          ))}
        </ul>
        <div className="actions">
          {d.canImport ? (
            <Link className="button" to={`/certification/import?enterpriseId=${d.enterprise.id}`}>
              从 Excel 导入证书
            </Link>
          ) : null}
          <Link className="button secondary" to={`/certification/alerts?enterpriseId=${d.enterprise.id}&window=90`}>
            复审与到期预警
          </Link>
          {d.canExportFullIds ? (
            // A POST (it is audited), answered with the file: reloadDocument lets the browser download it.
            <Form method="post" action={`/certification/export?enterpriseId=${d.enterprise.id}`} reloadDocument>
              <button type="submit" className="secondary" data-testid="export-editable-ledger">
                导出可编辑台账（含完整身份证号码）
              </button>
            </Form>
          ) : (
            <a className="button secondary" href={`/certification/export?enterpriseId=${d.enterprise.id}`} download>
              导出证书台账
            </a>
          )}
          <Link className="button secondary" to={`/certification/region/${d.enterprise.region_id}`}>
            所在区域
          </Link>
        </div>
      </section>
      <section className="card">
        <h2>应持证人员</h2>
        <table className="responsive">
          <thead>
            <tr>
              <th>姓名</th>
              <th>岗位</th>
              <th>应持证书</th>
              <th>状态</th>
              <th>有效至</th>
            </tr>
          </thead>
          <tbody>
            {d.people.map((p) => (
              <tr key={p.id}>
                <td data-label="姓名">
                  <Link to={`/people/${p.id}`}>{p.name}</Link>
                </td>
                <td data-label="岗位">{POST_LABELS[p.post]}</td>
                <td data-label="证书" className="small">
                  {p.kind}
                </td>
                <td data-label="状态">
                  <span className={`badge ${p.holds ? "ok" : "bad"}`}>{p.status}</span>
                </td>
                <td data-label="有效至">{p.validUntil ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>再培训学时不足</h2>
        {d.shortfall.length === 0 ? (
          <p className="muted">持证人员今年学时均已达标。</p>
        ) : (
          <ul>
            {d.shortfall.map((h) => (
              <li key={h.id}>
                <Link to={`/people/${h.id}`}>{h.name}</Link>（{POST_LABELS[h.post]}）：已 {h.done} 学时，要求{" "}
                {h.required}，差 {h.shortfall}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card small muted">
        <h2>持证要求</h2>
        <ul>
          {d.requirements.map((r) => (
            <li key={r.post}>
              {r.post}：{r.kind}（{r.basis}）
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
