import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { PhotoInput } from "~/components/photo-input";
import { formatDuration } from "~/lib/calendar";

type StudyState = "counting" | "hidden" | "checkin" | "missed" | "elsewhere" | "ended";
type View = {
  sessionId: number;
  state: StudyState;
  counted: number;
  needed: number;
  checkin: { nonce: string; deadline: string } | null;
};
type Reply = { intent: "study"; study?: View; formError?: string };

const BEAT_MS = 15_000;

/**
 * The study clock of a lesson page. The server counts; this panel only reports that the page is open and visible,
 * shows what was counted and what is still needed, and asks for the 继续学习 check-in when the server says so.
 */
export function StudyPanel({
  initial,
}: {
  initial: { counted: number; needed: number; answerSeconds: number; photo: boolean; basis: string };
}) {
  const fetcher = useFetcher<Reply>();
  const [view, setView] = useState<View | null>(null);
  const [shown, setShown] = useState(initial.counted);
  const [now, setNow] = useState(() => Date.now());
  const session = useRef<number | null>(null);
  const [shrinking, setShrinking] = useState(false);
  const send = (fields: Record<string, string>) => fetcher.submit({ ...fields }, { method: "post" });

  useEffect(() => {
    send({ intent: "start" });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const reply = fetcher.data;
    if (reply?.study) {
      session.current = reply.study.sessionId;
      setView(reply.study);
      setShown(reply.study.counted);
    }
  }, [fetcher.data]);

  useEffect(() => {
    const beat = setInterval(() => {
      if (session.current && document.visibilityState === "visible")
        send({ intent: "signal", sessionId: String(session.current), signal: "beat" });
    }, BEAT_MS);
    const onVisibility = () => {
      if (session.current)
        send({
          intent: "signal",
          sessionId: String(session.current),
          signal: document.visibilityState === "visible" ? "visible" : "hidden",
        });
    };
    document.addEventListener("visibilitychange", onVisibility);
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      clearInterval(beat);
      clearInterval(tick);
      document.removeEventListener("visibilitychange", onVisibility);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Between two answers from the server, the shown time runs on while counting (the server's figure replaces it).
  useEffect(() => {
    if (view?.state === "counting" && document.visibilityState === "visible")
      setShown((s) => Math.min(s + 1, (view?.counted ?? 0) + (BEAT_MS / 1000) * 2));
  }, [now, view]);

  const state = view?.state ?? "counting";
  const needed = view?.needed ?? initial.needed;
  const left = Math.max(0, needed - shown);
  const percent = needed ? Math.min(100, Math.round((shown / needed) * 100)) : 100;
  const error = fetcher.data?.formError;
  const deadline = view?.checkin ? Math.max(0, Math.ceil((Date.parse(view.checkin.deadline) - now) / 1000)) : 0;
  return (
    <section className="card study-panel no-print" aria-live="polite" aria-label="学习计时">
      <div className="study-figures">
        <span>
          已计入 <strong>{formatDuration(shown)}</strong>
        </span>
        <span>
          {left > 0 ? (
            <>
              还需 <strong>{formatDuration(left)}</strong>
            </>
          ) : (
            <strong>已达到本课要求，可以完成本课</strong>
          )}
        </span>
      </div>
      <progress max={100} value={percent} aria-label="本课有效学习进度" />
      <p className="hint small">
        {state === "counting" ? "计时中：只在本页可见时计时，每隔一段时间会请您确认仍在学习。" : null}
        {state === "hidden" ? "已离开页面，计时暂停。" : null}
      </p>
      {state === "checkin" && view?.checkin ? (
        <div className="checkin" role="alertdialog" aria-label="学习签到">
          <p>
            <strong>请确认您仍在学习</strong>（{deadline} 秒内有效，超时这段时间不计入学时）
          </p>
          <fetcher.Form method="post" encType={initial.photo ? "multipart/form-data" : undefined}>
            <input type="hidden" name="intent" value="checkin" />
            <input type="hidden" name="sessionId" value={view.sessionId} />
            <input type="hidden" name="nonce" value={view.checkin.nonce} />
            {initial.photo ? (
              <label>
                拍照签到 <PhotoInput name="photo" capture="user" required preview={false} onBusyChange={setShrinking} />
              </label>
            ) : null}
            <button type="submit" disabled={shrinking}>
              继续学习
            </button>
          </fetcher.Form>
        </div>
      ) : null}
      {state === "missed" ? (
        <div className="notice warn" role="alert">
          <p>学习签到已超时，计时已暂停，暂停期间不计入学时。</p>
          <button type="button" onClick={() => send({ intent: "resume", sessionId: String(view!.sessionId) })}>
            继续学习
          </button>
        </div>
      ) : null}
      {state === "elsewhere" ? (
        <div className="notice warn" role="alert">
          <p>您已在其他窗口或设备上学习，本页计时已暂停（同一时间只计一处）。</p>
          <button type="button" onClick={() => send({ intent: "start" })}>
            在此页学习
          </button>
        </div>
      ) : null}
      {error ? (
        <div className="form-error" role="alert">
          {error}
        </div>
      ) : null}
      <details className="small">
        <summary>学时怎么算</summary>
        {initial.basis}。计时以服务器为准，多开窗口、挂机不计时。
      </details>
    </section>
  );
}
