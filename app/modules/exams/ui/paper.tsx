import { Form, Link } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import type { QuestionType } from "../../../../db/types";
import { questionType, TYPE_LABELS } from "../question-types";
import {
  clearAnswers,
  clearQueue,
  enqueue,
  loadAnswers,
  loadFlags,
  loadQueue,
  rememberEnd,
  send,
  sendLeave,
  storeAnswer,
  storeFlags,
  storeQueue,
  type QueuedAnswer,
} from "./answer-queue";
import { QuestionText } from "./question-text";
import { forgetPaperCopy, registerPaperWorker } from "./paper-worker";

export interface PaperView {
  id: number;
  title: string;
  remainingSeconds: number;
  leaveCount?: number;
  leaveLimit?: number | null;
  mock?: boolean;
  items: {
    position: number;
    type: QuestionType;
    stem: string;
    options: string[];
    answer: string | null;
    seq: number;
  }[];
}

/** Counts down to an end that survives a reload, even one served from the offline copy of the page. */
function useCountdown(paperId: number, seconds: number, onZero: () => void) {
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    const end = rememberEnd(paperId, Date.now() + seconds * 1000);
    const tick = () => {
      const s = Math.max(0, Math.round((end - Date.now()) / 1000));
      setLeft(s);
      if (s === 0) {
        clearInterval(timer);
        onZero();
      }
    };
    const timer = setInterval(tick, 1000);
    tick();
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [paperId, seconds]);
  return left;
}

/** Whether the browser believes it is online (the first render on the server says yes). */
function useOnline() {
  const [online, setOnline] = useState(true);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    update();
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);
  return online;
}

type Refusal = { handInError: string; reviewUrl: string } | null;

/**
 * The answering page of an exam or on-site quiz: every answer is queued in the browser and sent at once; the clock
 * counts down from the server's deadline and hands in at zero. 答题卡 shows answered, unanswered and flagged questions
 * and jumps to any; leaving the page (切屏) is reported to the server, which may hand the paper in (decision 0021);
 * a service worker keeps the page so a reload without network still shows it with the answers kept on this phone.
 */
