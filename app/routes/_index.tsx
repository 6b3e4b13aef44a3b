import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireActor } from "~/modules/auth/session.server";
import { POST_LABELS, POSTS, RISK_LABELS, RISK_LEVELS, ROLE_LABELS } from "~/modules/org/labels";
import { homeFor } from "~/modules/org/overview.server";

export const meta: MetaFunction = () => [{ title: "首页 · 安训" }];

// The home page shows only the actor's own scope (own person, own enterprise, own region), so the
// session is the authorization: homeFor() reads nothing outside it.
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return { name: actor.displayName, roleLabel: ROLE_LABELS[actor.role], home: await homeFor(actor) };
}

export default function Home() {
  const { name, roleLabel, home } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>您好，{name}</h1>
      <p className="muted" data-testid="role">{roleLabel}</p>
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
