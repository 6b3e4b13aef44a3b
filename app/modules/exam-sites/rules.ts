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

/** A session's status as officers read it. */
export const SESSION_STATUS_LABELS = {
  scheduled: "未开始",
  running: "考试中",
  paused: "已暂停",
  ended: "已结束",
} as const;

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

export type Identity = "unchecked" | "ok" | "doubtful";
export const IDENTITY_LABELS: Record<Identity, string> = { unchecked: "待核验", ok: "核验通过", doubtful: "存疑" };

/**
 * The flag the console shows by a seat's photos (no face recognition: the proctor compares the photos with the
 * person in the seat). 存疑 when the proctor marked it so; where the room's camera is on, a missing check-in photo, or
 * a missing seat photo once the paper is out, is flagged until the proctor checks the person (核验通过).
 */
export function photoFlag(r: {
  camera: boolean;
  checkedIn: boolean;
  checkInPhoto: boolean;
  seatPhoto: boolean;
  started: boolean;
  identity: Identity;
}): string | null {
  if (r.identity === "doubtful") return "存疑：照片与本人不符";
  if (r.identity === "ok" || !r.camera || !r.checkedIn) return null;
  if (!r.checkInPhoto) return "缺少签到照片";
  if (r.started && !r.seatPhoto) return "座位端未拍照";
  return null;
}

/** The image type of uploaded bytes (JPEG or PNG by their signature), or null. */
export function imageType(b: Uint8Array): "image/jpeg" | "image/png" | null {
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8) return "image/jpeg";
  if (b.length > 4 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return "image/png";
  return null;
}

/** Every planning edit of a session that has started (or ended) is refused with this. */
export const STARTED_MESSAGE = "本场考试已经开始或已结束，不能再修改考试安排、考生名单或监考人员。";

/** Numbered seat labels: prefix + the number padded to two digits (three past 99), from `from + 1`, `count` of them. */
export function seatLabels(prefix: string, from: number, count: number): string[] {
  const width = from + count > 99 ? 3 : 2;
  return Array.from({ length: Math.max(0, count) }, (_, i) => `${prefix}${String(from + i + 1).padStart(width, "0")}`);
}
