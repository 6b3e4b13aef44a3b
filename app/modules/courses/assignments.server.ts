import { type Result, refuse } from "~/lib/result";
import { db } from "../../lib/db.server";
import { workbookBuffer } from "../../lib/excel.server";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import { POST_LABELS } from "../org/labels";
import type { Database, Post } from "../../../db/types";
import type { Kysely, Transaction } from "kysely";
import { notify } from "../notifications/notify.server";
import { assignmentStatus, newHireDueOn, STATUS_LABELS, type AssignmentStatus } from "./rules";
import type { AssignmentInput } from "./training-schema";
import { dayOf } from "../../lib/calendar";
import { todayIso } from "../../lib/clock.server";
import { sql } from "kysely";

type AssignmentRow = {
  id: number;
  course_id: number;
  target: "everyone" | "post" | "person" | "new_hires";
  target_post: Post | null;
  target_person_id: number | null;
  due_on: string | null;
  due_days: number | null;
  created_at: Date;
};

/** Does an assignment apply to this person, and by when? (new hires: people hired since it was made) */
export function appliesTo(
  a: AssignmentRow,
  p: { id: number; post: Post; hire_date: string | null },
): { dueOn: string | null } | null {
  switch (a.target) {
    case "everyone":
      return { dueOn: a.due_on };
    case "post":
      return a.target_post === p.post ? { dueOn: a.due_on } : null;
    case "person":
      return a.target_person_id === p.id ? { dueOn: a.due_on } : null;
    case "new_hires": {
      const since = dayOf(a.created_at);
      return p.hire_date && p.hire_date >= since ? { dueOn: newHireDueOn(p.hire_date, a.due_days ?? 30) } : null;
    }
  }
}

const assignmentColumns = [
  "course_assignment.id",
  "course_assignment.course_id",
  "course_assignment.target",
  "course_assignment.target_post",
  "course_assignment.target_person_id",
  "course_assignment.due_on",
  "course_assignment.due_days",
  "course_assignment.created_at",
] as const;

export async function createAssignment(actor: Actor, enterpriseId: number, input: AssignmentInput, ip: string) {
  const course = await db
    .selectFrom("course")
    .select(["id"])
    .where("id", "=", input.courseId)
    .where("active", "=", 1)
    .executeTakeFirst();
  if (!course) return refuse(422, "课程不存在", "courseId");
  if (input.target === "person") {
    const p = await db
      .selectFrom("person")
      .select("enterprise_id")
      .where("id", "=", input.targetPersonId!)
      .executeTakeFirst();
    if (!p || p.enterprise_id !== enterpriseId) return refuse(422, "该人员不属于本企业", "targetPersonId");
  }
  const values = {
    enterprise_id: enterpriseId,
    course_id: input.courseId,
    target: input.target,
    target_post: input.target === "post" ? (input.targetPost as Post) : null,
    target_person_id: input.target === "person" ? input.targetPersonId! : null,
    due_on: input.target === "new_hires" ? null : input.dueOn!,
    due_days: input.target === "new_hires" ? input.dueDays! : null,
    created_by: actor.userId,
  };
  const id = await db.transaction().execute(async (trx) => {
    const res = await trx.insertInto("course_assignment").values(values).executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "assignment.created",
      entityType: "course_assignment",
      entityId: Number(res.insertId),
      after: values,
      ip,
    });
    const course = await trx
      .selectFrom("course")
      .select(["slug", "title"])
      .where("id", "=", values.course_id)
      .executeTakeFirstOrThrow();
    await notify(trx, {
      personIds: await pendingAssignees(trx, values),
      kind: "assignment",
      title: `新的培训任务：${course.title}`,
      body: values.due_on ? `请在 ${values.due_on} 前完成学习。` : "请按期完成学习。",
      link: `/courses/${course.slug}`,
      dedupeKey: `assignment:${Number(res.insertId)}`,
      createdBy: actor.userId,
    });
    return Number(res.insertId);
  });
  return { ok: true as const, id };
}

export async function withdrawAssignment(actor: Actor, id: number, ip: string) {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("course_assignment").set({ active: 0 }).where("id", "=", id).execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "assignment.withdrawn",
      entityType: "course_assignment",
      entityId: id,
      ip,
    });
  });
}

export async function assignmentEnterprise(id: number) {
  return db
    .selectFrom("course_assignment")
    .innerJoin("enterprise", "enterprise.id", "course_assignment.enterprise_id")
    .select(["course_assignment.id", "course_assignment.enterprise_id", "enterprise.region_path"])
    .where("course_assignment.id", "=", id)
    .executeTakeFirst();
}

