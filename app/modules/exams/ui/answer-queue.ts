/**
 * Answers wait in localStorage until the server has them, so a dropped connection, a reload or a closed tab
 * loses nothing: they are resent in order when the network comes back.
 */
export interface QueuedAnswer { position: number; answer: string; seq: number }

const key = (attemptId: number) => `anxun-attempt-${attemptId}`;

export function loadQueue(attemptId: number): { queue: QueuedAnswer[]; seq: number } {
  try {
    const raw = JSON.parse(localStorage.getItem(key(attemptId)) ?? "null") as { queue: QueuedAnswer[]; seq: number } | null;
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
