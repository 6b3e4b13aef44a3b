import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedQuiz } from "~/modules/inspections/access.server";
import { originOf, qrSvg } from "~/modules/inspections/qr.server";
import { closeQuiz, quizOpen } from "~/modules/inspections/quiz.server";
import type { QuizPlan } from "~/modules/inspections/schema";
import { POST_LABELS } from "~/modules/org/labels";
type Live = { open: boolean; participants: Awaited<ReturnType<typeof import("~/modules/inspections/quiz.server").quizBoard>> };

export const meta: MetaFunction = () => [{ title: "逢查必考 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const quiz = await authorizedQuiz(actor, params.id, "inspect");
  const joinUrl = `${originOf(request)}/q/${quiz.token}`;
  return {
    id: quiz.id, inspectionId: quiz.inspection_id, enterprise: quiz.enterprise_name, code: quiz.join_code, joinUrl, qr: await qrSvg(joinUrl),
    plan: JSON.parse(quiz.plan) as QuizPlan, open: quizOpen(quiz), expiresAt: quiz.expires_at.toISOString(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const quiz = await authorizedQuiz(actor, params.id, "inspect");
  await closeQuiz(actor, quiz.id, clientIp(request));
  return { closed: true };
}

export default function QuizBoard() {
  const q = useLoaderData<typeof loader>();
  const live = useFetcher<Live>();
  useEffect(() => {
    // Polling the database-backed board: works whichever app process answers.
    const load = () => document.visibilityState === "visible" && live.load(`/quizzes/${q.id}/live`);
    load();
    const timer = setInterval(load, 3000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q.id]);
  const people = live.data?.participants ?? [];
  const open = live.data ? live.data.open : q.open;
  const done = people.filter((p) => p.submitted);
  return (
    <>
      <h1>逢查必考：{q.enterprise}</h1>
      <section className="card quiz-join">
        <div className="qr" dangerouslySetInnerHTML={{ __html: q.qr }} aria-label="测验二维码" role="img" />
        <div>
          <p>用手机相机扫码，或打开 <strong>{q.joinUrl.replace(/\/q\/.*/, "/q")}</strong> 输入测验码：</p>
          <p className="join-code" data-testid="join-code">{q.code}</p>
          <p className="small muted">{Object.entries(q.plan).map(([post, v]) => `${POST_LABELS[post as keyof typeof POST_LABELS]}${v!.category ? `（${v!.category}）` : ""} ${v!.count} 人`).join("，")}</p>
          <p className="small">{open ? `有效期至 ${new Date(q.expiresAt).toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false })}` : "测验已结束"}</p>
          <p className="small">测验链接：<a href={q.joinUrl} data-testid="join-link">{q.joinUrl}</a></p>
          <p className="small"><a href={`/quizzes/${q.id}/sheet`} target="_blank" rel="noreferrer">打印二维码页</a> · <a href={`/inspections/${q.inspectionId}`}>返回检查记录</a></p>
        </div>
      </section>
      <section className="card" aria-live="polite">
        <h2>实时结果</h2>
        <p>已加入 <strong data-testid="joined-count">{people.length}</strong> 人，已交卷 {done.length} 人，合格 {done.filter((p) => p.passed).length} 人</p>
        <div className="table-wrap">
          <table className="responsive" data-testid="board">
            <thead><tr><th>姓名</th><th>岗位</th><th>进度</th><th>成绩</th></tr></thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.id}>
                  <td data-label="姓名">{p.name}{!p.onFile ? <span className="badge bad"> 名册外</span> : null}{p.nameMismatch ? <span className="badge warn"> 姓名不符</span> : null}
                    <div className="small muted">{p.idNumberMasked}</div></td>
                  <td data-label="岗位">{POST_LABELS[p.post]}</td>
                  <td data-label="进度">{p.answered}/{p.total}</td>
                  <td data-label="成绩">{p.submitted ? <><strong>{p.score}</strong> <span className={`badge ${p.passed ? "ok" : "bad"}`}>{p.passed ? "合格" : "不合格"}</span></> : "答题中"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {open ? <Form method="post" className="actions"><button type="submit" className="danger">结束测验</button></Form> : null}
      </section>
    </>
  );
}
