import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { FormError } from "~/components/form";
import { readFields, SMALL_FORM_BYTES } from "~/lib/forms.server";
import { parseInput } from "~/lib/validation";
import { publicContest } from "~/modules/contests/access.server";
import { advance, answer, playState, startEntry } from "~/modules/contests/contests.server";
import { contestParticipantOf } from "~/modules/contests/participant.server";
import { ContestAnswerInput } from "~/modules/contests/schema";
import { answerText, TYPE_LABELS } from "~/modules/exams/question-types";
import { QuestionText } from "~/modules/exams/ui/question-text";

export const meta: MetaFunction = () => [{ title: "竞赛答题 · 安训" }];

async function participant(request: Request, token: string | undefined) {
  const contest = await publicContest(token);
  const p = await contestParticipantOf(request, contest.id);
  if (!p) throw redirect(`/c/${contest.token}`);
  return { contest, p };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { contest, p } = await participant(request, params.token);
  return { token: contest.token, title: contest.title, state: await playState(contest, p.id) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { contest, p } = await participant(request, params.token);
  const form = await readFields(request, { maxBytes: SMALL_FORM_BYTES });
  if (form.intent === "start") {
    const started = await startEntry(contest, p.id);
    if (!started.ok) return data({ formError: started.message }, { status: started.status });
    await advance(contest, p.id);
    throw redirect(`/c/${contest.token}/play`);
  }
  if (form.intent === "next") {
    await advance(contest, p.id);
    throw redirect(`/c/${contest.token}/play`);
  }
  const picked = Array.isArray(form.answer) ? [...form.answer].sort().join("") : form.answer;
  const parsed = parseInput(ContestAnswerInput, { position: form.position, answer: picked });
  if (!parsed.ok) return data({ formError: Object.values(parsed.fieldErrors)[0] }, { status: 422 });
  const result = await answer(contest, p.id, parsed.data.position, parsed.data.answer);
  if (!result.ok && result.status === 422) return data({ formError: result.message }, { status: 422 });
  throw redirect(`/c/${contest.token}/play`);
}

const LETTERS = "ABCDEFGH";

function Countdown({ ms, total }: { ms: number; total: number }) {
  const [left, setLeft] = useState(ms);
  const revalidator = useRevalidator();
  useEffect(() => {
    const end = Date.now() + ms;
    const t = setInterval(() => {
      const l = end - Date.now();
      setLeft(Math.max(0, l));
      if (l < -2500) {
        clearInterval(t);
        revalidator.revalidate();
      }
    }, 250);
    return () => clearInterval(t);
  }, [ms]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <div className="contest-timer" aria-label="剩余时间">
      <div className="bar" style={{ width: `${Math.min(100, (left / (total * 1000)) * 100)}%` }} />
      <span>{Math.ceil(left / 1000)} 秒</span>
    </div>
  );
}

export default function Play() {
  const { token, title, state } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== "idle";
  const Feedback = ({ f }: { f: NonNullable<Extract<typeof state, { kind: "between" }>["feedback"]> }) => (
    <div className={`contest-feedback ${f.correct ? "ok" : "bad"}`} role="status">
      <b>
        第 {f.position} 题 {f.correct ? "回答正确" : f.given === null ? "未作答（超时）" : "回答错误"}
      </b>
      <p className="small">
        正确答案：{answerText(f.type, f.answer)}
        {f.given !== null && !f.correct ? ` · 您的答案：${answerText(f.type, f.given)}` : ""}
      </p>
      {f.explanation ? <p className="small muted">{f.explanation}</p> : null}
    </div>
  );
  return (
    <div className="contest-phone">
      <header className="contest-bar">
        <Link to={`/c/${token}`}>‹ 排行榜</Link>
        <span>{title}</span>
      </header>
      {state.kind === "none" ? (
        <section className="card">
          <p>您还没有开始答题。</p>
          <Link to={`/c/${token}`}>返回</Link>
        </section>
      ) : state.kind === "question" && state.expired ? (
        <section className="card">
          <div className="contest-feedback bad" role="status">
            <b>第 {state.position} 题 作答时间已到</b>
            <p className="small">本题不得分。</p>
          </div>
          <Form method="post">
            <input type="hidden" name="intent" value="next" />
            <button type="submit" className="contest-go" disabled={busy}>
              {state.position < state.count ? "下一题" : "查看成绩"}
            </button>
          </Form>
        </section>
      ) : state.kind === "question" ? (
        <section className="card contest-question">
          <p className="muted small">
            第 {state.position} / {state.count} 题 · {TYPE_LABELS[state.type]}题
          </p>
          <Countdown key={state.position} ms={state.remainingMs} total={state.questionSeconds} />
          <div className="contest-stem">
            <QuestionText text={state.stem} />
          </div>
          <Form method="post" className="stack" replace>
            <input type="hidden" name="position" value={state.position} />
            {state.type === "judge" ? (
              <div className="contest-options">
                <label>
                  <input type="radio" name="answer" value="true" required /> 正确
                </label>
                <label>
                  <input type="radio" name="answer" value="false" /> 错误
                </label>
              </div>
            ) : (
              <div className="contest-options">
                {state.options.map((o, i) => (
                  <label key={i}>
                    <input
                      type={state.type === "multiple" ? "checkbox" : "radio"}
                      name="answer"
                      value={LETTERS[i]}
                      required={state.type === "single"}
                    />
                    <b>{LETTERS[i]}</b> <QuestionText text={o} inline />
                  </label>
                ))}
              </div>
            )}
            <button type="submit" disabled={busy}>
              提交答案
            </button>
          </Form>
        </section>
      ) : state.kind === "between" ? (
        <section className="card">
          {state.feedback ? <Feedback f={state.feedback} /> : null}
          <Form method="post">
            <input type="hidden" name="intent" value="next" />
            <button type="submit" className="contest-go" disabled={busy}>
              {state.feedback ? "下一题" : "开始第 1 题"}（{state.next}/{state.count}）
            </button>
          </Form>
          <p className="small muted">点击后开始计时。</p>
        </section>
      ) : (
        <section className="card contest-done">
          {state.feedback ? <Feedback f={state.feedback} /> : null}
          <h2>本次答题完成</h2>
          <p className="contest-score">{state.score} 分</p>
          <p className="small">
            用时 {(state.totalMs / 1000).toFixed(1)} 秒 · 共 {state.count} 题
          </p>
          <p>
            <Link to={`/c/${token}`} className="button">
              查看排行榜
            </Link>
          </p>
          <p>
            <Link to={`/c/${token}/certificate`} className="small">
              参赛证书
            </Link>
          </p>
        </section>
      )}
      <FormErrorFromAction />
    </div>
  );
}

function FormErrorFromAction() {
  const result = useActionData<typeof action>();
  return <FormError message={result?.formError} />;
}
