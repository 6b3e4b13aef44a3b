import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useFetcher, useLoaderData, Link } from "@remix-run/react";
import { useEffect } from "react";
import { formatDuration, formatInstant } from "~/lib/calendar";
import { publicOrigin } from "~/lib/public-url.server";
import { can } from "~/modules/auth/policy";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedCallout } from "~/modules/rescue/access.server";
import { calloutBoard, calloutLinks, endCallout, type CalloutBoard } from "~/modules/rescue/callouts.server";

export const meta: MetaFunction = () => [{ title: "拉动集结 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const callout = await authorizedCallout(actor, params.id, "view");
  const canRun = can(actor, "update", {
    type: "rescue_team",
    regionPath: callout.region_path,
    enterpriseId: callout.enterprise_id,
  });
  const [board, links] = await Promise.all([
    calloutBoard(callout),
    canRun ? calloutLinks(callout.id) : Promise.resolve([]),
  ]);
  const origin = publicOrigin(request);
  return {
    board,
    canRun,
    teamId: callout.team_id,
    links: links
      .filter((l) => l.person_id === null)
      .map((l) => ({ id: l.id, name: l.name, phone: l.phone, url: `${origin}/callout/${l.token}` })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const callout = await authorizedCallout(actor, params.id, "update");
  await endCallout(actor, callout.id, clientIp(request));
  return { ok: true };
}

const clock = (iso: string | null) => (iso ? formatInstant(iso, true).slice(11) : "—");

export default function CalloutPage() {
  const data = useLoaderData<typeof loader>();
  const live = useFetcher<CalloutBoard>();
  const b = live.data ?? data.board;
  const running = b.endedAt === null;
  useEffect(() => {
    if (!running) return;
    const load = () => document.visibilityState === "visible" && live.load(`/rescue/callouts/${b.id}/live`);
    const timer = setInterval(load, 3000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [b.id, running]);
  const r = b.result;
  return (
    <>
      <h1>拉动集结 · {b.teamName}</h1>
      <p className="small muted">
        {formatInstant(b.startedAt, true)} 发起 · {b.message} ·{" "}
        {running ? "进行中（每 3 秒刷新）" : `已于 ${formatInstant(b.endedAt, true)} 结束`} ·
        <Link to={`/rescue/teams/${data.teamId}`}> 返回队伍</Link>
      </p>
      <section className="card" aria-live="polite">
        <div className="grid rescue-figures">
          <div>
            <div className="stat-label">已收到</div>
            <div className="stat" data-testid="acked">
              {r.acknowledged}/{b.total}
            </div>
          </div>
          <div>
            <div className="stat-label">已到达</div>
            <div className="stat" data-testid="arrived">
              {r.arrived}/{b.total}
            </div>
          </div>
          <div>
            <div className="stat-label">先遣 {b.firstN} 人到达用时</div>
            <div className="stat" data-testid="first-n">
              {formatDuration(r.firstNSeconds)}
            </div>
          </div>
          <div>
            <div className="stat-label">应到 {b.requiredStrength} 人到达用时</div>
            <div className="stat" data-testid="strength">
              {formatDuration(r.strengthSeconds)}
            </div>
            <div className="small">
              标准 {b.standardMinutes} 分钟{" "}
              {r.strengthSeconds === null ? (
                running ? (
                  ""
                ) : (
                  <span className="badge rescue-bad">未达到应到人数</span>
                )
              ) : r.met ? (
                <span className="badge rescue-ok">按时集结</span>
              ) : (
                <span className="badge rescue-bad">超时</span>
              )}
            </div>
          </div>
        </div>
      </section>
      <section className="card">
        <h2>队员</h2>
        <div className="table-wrap">
          <table className="responsive rescue-board">
            <thead>
              <tr>
                <th>姓名</th>
                <th>收到</th>
                <th>到达</th>
                <th>用时</th>
                <th>位置/照片</th>
              </tr>
            </thead>
            <tbody>
              {b.members.map((m) => (
                <tr key={m.id} className={m.arrivedAt ? "arrived" : m.ackedAt ? "acked" : ""}>
                  <td data-label="姓名">
                    {m.name}
                    {m.core ? <span className="badge">核心</span> : null}
                  </td>
                  <td data-label="收到">{clock(m.ackedAt)}</td>
                  <td data-label="到达">{clock(m.arrivedAt)}</td>
                  <td data-label="用时">{m.arriveSeconds === null ? "—" : formatDuration(m.arriveSeconds)}</td>
                  <td data-label="位置/照片">
                    {m.hasLocation ? "有定位 " : ""}
                    {m.hasPhoto ? (
                      <a href={`/rescue/callouts/${b.id}/photos/${m.id}`}>
                        <img
                          className="rescue-thumb"
                          src={`/rescue/callouts/${b.id}/photos/${m.id}`}
                          alt={`${m.name} 到达照片`}
                        />
                      </a>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card">
        <h2>{running ? "尚未到达" : "集结结果"}</h2>
        {r.late.length ? (
          <p>
            超过 {b.standardMinutes} 分钟到达：
            {r.late.map((l) => `${l.name}（${formatDuration(l.seconds)}）`).join("、")}
          </p>
        ) : null}
        <p data-testid="absent">
          {running ? "未到达" : "缺席"}：
          {r.absent.length
            ? r.absent.map((a) => `${a.name}${a.acknowledged ? "（已收到）" : "（未收到）"}`).join("、")
            : "无"}
        </p>
        {data.canRun && running ? (
          <Form
            method="post"
            onSubmit={(e) => {
              if (!confirm("结束后队员不能再报到，确定结束吗？")) e.preventDefault();
            }}
          >
            <button type="submit">结束集结</button>
          </Form>
        ) : null}
      </section>
      {data.canRun && data.links.length ? (
        <section className="card">
          <h2>无账号队员的个人链接</h2>
          <p className="hint">这些队员没有账号，请通过短信发送本人链接（每人一个，只能在一部手机上使用）。</p>
          <ul className="rescue-links">
            {data.links.map((l) => (
              <li key={l.id}>
                <span>
                  {l.name} {l.phone}
                </span>{" "}
                <code data-testid={`link-${l.name}`}>{l.url}</code>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
