import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams, Link } from "@remix-run/react";
import { BarChart } from "~/components/chart";
import { statsFor } from "~/modules/inspections/stats.server";

export const meta: MetaFunction = () => [{ title: "逢查必考统计 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return statsFor(request);
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

function Table({
  title,
  rows,
}: {
  title: string;
  rows: { label: string; people: number; passed: number; rate: number }[];
}) {
  return (
    <section className="card">
      <h2>{title}</h2>
      {rows.length ? (
        <BarChart
          title={`${title}合格率（%）`}
          labels={rows.map((r) => r.label)}
          values={rows.map((r) => Math.round(r.rate * 100))}
          height={220}
          max={100}
        />
      ) : null}
      <table>
        <thead>
          <tr>
            <th>{title.replace("按", "")}</th>
            <th>人数</th>
            <th>合格</th>
            <th>合格率</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <td>{r.label}</td>
              <td>{r.people}</td>
              <td>{r.passed}</td>
              <td>{pct(r.rate)}</td>
            </tr>
          ))}
          {rows.length === 0 ? (
            <tr>
              <td colSpan={4} className="muted">
                暂无数据。
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}

export default function QuizStats() {
  const d = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const { stats, months } = d;
  return (
    <>
      <h1>逢查必考统计</h1>
      <Form method="get" className="filters">
        <select name="months" aria-label="时间范围" defaultValue={String(months)}>
          {[3, 6, 12, 24].map((m) => (
            <option key={m} value={m}>
              近 {m} 个月
            </option>
          ))}
        </select>
        <button type="submit">查看</button>
        <a className="button secondary" href={`/quiz-stats/export?${search.toString()}`} download>
          导出 Excel
        </a>
      </Form>
      <Table title="按区域" rows={stats.byRegion} />
      <Table title="按行业" rows={stats.byIndustry} />
      <Table title="按岗位" rows={stats.byPost} />
      <Table title="按月份" rows={stats.byMonth} />
      <section className="card">
        <h2>多次测验不合格的企业</h2>
        <ul>
          {stats.repeated.map((e) => (
            <li key={e.id}>
              <Link to={`/enterprises/${e.id}`}>{e.name}</Link>：{e.quizzes} 次测验中 {e.failedQuizzes} 次有人不合格
            </li>
          ))}
          {stats.repeated.length === 0 ? <li className="muted">暂无。</li> : null}
        </ul>
      </section>
      <section className="card">
        <h2>最薄弱的知识点</h2>
        <ul>
          {stats.topics.map((t) => (
            <li key={t.topic}>
              {t.topic}：得分率 {pct(t.rate)}（{t.answers} 题次）
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
