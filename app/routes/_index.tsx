import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, Link } from "@remix-run/react";
import { requireActor } from "~/modules/auth/session.server";
import { POST_LABELS, POSTS, RISK_LABELS, RISK_LEVELS } from "~/modules/org/labels";
import { homeFor, personName } from "~/modules/org/overview.server";
import { assignmentsForPerson, enterpriseAssignments } from "~/modules/courses/assignments.server";
import { hoursStatus } from "~/modules/courses/training.server";
import { certificationGlance } from "~/modules/certification/rates.server";
import { todayIso } from "~/lib/clock.server";
import { myDrills } from "~/modules/drills/drills.server";
import { openRectificationsOwnedBy, overdueRectifications } from "~/modules/drills/rectifications.server";
import { DrillList, drillWhen, RectificationList } from "~/modules/drills/ui/parts";
import { dayOf } from "~/lib/calendar";
import { examsForPerson } from "~/modules/exams/exams.server";
import { certificatesOf } from "~/modules/certification/certificates.server";
import { KIND_LABELS as CERT_KIND_LABELS } from "~/modules/certification/rules";
import { followUpsOfPerson } from "~/modules/inspections/inspections.server";
import { todoItems, type TodoItem } from "~/modules/notifications/todo";
import { cockpitFor } from "~/modules/cockpit/access.server";
import { Cockpit } from "~/modules/cockpit/ui/cockpit";
import { listScope, roleLabelOf } from "~/modules/auth/policy";

export const meta: MetaFunction = () => [{ title: "首页 · 安训" }];

// The home page shows only the actor's own scope (own person, own enterprise, own region), so the
// session is the authorization: nothing here reads outside it.
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const scope = listScope(actor);
  const officer = scope.kind === "enterprise" ? scope.enterpriseId : null;
  const me = actor.personId;
  // Every read is one of the actor's own index ranges (person id, enterprise id, region path), all at once.
  const [
    home,
    assignments,
    hours,
    training,
    certification,
    overdueItems,
    ownedItems,
    drills,
    exams,
    followUps,
    certificates,
    ownName,
  ] = await Promise.all([
    homeFor(actor),
    me ? assignmentsForPerson(me) : null,
    me ? hoursStatus(me) : null,
    officer ? enterpriseAssignments(officer) : null,
    officer ? certificationGlance(officer) : null,
    officer ? overdueRectifications(officer) : null,
    me ? openRectificationsOwnedBy(me) : null,
    myDrills(actor, 10),
    me ? examsForPerson(me) : null,
    me ? followUpsOfPerson(me) : null,
    me ? certificatesOf(me) : null,
    me ? personName(me) : null,
  ]);
  // Regulators, inspectors and admins land on the cockpit 驾驶舱 of their region (admins: the whole city).
  const cockpit =
    scope.kind === "region" || scope.kind === "all" ? await cockpitFor(actor, new URL(request.url)) : null;
  const overdue = training?.reduce((n, a) => n + a.overdue, 0) ?? null;
  // Drills this person is in that are still to come or under way (as much of them as their role may see).
  const comingDrills = drills.filter((d) => d.status === "planned" || d.status === "running");
  const today = todayIso();
  const ROLE_IN_DRILL: Record<string, string> = {
    organizer: "组织者",
    evaluator: "评估人员",
    participant: "参演人员",
    controller: "导调人员",
  };
  const todo = me
    ? todoItems({
        today,
        assignments: assignments ?? [],
        exams: (exams ?? []).map((e) => ({
          id: e.id,
          title: e.title,
          state: e.state,
          opensDay: dayOf(e.opens_at),
          closesDay: dayOf(e.closes_at),
          canStart: e.canStart,
          openAttemptId: e.openAttemptId,
        })),
        followUps: followUps ?? [],
        drills: comingDrills.map((d) => ({
          id: d.id,
          title: d.title,
          status: d.status,
          when: drillWhen(d),
          role: d.role ? (ROLE_IN_DRILL[d.role] ?? null) : null,
        })),
        certificates: (certificates ?? []).map((c) => ({
          id: c.id,
          name: c.item ?? c.category ?? CERT_KIND_LABELS[c.kind],
          number: c.number,
          status: c.status,
          review_due_on: c.review_due_on,
          valid_until: c.valid_until,
        })),
        rectifications: ownedItems ?? [],
      })
    : null;
  const person = home.kind === "worker" ? home.person : null;
  // Greet the person, not the account label ("宏达化工 操作工").
  const name = person?.name ?? ownName ?? actor.displayName;
  return {
    name,
    roleLabel: roleLabelOf(actor),
    home,
    assignments,
    hours,
    overdue,
    certification,
    overdueItems,
    ownedItems: me ? null : ownedItems,
    comingDrills: me ? [] : comingDrills,
    todo,
    today,
    cockpit,
    enterpriseName: person?.enterprise_name ?? null,
    post: person ? POST_LABELS[person.post] : null,
  };
}

