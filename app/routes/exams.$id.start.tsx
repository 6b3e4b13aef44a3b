import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, Link } from "@remix-run/react";
import { useState } from "react";
import { formatInstant } from "~/lib/calendar";
import { httpError, notFound } from "~/lib/http";
import { idParam } from "~/lib/validation.server";
import { authorize, requireActor } from "~/modules/auth/session.server";
import { requirePerson } from "~/modules/exams/access.server";
import { examNotice, examResource, startExamAttempt } from "~/modules/exams/exams.server";
import { TYPE_LABELS } from "~/modules/exams/labels";

export const meta: MetaFunction = () => [{ title: "考试须知 · 安训" }];

async function authorizedExam(request: Request, rawId: string | undefined) {
  const actor = await requireActor(request);
  const personId = requirePerson(actor);
  const id = idParam.safeParse(rawId);
  const exam = id.success ? await examResource(id.data) : undefined;
  if (!exam) notFound("该考试不存在。");
  // Taking an exam is answering one's own attempt at it.
  authorize(actor, "update", {
    type: "attempt",
    personId,
    enterpriseId: exam.enterprise_id,
    regionPath: exam.region_path,
  });
  return { personId, exam };
}

/** 考试须知: read before starting; reading starts nothing. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { personId, exam } = await authorizedExam(request, params.id);
  const notice = await examNotice(personId, exam.id);
  if (!notice || !notice.forMe) notFound("这场考试不面向您的岗位。");
  return notice;
}

/** The confirmed start: uses one attempt and starts the clock (or resumes the open paper). */
export async function action({ request, params }: ActionFunctionArgs) {
  const { personId, exam } = await authorizedExam(request, params.id);
  const started = await startExamAttempt(personId, exam.id);
  if (!started.ok) httpError(started.status, started.message);
  throw redirect(`/attempts/${started.attemptId}`);
}

const SHOW_ANSWERS = {
  after_submit: "交卷后可查看答案和解析",
  after_close: "考试结束后公布答案和解析",
  never: "不公布答案",
} as const;

export default function ExamNotice() {
  const n = useLoaderData<typeof loader>();
  const [confirming, setConfirming] = useState(false);
  const busy = useNavigation().state !== "idle";
  const left = n.attemptsAllowed - n.attemptsUsed;
  return (
    <div className="exam-notice">
      <p className="small muted">
        <Link to="/exams">考试</Link> · 考试须知
      </p>
      <h1>{n.title}</h1>
      <section className="card" aria-labelledby="facts">
        <h2 id="facts" className="sr-only">
          考试信息
        </h2>
        <dl className="facts">
          <div>
            <dt>考试时长</dt>
            <dd data-testid="notice-minutes">{n.timeLimitMinutes} 分钟</dd>
          </div>
          <div>
            <dt>题目</dt>
            <dd>
              {n.questions} 题 · 满分 {n.totalPoints} 分
            </dd>
          </div>
          <div>
            <dt>及格</dt>
            <dd>{n.passMark} 分（百分制）</dd>
          </div>
          <div>
            <dt>剩余机会</dt>
            <dd data-testid="notice-attempts">
              {left} / {n.attemptsAllowed} 次
            </dd>
          </div>
        </dl>
        <p className="small muted">
          {n.byType.map((r) => `${TYPE_LABELS[r.type]} ${r.count} 题，每题 ${r.points} 分`).join("；")}
        </p>
        <p className="small muted">
          开放时间：{formatInstant(n.opensAt)} 至 {formatInstant(n.closesAt)}
        </p>
      </section>
      <section className="card" aria-labelledby="rules">
        <h2 id="rules">考试须知</h2>
        <ol className="rules">
          <li>点击「开始考试」并确认后开始计时，并用掉 1 次考试机会；计时以服务器为准，中途退出或断网不会暂停。</li>
          {n.effectiveMinutes < n.timeLimitMinutes ? (
            <li>
              <strong>考试将在 {n.effectiveMinutes} 分钟后关闭，答题时间以关闭时间为准。</strong>
            </li>
          ) : null}
          <li>答案每选一次就自动保存；断网时保存在本机，联网后自动提交。时间到会按已保存的答案自动交卷。</li>
          <li>用「答题卡」查看未答和已标记的题目，可随时跳到任意一题。</li>
          <li>
            {n.leaveLimit === null
              ? "答题期间请勿离开考试页面（切换应用、切换标签页、锁屏）：每次切屏都会记录时间并报告给考试管理员。"
              : `答题期间请勿离开考试页面（切换应用、切换标签页、锁屏）：每次切屏都会记录，超过 ${n.leaveLimit} 次将自动交卷。`}
          </li>
          <li>
            多选题{n.multipleScoring === "partial" ? "少选按比例得分，错选不得分" : "全部选对才得分"}；
            {SHOW_ANSWERS[n.showAnswers]}。
          </li>
        </ol>
      </section>
      {n.openAttemptId ? (
        <div className="actions">
          <Link className="button" to={`/attempts/${n.openAttemptId}`}>
            继续答题
          </Link>
        </div>
      ) : n.canStart ? (
        confirming ? (
          <section
            className="card confirm"
            role="alertdialog"
            aria-labelledby="confirm-title"
            aria-describedby="confirm-body"
          >
            <h2 id="confirm-title">确认开始考试？</h2>
            <p id="confirm-body">
              开始后立即计时 {Math.min(n.timeLimitMinutes, n.effectiveMinutes)} 分钟，并用掉 1 次机会（之后还剩{" "}
              {left - 1} 次）。
            </p>
            <Form method="post" className="actions">
              <button type="submit" disabled={busy}>
                确认开始
              </button>
              <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                再想想
              </button>
            </Form>
          </section>
        ) : (
          <div className="actions">
            <button type="button" onClick={() => setConfirming(true)}>
              开始考试
            </button>
          </div>
        )
      ) : (
        <p className="notice">
          {n.state === "upcoming" ? "考试尚未开始。" : n.state === "closed" ? "考试已结束。" : "您的考试机会已用完。"}
        </p>
      )}
    </div>
  );
}
