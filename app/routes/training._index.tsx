import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, Link } from "@remix-run/react";
import { forbidden } from "~/lib/http";
import { can, listScope } from "~/modules/auth/policy";
import { requireActor } from "~/modules/auth/session.server";
import { trainingEnterprise } from "~/modules/courses/access.server";
import { enterpriseHours, hoursStatus, ledgerOf } from "~/modules/courses/training.server";
import { POST_LABELS } from "~/modules/org/labels";
import { enterpriseResource } from "~/modules/org/people.server";

export const meta: MetaFunction = () => [{ title: "学时 · 安训" }];

const SOURCE_LABELS: Record<string, string> = {
  course: "线上课程",
  offline: "线下培训",
  exam: "考试",
  quiz: "现场测验",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const url = new URL(request.url);
  // One's own hours, unless one manages an enterprise's (its officer, or staff asking for one by id).
  const scope = listScope(actor);
  if (scope.kind === "person" || (!url.searchParams.has("enterpriseId") && scope.kind !== "enterprise")) {
    if (!actor.personId) forbidden("您的账号没有关联人员档案。");
    return {
      kind: "person" as const,
      status: await hoursStatus(actor.personId),
      ledger: await ledgerOf(actor.personId),
    };
  }
  const enterprise = await trainingEnterprise(actor, url, "view");
  const rows = await enterpriseHours(enterprise.id);
  const resource = await enterpriseResource(enterprise.id);
  return {
    kind: "enterprise" as const,
    enterpriseId: enterprise.id,
    rows,
    canRecord: can(actor, "create", {
      type: "training",
      enterpriseId: enterprise.id,
      regionPath: resource!.regionPath,
    }),
  };
}

export default function Training() {
  const d = useLoaderData<typeof loader>();
  if (d.kind === "person") {
    const req = d.status.required;
    return (
      <>
        <h1>我的学时</h1>
        <section className="card">
          <div className="stat" data-testid="hours-done">
            {d.status.done}
          </div>
          <div className="stat-label">
            今年已获得学时
            {req ? `，要求不少于 ${req.hours} 学时（${req.phase === "initial" ? "初次/岗前培训" : "每年再培训"}）` : ""}
          </div>
          {req ? (
            <div className="progress" style={{ marginTop: 8 }}>
              <div style={{ width: `${Math.min(100, (100 * d.status.done) / req.hours)}%` }} />
            </div>
          ) : null}
          {req ? <p className="hint">依据：{req.basis}</p> : null}
        </section>
        <h2>学时记录</h2>
        <div className="table-wrap">
          <table className="responsive">
            <thead>
              <tr>
                <th>日期</th>
                <th>内容</th>
                <th>来源</th>
                <th>学时</th>
              </tr>
            </thead>
            <tbody>
              {d.ledger.map((r) => (
                <tr key={r.id}>
                  <td data-label="日期">{r.trained_on}</td>
                  <td data-label="内容">{r.title}</td>
                  <td data-label="来源">{SOURCE_LABELS[r.source]}</td>
                  <td data-label="学时">{r.hours}</td>
                </tr>
              ))}
              {d.ledger.length === 0 ? (
                <tr>
                  <td colSpan={4} className="muted">
                    还没有学时记录。
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </>
    );
  }
  const short = d.rows.filter((r) => r.shortfall > 0);
  return (
    <>
      <h1>全员学时</h1>
      {d.canRecord ? (
        <div className="actions">
          <Link className="button" to={`/training/offline?enterpriseId=${d.enterpriseId}`}>
            录入线下培训
          </Link>
        </div>
      ) : null}
      <p>
        今年未达到学时要求：<strong data-testid="shortfall-count">{short.length}</strong> 人 / 共 {d.rows.length} 人
      </p>
      <div className="table-wrap">
        <table className="responsive">
          <thead>
            <tr>
              <th>姓名</th>
              <th>岗位</th>
              <th>今年学时</th>
              <th>要求</th>
              <th>差额</th>
            </tr>
          </thead>
          <tbody>
            {[...short, ...d.rows.filter((r) => r.shortfall === 0)].map((r) => (
              <tr key={r.id}>
                <td data-label="姓名">
                  <Link to={`/people/${r.id}`}>{r.name}</Link>
                </td>
                <td data-label="岗位">{POST_LABELS[r.post]}</td>
                <td data-label="今年学时">{r.done}</td>
                <td data-label="要求">
                  {r.required}（{r.phase === "initial" ? "初次" : "年度"}）
                </td>
                <td data-label="差额">
                  {r.shortfall ? (
                    <span className="badge bad">差 {r.shortfall}</span>
                  ) : (
                    <span className="badge ok">达标</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
