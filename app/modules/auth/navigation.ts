import type { Role } from "../../../db/types";

export interface NavItem {
  to: string;
  label: string;
}

/**
 * What each role's navigation offers; every target still authorizes on its own. `items` is the full list (the header
 * at desktop widths, the 菜单 drawer on phones); `tabs` is the phone bottom tab bar (workers only: 首页 / 学习 / 考试 /
 * 我的, with the rest reachable from 我的).
 */
export interface Navigation {
  items: NavItem[];
  tabs: NavItem[];
}

export function navFor(role: Role): Navigation {
  const home = { to: "/", label: "首页" };
  const courses = { to: "/courses", label: "课程" };
  const exams = { to: "/exams", label: "考试" };
  const cert = { to: "/certification", label: "持证" };
  switch (role) {
    case "worker":
      return {
        items: [
          home,
          courses,
          exams,
          { to: "/practice", label: "练习" },
          { to: "/training", label: "我的学时" },
          { to: "/drills", label: "演练" },
          { to: "/me", label: "我的" },
        ],
        tabs: [home, { to: "/courses", label: "学习" }, exams, { to: "/me", label: "我的" }],
      };
    case "enterprise_officer":
      return {
        items: [
          home,
          { to: "/people", label: "人员" },
          cert,
          { to: "/assignments", label: "培训任务" },
          { to: "/training", label: "学时" },
          courses,
          exams,
          { to: "/questions", label: "题库" },
          { to: "/follow-ups", label: "整改复测" },
          { to: "/drills", label: "应急演练" },
          { to: "/accounts", label: "账号" },
          { to: "/regulations", label: "法规库" },
        ],
        tabs: [],
      };
    case "inspector":
    case "regulator":
      return {
        items: [
          home,
          { to: "/inspections", label: "执法检查" },
          { to: "/quiz-stats", label: "逢查必考统计" },
          cert,
          { to: "/drills/compliance", label: "应急演练" },
          { to: "/rescue", label: "救援力量" },
          { to: "/enterprises", label: "企业" },
          { to: "/contests", label: "知识竞赛" },
          { to: "/exam-sites", label: "考试点" },
          { to: "/people", label: "人员" },
          courses,
          // Inspectors and the regulators' staff are learners too (decision 0029): their exams; the regulator keeps
          // the enforcement units' training and 执法证.
          exams,
          { to: "/regulations", label: "法规库" },
          ...(role === "regulator" ? [{ to: "/certification/sync", label: "证书同步" }] : []),
          ...(role === "regulator" ? [{ to: "/enforcement", label: "执法人员" }] : []),
        ],
        tabs: [],
      };
    case "admin":
      return {
        items: [
          home,
          { to: "/regions", label: "区域" },
          { to: "/enterprises", label: "企业" },
          { to: "/people", label: "人员" },
          cert,
          { to: "/accounts", label: "账号" },
          courses,
          { to: "/study-rules", label: "学时规则" },
          { to: "/questions", label: "题库" },
          { to: "/exam-templates", label: "试卷" },
          { to: "/drills/compliance", label: "应急演练" },
          { to: "/regulations", label: "法规库" },
          { to: "/audit", label: "审计日志" },
        ],
        tabs: [],
      };
  }
}
