/** Pure rules of proctored exam sessions 考试点 (unit-tested in tests/unit/exam-sites-rules.test.ts). */

/** A paused paper resumes with every paused millisecond given back. */
export function resumedDeadline(deadline: Date, pausedAt: Date, resumedAt: Date): Date {
  return new Date(deadline.getTime() + Math.max(0, resumedAt.getTime() - pausedAt.getTime()));
}

/** An extension moves the deadline by whole minutes (also while paused: the stopped clock keeps it). */
export const extendedDeadline = (deadline: Date, minutes: number) => new Date(deadline.getTime() + minutes * 60_000);

/** Time left on a paper: frozen at the pause while paused. */
export function remainingMs(deadline: Date, pausedAt: Date | null, at: Date): number {
  return Math.max(0, deadline.getTime() - (pausedAt ?? at).getTime());
}

export type SeatStatus = "empty" | "absent" | "checked_in" | "answering" | "paused" | "handed_in" | "voided";

export const SEAT_STATUS_LABELS: Record<SeatStatus, string> = {
  empty: "空座",
  absent: "未到",
  checked_in: "已签到",
  answering: "作答中",
  paused: "已暂停",
  handed_in: "已交卷",
  voided: "已作废",
};

/** What the proctor's console shows for one roster row. */
export function seatStatus(r: {
  checkedIn: boolean;
  voided: boolean;
  attempt: { submitted: boolean; paused: boolean } | null;
}): SeatStatus {
  if (r.voided) return "voided";
  if (!r.checkedIn) return "absent";
  if (!r.attempt) return "checked_in";
  if (r.attempt.submitted) return "handed_in";
  return r.attempt.paused ? "paused" : "answering";
}

/** National special-operation theory exams: computer-based, 120 minutes, 80 to pass, random papers. */
export const SPECIAL_OPERATION_THEORY = { minutes: 120, passMark: 80 } as const;
