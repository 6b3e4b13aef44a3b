import { Form, Link } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import type { QuestionType } from "../../../../db/types";
import { TYPE_LABELS } from "../schema";
import { clearQueue, enqueue, loadQueue, send, storeQueue, type QueuedAnswer } from "./answer-queue";
import { QuestionText } from "./question-text";

export interface PaperView {
  id: number;
  title: string;
  remainingSeconds: number;
  items: { position: number; type: QuestionType; stem: string; options: string[]; answer: string | null; seq: number }[];
}

function useCountdown(seconds: number, onZero: () => void) {
  const [left, setLeft] = useState(seconds);
  const end = useRef(0);
  useEffect(() => {
    end.current = performance.now() + seconds * 1000;
    const timer = setInterval(() => {
      const s = Math.max(0, Math.round((end.current - performance.now()) / 1000));
      setLeft(s);
      if (s === 0) {
        clearInterval(timer);
        onZero();
      }
    }, 1000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [seconds]);
  return left;
}

/**
 * The answering page of an exam or on-site quiz: every answer is queued in the browser and sent at once;
 * the clock counts down from the server's deadline and hands in at zero.
 */
export function Paper({ paper, saveUrl }: { paper: PaperView; saveUrl: string }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [answers, setAnswers] = useState<Record<number, string>>(() =>
    Object.fromEntries(paper.items.filter((i) => i.answer !== null).map((i) => [i.position, i.answer!])));
  const [pending, setPending] = useState(0);
  const [offline, setOffline] = useState(false);
  const [signedOut, setSignedOut] = useState(false);
  const state = useRef<{ queue: QueuedAnswer[]; seq: number }>({ queue: [], seq: 0 });
  const sending = useRef(false);

  const flush = useCallback(async () => {
    if (sending.current) return;
    sending.current = true;
    try {
      while (state.current.queue.length) {
        const item = state.current.queue[0];
        const result = await send(saveUrl, item);
        if (result === "offline" || result === "signed_out") {
          // Keep the queue (it is in localStorage too): it is sent once the network or the login is back.
          if (result === "offline") setOffline(true);
          else setSignedOut(true);
          return;
        }
        setSignedOut(false);
        setOffline(false);
        if (result === "closed") {
          clearQueue(paper.id);
          window.location.reload();
          return;
        }
        state.current.queue = state.current.queue.filter((q) => q !== item);
        storeQueue(paper.id, state.current);
        setPending(state.current.queue.length);
      }
    } finally {
      sending.current = false;
    }
  }, [paper.id, saveUrl]);

  useEffect(() => {
    // Answers given before a reload or a lost connection are newer than the server's: show and resend them.
    const saved = loadQueue(paper.id);
    const serverSeq = Math.max(0, ...paper.items.map((i) => i.seq));
    state.current = { queue: saved.queue, seq: Math.max(saved.seq, serverSeq) };
    if (saved.queue.length) setAnswers((a) => ({ ...a, ...Object.fromEntries(saved.queue.map((q) => [q.position, q.answer])) }));
    setPending(saved.queue.length);
    void flush();
    const retry = () => void flush();
    window.addEventListener("online", retry);
    const timer = setInterval(retry, 5000);
    return () => {
      window.removeEventListener("online", retry);
      clearInterval(timer);
    };
  }, [paper.id, paper.items, flush]);

  const answer = (position: number, value: string) => {
    setAnswers((a) => ({ ...a, [position]: value }));
    state.current.seq += 1;
    state.current.queue = enqueue(state.current.queue, { position, answer: value, seq: state.current.seq });
    storeQueue(paper.id, state.current);
    setPending(state.current.queue.length);
    void flush();
  };

  const left = useCountdown(paper.remainingSeconds, () => formRef.current?.requestSubmit());
  const answered = Object.keys(answers).length;
  const mm = String(Math.floor(left / 60)).padStart(2, "0");
  const ss = String(left % 60).padStart(2, "0");

  return (
    <>
      <div className="exam-bar" role="status" aria-live="off">
        <span>剩余 <strong data-testid="time-left">{mm}:{ss}</strong></span>
        <span>已答 {answered}/{paper.items.length}</span>
        <span className={offline ? "badge bad" : pending ? "badge warn" : "badge ok"} data-testid="save-state">
          {offline ? `网络断开，${pending} 题待保存` : pending ? "保存中…" : "已保存"}
        </span>
      </div>
      <h1>{paper.title}</h1>
      {signedOut ? (
        <p className="form-error" role="alert">
          登录已过期，{pending} 题尚未保存（已暂存在本机）。请<Link to={`/login?next=${encodeURIComponent(saveUrl.replace(/\/answers$/, ""))}`}>重新登录</Link>，回到本页后会自动保存。
        </p>
      ) : null}
      <Form method="post" ref={formRef} onSubmit={() => clearQueue(paper.id)}>
        {paper.items.map((item) => {
          const current = answers[item.position] ?? "";
          const choices = item.type === "judge" ? [["true", "正确"], ["false", "错误"]] : item.options.map((o, i) => ["ABCDEFGH"[i], `${"ABCDEFGH"[i]}. ${o}`]);
          return (
            <fieldset key={item.position} className="card question" data-testid={`q${item.position}`}>
              <legend className="question-stem">{item.position}. <span className="badge">{TYPE_LABELS[item.type]}</span> <QuestionText text={item.stem} /></legend>
              {choices.map(([value, text]) => (
                <label key={value} className="choice">
                  <input
                    type={item.type === "multiple" ? "checkbox" : "radio"}
                    name={`q${item.position}`}
                    value={value}
                    checked={item.type === "multiple" ? current.includes(value) : current === value}
                    onChange={(e) => {
                      if (item.type !== "multiple") return answer(item.position, value);
                      const next = new Set(current.split("").filter(Boolean));
                      if (e.target.checked) next.add(value);
                      else next.delete(value);
                      if (next.size) answer(item.position, [...next].sort().join(""));
                    }}
                  />
                  <span><QuestionText text={text} /></span>
                </label>
              ))}
            </fieldset>
          );
        })}
        <div className="actions">
          <button type="submit" onClick={(e) => {
            if (answered < paper.items.length && !confirm(`还有 ${paper.items.length - answered} 题未作答，确定交卷吗？`)) e.preventDefault();
          }}>交卷</button>
        </div>
      </Form>
    </>
  );
}
