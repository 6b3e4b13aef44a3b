import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, Link } from "@remix-run/react";
import { now, todayIso } from "~/lib/clock.server";
import { can } from "~/modules/auth/policy";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedDrillScope } from "~/modules/drills/access.server";
import { drillsBetween, myDrills } from "~/modules/drills/drills.server";
import { PLAN_STATUS_BADGE, PLAN_STATUS_LABELS, PLAN_TYPE_LABELS } from "~/modules/drills/labels";
import { plansOf } from "~/modules/drills/plans.server";
import { openRectificationsOf, openRectificationsOwnedBy } from "~/modules/drills/rectifications.server";
import { complianceRate } from "~/modules/drills/rules";
import { DrillList, RectificationList } from "~/modules/drills/ui/parts";
import { getEnterprise } from "~/modules/org/enterprises.server";

export const meta: MetaFunction = () => [{ title: "应急演练 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const scope = await authorizedDrillScope(actor, new URL(request.url));
  // Regional staff (and the admin) read their subtree's compliance; it is their way into enterprises' drills.
  const regional = can(actor, "view", { type: "region", path: actor.regionPath ?? "/" });
  const [mine, owned] = await Promise.all([
    myDrills(actor),
    actor.personId ? openRectificationsOwnedBy(actor.personId) : [],
  ]);
  const today = todayIso();
  if (scope.kind !== "enterprise") return { today, mine, owned, enterprise: null, regional };

  const enterpriseId = scope.id;
  const planResource = { type: "emergency_plan" as const, enterpriseId, regionPath: scope.regionPath };
  // Every open item of the enterprise: its officers and regulators, not a worker (who sees the items they own).
  const readsAllItems = can(actor, "view", {
    type: "rectification",
    enterpriseId,
    regionPath: scope.regionPath,
    ownerPersonId: 0,
    drillRole: "none",
    submittedBy: null,
  });
  const t = now().getTime();
  const [info, plans, drills, open] = await Promise.all([
    getEnterprise(enterpriseId),
    plansOf(enterpriseId),
    drillsBetween(actor, { enterpriseId }, new Date(t - 180 * 86400_000), new Date(t + 366 * 86400_000)),
    readsAllItems ? openRectificationsOf(enterpriseId) : [],
  ]);
  return {
    today,
    mine,
    owned,
    regional,
    enterprise: {
      id: enterpriseId,
      name: info!.name,
      plans,
      drills: drills.drills,
      open,
      canManage: can(actor, "create", planResource),
      compliance: complianceRate(plans.map((p) => p.drill.status)),
    },
  };
}

export default function Drills() {
  const { today, mine, owned, enterprise: e, regional } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>应急演练{e ? ` · ${e.name}` : ""}</h1>
      <div className="actions">
        {e?.canManage ? (
          <Link className="button" to="/drills/plans/new">
            新增应急预案
          </Link>
        ) : null}
        <Link className="button secondary" to={`/drills/calendar${e ? `?enterpriseId=${e.id}` : ""}`}>
          演练日历
        </Link>
        {regional ? (
          <Link className="button secondary" to="/drills/compliance">
            演练合规统计
          </Link>
        ) : null}
      </div>
      {owned.length ? (
        <section className="card" aria-labelledby="owned">
          <h2 id="owned">我负责的整改</h2>
          <RectificationList items={owned} today={today} empty="" />
        </section>
      ) : null}
      {mine.length ? (
        <section className="card" aria-labelledby="mine">
          <h2 id="mine">我参与的演练</h2>
          <DrillList drills={mine} empty="" showEnterprise={regional} />
        </section>
      ) : null}
      {e ? (
        <>
          <section className="card" aria-labelledby="plans">
            <h2 id="plans">应急预案</h2>
            <p>
              按期演练率：
              <strong data-testid="plan-compliance">
                {e.compliance === null ? "—" : `${Math.round(e.compliance * 100)}%`}
              </strong>
              <span className="small muted">
                （综合、专项预案每年至少演练一次，现场处置方案每半年至少一次；高危行业每半年至少一次）
              </span>
            </p>
            {e.plans.length === 0 ? (
              <p className="muted">尚未登记应急预案。</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th>预案</th>
                      <th>类型</th>
                      <th>演练周期</th>
                      <th>上次演练</th>
                      <th>下次应于</th>
                      <th>状态</th>
                    </tr>
                  </thead>
                  <tbody>
                    {e.plans.map((p) => (
                      <tr key={p.id}>
                        <td>
                          <Link to={`/drills/plans/${p.id}`}>{p.title}</Link>
                        </td>
                        <td>{PLAN_TYPE_LABELS[p.type]}</td>
                        <td>{p.interval_months} 个月</td>
                        <td>{p.last_drilled_on ?? "从未演练"}</td>
                        <td>{p.drill.dueOn}</td>
                        <td>
                          <span className={`badge ${PLAN_STATUS_BADGE[p.drill.status]}`}>
                            {PLAN_STATUS_LABELS[p.drill.status]}
                          </span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section className="card" aria-labelledby="drills">
            <h2 id="drills">近期演练</h2>
            <DrillList drills={e.drills} empty="近半年和未来一年内没有演练。" />
          </section>
          {e.open.length ? (
            <section className="card" aria-labelledby="open">
              <h2 id="open">未关闭的整改</h2>
              <RectificationList items={e.open} today={today} empty="" />
            </section>
          ) : null}
        </>
      ) : regional ? (
        <p className="muted">请从“演练合规统计”或企业列表进入某个企业的应急演练。</p>
      ) : null}
    </>
  );
}