/** A person's assigned courses with due dates and status, soonest first. */
export async function assignmentsForPerson(personId: number, today = todayIso()) {
  // One statement: the person's row joined to their enterprise's assignments (a home page asks on every load).
  const rows = await db
    .selectFrom("person")
    .innerJoin("course_assignment", "course_assignment.enterprise_id", "person.enterprise_id")
    .innerJoin("course", "course.id", "course_assignment.course_id")
    .leftJoin("course_completion", (j) =>
      j
        .onRef("course_completion.course_id", "=", "course_assignment.course_id")
        .on("course_completion.person_id", "=", personId),
    )
    .select([
      ...assignmentColumns,
      "course.slug",
      "course.title",
      "course.hours",
      "course_completion.completed_at",
      "person.post as person_post",
      "person.hire_date as person_hire_date",
    ])
    .where("person.id", "=", personId)
    .where("course_assignment.active", "=", 1)
    .where("course.active", "=", 1)
    .execute();
  const person = rows[0] ? { id: personId, post: rows[0].person_post, hire_date: rows[0].person_hire_date } : null;
  const started = await startedCourses([personId], [...new Set(rows.map((r) => r.course_id))]);
  const out = new Map<
    number,
    { courseId: number; slug: string; title: string; hours: number; dueOn: string | null; status: AssignmentStatus }
  >();
  for (const r of rows) {
    const hit = appliesTo(r, person!);
    if (!hit) continue;
    const prev = out.get(r.course_id);
    // Several assignments of one course: the earliest due date counts.
    if (prev && prev.dueOn && (!hit.dueOn || prev.dueOn <= hit.dueOn)) continue;
    out.set(r.course_id, {
      courseId: r.course_id,
      slug: r.slug,
      title: r.title,
      hours: Number(r.hours),
      dueOn: hit.dueOn,
      status: assignmentStatus(r.completed_at, hit.dueOn, today, started.has(`${personId}:${r.course_id}`)),
    });
  }
  return [...out.values()].sort((a, b) => (a.dueOn ?? "9999").localeCompare(b.dueOn ?? "9999"));
}

/** Every assignment of an enterprise with assignee, completed and overdue counts. */
export async function enterpriseAssignments(enterpriseId: number, today = todayIso()) {
  const [assignments, people] = await Promise.all([
    db
      .selectFrom("course_assignment")
      .innerJoin("course", "course.id", "course_assignment.course_id")
      .select([...assignmentColumns, "course.title", "course.slug"])
      .where("course_assignment.enterprise_id", "=", enterpriseId)
      .where("course_assignment.active", "=", 1)
      .orderBy("course_assignment.id", "desc")
      .execute(),
    db
      .selectFrom("person")
      .select(["id", "name", "post", "hire_date"])
      .where("enterprise_id", "=", enterpriseId)
      .where("active", "=", 1)
      .execute(),
  ]);
  const courseIds = [...new Set(assignments.map((a) => a.course_id))];
  const completions = courseIds.length
    ? await db
        .selectFrom("course_completion")
        .innerJoin("person", "person.id", "course_completion.person_id")
        .select(["course_completion.person_id", "course_completion.course_id", "course_completion.completed_at"])
        .where("person.enterprise_id", "=", enterpriseId)
        .where("course_completion.course_id", "in", courseIds)
        .execute()
    : [];
  const done = new Map(completions.map((c) => [`${c.person_id}:${c.course_id}`, c.completed_at]));
  const started = await startedCourses(
    people.map((p) => p.id),
    courseIds,
    enterpriseId,
  );
  return assignments.map((a) => {
    const rows = people.flatMap((p) => {
      const hit = appliesTo(a, p);
      if (!hit) return [];
      const completedAt = done.get(`${p.id}:${a.course_id}`) ?? null;
      return [
        {
          personId: p.id,
          name: p.name,
          post: p.post,
          dueOn: hit.dueOn,
          completedAt,
          status: assignmentStatus(completedAt, hit.dueOn, today, started.has(`${p.id}:${a.course_id}`)),
        },
      ];
    });
    return {
      id: a.id,
      courseId: a.course_id,
      title: a.title,
      slug: a.slug,
      target: a.target,
      targetPost: a.target_post,
      dueOn: a.due_on,
      dueDays: a.due_days,
      people: rows,
      assigned: rows.length,
      completed: rows.filter((r) => r.status === "completed").length,
      overdue: rows.filter((r) => r.status === "overdue").length,
      inProgress: rows.filter((r) => r.status === "in_progress").length,
      notStarted: rows.filter((r) => r.status === "not_started").length,
    };
  });
}

