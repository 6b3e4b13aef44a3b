import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatInstant } from "~/lib/calendar";
import { listScope } from "~/modules/auth/policy";
import { requireActor } from "~/modules/auth/session.server";
import { listSessions } from "~/modules/exam-sites/sessions.server";

export const meta: MetaFunction = () => [{ title: "考试点 · 安训" }];

const STATUS = { scheduled: "未开始", running: "考试中", paused: "已暂停", ended: "已结束" } as const;

/** Sessions the actor proctors, then those of their region (read-only). Each list is scoped in the query. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const sessions = await listSessions(
    actor,
    ["region", "all"].includes(listScope(actor).kind) ? listScope(actor) : { kind: "none" },
  );
  return {
    sessions: sessions.map((s) => ({ ...s, when: formatInstant(s.scheduled_at), statusLabel: STATUS[s.status] })),
  };
}

export default function ExamSites() {
  const { sessions } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>考试点 · 考场</h1>
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
