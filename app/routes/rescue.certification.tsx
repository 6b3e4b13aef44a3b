import { mayGoUp } from "~/modules/auth/policy";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, Link } from "@remix-run/react";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedRescueRegion } from "~/modules/rescue/access.server";
import { TEAM_KIND_LABELS } from "~/modules/rescue/rules";
import { rescuerRate } from "~/modules/rescue/teams.server";
import { pct, RateBadge } from "~/modules/rescue/ui/parts";

export const meta: MetaFunction = () => [{ title: "救护员证持有率 · 安训" }];

/** The 救护员证 holding rate of core members: region → child regions and teams → (team page) members. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const region = await authorizedRescueRegion(actor, new URL(request.url));
  const parent = mayGoUp(actor, region.path) ? region.parent_id : null;
  return { region: { id: region.id, name: region.name }, parent, rate: await rescuerRate(region) };
}

export default function RescuerRate() {
  const { region, parent, rate } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>核心队员救护员证持有率 · {region.name}</h1>
      <p className="small muted">
        统计对象：在册核心队员；持证指持有有效（未过期、未作废）的救护员证。目标 ≥ {pct(rate.target)}
        （可在证书类型中调整）。
        {parent ? (
          <>
            {" "}
            <Link to={`/rescue/certification?region=${parent}`}>返回上级区域</Link>
          </>
        ) : null}{" "}
        · <Link to="/certification">三项岗位人员持证率</Link>
      </p>
      <section className="card">
        <div className="grid">
          <div>
            <div className="stat-label">持有率</div>
            <div className="stat" data-testid="rescuer-rate">
              {pct(rate.rate)}
            </div>
            <RateBadge rate={rate.rate} target={rate.target} />
          </div>
          <div>
            <div className="stat-label">持证核心队员</div>
            <div className="stat" data-testid="rescuer-holders">
              {rate.holders}
            </div>
          </div>
          <div>
            <div className="stat-label">核心队员</div>
            <div className="stat" data-testid="rescuer-core">
              {rate.core}
            </div>
          </div>
        </div>
      </section>
      {rate.regions.length ? (
        <section className="card">
          <h2>按下级区域</h2>
          <div className="table-wrap">
            <table className="responsive">
              <thead>
                <tr>
                  <th>区域</th>
                  <th>核心队员</th>
                  <th>持证</th>
                  <th>持有率</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {rate.regions.map((r) => (
                  <tr key={r.id}>
                    <td data-label="区域">
                      <Link to={`/rescue/certification?region=${r.id}`}>{r.name}</Link>
                    </td>
                    <td data-label="核心队员">{r.core}</td>
                    <td data-label="持证">{r.holders}</td>
                    <td data-label="持有率">{pct(r.rate)}</td>
                    <td>
                      <RateBadge rate={r.rate} target={rate.target} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      <section className="card">
        <h2>按队伍</h2>
        <div className="table-wrap">
          <table className="responsive">
            <thead>
              <tr>
                <th>队伍</th>
                <th>类型</th>
                <th>核心队员</th>
                <th>持证</th>
                <th>持有率</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {rate.teams.map((t) => (
                <tr key={t.id}>
                  <td data-label="队伍">
                    <Link to={`/rescue/teams/${t.id}`}>{t.name}</Link>
                  </td>
                  <td data-label="类型">{TEAM_KIND_LABELS[t.kind]}</td>
                  <td data-label="核心队员">{t.core}</td>
                  <td data-label="持证">{t.holders}</td>
                  <td data-label="持有率">{pct(t.rate)}</td>
                  <td>
                    <RateBadge rate={t.rate} target={rate.target} />
                  </td>
                </tr>
              ))}
              {rate.teams.length === 0 ? (
                <tr>
                  <td colSpan={6} className="muted">
                    本区域没有核心队员。
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
