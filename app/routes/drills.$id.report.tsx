import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, Link } from "@remix-run/react";
import { httpError } from "~/lib/http";
import { formatInstant } from "~/lib/calendar";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedDrill } from "~/modules/drills/access.server";
import { drillMembers, injectsOf, project } from "~/modules/drills/drills.server";
import { evaluationResults } from "~/modules/drills/evaluation.server";
import { EVALUATION_FORM_LABELS, formCodeOf } from "~/modules/drills/evaluation-forms";
import { FORM_LABELS, MODE_LABELS, planLabel, RECTIFICATION_LABELS } from "~/modules/drills/labels";
import { drillLog } from "~/modules/drills/log.server";
import { rectificationsOfDrill } from "~/modules/drills/rectifications.server";
import { EvaluationTable, ResponseTimes, Timeline } from "~/modules/drills/ui/parts";

export const meta: MetaFunction = () => [{ title: "演练评估报告 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const { drill } = await authorizedDrill(actor, params.id, "view");
  if (drill.status !== "ended" && drill.status !== "closed") httpError(409, "演练结束后才能生成评估报告。");
  const [members, injects, log, results, items] = await Promise.all([
    drillMembers(drill.id),
    injectsOf(drill, true),
    drillLog(drill.id),
    evaluationResults(drill),
    rectificationsOfDrill(drill.id),
  ]);
  return {
    d: project(drill, "full") as Extract<ReturnType<typeof project>, { scenario: string }>,
    members,
    injects,
    log,
    results,
    items,
    evaluationFormLabel: EVALUATION_FORM_LABELS[formCodeOf(drill.evaluation_form)],
  };
}

/** The evaluation report (AQ/T 9009 / MEM order No. 2 Art. 34): printable, for the enterprise's drill file. */
export default function DrillReport() {
  const { d, members, injects, log, results, items, evaluationFormLabel } = useLoaderData<typeof loader>();
  return (
    <article className="sheet-print">
      <h1>{d.enterpriseName} 应急演练评估报告</h1>
      <h2>一、演练概况</h2>
      <p>
        演练名称：{d.title}；依据预案：{planLabel(d.planType, d.planTitle)}；形式：{FORM_LABELS[d.form]}
        ；方式：{MODE_LABELS[d.mode]}。
      </p>
      <p>
        开始（组织者按下“开始演练”）：{formatInstant(d.startedAt)}；结束：{formatInstant(d.endedAt)}
        {d.closedAt ? `；关闭：${formatInstant(d.closedAt)}` : "（尚未关闭）"}。
      </p>
      <p>
        评估人员：{members.evaluators.map((e) => e.display_name).join("、")}；参演人员 {members.participants.length} 人
        {d.teams ? `，参演队伍：${d.teams}` : ""}。
      </p>
      <p>演练目标：{d.objectives}</p>
      <p>演练情景：{d.scenario}</p>
      {d.summary ? <p>演练总结：{d.summary}</p> : null}
      <h2>二、演练过程</h2>
      {injects.length ? (
        <p>
          情景注入：
          {injects
            .map(
              (i) => `${i.title}${i.releasedAt ? `（${formatInstant(i.releasedAt, true).slice(11)}）` : "（未发布）"}`,
            )
            .join("；")}
        </p>
      ) : null}
      <Timeline events={log.events} drillId={d.id} pictures />
      <h2>三、关键响应时间</h2>
      <ResponseTimes times={log.times} />
      <h2>四、评估结果</h2>
      <p data-testid="report-evaluation-form">评估表：{evaluationFormLabel}</p>
      <EvaluationTable results={results} />
      <h2>五、发现的问题与整改</h2>
      {items.length === 0 ? (
        <p>未发现需要整改的问题。</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>序号</th>
              <th>问题</th>
              <th>责任人</th>
              <th>期限</th>
              <th>状态</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r, n) => (
              <tr key={r.id}>
                <td>{n + 1}</td>
                <td>{r.finding}</td>
                <td>{r.owner_name}</td>
                <td>{r.due_on}</td>
                <td>{RECTIFICATION_LABELS[r.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p style={{ marginTop: "3em" }}>
        评估组长签名：＿＿＿＿＿＿　　演练组织单位（盖章）：＿＿＿＿＿＿　　日期：＿＿＿＿＿＿
      </p>
      <p className="no-print">
        <button type="button" onClick={() => window.print()}>
          打印
        </button>{" "}
        <a href={`/documents/drill/${d.id}`} download>
          下载评估报告（PDF，含现场照片）
        </a>{" "}
        <Link to={`/drills/${d.id}`}>返回演练</Link>
      </p>
    </article>
  );
}
