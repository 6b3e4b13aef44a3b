import { POST_LABELS, POSTS } from "~/modules/org/labels";
import { dayOf } from "~/lib/calendar";

export interface ProfileView {
  headcount: Record<string, number>;
  quizzes: { id: number; created_at: string | Date; people: number; passed: number }[];
  followUps: {
    id: number;
    name: string;
    post: string;
    weak_topics: string;
    retest_due: string;
    course_title: string | null;
  }[];
  managementFailed: boolean;
  certification: { required: number; holding: number; rate: number | null; dueIn90: number; overdue: number };
}

/** The enterprise at a glance, for the inspector on site. */
export function EnterpriseProfile({ p }: { p: ProfileView }) {
  return (
    <>
      {p.managementFailed ? (
        <div className="form-error" role="alert">
          该企业有主要负责人或安全生产管理人员逢查必考不合格，尚未通过复测。
        </div>
      ) : null}
      <div className="grid">
        {POSTS.map((post) => (
          <div key={post}>
            <div className="stat">{p.headcount[post] ?? 0}</div>
            <div className="stat-label">{POST_LABELS[post]}</div>
          </div>
        ))}
      </div>
      <h3>持证情况</h3>
      <p className="small" data-testid="profile-certification">
        应持证 {p.certification.required} 人，持有效证书 {p.certification.holding} 人 （
        {p.certification.rate === null ? "—" : `${(p.certification.rate * 100).toFixed(1)}%`}）；90 天内需复审或到期{" "}
        {p.certification.dueIn90} 张，已逾期 {p.certification.overdue} 张
      </p>
      <h3>以往测验</h3>
      {p.quizzes.length === 0 ? (
        <p className="muted small">暂无。</p>
      ) : (
        <ul className="small">
          {p.quizzes.map((q) => (
            <li key={q.id}>
              {dayOf(q.created_at)}：{q.people} 人参加，{q.passed} 人合格
            </li>
          ))}
        </ul>
      )}
      <h3>未关闭的整改（复测）</h3>
      {p.followUps.length === 0 ? (
        <p className="muted small">暂无。</p>
      ) : (
        <ul className="small">
          {p.followUps.map((f) => (
            <li key={f.id}>
              {f.name}（{POST_LABELS[f.post as keyof typeof POST_LABELS]}）薄弱：{f.weak_topics || "—"}，复测期限{" "}
              {f.retest_due}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
