/**
 * 切屏 rules (docs/decisions/0021), pure so the page and the server say the same thing. A leave is the paper page
 * being hidden (another app, another tab, the screen off) or losing focus. Two signals within LEAVE_MERGE_MS are one
 * leave (switching apps fires both blur and visibilitychange).
 */
export const LEAVE_MERGE_MS = 1500;

/** Whether this leave count hands the paper in: more leaves than the limit (NULL = no limit). */
export const overLeaveLimit = (count: number, limit: number | null) => limit !== null && count > limit;

/** What the examinee reads after coming back. */
export function leaveWarning(count: number, limit: number | null): string {
  if (limit === null) return `已切屏 ${count} 次。离开答题页面的次数和时间会记录并报告给考试管理员。`;
  if (count > limit) return `已切屏 ${count} 次，超过 ${limit} 次，试卷已自动交卷。`;
  return `已切屏 ${count} 次，超过 ${limit} 次将自动交卷。`;
}
