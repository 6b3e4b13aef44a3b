import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, Link } from "@remix-run/react";
import { BarChart } from "~/components/chart";
import { notFound } from "~/lib/http";
import { idParam } from "~/lib/validation.server";
import { ownTemplateOwnerOf } from "~/modules/auth/policy";
import { requireActor } from "~/modules/auth/session.server";
import { authorizeTemplate } from "~/modules/exams/access.server";
import { getTemplate, templateStatistics } from "~/modules/exams/exams.server";
import { leavesOfTemplate } from "~/modules/exams/leave.server";
import { formatClock, formatInstant } from "~/lib/calendar";
import { TYPE_LABELS } from "~/modules/exams/labels";
import { QuestionText } from "~/modules/exams/ui/question-text";

export const meta: MetaFunction = () => [{ title: "试卷统计 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const id = idParam.safeParse(params.id);
  const template = id.success ? await getTemplate(id.data) : undefined;
  if (!template) notFound("该试卷不存在。");
  await authorizeTemplate(actor, template, "view");
  // Officers see their own people's results on a shared template; admins see everyone's.
  const owner = ownTemplateOwnerOf(actor);
  if (!owner) notFound("该试卷不存在。");
  const scope = owner.enterpriseId;
  const [stats, leaves] = await Promise.all([
    templateStatistics(template.id, scope),
    leavesOfTemplate(template.id, scope),
  ]);
  return { name: template.name, passMark: template.pass_mark, leaveLimit: template.leave_limit, stats, leaves };
}

const pct = (x: number | null) => (x === null ? "—" : `${Math.round(x * 100)}%`);

export default function TemplateStats() {
  const { name, passMark, leaveLimit, stats, leaves } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>试卷统计：{name}</h1>
      <section className="card">
        <div className="grid">
          <div>
            <div className="stat">{stats.attempts}</div>
            <div className="stat-label">已交卷</div>
          </div>
          <div>
            <div className="stat" data-testid="pass-rate">
              {pct(stats.passRate)}
            </div>
            <div className="stat-label">合格率（{passMark} 分及格）</div>
          </div>
        </div>
        <BarChart
          title="成绩分布"
          labels={stats.histogram.map((_, i) => (i === 9 ? "90–100" : `${i * 10}–${i * 10 + 9}`))}
          values={stats.histogram}
        />
      </section>
      <h2 id="leaves">切屏记录</h2>
      <p className="hint">
        考生离开答题页面（切换应用、切换标签页、锁屏）的次数和时间，由考试页面报告、服务器记录。
        {leaveLimit === null ? "本试卷未设切屏上限。" : `本试卷切屏超过 ${leaveLimit} 次自动交卷。`}
      </p>
      {leaves.length === 0 ? (
        <p className="muted">暂无切屏记录。</p>
      ) : (
        <div className="table-wrap">
          <table className="responsive" data-testid="leave-table">
            <thead>
              <tr>
                <th>考生</th>
                <th>考试</th>
                <th>切屏次数</th>
                <th>离开时间</th>
                <th>结果</th>
              </tr>
            </thead>
            <tbody>
              {leaves.map((a) => (
                <tr key={a.id}>
                  <td data-label="考生">{a.name}</td>
                  <td data-label="考试" className="small">
                    {a.title ?? "—"}
                  </td>
                  <td data-label="切屏次数">
                    <strong data-testid={`leave-count-${a.id}`}>{a.leave_count}</strong>
                  </td>
                  <td data-label="离开时间" className="small">
                    {a.leaves
                      .map(
                        (l) =>
                          `${formatClock(l.at)}${l.awayMs !== null ? `（${Math.round(l.awayMs / 1000)} 秒）` : ""}`,
                      )
                      .join("、")}
                    <div className="muted">{a.leaves.length ? formatInstant(a.leaves[0].at).slice(0, 10) : ""}</div>
                  </td>
                  <td data-label="结果" className="small">
                    {a.submitted_at ? `${Number(a.score)} 分` : "作答中"}
                    {a.closed_by === "leave_limit" ? <span className="badge bad">切屏超限交卷</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>题目分析</h2>
      <p className="hint">难度（答对率）过低或区分度低于 0.2 甚至为负的题目，可能题干有歧义或答案有误，建议复核。</p>
      <div className="table-wrap">
        <table className="responsive">
          <thead>
            <tr>
              <th>题目</th>
              <th>题型</th>
              <th>作答</th>
              <th>答对率</th>
              <th>区分度</th>
            </tr>
          </thead>
          <tbody>
            {stats.questions.map((q) => (
              <tr key={q.id}>
                <td data-label="题目">
                  <Link to={`/questions/${q.id}`}>
                    <QuestionText text={q.stem} inline max={60} />
                  </Link>
                  <div className="small muted">{q.topic}</div>
                </td>
                <td data-label="题型">{TYPE_LABELS[q.type as keyof typeof TYPE_LABELS]}</td>
                <td data-label="作答">{q.n}</td>
                <td data-label="答对率">{pct(q.facility)}</td>
                <td data-label="区分度">
                  {q.discrimination === null ? (
                    "—"
                  ) : (
                    <span className={q.discrimination < 0.2 ? "badge bad" : "badge ok"}>
                      {q.discrimination.toFixed(2)}
                    </span>
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
