import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { mayGoUp } from "~/modules/auth/policy";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedEnforcementRegion } from "~/modules/enforcement/access.server";
import { UNIT_LEVEL_LABELS } from "~/modules/enforcement/rules";
import { enforcementRates } from "~/modules/enforcement/units.server";
import { HoldingBadge, pct, rateOf, TargetBadge } from "~/modules/enforcement/ui/parts";

export const meta: MetaFunction = () => [{ title: "执法人员持证 · 安训" }];

/** The 执法证 holding rate of enforcement staff: region → child regions and units → (unit page) people. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const region = await authorizedEnforcementRegion(actor, new URL(request.url));
  const parent = mayGoUp(actor, region.path) ? region.parent_id : null;
  const r = await enforcementRates(region);
  const person = (p: (typeof r.lists.expired)[number]) => ({
    id: p.id,
    name: p.name,
    unitId: p.unit_id,
    unitName: p.unit_name,
    state: p.state,
    number: p.cert?.number ?? null,
    validUntil: p.cert?.valid_until ?? null,
  });
  return {
    region: { id: region.id, name: region.name },
    parent,
    kind: { name: r.kind.name, target: r.kind.target_rate, warnDays: r.kind.warn_days, basis: r.kind.basis },
    required: r.required,
    holding: r.holding,
    children: r.children.map(({ path: _p, ...c }) => c),
    units: r.units.map(({ region_path: _p, ...u }) => u),
    expiring: r.lists.expiring.map(person),
    expired: r.lists.expired.map(person),
    none: r.lists.none.map(person),
  };
}

type Listed = ReturnType<typeof useLoaderData<typeof loader>>["expired"];

function PeopleList({
  title,
  people,
  testId,
  empty,
}: {
  title: string;
  people: Listed;
  testId: string;
  empty: string;
}) {
  return (
    <section className="card" data-testid={testId}>
      <h2>
        {title} <span className="badge">{people.length}</span>
      </h2>
      {people.length ? (
        <div className="table-wrap">
          <table className="responsive">
            <thead>
              <tr>
                <th>姓名</th>
                <th>执法单位</th>
                <th>证件编号</th>
                <th>有效期至</th>
                <th>状态</th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.id}>
                  <td data-label="姓名">
                    <Link to={`/people/${p.id}`}>{p.name}</Link>
                  </td>
                  <td data-label="执法单位">
                    <Link to={`/enforcement/units/${p.unitId}`}>{p.unitName}</Link>
                  </td>
                  <td data-label="证件编号">{p.number ?? "—"}</td>
                  <td data-label="有效期至">{p.validUntil ?? "—"}</td>
                  <td data-label="状态">
                    <HoldingBadge state={p.state} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">{empty}</p>
      )}
    </section>
  );
}

export default function EnforcementRates() {
  const d = useLoaderData<typeof loader>();
  const rate = rateOf(d.holding, d.required);
  return (
    <>
      <h1>执法人员持证上岗 · {d.region.name}</h1>
      <p className="small muted">
        统计对象：各执法单位在册人员；持证指持有在有效期内的{d.kind.name}（{d.kind.basis}）。目标 ≥ {pct(d.kind.target)}
        ；{d.kind.warnDays} 天内到期的列为即将到期（仍计入持证）。
        {d.parent ? (
          <>
            {" "}
            <Link to={`/enforcement?region=${d.parent}`}>返回上级区域</Link>
          </>
        ) : null}{" "}
        · <Link to="/certification">企业三项岗位人员持证率</Link>
      </p>
      <section className="card">
        <div className="grid">
          <div>
            <div className="stat-label">持证率</div>
            <div className="stat" data-testid="enf-rate">
              {pct(rate)}
            </div>
            <TargetBadge rate={rate} target={d.kind.target} />
          </div>
          <div>
            <div className="stat-label">持证人员</div>
            <div className="stat" data-testid="enf-holding">
              {d.holding}
            </div>
          </div>
          <div>
            <div className="stat-label">在册执法人员</div>
            <div className="stat" data-testid="enf-required">
              {d.required}
            </div>
          </div>
          <div>
            <div className="stat-label">即将到期 / 已过期 / 未持证</div>
            <div className="stat">
              {d.expiring.length} / {d.expired.length} / {d.none.length}
            </div>
          </div>
        </div>
      </section>
      {d.children.length ? (
        <section className="card">
          <h2>按下级区域</h2>
          <div className="table-wrap">
            <table className="responsive">
              <thead>
                <tr>
                  <th>区域</th>
                  <th>执法单位</th>
                  <th>在册人员</th>
                  <th>持证</th>
                  <th>持证率</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {d.children.map((c) => (
                  <tr key={c.id}>
                    <td data-label="区域">
                      <Link to={`/enforcement?region=${c.id}`}>{c.name}</Link>
                    </td>
                    <td data-label="执法单位">{c.units}</td>
                    <td data-label="在册人员">{c.required}</td>
                    <td data-label="持证">{c.holding}</td>
                    <td data-label="持证率">{pct(rateOf(c.holding, c.required))}</td>
                    <td>
                      <TargetBadge rate={rateOf(c.holding, c.required)} target={d.kind.target} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      <section className="card">
        <h2>按执法单位</h2>
        <div className="table-wrap">
          <table className="responsive" data-testid="enf-units">
            <thead>
              <tr>
                <th>执法单位</th>
                <th>层级</th>
                <th>所在区域</th>
                <th>在册人员</th>
                <th>持证</th>
                <th>即将到期</th>
                <th>持证率</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {d.units.map((u) => (
                <tr key={u.id}>
                  <td data-label="执法单位">
                    <Link to={`/enforcement/units/${u.id}`}>{u.name}</Link>
                  </td>
                  <td data-label="层级">{UNIT_LEVEL_LABELS[u.level]}</td>
                  <td data-label="所在区域">{u.region_name}</td>
                  <td data-label="在册人员">{u.required}</td>
                  <td data-label="持证">{u.holding}</td>
                  <td data-label="即将到期">{u.expiring}</td>
                  <td data-label="持证率">{pct(rateOf(u.holding, u.required))}</td>
                  <td>
                    <TargetBadge rate={rateOf(u.holding, u.required)} target={d.kind.target} />
                  </td>
                </tr>
              ))}
              {d.units.length === 0 ? (
                <tr>
                  <td colSpan={8} className="muted">
                    本区域没有执法单位。
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>
      <PeopleList
        title={`${d.kind.warnDays} 天内到期`}
        people={d.expiring}
        testId="enf-expiring"
        empty="没有即将到期的执法证。"
      />
      <PeopleList title="已过期" people={d.expired} testId="enf-expired" empty="没有过期的执法证。" />
      <PeopleList title="未持证" people={d.none} testId="enf-none" empty="所有人员均已持证。" />
    </>
  );
}
