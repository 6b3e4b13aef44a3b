import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { formatClock, formatInstant } from "~/lib/calendar";
import { formObject, z } from "~/lib/validation";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedQuiz } from "~/modules/inspections/access.server";
import { originOf, qrSvg } from "~/modules/inspections/qr.server";
import {
  answeringCount,
  closeQuiz,
  quizOpen,
  resolveIdentity,
  setUnknownJoins,
} from "~/modules/inspections/quiz.server";
import type { QuizPlan } from "~/modules/inspections/schema";
import { POST_LABELS } from "~/modules/org/labels";
type Live = {
  open: boolean;
  closesAt: string | null;
  participants: Awaited<ReturnType<typeof import("~/modules/inspections/quiz.server").quizBoard>>;
};

export const meta: MetaFunction = () => [{ title: "逢查必考 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const quiz = await authorizedQuiz(actor, params.id, "inspect");
  const joinUrl = `${originOf(request)}/q/${quiz.token}`;
  return {
    id: quiz.id,
    inspectionId: quiz.inspection_id,
    enterprise: quiz.enterprise_name,
    code: quiz.join_code,
    joinUrl,
    qr: await qrSvg(joinUrl),
    plan: JSON.parse(quiz.plan) as QuizPlan,
    open: quizOpen(quiz),
    expiresAt: quiz.expires_at.toISOString(),
    answering: await answeringCount(quiz.id),
    unknownClosed: Boolean(quiz.unknown_closed),
    unknownLimit: quiz.unknown_limit,
    photoAtJoin: Boolean(quiz.photo_at_join),
  };
}

const Intent = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("close"),
      unfinished: z.enum(["incomplete", "grade"], { error: "请选择未交卷人员的处理方式" }),
      graceSeconds: z.coerce
        .number({ error: "请填写交卷宽限时间" })
        .int("宽限时间须为整数秒")
        .min(0, "宽限时间不能为负")
        .max(600, "宽限时间不超过 600 秒"),
      confirmedAnswering: z.preprocess(
        (v) => (v === "" || v === undefined ? null : v),
        z.coerce.number().int().min(0).nullable(),
      ),
    }),
    z.object({ intent: z.literal("confirm"), participantId: z.coerce.number().int().positive("人员无效") }),
    z.object({
      intent: z.literal("void"),
      participantId: z.coerce.number().int().positive("人员无效"),
      reason: z
        .string({ error: "请填写作废原因" })
        .trim()
        .min(2, "请填写作废原因（至少 2 个字）")
        .max(200, "作废原因不超过 200 字"),
    }),
    z.object({ intent: z.literal("unknown"), closed: z.enum(["1", "0"]) }),
  ],
  { error: "未知的操作" },
);

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const quiz = await authorizedQuiz(actor, params.id, "inspect");
  const parsed = Intent.safeParse(formObject(await request.formData()));
  if (!parsed.success)
    return data({ ok: false as const, message: parsed.error.issues[0].message, answering: null }, { status: 422 });
  const input = parsed.data;
  const ip = clientIp(request);
  if (input.intent === "close") {
    const closed = await closeQuiz(actor, quiz.id, input, ip);
    return closed.ok
      ? { ok: true as const, message: "测验已结束。", answering: null }
      : data({ ok: false as const, message: closed.message, answering: closed.answering }, { status: closed.status });
  }
  if (input.intent === "unknown") {
    await setUnknownJoins(actor, quiz.id, input.closed === "1", ip);
    return {
      ok: true as const,
      message: input.closed === "1" ? "已关闭名册外人员加入。" : "已允许名册外人员加入。",
      answering: null,
    };
  }
  const r = await resolveIdentity(
    actor,
    quiz.id,
    input.participantId,
    input.intent,
    input.intent === "void" ? input.reason : undefined,
    ip,
  );
  return r.ok
    ? { ok: true as const, message: input.intent === "void" ? "该成绩已作废。" : "已确认为本人作答。", answering: null }
    : data({ ok: false as const, message: r.message, answering: null }, { status: r.status });
}

