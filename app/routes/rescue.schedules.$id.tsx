import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, Link } from "@remix-run/react";
import { formatInstant } from "~/lib/calendar";
import { notFound } from "~/lib/http";
import { idParam } from "~/lib/validation";
import { authorize, requireActor } from "~/modules/auth/session.server";
import { scheduleRow, scheduleView } from "~/modules/rescue/spotchecks.server";
import { OUTCOME_LABELS, SPOT_STATUS_LABELS } from "~/modules/rescue/ui/parts";

export const meta: MetaFunction = () => [{ title: "随机抽查计划 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const id = idParam.safeParse(params.id);
  const s = id.success ? await scheduleRow(id.data) : undefined;
  if (!s) notFound("该抽查计划不存在。");
  // Regional staff covering the schedule's region read it; nobody sees an undrawn target or time.
  authorize(actor, "view", { type: "region", path: s.region_path });
  return { s: await scheduleView(actor, s) };
}

export default function SchedulePage() {
  const { s } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{s.title}</h1>
      <p className="small muted">
        抽查期 {formatInstant(s.periodStart)} 至 {formatInstant(s.periodEnd)} · 从 {s.poolSize} 支队伍中抽取 {s.count}{" "}
        支 · 算法 {s.algorithm}
      </p>
      <section className="card">
        <p data-testid="pending">尚未开始的抽查：{s.pending} 次（对象和时间保密）</p>
        <table>
          <thead>
            <tr>
              <th>已开始的抽查</th>
              <th>对象</th>
              <th>密封时间</th>
              <th>状态</th>
              <th>结论</th>
            </tr>
          </thead>
          <tbody>
            {s.started.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/rescue/spot-checks/${c.id}`}>{c.title}</Link>
                </td>
                <td>{"targetName" in c ? c.targetName : ""}</td>
                <td>{"plannedAt" in c ? formatInstant(c.plannedAt) : ""}</td>
                <td>{SPOT_STATUS_LABELS[c.status]}</td>
                <td>{"outcome" in c && c.outcome ? OUTCOME_LABELS[c.outcome] : "—"}</td>
              </tr>
            ))}
            {s.started.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  尚无。
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>复核</h2>
        {s.audit ? (
          <p data-testid="audit">
            随机种子 <code>{s.audit.seed}</code>；队伍池 {s.audit.pool.join(", ")}。按种子重新计算的抽取结果与记录
            {s.audit.matches ? "一致" : "不一致"}。
          </p>
        ) : (
          <p className="muted">全部抽查开始后公开随机种子，届时可复核抽取结果。</p>
        )}
      </section>
    </>
  );
}
