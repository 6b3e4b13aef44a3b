import { describe, expect, it } from "vitest";
import { todoItems, type TodoInput } from "../../app/modules/notifications/todo";

const empty: TodoInput = {
  today: "2026-11-30",
  assignments: [],
  exams: [],
  followUps: [],
  drills: [],
  certificates: [],
  rectifications: [],
};

describe("the home to-do list", () => {
  it("puts overdue first, then due soon, then the rest by date, and leaves done things out", () => {
    const items = todoItems({
      ...empty,
      assignments: [
        { courseId: 1, slug: "a", title: "远期课程", dueOn: "2027-03-01", status: "not_started" },
        { courseId: 2, slug: "b", title: "已完成课程", dueOn: "2026-11-01", status: "completed" },
        { courseId: 3, slug: "c", title: "两天后截止", dueOn: "2026-12-02", status: "in_progress" },
        { courseId: 4, slug: "d", title: "逾期课程", dueOn: "2026-11-20", status: "overdue" },
      ],
      followUps: [
        {
          id: 7,
          weak_topics: "动火作业",
          retest_due: "2026-12-20",
          closed_at: null,
          course_slug: "hot-work",
          course_title: "动火",
        },
        {
          id: 8,
          weak_topics: "",
          retest_due: "2026-12-01",
          closed_at: new Date(),
          course_slug: null,
          course_title: null,
        },
      ],
      certificates: [
        {
          id: 5,
          name: "氯化工艺作业",
          number: "T1",
          status: "review_due_soon",
          review_due_on: "2026-12-15",
          valid_until: "2026-12-15",
        },
        { id: 6, name: "电工作业", number: "T2", status: "valid", review_due_on: null, valid_until: "2029-01-01" },
      ],
      exams: [
        {
          id: 9,
          title: "年度考试",
          state: "open",
          opensDay: "2026-11-01",
          closesDay: "2026-12-10",
          canStart: true,
          openAttemptId: null,
        },
      ],
    });
    expect(items.map((i) => i.title)).toEqual([
      "逾期课程",
      "两天后截止",
      "氯化工艺作业",
      "年度考试",
      "逢查必考复测",
      "远期课程",
    ]);
    expect(items[0]).toMatchObject({ urgency: "urgent", meta: expect.stringContaining("已逾期 10 天") });
    expect(items.find((i) => i.kind === "retest")).toMatchObject({
      retestId: 7,
      href: "/courses/hot-work",
      meta: expect.stringContaining("动火作业"),
    });
    expect(items.find((i) => i.kind === "certificate")).toMatchObject({ label: "复审", urgency: "soon" });
  });

  it("shows an exam only while the person can still take or finish it", () => {
    const exam = {
      id: 1,
      title: "考试",
      state: "open" as const,
      opensDay: "2026-11-01",
      closesDay: "2026-12-10",
      canStart: false,
      openAttemptId: null,
    };
    expect(todoItems({ ...empty, exams: [exam] })).toHaveLength(0);
    expect(todoItems({ ...empty, exams: [{ ...exam, openAttemptId: 5 }] })[0].href).toBe("/attempts/5");
    expect(todoItems({ ...empty, exams: [{ ...exam, state: "closed" }] })).toHaveLength(0);
  });
});
