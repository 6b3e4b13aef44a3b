import { listScope } from "~/modules/auth/policy";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, Link } from "@remix-run/react";
import { forbidden } from "~/lib/http";
import { requireActor } from "~/modules/auth/session.server";
import { can } from "~/modules/auth/policy";
import { trainingEnterprise } from "~/modules/courses/access.server";
import { followUpsOfPerson, openFollowUps } from "~/modules/inspections/inspections.server";
import { POST_LABELS } from "~/modules/org/labels";

export const meta: MetaFunction = () => [{ title: "整改与复测 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const mine = actor.personId ? await followUpsOfPerson(actor.personId) : [];
  let enterprise = null;
  let canLink = false;
  if (
    listScope(actor).kind !== "person" &&
    (actor.enterpriseId || new URL(request.url).searchParams.has("enterpriseId"))
  ) {
    const e = await trainingEnterprise(actor, new URL(request.url), "view");
    enterprise = await openFollowUps(e.id);
    // Officers and inspectors hand out one-time re-test links for people without an account.
    canLink = can(actor, "update", { type: "follow_up", enterpriseId: e.id, regionPath: e.regionPath, personId: 0 });
  }
  if (!actor.personId && !enterprise) forbidden("您没有可查看的整改事项。");
  return { mine, enterprise, canLink };
}

export default function FollowUps() {
  const { mine, enterprise, canLink } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>整改与复测</h1>
      {enterprise ? (
        <section aria-labelledby="ent">
          <h2 id="ent">本企业未关闭的复测（逢查必考不合格）</h2>
          <div className="table-wrap">
            <table className="responsive">
              <thead>
                <tr>
                  <th>姓名</th>
                  <th>岗位</th>
                  <th>薄弱知识点</th>
                  <th>补学课程</th>
                  <th>复测期限</th>
                  {canLink ? <th>复测链接</th> : null}
                </tr>
              </thead>
              <tbody>
                {enterprise.map((f) => (
                  <tr key={f.id}>
                    <td data-label="姓名">
                      <Link to={`/people/${f.person_id}`}>{f.name}</Link>
                    </td>
                    <td data-label="岗位">{POST_LABELS[f.post]}</td>
                    <td data-label="薄弱">{f.weak_topics || "—"}</td>
                    <td data-label="课程">
                      {f.course_slug ? <Link to={`/courses/${f.course_slug}`}>{f.course_title}</Link> : "—"}
                    </td>
                    <td data-label="期限">{f.retest_due}</td>
                    {canLink ? (
                      <td data-label="链接">
                        <Link to={`/follow-ups/${f.id}/link`}>发复测链接</Link>
                      </td>
                    ) : null}
                  </tr>
                ))}
                {enterprise.length === 0 ? (
                  <tr>
                    <td colSpan={canLink ? 6 : 5} className="muted">
                      没有未关闭的复测。
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      {mine.length ? (
        <section aria-labelledby="mine">
          <h2 id="mine">我的复测</h2>
          {mine.map((f) => (
            <article key={f.id} className="card">
              <p>
                薄弱知识点：{f.weak_topics || "—"}。
                {f.course_slug ? (
                  <>
                    请先学习 <Link to={`/courses/${f.course_slug}`}>{f.course_title}</Link>，
                  </>
                ) : null}
                复测期限 {f.retest_due}。
              </p>
              {f.closed_at ? (
                <span className="badge ok">已通过{f.closed_how === "retest" ? "复测" : "后续检查测验"}</span>
              ) : (
                <Form method="post" action={`/follow-ups/${f.id}/retest`}>
                  <button type="submit">开始复测</button>
                </Form>
              )}
            </article>
          ))}
        </section>
      ) : null}
    </>
  );
}