/** Completion and overdue list of every assignment, one row per person and course. */
export async function assignmentsWorkbook(enterpriseId: number) {
  const list = await enterpriseAssignments(enterpriseId);
  const rows = list.flatMap((a) =>
    a.people.map((p) => [
      a.title,
      p.name,
      POST_LABELS[p.post],
      p.dueOn ?? "",
      STATUS_LABELS[p.status],
      p.completedAt ? dayOf(p.completedAt) : "",
    ]),
  );
  return workbookBuffer(
    "培训任务完成情况",
    [
      { header: "课程", width: 28 },
      { header: "姓名", width: 12 },
      { header: "岗位", width: 18 },
      { header: "截止日期", width: 12 },
      { header: "状态", width: 10 },
      { header: "完成日期", width: 12 },
    ],
    rows,
  );
}

/**
 * The people an assignment names now who have not completed its course (for notices and reminders). New-hire
 * assignments name people as they are hired, so they are not expanded here.
 */
export async function pendingAssignees(
  q: Kysely<Database> | Transaction<Database>,
  a: {
    enterprise_id: number;
    course_id: number;
    target: string;
    target_post: Post | null;
    target_person_id: number | null;
  },
) {
  if (a.target === "new_hires") return [];
  let query = q
    .selectFrom("person")
    .leftJoin("course_completion", (j) =>
      j.onRef("course_completion.person_id", "=", "person.id").on("course_completion.course_id", "=", a.course_id),
    )
    .select("person.id")
    .where("person.enterprise_id", "=", a.enterprise_id)
    .where("person.active", "=", 1)
    .where("course_completion.person_id", "is", null);
  if (a.target === "post") query = query.where("person.post", "=", a.target_post!);
  if (a.target === "person") query = query.where("person.id", "=", a.target_person_id!);
  return (await query.execute()).map((r) => r.id);
}

/**
 * "person:course" keys of those who studied a course at all: any lesson progress or any study session of it.
 * For an enterprise: one grouped read over its people's rows (lesson_progress by lesson, study_session by course).
 */
async function startedCourses(personIds: number[], courseIds: number[], enterpriseId?: number): Promise<Set<string>> {
  if (!personIds.length || !courseIds.length) return new Set();
  const who =
    enterpriseId === undefined
      ? sql`IN (${sql.join(personIds)})`
      : sql`IN (SELECT id FROM person WHERE enterprise_id = ${enterpriseId})`;
  const rows = await sql<{ person_id: number; course_id: number }>`
    SELECT lp.person_id, l.course_id FROM lesson_progress lp JOIN lesson l ON l.id = lp.lesson_id
      WHERE l.course_id IN (${sql.join(courseIds)}) AND lp.person_id ${who}
    UNION
    SELECT s.person_id, s.course_id FROM study_session s WHERE s.course_id IN (${sql.join(courseIds)}) AND s.person_id ${who}`.execute(
    db,
  );
  return new Set(rows.rows.map((r) => `${r.person_id}:${r.course_id}`));
}

export type RemindResult = Result<{ notified: number; pending: number }>;

/**
 * 一键催学: notify everyone the assignment applies to who has not completed it. One reminder per person and day
 * (dedupeKey), so pressing twice in a day reminds nobody twice; the press is audited either way.
 */
export async function remindAssignment(
  actor: Actor,
  assignmentId: number,
  ip: string,
  today = todayIso(),
): Promise<RemindResult> {
  const a = await db
    .selectFrom("course_assignment")
    .select(["id", "enterprise_id", "active"])
    .where("id", "=", assignmentId)
    .executeTakeFirst();
  if (!a || !a.active) return refuse(409, "该培训任务已撤销，不能催学。");
  const assignment = (await enterpriseAssignments(a.enterprise_id, today)).find((x) => x.id === assignmentId);
  if (!assignment) return refuse(409, "该培训任务已撤销，不能催学。");
  const pending = assignment.people.filter((p) => p.status !== "completed");
  if (!pending.length) return refuse(409, "所有人员都已完成，无需催学。");
  const notified = await db.transaction().execute(async (trx) => {
    const n = await notify(trx, {
      personIds: pending.map((p) => p.personId),
      kind: "reminder",
      title: `请尽快完成培训：${assignment.title}`,
      body: assignment.dueOn ? `截止日期 ${assignment.dueOn}。` : "请尽快完成。",
      link: `/courses/${assignment.slug}`,
      dedupeKey: `assignment-remind:${assignmentId}:${today}`,
      createdBy: actor.userId,
    });
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "assignment.reminded",
      entityType: "course_assignment",
      entityId: assignmentId,
      after: { pending: pending.length, notified: n, day: today },
      ip,
    });
    return n;
  });
  return { ok: true, notified, pending: pending.length };
}
