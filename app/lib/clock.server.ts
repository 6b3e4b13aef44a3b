/** The server's clock. Tests move it to check deadlines; nothing else should call Date.now() for them. */
let offsetMs = 0;

export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

/** Tests only: shift the clock by `ms` (cumulative); `resetClock()` undoes it. */
export function advanceClock(ms: number) {
  offsetMs += ms;
}

export function resetClock() {
  offsetMs = 0;
}
