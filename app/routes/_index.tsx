import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireActor } from "~/modules/auth/session.server";
import { POST_LABELS, POSTS, RISK_LABELS, RISK_LEVELS, ROLE_LABELS } from "~/modules/org/labels";
import { homeFor } from "~/modules/org/overview.server";
import { assignmentsForPerson, enterpriseAssignments } from "~/modules/courses/assignments.server";
import { hoursStatus } from "~/modules/courses/training.server";
import { certificationGlance } from "~/modules/certification/rates.server";
import { todayIso } from "~/lib/clock.server";
import { myDrills } from "~/modules/drills/drills.server";
import { openRectificationsOwnedBy, overdueRectifications } from "~/modules/drills/rectifications.server";
import { DrillList, RectificationList } from "~/modules/drills/ui/parts";
import { STATUS_LABELS } from "~/modules/courses/rules";
import { cockpitFor } from "~/modules/cockpit/access.server";
import { Cockpit } from "~/modules/cockpit/ui/cockpit";

export const meta: MetaFunction = () => [{ title: "首页 · 安训" }];

// The home page shows only the actor's own scope (own person, own enterprise, own region), so the
// session is the authorization: nothing here reads outside it.
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const officer = actor.role === "enterprise_officer" && actor.enterpriseId ? actor.enterpriseId : null;
  const [home, assignments, hours, training, certification, overdueItems, ownedItems, drills] = await Promise.all([
    homeFor(actor),
    actor.personId ? assignmentsForPerson(actor.personId) : null,
    actor.personId ? hoursStatus(actor.personId) : null,
    officer ? enterpriseAssignments(officer) : null,
    officer ? certificationGlance(officer) : null,
    officer ? overdueRectifications(officer) : null,
    actor.personId ? openRectificationsOwnedBy(actor.personId) : null,
    myDrills(actor, 10),
  ]);
  // Regulators, inspectors and admins land on the cockpit 驾驶舱 of their region (admins: the whole city).
  const regional = actor.role === "regulator" || actor.role === "inspector" || actor.role === "admin";
  const cockpit = regional && (actor.role === "admin" || actor.regionPath) ? await cockpitFor(actor, new URL(request.url)) : null;
  const overdue = training?.reduce((n, a) => n + a.overdue, 0) ?? null;
  // Drills this person is in that are still to come or under way (as much of them as their role may see).
  const comingDrills = drills.filter((d) => d.status === "planned" || d.status === "running");
  return { name: actor.displayName, roleLabel: ROLE_LABELS[actor.role], home, assignments, hours, overdue, certification, overdueItems, ownedItems, comingDrills,
    today: todayIso(), cockpit };
}