export function Paper({
  paper,
  saveUrl,
  leaveUrl,
  swScope,
  refused,
}: {
  paper: PaperView;
  saveUrl: string;
  leaveUrl: string;
  swScope: string;
  refused: Refusal;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const [answers, setAnswers] = useState<Record<number, string>>(() =>
    Object.fromEntries(paper.items.filter((i) => i.answer !== null).map((i) => [i.position, i.answer!])),
  );
  const [flags, setFlags] = useState<Set<number>>(() => new Set());
  const [pending, setPending] = useState(0);
  const [unreachable, setUnreachable] = useState(false);
  const [signedOut, setSignedOut] = useState(false);
  const [sheetOpen, setSheetOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [leaveNote, setLeaveNote] = useState<string | null>(null);
  const online = useOnline();
  const offline = !online || unreachable;
  const state = useRef<{ queue: QueuedAnswer[]; seq: number }>({ queue: [], seq: 0 });
  const sending = useRef(false);
  const away = useRef<number | null>(null);
  const unsentLeaves = useRef<("hidden" | "blur")[]>([]);

  const flush = useCallback(async () => {
    if (sending.current) return;
    sending.current = true;
    try {
      while (state.current.queue.length) {
        const item = state.current.queue[0];
        const result = await send(saveUrl, item);
        if (result === "offline" || result === "signed_out") {
          // Keep the queue (it is in localStorage too): it is sent once the network or the login is back.
          if (result === "offline") setUnreachable(true);
          else setSignedOut(true);
          return;
        }
        setSignedOut(false);
        setUnreachable(false);
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
    // Answers this phone gave after the page was made (an offline copy is older than what was sent since).
    const mine = loadAnswers(paper.id);
    const newer = paper.items
      .filter((i) => mine[i.position] && mine[i.position].seq > i.seq)
      .map((i) => [i.position, mine[i.position].answer] as const);
    const localSeq = Math.max(0, ...Object.values(mine).map((m) => m.seq));
    state.current = { queue: saved.queue, seq: Math.max(saved.seq, serverSeq, localSeq) };
    if (saved.queue.length || newer.length) {
      setAnswers((a) => ({
        ...a,
        ...Object.fromEntries(newer),
        ...Object.fromEntries(saved.queue.map((q) => [q.position, q.answer])),
      }));
    }
    setPending(saved.queue.length);
    setFlags(new Set(loadFlags(paper.id)));
    void flush();
    const retry = () => void flush();
    window.addEventListener("online", retry);
    const timer = setInterval(retry, 5000);
    return () => {
      window.removeEventListener("online", retry);
      clearInterval(timer);
    };
  }, [paper.id, paper.items, flush]);

  // Keep this page and its scripts for a reload without network (only the paper pages register the worker).
  useEffect(() => registerPaperWorker(swScope), [swScope]);

  // 切屏: leaving the page (hidden or blurred) is one leave, reported at once; coming back reports how long.
  useEffect(() => {
    const report = async (kind: "hidden" | "blur") => {
      const reply = await sendLeave(leaveUrl, { event: "leave", kind });
      if (reply === "offline") {
        unsentLeaves.current.push(kind);
        setLeaveNote("已离开答题页面。切屏会在联网后记录。");
        return;
      }
      if (!reply) return;
      if (reply.handedIn) {
        clearQueue(paper.id);
        window.location.reload();
        return;
      }
      if (reply.message) setLeaveNote(reply.message);
    };
    const leave = (kind: "hidden" | "blur") => {
      if (away.current !== null) return;
      away.current = Date.now();
      void report(kind);
    };
    const back = () => {
      if (away.current === null) return;
      const awayMs = Date.now() - away.current;
      away.current = null;
      void sendLeave(leaveUrl, { event: "back", awayMs });
    };
    const onVisibility = () => (document.visibilityState === "hidden" ? leave("hidden") : back());
    const onBlur = () => leave("blur");
    const onFocus = () => back();
    const resend = () => {
      const kinds = unsentLeaves.current.splice(0);
      for (const kind of kinds) void report(kind);
    };
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("blur", onBlur);
    window.addEventListener("focus", onFocus);
    window.addEventListener("online", resend);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("blur", onBlur);
      window.removeEventListener("focus", onFocus);
      window.removeEventListener("online", resend);
    };
  }, [leaveUrl, paper.id]);

  const answer = (position: number, value: string) => {
    setAnswers((a) => ({ ...a, [position]: value }));
    state.current.seq += 1;
    storeAnswer(paper.id, position, value, state.current.seq);
    state.current.queue = enqueue(state.current.queue, { position, answer: value, seq: state.current.seq });
    storeQueue(paper.id, state.current);
    setPending(state.current.queue.length);
    void flush();
  };

  const toggleFlag = (position: number) => {
    setFlags((f) => {
      const next = new Set(f);
      if (next.has(position)) next.delete(position);
      else next.add(position);
      storeFlags(paper.id, [...next]);
      return next;
    });
  };

  const jump = (position: number) => {
    setSheetOpen(false);
    setConfirming(false);
    const target = document.getElementById(`q-${position}`);
    target?.scrollIntoView({ block: "start" });
    target?.querySelector<HTMLInputElement>("input")?.focus({ preventScroll: true });
  };

  const left = useCountdown(paper.id, paper.remainingSeconds, () => formRef.current?.requestSubmit());
  const answered = paper.items.filter((i) => answers[i.position]).length;
  const unanswered = paper.items.filter((i) => !answers[i.position]).map((i) => i.position);
  const flagged = paper.items.filter((i) => flags.has(i.position)).map((i) => i.position);
  const mm = String(Math.floor(left / 60)).padStart(2, "0");
  const ss = String(left % 60).padStart(2, "0");

  const card = (
    <div className="answer-grid" role="group" aria-label="答题卡">
      {paper.items.map((i) => {
        const done = Boolean(answers[i.position]);
        const flag = flags.has(i.position);
        return (
          <button
            key={i.position}
            type="button"
            className={`cell${done ? " done" : ""}${flag ? " flagged" : ""}`}
            onClick={() => jump(i.position)}
            aria-label={`第 ${i.position} 题，${done ? "已答" : "未答"}${flag ? "，已标记" : ""}`}
            data-testid={`card-${i.position}`}
          >
            {i.position}
          </button>
        );
      })}
    </div>
  );

  return (
    <div className="paper">
      <div className="exam-bar" role="status" aria-live="off">
        <span>
          剩余{" "}
          <strong data-testid="time-left">
            {mm}:{ss}
          </strong>
        </span>
        <span>
          已答 {answered}/{paper.items.length}
        </span>
        <span className={offline ? "badge bad" : pending ? "badge warn" : "badge ok"} data-testid="save-state">
          {offline ? `网络断开 · ${pending} 题待提交` : pending ? "保存中…" : "已保存"}
        </span>
        <button
          type="button"
          className="secondary card-toggle"
          aria-expanded={sheetOpen}
          aria-controls="answer-sheet"
          onClick={() => setSheetOpen(!sheetOpen)}
        >
          答题卡
        </button>
        {offline ? (
          <p className="offline-banner" role="alert" data-testid="offline-banner">
            已离线，答案保存在本机，联网后自动提交。{pending ? `（${pending} 题待提交）` : ""}交卷时间以服务器为准。
          </p>
        ) : null}
        {leaveNote ? (
          <p className="leave-warning" role="alert" data-testid="leave-warning">
            {leaveNote}{" "}
            <button type="button" className="link" onClick={() => setLeaveNote(null)}>
              知道了
            </button>
          </p>
        ) : null}
      </div>
      {refused ? (
        <p className="form-error" role="alert" data-testid="hand-in-refused">
          {refused.handInError} <a href={refused.reviewUrl}>查看成绩</a>
        </p>
      ) : null}
      {sheetOpen ? (
        <section id="answer-sheet" className="answer-sheet card" aria-label="答题卡">
          <div className="sheet-head">
            <strong>答题卡</strong>
            <span className="legend">
              <i className="cell done" />
              已答 <i className="cell" />
              未答 <i className="cell flagged" />
              标记
            </span>
          </div>
          {card}
          {unanswered.length ? (
            <p className="small">
              <button type="button" className="link" onClick={() => jump(unanswered[0])}>
                跳到第一道未答题（第 {unanswered[0]} 题）
              </button>
            </p>
          ) : (
            <p className="small muted">全部已作答。</p>
          )}
        </section>
      ) : null}
      <h1>
        {paper.title}
        {paper.mock ? <span className="badge"> 模拟考试</span> : null}
      </h1>
      {signedOut ? (
        <p className="form-error" role="alert">
          登录已过期，{pending} 题尚未保存（已暂存在本机）。请
          <Link to={`/login?next=${encodeURIComponent(saveUrl.replace(/\/answers$/, ""))}`}>重新登录</Link>
          ，回到本页后会自动保存。
        </p>
      ) : null}
      <Form
        method="post"
        ref={formRef}
        onSubmit={() => {
          clearQueue(paper.id);
          clearAnswers(paper.id);
          forgetPaperCopy();
        }}
      >
        {paper.items.map((item) => {
          const current = answers[item.position] ?? "";
          const kind = questionType(item.type);
          const choices = kind.choices(item.options);
          const flag = flags.has(item.position);
          return (
            <fieldset
              key={item.position}
              id={`q-${item.position}`}
              className={`card question${flag ? " flagged" : ""}`}
              data-testid={`q${item.position}`}
            >
              <legend className="question-stem">
                {item.position}. <span className="badge">{TYPE_LABELS[item.type]}</span>{" "}
                <QuestionText text={item.stem} />
              </legend>
              {choices.map(([value, text]) => (
                <label key={value} className="choice">
                  <input
                    type={kind.input}
                    name={`q${item.position}`}
                    value={value}
                    checked={kind.input === "checkbox" ? current.includes(value) : current === value}
                    onChange={(e) => {
                      if (kind.input !== "checkbox") return answer(item.position, value);
                      const next = new Set(current.split("").filter(Boolean));
                      if (e.target.checked) next.add(value);
                      else next.delete(value);
                      if (next.size) answer(item.position, [...next].sort().join(""));
                    }}
                  />
                  <span>
                    <QuestionText text={text} />
                  </span>
                </label>
              ))}
              <button
                type="button"
                className={`flag${flag ? " on" : ""}`}
                aria-pressed={flag}
                onClick={() => toggleFlag(item.position)}
              >
                {flag ? "取消标记" : "标记"}
              </button>
            </fieldset>
          );
        })}
        {confirming ? (
          <section
            className="card confirm hand-in-summary"
            role="alertdialog"
            aria-labelledby="hand-in-title"
            data-testid="hand-in-summary"
          >
            <h2 id="hand-in-title">确认交卷？</h2>
            {unanswered.length ? (
              <p>
                还有 {unanswered.length} 题未作答：
                {unanswered.map((p, k) => (
                  <span key={p}>
                    {k ? "、" : ""}
                    <button type="button" className="link" onClick={() => jump(p)}>
                      第 {p} 题
                    </button>
                  </span>
                ))}
              </p>
            ) : (
              <p>全部 {paper.items.length} 题已作答。</p>
            )}
            {flagged.length ? (
              <p className="small">已标记待检查：{flagged.map((p) => `第 ${p} 题`).join("、")}</p>
            ) : null}
            {offline ? (
              <p className="form-error">
                已离线，现在不能交卷。答案保存在本机，联网后再交卷；时间到时服务器会按已保存的答案交卷。
              </p>
            ) : null}
            <div className="actions">
              <button type="submit" disabled={offline}>
                确认交卷
              </button>
              <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                返回检查
              </button>
            </div>
          </section>
        ) : (
          <div className="actions">
            <button type="button" onClick={() => setConfirming(true)}>
              交卷
            </button>
            <button type="button" className="secondary" onClick={() => setSheetOpen(true)}>
              答题卡
            </button>
          </div>
        )}
      </Form>
    </div>
  );
}
