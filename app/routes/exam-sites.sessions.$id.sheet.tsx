import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatInstant } from "~/lib/calendar";
import { now } from "~/lib/clock.server";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedSession } from "~/modules/exam-sites/access.server";
import { consoleOf } from "~/modules/exam-sites/sessions.server";

export const meta: MetaFunction = () => [{ title: "签到表 · 考场报告 · 安训" }];

/** Printable sign-in sheet (seat, name, masked ID, signature column) and the session report (results, extensions, voids, pauses). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await authorizedSession(await requireActor(request), params.id, "view");
  const live = await consoleOf(session);
  const seatOf = new Map(live.seats.map((s) => [s.id, s.label]));
  return {
    s: {
      title: session.title,
      site: session.site_name,
      address: session.address,
      room: session.room_name,
      when: formatInstant(session.scheduled_at),
      minutes: session.minutes,
      passMark: session.pass_mark,
      status: session.status,
      started: formatInstant(session.started_at),
      ended: formatInstant(session.ended_at),
      pausedMinutes: Math.round(Number(session.paused_ms) / 6000) / 10,
    },
    people: live.people.map((p) => ({
      ...p,
      seat: p.seatId ? (seatOf.get(p.seatId) ?? "") : "",
      checkedIn: p.checkedInAt ? formatInstant(new Date(p.checkedInAt)) : "",
    })),
    printed: formatInstant(now()),
  };
}

export default function Sheet() {
  const { s, people, printed } = useLoaderData<typeof loader>();
  const counted = people.filter((p) => p.status === "handed_in");
  return (
    <div className="print-page">
      <p className="no-print small">
        <Link to="..">‹ 返回监考台</Link> ·{" "}
        <button type="button" onClick={() => window.print()}>
          打印
        </button>
      </p>
      <h1>{s.title} · 考生签到表</h1>
      <p className="small">
        {s.site}（{s.address}）· {s.room} · {s.when} · {s.minutes} 分钟 · {s.passMark} 分合格
      </p>
      <table className="table print-table">
        <thead>
          <tr>
            <th>座位</th>
            <th>姓名</th>
            <th>身份证号</th>
            <th>单位</th>
            <th>签到时间</th>
            <th>考生签名</th>
          </tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <tr key={p.id}>
              <td>{p.seat}</td>
              <td>{p.name}</td>
              <td>{p.idMasked}</td>
              <td>{p.enterprise}</td>
              <td>{p.checkedIn}</td>
              <td className="sign-cell" />
            </tr>
          ))}
        </tbody>
      </table>
      <h2>考场报告</h2>
      <p>
        应考 {people.length} 人，实到 {people.filter((p) => p.checkedIn).length} 人，交卷 {counted.length} 人，合格{" "}
        {counted.filter((p) => p.passed).length} 人，作废 {people.filter((p) => p.status === "voided").length} 人。 开考{" "}
        {s.started || "—"}，结束 {s.ended || "—"}，全场暂停共 {s.pausedMinutes} 分钟。
      </p>
      <table className="table print-table">
        <thead>
          <tr>
            <th>座位</th>
            <th>姓名</th>
            <th>状态</th>
            <th>成绩</th>
            <th>延时</th>
            <th>作废原因</th>
          </tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <tr key={p.id}>
              <td>{p.seat}</td>
              <td>{p.name}</td>
              <td>{p.statusLabel}</td>
              <td>
                {p.score ?? ""}
                {p.passed === null ? "" : p.passed ? "（合格）" : "（不合格）"}
              </td>
              <td>{p.extraMinutes ? `${p.extraMinutes} 分钟` : ""}</td>
              <td>{p.voidReason ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small sign-line">
        监考人员签名：＿＿＿＿＿＿　　考点负责人签名：＿＿＿＿＿＿　　打印时间 {printed}
      </p>
    </div>
  );
}
