/**
 * Answers wait in localStorage until the server has them, so a dropped connection, a reload or a closed tab
 * loses nothing: they are resent in order when the network comes back.
 */
export interface QueuedAnswer {
  position: number;
  answer: string;
  seq: number;
}

const key = (attemptId: number) => `anxun-attempt-${attemptId}`;

export function loadQueue(attemptId: number): { queue: QueuedAnswer[]; seq: number } {
  try {
    const raw = JSON.parse(localStorage.getItem(key(attemptId)) ?? "null") as {
      queue: QueuedAnswer[];
      seq: number;
    } | null;
    return raw && Array.isArray(raw.queue) ? raw : { queue: [], seq: 0 };
  } catch {
    return { queue: [], seq: 0 };
  }
}

export function storeQueue(attemptId: number, state: { queue: QueuedAnswer[]; seq: number }) {
  try {
    localStorage.setItem(key(attemptId), JSON.stringify(state));
  } catch {
    // Private mode or a full quota: answers are still sent, just not kept across reloads.
  }
}

export function clearQueue(attemptId: number) {
  try {
    localStorage.removeItem(key(attemptId));
  } catch {
    /* nothing kept */
  }
}

/** Keep only the newest queued answer per question. */
export function enqueue(queue: QueuedAnswer[], item: QueuedAnswer): QueuedAnswer[] {
  return [...queue.filter((q) => q.position !== item.position), item];
}

export type SendResult = "saved" | "closed" | "offline" | "signed_out" | "rejected";

export async function send(saveUrl: string, item: QueuedAnswer): Promise<SendResult> {
  try {
    const res = await fetch(saveUrl, {
      method: "POST",
      body: new URLSearchParams({ position: String(item.position), answer: item.answer, seq: String(item.seq) }),
      headers: { accept: "application/json" },
    });
    if (res.ok) return "saved";
    if (res.status === 409) return "closed";
    if (res.status === 401) return "signed_out";
    if (res.status >= 500) return "offline";
    return "rejected";
  } catch {
    return "offline";
  }
}

/** 标记 (flags) are the examinee's own notes to check a question again: kept on this phone only. */
export function loadFlags(attemptId: number): number[] {
  try {
    const raw = JSON.parse(localStorage.getItem(`anxun-flags-${attemptId}`) ?? "[]") as unknown;
    return Array.isArray(raw) ? raw.filter((n): n is number => Number.isInteger(n)) : [];
  } catch {
    return [];
  }
}

export function storeFlags(attemptId: number, flags: number[]) {
  try {
    localStorage.setItem(`anxun-flags-${attemptId}`, JSON.stringify(flags));
  } catch {
    /* flags are a convenience */
  }
}

/**
 * The clock's end as this phone saw it first. A reload from the offline copy of the page carries the remaining time of
 * when the copy was made; the remembered end keeps the countdown honest (the server's deadline rules either way).
 */
export function rememberEnd(attemptId: number, end: number): number {
  try {
    const k = `anxun-end-${attemptId}`;
    const known = Number(localStorage.getItem(k));
    const chosen = Number.isFinite(known) && known > 0 ? Math.min(known, end) : end;
    localStorage.setItem(k, String(chosen));
    return chosen;
  } catch {
    return end;
  }
}

export type LeaveReply = { ok: boolean; count?: number; limit?: number | null; handedIn?: boolean; message?: string };

/** Report a 切屏 (or the return from one): the server's reply, "offline" when it could not be reached. */
export async function sendLeave(
  url: string,
  fields: Record<string, string | number>,
): Promise<LeaveReply | "offline" | null> {
  try {
    const res = await fetch(url, {
      method: "POST",
      keepalive: true,
      body: new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])),
      headers: { accept: "application/json" },
    });
    if (res.status >= 500) return "offline";
    return (await res.json()) as LeaveReply;
  } catch {
    return "offline";
  }
}

/**
 * Every answer given on this phone (position → answer and its sequence number), sent or not. A reload from the
 * offline copy of the page carries the answers of when the copy was made; these fill in the rest.
 */
export function loadAnswers(attemptId: number): Record<number, { answer: string; seq: number }> {
  try {
    const raw = JSON.parse(localStorage.getItem(`anxun-answers-${attemptId}`) ?? "{}") as unknown;
    return raw && typeof raw === "object" ? (raw as Record<number, { answer: string; seq: number }>) : {};
  } catch {
    return {};
  }
}

export function storeAnswer(attemptId: number, position: number, answer: string, seq: number) {
  try {
    const all = loadAnswers(attemptId);
    all[position] = { answer, seq };
    localStorage.setItem(`anxun-answers-${attemptId}`, JSON.stringify(all));
  } catch {
    /* the queue still holds unsent answers */
  }
}

export function clearAnswers(attemptId: number) {
  try {
    localStorage.removeItem(`anxun-answers-${attemptId}`);
    localStorage.removeItem(`anxun-flags-${attemptId}`);
    localStorage.removeItem(`anxun-end-${attemptId}`);
  } catch {
    /* nothing kept */
  }
}
