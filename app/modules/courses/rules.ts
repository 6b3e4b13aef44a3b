import { addDays, addYears } from "../../lib/calendar";
import type { Post } from "../../../db/types";

/** Server-counted time a lesson needs before it can be completed: honest reading, not a click-through. */
export function minReadingSeconds(chars: number, charsPerMinute: number, floorSeconds: number): number {
  return Math.max(floorSeconds, Math.ceil((chars / charsPerMinute) * 60));
}

export interface HoursRule {
  post: Post;
  high_risk: number;
  phase: "initial" | "annual";
  hours: number;
  basis: string;
}

/** New in the post: hired within the 12 months before `today`. */
export function isNewHire(hireDate: string | null, today: string): boolean {
  if (!hireDate) return false;
  return hireDate > addYears(today, -1) && hireDate <= today;
}

/** The hours a person must reach this year, and why (docs/domain.md: initial vs annual, high-risk industries). */
export function requiredHours(
  rules: HoursRule[],
  post: Post,
  highRisk: boolean,
  hireDate: string | null,
  today: string,
) {
  const phase = isNewHire(hireDate, today) ? "initial" : "annual";
  const rule = rules.find((r) => r.post === post && Boolean(r.high_risk) === highRisk && r.phase === phase);
  return rule ? { hours: Number(rule.hours), phase, basis: rule.basis } : null;
}

export type AssignmentStatus = "completed" | "overdue" | "in_progress" | "not_started";
export const STATUS_LABELS: Record<AssignmentStatus, string> = {
  completed: "已完成",
  overdue: "逾期",
  in_progress: "学习中",
  not_started: "未开始",
};

/**
 * Where a person stands on an assigned course: 已完成 once the course is completed, 逾期 past the due date without
 * completing, else 学习中 once they studied any of its lessons (progress or a study session), otherwise 未开始.
 */
export function assignmentStatus(
  completedAt: Date | string | null,
  dueOn: string | null,
  today: string,
  started = false,
): AssignmentStatus {
  if (completedAt) return "completed";
  if (dueOn && dueOn < today) return "overdue";
  return started ? "in_progress" : "not_started";
}

/** Due date of a new-hire assignment: a number of days after the hire date. */
export function newHireDueOn(hireDate: string, dueDays: number): string {
  return addDays(hireDate, dueDays);
}

/** Search needle: whitespace removed, at least two characters (one Chinese word is usually two). */
export function searchNeedle(q: string): string | null {
  const needle = q.replace(/\s+/g, "").toLowerCase();
  return needle.length >= 2 ? needle : null;
}

/** A short excerpt of `text` around the first match, for the result list. */
export function excerpt(text: string, at: number, needleLength: number, radius = 40): string {
  const start = Math.max(0, at - radius);
  const end = Math.min(text.length, at + needleLength + radius);
  return `${start > 0 ? "…" : ""}${text.slice(start, end)}${end < text.length ? "…" : ""}`;
}

/**
 * Study time a lesson needs: its share (by length) of the course's declared 学时 at `minutesPerHour` minutes each,
 * and never less than honest reading time. Completing every lesson therefore means the declared hours were studied.
 */
export function lessonRequiredSeconds(o: {
  courseHours: number;
  minutesPerHour: number;
  lessonChars: number;
  courseChars: number;
  readingSeconds: number;
}): number {
  const share = o.courseChars > 0 ? o.lessonChars / o.courseChars : 1;
  return Math.max(o.readingSeconds, Math.ceil(o.courseHours * o.minutesPerHour * 60 * share));
}

/** 学时 earned by active study: whole tenths of an hour, never more than the course declares. */
export function creditedHours(activeSeconds: number, minutesPerHour: number, declaredHours: number): number {
  const earned = Math.floor((activeSeconds / (minutesPerHour * 60)) * 10 + 1e-9) / 10;
  return Math.min(declaredHours, earned);
}

/** Seconds of a study gap that count: only up to the pending check-in, and at most `cap` for one gap. */
export function countedSeconds(lastCounted: Date | null, now: Date, checkinAt: Date, cap: number): number {
  if (!lastCounted) return 0;
  const until = Math.min(now.getTime(), checkinAt.getTime());
  return Math.max(0, Math.min(Math.floor((until - lastCounted.getTime()) / 1000), cap));
}

/** When the next 继续学习 check-in is due: a random moment between min and max seconds from now. */
export function nextCheckinAt(
  now: Date,
  minSeconds: number,
  maxSeconds: number,
  random: () => number = Math.random,
): Date {
  const span = Math.max(0, maxSeconds - minSeconds);
  return new Date(now.getTime() + (minSeconds + Math.floor(random() * (span + 1))) * 1000);
}
