import { daysBetween } from "../../lib/calendar";

/** One card of the home page's to-do list: what is due, where to act. */
export interface TodoItem {
  key: string;
  kind: "assignment" | "exam" | "retest" | "drill" | "certificate" | "rectification";
  label: string;
  title: string;
  meta: string;
  href: string;
  /** The day it is due (YYYY-MM-DD), if it has one. */
  due: string | null;
  urgency: "urgent" | "soon" | "normal";
  /** A follow-up whose re-test can start right from the card. */
  retestId?: number;
}

export interface TodoInput {
  today: string;
  assignments: {
    courseId: number;
    slug: string;
    title: string;
    dueOn: string | null;
    status: "completed" | "overdue" | "not_started" | "in_progress";
  }[];
  exams: {
    id: number;
    title: string;
    state: "upcoming" | "open" | "closed";
    opensDay: string;
    closesDay: string;
    canStart: boolean;
    openAttemptId: number | null;
  }[];
  followUps: {
    id: number;
    weak_topics: string;
    retest_due: string;
    closed_at: unknown;
    course_slug: string | null;
    course_title: string | null;
  }[];
  drills: { id: number; title: string; status: string; when: string; role: string | null }[];
  certificates: {
    id: number;
    name: string;
    number: string;
    status: string;
    review_due_on: string | null;
    valid_until: string;
  }[];
  rectifications: { id: number; finding: string; due_on: string }[];
}

const left = (today: string, due: string) => {
  const n = daysBetween(today, due);
  return n < 0 ? `已逾期 ${-n} 天` : n === 0 ? "今天截止" : `还剩 ${n} 天`;
};

const urgencyOf = (today: string, due: string | null, soonDays: number): TodoItem["urgency"] => {
  if (!due) return "normal";
  const n = daysBetween(today, due);
  return n < 0 ? "urgent" : n <= soonDays ? "soon" : "normal";
};

const RANK = { urgent: 0, soon: 1, normal: 2 } as const;

/**
 * The to-do list, most urgent first: overdue, then due soon, then the rest; within each by due date (undated last).
 * Pure, so the order is tested without a database.
 */
export function todoItems(input: TodoInput): TodoItem[] {
  const { today } = input;
  const items: TodoItem[] = [];
  for (const f of input.followUps) {
    if (f.closed_at) continue;
    items.push({
      key: `retest-${f.id}`,
      kind: "retest",
      label: "复测",
      title: "逢查必考复测",
      meta: `${f.weak_topics ? `薄弱知识点：${f.weak_topics} · ` : ""}期限 ${f.retest_due}（${left(today, f.retest_due)}）`,
      href: f.course_slug ? `/courses/${f.course_slug}` : "/me",
      due: f.retest_due,
      urgency: urgencyOf(today, f.retest_due, 7),
      retestId: f.id,
    });
  }
  for (const a of input.assignments) {
    if (a.status === "completed") continue;
    items.push({
      key: `assignment-${a.courseId}`,
      kind: "assignment",
      label: "培训",
      title: a.title,
      meta: a.dueOn ? `截止 ${a.dueOn}（${left(today, a.dueOn)}）` : "无截止日期",
      href: `/courses/${a.slug}`,
      due: a.dueOn,
      urgency: urgencyOf(today, a.dueOn, 3),
    });
  }
  for (const e of input.exams) {
    if (e.state === "closed" || (e.state === "open" && !e.canStart && !e.openAttemptId)) continue;
    const upcoming = e.state === "upcoming";
    items.push({
      key: `exam-${e.id}`,
      kind: "exam",
      label: "考试",
      title: e.title,
      meta: upcoming
        ? `${e.opensDay} 开考，${e.closesDay} 截止`
        : e.openAttemptId
          ? `作答中 · ${e.closesDay} 截止`
          : `可以参加 · ${e.closesDay} 截止（${left(today, e.closesDay)}）`,
      href: e.openAttemptId ? `/attempts/${e.openAttemptId}` : "/exams",
      due: e.closesDay,
      urgency: upcoming ? "normal" : urgencyOf(today, e.closesDay, 3),
    });
  }
  for (const c of input.certificates) {
    if (c.status === "valid" || c.status === "revoked") continue;
    const review = c.status === "review_due_soon" || c.status === "review_overdue";
    const lapsed = c.status === "review_overdue" || c.status === "expired";
    items.push({
      key: `certificate-${c.id}`,
      kind: "certificate",
      label: review ? "复审" : "换证",
      title: c.name,
      meta: `${review ? "复审期限" : "有效期至"} ${c.valid_until}（${lapsed ? "已过期" : left(today, c.valid_until)}）· 证号 ${c.number}`,
      href: "/me#certificates",
      due: c.valid_until,
      urgency: lapsed ? "urgent" : urgencyOf(today, c.valid_until, 30),
    });
  }
  for (const r of input.rectifications) {
    items.push({
      key: `rectification-${r.id}`,
      kind: "rectification",
      label: "整改",
      title: r.finding.length > 40 ? `${r.finding.slice(0, 40)}…` : r.finding,
      meta: `整改期限 ${r.due_on}（${left(today, r.due_on)}）`,
      href: `/rectifications/${r.id}`,
      due: r.due_on,
      urgency: urgencyOf(today, r.due_on, 3),
    });
  }
  for (const d of input.drills) {
    if (d.status !== "planned" && d.status !== "running") continue;
    items.push({
      key: `drill-${d.id}`,
      kind: "drill",
      label: "演练",
      title: d.title,
      meta: `${d.status === "running" ? "进行中 · " : ""}${d.when}${d.role ? ` · ${d.role}` : ""}`,
      href: `/drills/${d.id}`,
      due: null,
      urgency: d.status === "running" ? "urgent" : "normal",
    });
  }
  return items.sort((a, b) => RANK[a.urgency] - RANK[b.urgency] || (a.due ?? "9999").localeCompare(b.due ?? "9999"));
}
