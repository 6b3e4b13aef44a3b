import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatInstant } from "~/lib/calendar";
import { can, listScope, regionRootOf } from "~/modules/auth/policy";
import { requireActor } from "~/modules/auth/session.server";
import { listSessions } from "~/modules/exam-sites/sessions.server";
import { listSites } from "~/modules/exam-sites/sites.server";
import { SESSION_STATUS_LABELS } from "~/modules/exam-sites/rules";

export const meta: MetaFunction = () => [{ title: "考试点 · 安训" }];

/** Sessions the actor proctors, then those of their region (read-only). Each list is scoped in the query. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const sessions = await listSessions(
    actor,
    ["region", "all"].includes(listScope(actor).kind) ? listScope(actor) : { kind: "none" },
  );
  // Sites (planning) for those the policy lets read or keep them in their region.
  const root = listScope(actor).kind === "all" ? "/" : regionRootOf(actor);
  const mayView = root !== null && can(actor, "view", { type: "exam_site", regionPath: root });
  return {
    sessions: sessions.map((s) => ({
      ...s,
      when: formatInstant(s.scheduled_at),
      statusLabel: SESSION_STATUS_LABELS[s.status],
    })),
    sites: mayView ? await listSites(listScope(actor)) : [],
    showSites: mayView,
    mayCreate: root !== null && can(actor, "create", { type: "exam_site", regionPath: root }),
  };
}

export default function ExamSites() {
  const { sessions, sites, showSites, mayCreate } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>考试点 · 考场</h1>
      {showSites ? (
        <section className="card">
          <div className="page-head">
            <h2>考试点</h2>
            {mayCreate ? (
              <Link className="button" to="/exam-sites/sites/new">
                新建考试点
              </Link>
            ) : null}
          </div>
          <table className="table">
            <thead>
              <tr>
                <th>考试点</th>
                <th>区域</th>
                <th>地址</th>
                <th>考场</th>
                <th>座位</th>
              </tr>
            </thead>
            <tbody>
              {sites.length === 0 ? (
                <tr>
                  <td colSpan={5} className="muted">
                    辖区内还没有考试点
                  </td>
                </tr>
              ) : (
                sites.map((x) => (
                  <tr key={x.id}>
                    <td>
                      <Link to={`/exam-sites/sites/${x.id}`}>{x.name}</Link>
                    </td>
                    <td>{x.region_name}</td>
                    <td>{x.address}</td>
                    <td>{x.rooms}</td>
                    <td>{x.seats}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </section>
      ) : null}
      <h2>考试场次</h2>
      <section className="card">
        <table className="table">
          <thead>
            <tr>
              <th>考试</th>
              <th>考试点 / 考场</th>
              <th>时间</th>
              <th>时长</th>
              <th>状态</th>
              <th>我的角色</th>
            </tr>
          </thead>
          <tbody>
            {sessions.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  没有您监考或辖区内的考场
                </td>
              </tr>
            ) : (
              sessions.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={`/exam-sites/sessions/${s.id}`}>{s.title}</Link>
                  </td>
                  <td>
                    {s.site_name} · {s.room_name}
                  </td>
                  <td>{s.when}</td>
                  <td>{s.minutes} 分钟</td>
                  <td>{s.statusLabel}</td>
                  <td>{s.proctor ? "监考" : "查看"}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </section>
    </>
  );
}