const IDENTITY_LABELS = { ok: "", doubtful: "身份存疑", confirmed: "已确认本人", voided: "已作废" } as const;

export default function QuizBoard() {
  const q = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const live = useFetcher<Live>();
  const [closing, setClosing] = useState(false);
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
  const answering = live.data ? people.filter((p) => !p.submitted).length : q.answering;
  const counted = people.filter(
    (p) => p.submitted && !p.incomplete && (p.identity === "ok" || p.identity === "confirmed"),
  );
  return (
    <>
      <h1>逢查必考：{q.enterprise}</h1>
      <section className="card quiz-join">
        <div className="qr" dangerouslySetInnerHTML={{ __html: q.qr }} aria-label="测验二维码" role="img" />
        <div>
          <p>
            用手机相机扫码，或打开 <strong>{q.joinUrl.replace(/\/q\/.*/, "/q")}</strong> 输入测验码：
          </p>
          <p className="join-code" data-testid="join-code">
            {q.code}
          </p>
          {q.photoAtJoin ? (
            <p className="small">
              <span className="badge">加入时拍照</span> 每位参测人员加入时须拍一张本人照片
            </p>
          ) : null}
          <p className="small muted">
            {Object.entries(q.plan)
              .map(
                ([post, v]) =>
                  `${POST_LABELS[post as keyof typeof POST_LABELS]}${v!.category ? `（${v!.category}）` : ""} ${v!.count} 人`,
              )
              .join("，")}
          </p>
          <p className="small">
            {open
              ? `有效期至 ${formatClock(q.expiresAt)}`
              : live.data?.closesAt
                ? `已结束加入，答题中的人员须在 ${formatClock(live.data.closesAt)} 前交卷`
                : "测验已结束"}
          </p>
          <p className="small">
            测验链接：
            <a href={q.joinUrl} data-testid="join-link">
              {q.joinUrl}
            </a>
          </p>
          <p className="small">
            <Link to={`/quizzes/${q.id}/sheet`} target="_blank" rel="noreferrer">
              打印二维码页
            </Link>{" "}
            · <Link to={`/inspections/${q.inspectionId}`}>返回检查记录</Link>
          </p>
          {open ? (
            <Form method="post" className="small">
              <input type="hidden" name="intent" value="unknown" />
              <input type="hidden" name="closed" value={q.unknownClosed ? "0" : "1"} />
              名册外人员：{q.unknownClosed ? "已关闭加入" : `最多 ${q.unknownLimit} 人`}{" "}
              <button type="submit" className="secondary small">
                {q.unknownClosed ? "允许加入" : "关闭加入"}
              </button>
            </Form>
          ) : null}
        </div>
      </section>
      {result ? (
        <div className={result.ok ? "notice" : "form-error"} role={result.ok ? "status" : "alert"}>
          {result.message}
        </div>
      ) : null}
      <section className="card" aria-live="polite">
        <h2>实时结果</h2>
        <p>
          已加入 <strong data-testid="joined-count">{people.length}</strong> 人，已交卷{" "}
          {people.filter((p) => p.submitted).length} 人， 计入成绩 {counted.length} 人，合格{" "}
          {counted.filter((p) => p.passed).length} 人
        </p>
        <div className="table-wrap">
          <table className="responsive" data-testid="board">
            <thead>
              <tr>
                <th>姓名（名册）</th>
                <th>岗位</th>
                <th>加入时间</th>
                <th>进度</th>
                <th>成绩</th>
                <th>身份核对</th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.id} className={p.identity === "doubtful" ? "row-warn" : undefined}>
                  <td data-label="姓名">
                    {p.photo ? (
                      <a
                        href={`/quizzes/${q.id}/photos/${p.id}`}
                        target="_blank"
                        rel="noreferrer"
                        className="join-photo"
                      >
                        <img src={`/quizzes/${q.id}/photos/${p.id}`} alt={`${p.name} 加入时拍的照片`} loading="lazy" />
                      </a>
                    ) : q.photoAtJoin ? (
                      <span className="small muted">无照片</span>
                    ) : null}
                    {p.name}
                    {!p.onFile ? <span className="badge bad"> 名册外</span> : null}
                    {p.nameMismatch ? (
                      <div className="small">
                        扫码时输入姓名：<strong>{p.typedName}</strong>
                      </div>
                    ) : null}
                    <div className="small muted">{p.idNumberMasked}</div>
                  </td>
                  <td data-label="岗位">{POST_LABELS[p.post]}</td>
                  <td data-label="加入时间">{formatInstant(p.joinedAt, true).slice(11)}</td>
                  <td data-label="进度">
                    {p.answered}/{p.total}
                  </td>
                  <td data-label="成绩">
                    {p.incomplete ? (
                      <span className="badge warn">未完成</span>
                    ) : p.submitted ? (
                      <>
                        <strong>{p.score}</strong>{" "}
                        <span className={`badge ${p.passed ? "ok" : "bad"}`}>{p.passed ? "合格" : "不合格"}</span>
                      </>
                    ) : (
                      "答题中"
                    )}
                  </td>
                  <td data-label="身份核对">
                    {p.identity !== "ok" ? (
                      <span
                        className={`badge ${p.identity === "confirmed" ? "ok" : p.identity === "voided" ? "bad" : "warn"}`}
                      >
                        {IDENTITY_LABELS[p.identity]}
                      </span>
                    ) : null}
                    {p.identity === "voided" && p.identityReason ? (
                      <div className="small">原因：{p.identityReason}</div>
                    ) : null}
                    {p.identity === "doubtful" ? (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="confirm" />
                        <input type="hidden" name="participantId" value={p.id} />
                        <button type="submit" className="secondary small">
                          确认为本人
                        </button>
                      </Form>
                    ) : null}
                    {p.identity === "doubtful" || p.identity === "ok" ? (
                      <details>
                        <summary className="small">作废成绩</summary>
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="intent" value="void" />
                          <input type="hidden" name="participantId" value={p.id} />
                          <input
                            name="reason"
                            placeholder="作废原因，如：代答"
                            aria-label={`作废 ${p.name} 成绩的原因`}
                          />
                          <button type="submit" className="danger small">
                            作废
                          </button>
                        </Form>
                      </details>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="small muted">身份存疑或已作废的成绩不计入统计，也不产生整改复测；作废和确认均记入审计日志。</p>
        {open && !closing ? (
          <button type="button" className="danger" onClick={() => setClosing(true)}>
            结束测验
          </button>
        ) : null}
        {open && closing ? (
          <Form method="post" className="card close-quiz" aria-label="确认结束测验">
            <input type="hidden" name="intent" value="close" />
            <input type="hidden" name="confirmedAnswering" value={answering} />
            <p>
              <strong>{answering ? `还有 ${answering} 人正在答题。` : "没有人在答题。"}</strong>结束后不能再加入。
            </p>
            {answering ? (
              <>
                <label>
                  交卷宽限 <input name="graceSeconds" type="number" min={0} max={600} defaultValue={60} required /> 秒
                </label>
                <fieldset className="choices">
                  <legend>宽限结束仍未交卷的</legend>
                  <label className="choice">
                    <input type="radio" name="unfinished" value="incomplete" defaultChecked />{" "}
                    记为未完成（不计成绩、不产生复测）
                  </label>
                  <label className="choice">
                    <input type="radio" name="unfinished" value="grade" /> 按已保存的答案评分
                  </label>
                </fieldset>
              </>
            ) : (
              <>
                <input type="hidden" name="graceSeconds" value="0" />
                <input type="hidden" name="unfinished" value="incomplete" />
              </>
            )}
            <div className="actions">
              <button type="submit" className="danger" disabled={navigation.state !== "idle"}>
                确认结束
              </button>
              <button type="button" className="secondary" onClick={() => setClosing(false)}>
                取消
              </button>
            </div>
          </Form>
        ) : null}
      </section>
    </>
  );
}
