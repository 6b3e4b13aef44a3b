/** The server's clock. Tests move it to check deadlines; nothing else should call Date.now() for them. */
let offsetMs = 0;

export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

/** Today's date (UTC) as YYYY-MM-DD, on the same clock: what due dates and validity are compared with. */
export const todayIso = () => now().toISOString().slice(0, 10);

/** Tests only: shift the clock by `ms` (cumulative); `resetClock()` undoes it. */
export function advanceClock(ms: number) {
  offsetMs += ms;
}

export function resetClock() {
  offsetMs = 0;
}