export default function Home() {
  const { name, roleLabel, home, assignments, hours, overdue, certification, overdueItems, ownedItems, comingDrills, today, cockpit } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>您好，{name}</h1>
      <p className="muted" data-testid="role">{roleLabel}</p>
      {cockpit ? (
        <section aria-labelledby="cockpit">
          <h2 id="cockpit" className="cockpit-title">驾驶舱：{cockpit.region.name}</h2>
          <Cockpit {...cockpit} basePath="/" />
        </section>
      ) : null}
      {hours ? (
        <section className="card" aria-labelledby="hours">
          <h2 id="hours">今年学时</h2>
          <p><span className="stat" data-testid="home-hours">{hours.done}</span>
            {hours.required ? <span className="muted"> / 要求 {hours.required.hours} 学时</span> : null}</p>
          {hours.required ? <div className="progress"><div style={{ width: `${Math.min(100, (100 * hours.done) / hours.required.hours)}%` }} /></div> : null}
          <p className="small"><a href="/training">查看学时记录</a></p>
        </section>
      ) : null}
      {assignments ? (
        <section className="card" aria-labelledby="tasks">
          <h2 id="tasks">我的培训任务</h2>
          {assignments.length === 0 ? <p className="muted">暂无培训任务。</p> : (
            <ul className="lesson-list">
              {assignments.map((a) => (
                <li key={a.courseId}>
                  <a href={`/courses/${a.slug}`}>{a.title}</a>
                  <span className="small">{a.dueOn ? `截止 ${a.dueOn} ` : ""}
                    <span className={`badge ${a.status === "completed" ? "ok" : a.status === "overdue" ? "bad" : ""}`}>{STATUS_LABELS[a.status]}</span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {certification ? (
        <section className="card" aria-labelledby="cert">
          <h2 id="cert">持证</h2>
          <p>持证率 <strong>{certification.rate === null ? "—" : `${(certification.rate * 100).toFixed(1)}%`}</strong>（{certification.holding}/{certification.required}）</p>
          <p>90 天内需复审或到期 <strong data-testid="cert-due">{certification.dueIn90}</strong> 张，已逾期 <strong data-testid="cert-overdue">{certification.overdue}</strong> 张。
            <a href="/certification">查看持证情况</a></p>
        </section>
      ) : null}
      {overdueItems?.length ? (
        <section className="card" aria-labelledby="rect">
          <h2 id="rect">逾期未完成的演练整改 <span className="badge bad" data-testid="overdue-rectifications">{overdueItems.length}</span></h2>
          <RectificationList items={overdueItems} today={today} empty="" />
          <p className="small"><a href="/drills">查看应急演练</a></p>
        </section>
      ) : null}
      {comingDrills.length ? (
        <section className="card" aria-labelledby="drills">
          <h2 id="drills">我参与的应急演练</h2>
          <DrillList drills={comingDrills} empty="" />
        </section>
      ) : null}
      {ownedItems?.length ? (
        <section className="card" aria-labelledby="owned">
          <h2 id="owned">我负责的演练整改</h2>
          <RectificationList items={ownedItems} today={today} empty="" />
        </section>
      ) : null}
      {overdue !== null ? (
        <section className="card" aria-labelledby="overdue">
          <h2 id="overdue">培训任务</h2>
          <p>逾期未完成：<strong>{overdue}</strong> 人次。<a href="/assignments">查看培训任务</a> · <a href="/training">全员学时</a></p>
        </section>
      ) : null}
      {home.kind === "worker" ? (
        <section className="card" aria-labelledby="me">
          <h2 id="me">我的信息</h2>
          {home.person ? (
            <dl>
              <dt className="muted small">姓名</dt><dd>{home.person.name}</dd>
              <dt className="muted small">岗位</dt><dd>{POST_LABELS[home.person.post]}</dd>
              <dt className="muted small">单位</dt><dd>{home.person.enterprise_name}</dd>
            </dl>
          ) : <p className="muted">您的账号尚未关联人员档案，请联系本企业安全培训管理员。</p>}
        </section>
      ) : null}
      {home.kind === "enterprise" ? (
        <section className="card" aria-labelledby="ent">
          <h2 id="ent">{home.enterprise?.name ?? "本企业"}</h2>
          <div className="grid">
            {POSTS.map((post) => (
              <div key={post}><div className="stat">{home.headcount[post] ?? 0}</div><div className="stat-label">{POST_LABELS[post]}</div></div>
            ))}
          </div>
          <div className="actions"><a className="button" href="/people">管理人员</a><a className="button secondary" href="/people/import">从 Excel 导入人员</a></div>
        </section>
      ) : null}
      {home.kind === "region" ? (
        <section className="card" aria-labelledby="reg">
          <h2 id="reg">辖区：{home.regionName}</h2>
          <div className="grid">
            {RISK_LEVELS.map((r) => (
              <div key={r}><div className={`stat risk-${r}`}>{home.enterprisesByRisk[r] ?? 0}</div><div className="stat-label">{RISK_LABELS[r]}企业</div></div>
            ))}
          </div>
          <h2>按行业</h2>
          <ul>{home.enterprisesByIndustry.map((i) => <li key={i.name}>{i.name}：{i.count} 家</li>)}</ul>
          <div className="actions"><a className="button" href="/enterprises">查看辖区企业</a></div>
        </section>
      ) : null}
      {home.kind === "admin" ? (
        <section className="card" aria-labelledby="adm">
          <h2 id="adm">系统概况</h2>
          <div className="grid">
            <div><div className="stat">{home.regions}</div><div className="stat-label">区域</div></div>
            <div><div className="stat">{home.enterprises}</div><div className="stat-label">企业</div></div>
            <div><div className="stat">{home.accounts}</div><div className="stat-label">账号</div></div>
          </div>
        </section>
      ) : null}
    </>
  );
}
