import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedInspection } from "~/modules/inspections/access.server";
import { getInspection, inspectionSummary } from "~/modules/inspections/inspections.server";
import { POST_LABELS } from "~/modules/org/labels";

export const meta: MetaFunction = () => [{ title: "现场测验结果单 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const resource = await authorizedInspection(actor, params.id, "view");
  const [inspection, summary] = await Promise.all([getInspection(resource.id), inspectionSummary(resource.id)]);
  return { inspection: inspection!, summary, photos: summary.people.some((p) => p.photo) };
}

/** The result sheet for the case file: printable, one page per inspection. */
export default function PrintInspection() {
  const { inspection: i, summary, photos } = useLoaderData<typeof loader>();
  return (
    <article className="sheet-print">
      <h1>安全生产知识现场测验（逢查必考）结果单</h1>
      <p>
        被检查单位：{i.enterprise_name}（统一社会信用代码 {i.uscc}）
      </p>
      <p>
        检查日期：{i.inspected_on}　检查人员：{i.inspectors}
        {i.place ? `　地点：${i.place}` : ""}
      </p>
      <p>
        参加测验 {summary.people.length} 人（计入统计 {Object.values(summary.byPost).reduce((s, v) => s + v.people, 0)}{" "}
        人），合格率 {summary.passRate === null ? "—" : `${Math.round(summary.passRate * 100)}%`}；
        {Object.entries(summary.byPost)
          .map(([post, v]) => `${POST_LABELS[post as keyof typeof POST_LABELS]} ${v.people} 人合格 ${v.passed} 人`)
          .join("，")}
      </p>
      {summary.weakestTopics.length ? <p>薄弱知识点：{summary.weakestTopics.map((t) => t.topic).join("、")}</p> : null}
      <table>
        <thead>
          <tr>
            <th>序号</th>
            <th>姓名</th>
            <th>身份证号</th>
            <th>岗位</th>
            <th>成绩</th>
            <th>结论</th>
            {photos ? <th>加入时照片</th> : null}
          </tr>
        </thead>
        <tbody>
          {summary.people.map((p, n) => (
            <tr key={p.id}>
              <td>{n + 1}</td>
              <td>
                {p.name}
                {p.on_file ? "" : "（名册外）"}
                {p.identity === "doubtful" || p.identity === "voided" ? `（输入姓名：${p.typed_name ?? "—"}）` : ""}
              </td>
              <td>{p.id_number_masked}</td>
              <td>{POST_LABELS[p.post]}</td>
              <td>{p.incomplete ? "未完成" : (p.score ?? "未交卷")}</td>
              <td>
                {p.identity === "voided"
                  ? `已作废：${p.identity_reason ?? ""}`
                  : p.identity === "doubtful"
                    ? "身份存疑，待核实"
                    : p.passed === null
                      ? "—"
                      : p.passed
                        ? "合格"
                        : "不合格"}
              </td>
              {photos ? (
                <td className="print-photo">
                  {p.photo ? (
                    <img src={`/quizzes/${p.quiz_id}/photos/${p.id}`} alt={`${p.name} 加入时拍的照片`} />
                  ) : (
                    "—"
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small">不合格人员由企业安排针对性培训，并于 30 日内复测。</p>
      <p style={{ marginTop: "3em" }}>检查人员签名：＿＿＿＿＿＿　　企业负责人签名：＿＿＿＿＿＿</p>
      <p className="no-print">
        <button type="button" onClick={() => window.print()}>
          打印
        </button>{" "}
        <a href={`/documents/inspection/${i.id}`} download>
          下载结果单（PDF）
        </a>
      </p>
    </article>
  );
}
