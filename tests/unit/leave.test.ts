import { describe, expect, it } from "vitest";
import { leaveWarning, overLeaveLimit } from "../../app/modules/exams/leave";

describe("切屏 rules", () => {
  it("hands in only above the limit, never without one", () => {
    expect(overLeaveLimit(3, 3)).toBe(false);
    expect(overLeaveLimit(4, 3)).toBe(true);
    expect(overLeaveLimit(1, 0)).toBe(true);
    expect(overLeaveLimit(99, null)).toBe(false);
  });

  it("warns in the examinee's words", () => {
    expect(leaveWarning(2, 3)).toBe("已切屏 2 次，超过 3 次将自动交卷。");
    expect(leaveWarning(4, 3)).toBe("已切屏 4 次，超过 3 次，试卷已自动交卷。");
    expect(leaveWarning(1, null)).toContain("已切屏 1 次");
  });
});
