import { setClockSource, today } from "./calendar";

/** The server's clock. Tests move it to check deadlines; nothing else should call Date.now() for them. */
let offsetMs = 0;

export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

/** Today in the configured time zone (calendar.ts), "YYYY-MM-DD", on the same clock. */
export const todayIso = () => today();
setClockSource(now);

/** Tests only: shift the clock by `ms` (cumulative); `resetClock()` undoes it. */
export function advanceClock(ms: number) {
  offsetMs += ms;
}

/** Tests only: set the clock to an instant. */
export function setClock(at: Date) {
  offsetMs = at.getTime() - Date.now();
}

export function resetClock() {
  offsetMs = 0;
}