function TodoCard({ item }: { item: TodoItem }) {
  return (
    <li className={`todo ${item.urgency}`} data-testid={`todo-${item.kind}`}>
      <span className="kind">{item.label}</span>
      <div className="body">
        <a className="title" href={item.href}>
          {item.title}
        </a>
        <div className="meta">{item.meta}</div>
        {item.retestId ? (
          <Form method="post" action={`/follow-ups/${item.retestId}/retest`}>
            <button type="submit">开始复测</button>
          </Form>
        ) : null}
      </div>
    </li>
  );
}

export default function Home() {
  const {
    name,
    roleLabel,
    home,
    hours,
    overdue,
    certification,
    overdueItems,
    ownedItems,
    comingDrills,
    today,
    todo,
    cockpit,
    enterpriseName,
    post,
  } = useLoaderData<typeof loader>();
  const urgent = todo?.filter((t) => t.urgency !== "normal").length ?? 0;
  const worker = home.kind === "worker";
  const mine = (
    <>
      {todo ? (
        <section aria-labelledby="todo">
          <h2 id="todo">
            {worker ? "待办" : "我的待办"}{" "}
            {todo.length ? (
              <span className={`badge ${urgent ? "bad" : ""}`} data-testid="todo-count">
                {todo.length}
              </span>
            ) : null}
          </h2>
          {todo.length ? (
            <ul className="todo-list">
              {todo.map((t) => (
                <TodoCard key={t.key} item={t} />
              ))}
            </ul>
          ) : (
            <div className="card todo-empty">暂无待办事项，继续保持！</div>
          )}
        </section>
      ) : null}
      {hours ? (
        <section className="card" aria-labelledby="hours">
          <h2 id="hours" style={{ marginTop: 0 }}>
            今年学时
          </h2>
          <p>
            <span className="stat" data-testid="home-hours">
              {hours.done}
            </span>
            {hours.required ? <span className="muted"> / 要求 {hours.required.hours} 学时</span> : null}
          </p>
          {hours.required ? (
            <div className="progress">
              <div style={{ width: `${Math.min(100, (100 * hours.done) / hours.required.hours)}%` }} />
            </div>
          ) : null}
          <p className="small">
            <Link to="/training">查看学时记录</Link> · <Link to="/practice">练习与错题本</Link>
          </p>
        </section>
      ) : null}
    </>
  );
  const managed = (
    <>
      {certification ? (
        <section className="card" aria-labelledby="cert">
          <h2 id="cert">持证</h2>
          <p>
            持证率 <strong>{certification.rate === null ? "—" : `${(certification.rate * 100).toFixed(1)}%`}</strong>（
            {certification.holding}/{certification.required}）
          </p>
          <p>
            90 天内需复审或到期 <strong data-testid="cert-due">{certification.dueIn90}</strong> 张，已逾期{" "}
            <strong data-testid="cert-overdue">{certification.overdue}</strong> 张。
            <Link to="/certification">查看持证情况</Link>
          </p>
        </section>
      ) : null}
      {overdueItems?.length ? (
        <section className="card" aria-labelledby="rect">
          <h2 id="rect">
            逾期未完成的演练整改{" "}
            <span className="badge bad" data-testid="overdue-rectifications">
              {overdueItems.length}
            </span>
          </h2>
          <RectificationList items={overdueItems} today={today} empty="" />
          <p className="small">
            <Link to="/drills">查看应急演练</Link>
          </p>
        </section>
      ) : null}
      {comingDrills?.length ? (
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
          <p>
            逾期未完成：<strong>{overdue}</strong> 人次。<Link to="/assignments">查看培训任务</Link> ·{" "}
            <Link to="/training">全员学时</Link>
          </p>
        </section>
      ) : null}
      {home.kind === "worker" && !home.person ? (
        <section className="card">
          <p className="muted">您的账号尚未关联人员档案，请联系本企业安全培训管理员。</p>
        </section>
      ) : null}
      {home.kind === "enterprise" ? (
        <section className="card" aria-labelledby="ent">
          <h2 id="ent">{home.enterprise?.name ?? "本企业"}</h2>
          <div className="grid">
            {POSTS.map((post) => (
              <div key={post}>
                <div className="stat">{home.headcount[post] ?? 0}</div>
                <div className="stat-label">{POST_LABELS[post]}</div>
              </div>
            ))}
          </div>
          <div className="actions">
            <Link className="button" to="/people">
              管理人员
            </Link>
            <Link className="button secondary" to="/people/import">
              从 Excel 导入人员
            </Link>
          </div>
        </section>
      ) : null}
      {cockpit ? (
        <section aria-labelledby="cockpit">
          <h2 id="cockpit" className="cockpit-title">
            驾驶舱：{cockpit.region.name}
          </h2>
          <Cockpit {...cockpit} basePath="/" />
        </section>
      ) : null}
      {home.kind === "region" ? (
        <section className="card" aria-labelledby="reg">
          <h2 id="reg">辖区：{home.regionName}</h2>
          <div className="grid">
            {RISK_LEVELS.map((r) => (
              <div key={r}>
                <div className={`stat risk-${r}`}>{home.enterprisesByRisk[r] ?? 0}</div>
                <div className="stat-label">{RISK_LABELS[r]}企业</div>
              </div>
            ))}
          </div>
          <h2>按行业</h2>
          <ul>
            {home.enterprisesByIndustry.map((i) => (
              <li key={i.name}>
                {i.name}：{i.count} 家
              </li>
            ))}
          </ul>
          <div className="actions">
            <Link className="button" to="/enterprises">
              查看辖区企业
            </Link>
          </div>
        </section>
      ) : null}
      {home.kind === "admin" ? (
        <section className="card" aria-labelledby="adm">
          <h2 id="adm">系统概况</h2>
          <div className="grid">
            <div>
              <div className="stat">{home.regions}</div>
              <div className="stat-label">区域</div>
            </div>
            <div>
              <div className="stat">{home.enterprises}</div>
              <div className="stat-label">企业</div>
            </div>
            <div>
              <div className="stat">{home.accounts}</div>
              <div className="stat-label">账号</div>
            </div>
          </div>
        </section>
      ) : null}
    </>
  );
  return (
    <>
      <div className="hello">
        <span className="avatar" aria-hidden="true">
          {name.slice(0, 1)}
        </span>
        <div>
          <h1>您好，{name}</h1>
          <p className="muted small">
            <span data-testid="role">{roleLabel}</span>
            {post && post !== roleLabel ? ` · ${post}` : ""}
            {enterpriseName ? ` · ${enterpriseName}` : ""}
          </p>
        </div>
      </div>
      {/* Workers: their to-do first. Staff: what they manage first, their own to-do beside it. */}
      <div className={todo ? "home-grid" : undefined}>
        <div className="home-main">{worker ? mine : managed}</div>
        {todo ? <div className="home-side">{worker ? managed : mine}</div> : null}
      </div>
    </>
  );
}
