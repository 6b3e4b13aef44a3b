import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { formatInstant } from "~/lib/calendar";
import { z } from "~/lib/validation";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedSyncJob } from "~/modules/certification/sync-access.server";
import { syncIssues } from "~/modules/certification/sync.server";
import { ISSUE_LABELS } from "~/modules/certification/sync-rules";
import { KIND_LABELS } from "~/modules/certification/rules";

export const meta: MetaFunction = () => [{ title: "证书同步报告 · 安训" }];

const Query = z.object({
  kind: z.enum(["unmatched", "conflict", "invalid"]).optional().catch(undefined),
  after: z.coerce.number().int().positive().optional().catch(undefined),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const job = await authorizedSyncJob(actor, params.id);
  const q = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = await syncIssues(job.id, q.kind ?? null, q.after ?? null);
  return { job, kind: q.kind ?? null, ...page };
}

const STATUS = { queued: "排队中", running: "处理中", done: "已完成", failed: "失败" } as const;

export default function SyncReport() {
  const { job, kind, issues, nextAfter } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const active = job.status === "queued" || job.status === "running";
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 3000);
    return () => clearInterval(t);
  }, [active, revalidator]);
  const problems = job.unmatched + job.conflicts + job.invalid;
  return (
    <>
      <p className="small">
        <Link to="/certification/sync">← 证书数据同步</Link>
      </p>
      <h1>
        证书同步 #{job.id} · {job.region_name}
      </h1>
      <section className="card">
        <p>
          文件：{job.file_name}（{Math.max(1, Math.round(job.file_bytes / 1024))} KB，SHA-256{" "}
          {job.file_sha256.slice(0, 12)}…）；提交：{formatInstant(job.created_at)} {job.created_by_name}
        </p>
        <p>
          状态：<strong data-testid="sync-status">{STATUS[job.status]}</strong>
          {job.status === "running" ? (job.phase === "rows" ? "（逐行匹配）" : "（重新统计持证率）") : ""}
          {job.finished_at ? `；完成于 ${formatInstant(job.finished_at)}` : ""}
          {job.error ? `；错误：${job.error}` : ""}
        </p>
        <div className="sync-stats" data-testid="sync-stats">
          <span>
            已处理 <b>{job.rows_done}</b> 行
          </span>
          <span>
            新增 <b>{job.inserted}</b>
          </span>
          <span>
            更新 <b>{job.updated}</b>
          </span>
          <span>
            未变 <b>{job.unchanged}</b>
          </span>
          <span>
            未匹配 <b>{job.unmatched}</b>
          </span>
          <span>
            冲突 <b>{job.conflicts}</b>
          </span>
          <span>
            数据有误 <b>{job.invalid}</b>
          </span>
        </div>
        {problems ? (
          <p>
            <a href={`/certification/sync/${job.id}/export`} download>
              下载问题清单（Excel）
            </a>
          </p>
        ) : null}
      </section>
      <section className="card">
        <h2>需要处理的行</h2>
        <p className="small">
          <Link to="?">全部</Link>
          {" · "}
          {(Object.keys(ISSUE_LABELS) as (keyof typeof ISSUE_LABELS)[]).map((k, i) => (
            <span key={k}>
              {i ? " · " : ""}
              {kind === k ? <b>{ISSUE_LABELS[k]}</b> : <Link to={`?kind=${k}`}>{ISSUE_LABELS[k]}</Link>}
            </span>
          ))}
        </p>
        {issues.length === 0 ? (
          <p className="muted">没有需要处理的行。</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="sync-issues">
              <thead>
                <tr>
                  <th>行号</th>
                  <th>类别</th>
                  <th>姓名</th>
                  <th>身份证号码</th>
                  <th>证书</th>
                  <th>问题与处理建议</th>
                </tr>
              </thead>
              <tbody>
                {issues.map((i) => (
                  <tr key={i.id}>
                    <td>{i.row_no}</td>
                    <td>{ISSUE_LABELS[i.kind]}</td>
                    <td>{i.name ?? "—"}</td>
                    <td>{i.id_number_masked ?? "—"}</td>
                    <td className="small">
                      {i.cert_kind ? (KIND_LABELS[i.cert_kind as keyof typeof KIND_LABELS] ?? i.cert_kind) : ""}{" "}
                      {i.cert_number ?? ""}
                    </td>
                    <td>
                      {i.column_name ? `【${i.column_name}】` : ""}
                      {i.reason}
                      {i.enterprise_ids ? (
                        <span className="small muted">
                          （企业：
                          {i.enterprise_ids.split(",").map((e, n) => (
                            <span key={e}>
                              {n ? "、" : ""}
                              <Link to={`/enterprises/${e}`}>#{e}</Link>
                            </span>
                          ))}
                          ）
                        </span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {nextAfter ? (
          <p>
            <Link to={`?${kind ? `kind=${kind}&` : ""}after=${nextAfter}`}>下一页 →</Link>
          </p>
        ) : null}
      </section>
    </>
  );
}
