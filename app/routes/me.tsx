import { roleLabelOf } from "~/modules/auth/policy";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, Link } from "@remix-run/react";
import { requireActor } from "~/modules/auth/session.server";
import { certificatesOf } from "~/modules/certification/certificates.server";
import { KIND_LABELS as CERT_KIND_LABELS, STATUS_LABELS as CERT_STATUS_LABELS } from "~/modules/certification/rules";
import { hoursStatus } from "~/modules/courses/training.server";
import { followUpsOfPerson } from "~/modules/inspections/inspections.server";
import { POST_LABELS } from "~/modules/org/labels";
import { personOverview } from "~/modules/org/overview.server";

export const meta: MetaFunction = () => [{ title: "我的 · 安训" }];

// 我的: the actor's own person, re-tests and certificates (the session is the authorization: own rows only).
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const me = actor.personId;
  const [person, followUps, certificates, hours] = await Promise.all([
    me ? personOverview(me) : null,
    me ? followUpsOfPerson(me) : [],
    me ? certificatesOf(me) : [],
    me ? hoursStatus(me) : null,
  ]);
  return {
    account: { displayName: actor.displayName, username: actor.username, role: roleLabelOf(actor) },
    person: person ? { name: person.name, post: POST_LABELS[person.post], enterprise: person.enterprise_name } : null,
    followUps,
    certificates: certificates.map((c) => ({
      id: c.id,
      name: c.item ?? c.category ?? CERT_KIND_LABELS[c.kind],
      kind: CERT_KIND_LABELS[c.kind],
      number: c.number,
      validUntil: c.valid_until,
      reviewDue: c.review_due_on,
      status: c.status,
      statusLabel: CERT_STATUS_LABELS[c.status],
    })),
    hours: hours ? { done: hours.done, required: hours.required?.hours ?? null } : null,
  };
}

const certBadge = (s: string) =>
  s === "valid" ? "ok" : s === "review_due_soon" || s === "expiring_soon" ? "warn" : "bad";

export default function Me() {
  const { account, person, followUps, certificates, hours } = useLoaderData<typeof loader>();
  const name = person?.name ?? account.displayName;
  const open = followUps.filter((f) => !f.closed_at);
  return (
    <>
      <section className="card me-card">
        <span className="hello">
          <span className="avatar" aria-hidden="true">
            {name.slice(0, 1)}
          </span>
        </span>
        <div>
          <h1 style={{ margin: 0 }}>{name}</h1>
          <p className="muted small" style={{ margin: 0 }}>
            {person ? `${person.post} · ${person.enterprise}` : account.role} · 账号 {account.username}
          </p>
        </div>
      </section>
      {hours ? (
        <div className="quick">
          <Link to="/training">
            <strong>{hours.done}</strong>今年学时
          </Link>
          <Link to="/practice">
            <strong>练</strong>练习错题
          </Link>
          <Link to="/exams">
            <strong>考</strong>我的考试
          </Link>
          <Link to="/drills">
            <strong>演</strong>应急演练
          </Link>
        </div>
      ) : null}
      {person ? (
        <section aria-labelledby="retests">
          <h2 id="retests">
            我的复测 {open.length ? <span className="badge bad">{open.length} 项待复测</span> : null}
          </h2>
          {followUps.length === 0 ? (
            <div className="card todo-empty">没有需要复测的项目。</div>
          ) : (
            <ul className="todo-list">
              {followUps.map((f) => (
                <li key={f.id} className={`todo ${f.closed_at ? "done" : "urgent"}`} data-testid="my-retest">
                  <span className="kind">复测</span>
                  <div className="body">
                    <span className="title">逢查必考复测 · 期限 {f.retest_due}</span>
                    <div className="meta">
                      薄弱知识点：{f.weak_topics || "—"}
                      {f.course_slug ? (
                        <>
                          {" "}
                          · 补学 <Link to={`/courses/${f.course_slug}`}>{f.course_title}</Link>
                        </>
                      ) : null}
                    </div>
                    {f.closed_at ? (
                      <span className="badge ok">
                        已通过
                        {f.closed_how === "retest"
                          ? "复测"
                          : f.closed_how === "next_quiz"
                            ? "后续检查测验"
                            : "（已作废）"}
                      </span>
                    ) : (
                      <Form method="post" action={`/follow-ups/${f.id}/retest`}>
                        <button type="submit">开始复测</button>
                      </Form>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {person ? (
        <section aria-labelledby="certificates-h" id="certificates">
          <h2 id="certificates-h">我的证书</h2>
          {certificates.length === 0 ? (
            <div className="card todo-empty">没有登记的证书。</div>
          ) : (
            <ul className="todo-list">
              {certificates.map((c) => (
                <li
                  key={c.id}
                  className={`todo ${c.status === "valid" ? "done" : certBadge(c.status) === "warn" ? "soon" : "urgent"}`}
                >
                  <span className={`badge ${certBadge(c.status)}`}>{c.statusLabel}</span>
                  <div className="body">
                    <span className="title">{c.name}</span>
                    <div className="meta">
                      {c.kind} · 证号 {c.number}
                      <br />
                      {c.reviewDue ? `复审期限 ${c.reviewDue} · ` : ""}有效至 {c.validUntil}
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      <h2>更多</h2>
      <ul className="me-links">
        <li>
          <Link to="/inbox">站内信</Link>
        </li>
        {person ? (
          <li>
            <Link to="/training">学时记录</Link>
          </li>
        ) : null}
        {person ? (
          <li>
            <Link to="/follow-ups">整改与复测</Link>
          </li>
        ) : null}
        <li>
          <Link to="/regulations">法规库</Link>
        </li>
        <li>
          <Link to="/account/password">修改密码</Link>
        </li>
      </ul>
      <Form method="post" action="/logout" className="actions">
        <button type="submit" className="secondary" style={{ width: "100%" }}>
          退出登录
        </button>
      </Form>
    </>
  );
}
