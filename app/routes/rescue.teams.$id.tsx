import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, Link } from "@remix-run/react";
import { formatInstant } from "~/lib/calendar";
import { invalid, readFields, refused } from "~/lib/forms.server";
import { notFound } from "~/lib/http";
import { idParam, parseInput, requiredText, z } from "~/lib/validation";
import { can } from "~/modules/auth/policy";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { getRegion, regionOptions } from "~/modules/org/regions.server";
import { authorizedTeam } from "~/modules/rescue/access.server";
import { calloutsOfTeam, startCallout } from "~/modules/rescue/callouts.server";
import { TEAM_KIND_LABELS } from "~/modules/rescue/rules";
import { CertInput, MemberInput, TeamInput } from "~/modules/rescue/schema";
import {
  addCert,
  addMember,
  certKinds,
  saveTeam,
  setMemberActive,
  teamMembers,
  teamResource,
  voidCert,
} from "~/modules/rescue/teams.server";
import { TeamForm } from "~/modules/rescue/ui/team-form";

export const meta: MetaFunction = () => [{ title: "救援队伍 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const team = await authorizedTeam(actor, params.id, "view");
  const canUpdate = can(actor, "update", teamResource(team));
  const [members, kinds, callouts, regions] = await Promise.all([
    teamMembers(team.id),
    certKinds(),
    calloutsOfTeam(team.id),
    canUpdate ? regionOptions(actor.regionPath) : Promise.resolve([]),
  ]);
  return { team, members, kinds, callouts, canUpdate, regions: regions.filter((r) => r.active) };
}

const CalloutInput = z.object({ message: requiredText("集结命令", 200) });
const MemberRef = z.object({ memberId: idParam });
const VoidInput = z.object({ certId: idParam, reason: requiredText("作废原因", 200) });

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const team = await authorizedTeam(actor, params.id, "update");
  const ip = clientIp(request);
  const values = await readFields(request);
  const fail = (p: { fieldErrors: Record<string, string>; formError?: string }) =>
    invalid(p.fieldErrors, p.formError ?? Object.values(p.fieldErrors)[0], values);
  switch (values.intent) {
    case "member": {
      const p = parseInput(MemberInput, values);
      if (!p.ok) return fail(p);
      const r = await addMember(actor, team, p.data, ip);
      if (!r.ok) return refused(r, values);
      return { ok: true as const, done: `已添加队员 ${p.data.name}` };
    }
    case "cert": {
      const p = parseInput(CertInput, values);
      if (!p.ok) return fail(p);
      const r = await addCert(actor, team.id, p.data, ip);
      if (!r.ok) return refused(r, values);
      return { ok: true as const, done: "已登记证书" };
    }
    case "void-cert": {
      const p = parseInput(VoidInput, values);
      if (!p.ok) return fail(p);
      await voidCert(actor, team.id, p.data.certId, p.data.reason, ip);
      return { ok: true as const, done: "证书已作废" };
    }
    case "deactivate":
    case "reactivate": {
      const p = parseInput(MemberRef, values);
      if (!p.ok) return fail(p);
      await setMemberActive(actor, team.id, p.data.memberId, values.intent === "reactivate", ip);
      return { ok: true as const, done: values.intent === "reactivate" ? "队员已恢复在册" : "队员已移出在册名单" };
    }
    case "callout": {
      const p = parseInput(CalloutInput, values);
      if (!p.ok) return fail(p);
      const r = await startCallout(actor, team, p.data.message);
      if (!r.ok) return invalid({}, r.message, values);
      throw redirect(`/rescue/callouts/${r.id}`);
    }
    case "team": {
      const p = parseInput(TeamInput, values);
      if (!p.ok) return fail(p);
      const region = await getRegion(p.data.regionId);
      if (!region) notFound("该区域不存在。");
      authorize(actor, "update", teamResource({ region_path: region.path, enterprise_id: team.enterprise_id }));
      const r = await saveTeam(actor, { id: region.id, path: region.path }, team.id, p.data, ip);
      if (!r.ok) return refused(r, values);
      return { ok: true as const, done: "队伍信息已保存" };
    }
    default:
      return invalid({}, "无法识别的操作。", values);
  }
}

export default function TeamPage() {
  const { team, members, kinds, callouts, canUpdate, regions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && "fieldErrors" in result ? result : undefined;
  const active = members.filter((m) => m.active);
  const core = active.filter((m) => m.core);
  const holders = core.filter((m) => m.holdsRescuer).length;
  return (
    <>
      <h1>{team.name}</h1>
      <p className="small muted">
        {TEAM_KIND_LABELS[team.kind]} · {team.region_name}
        {team.enterprise_name ? ` · ${team.enterprise_name}` : ""} · 集结标准：{team.standard_minutes} 分钟内到达{" "}
        {team.required_strength} 人（先遣 {team.first_n} 人）
      </p>
      {result && "ok" in result && result.ok ? (
        <p className="notice" role="status">
          {result.done}
        </p>
      ) : null}
      {failed?.formError ? (
        <p className="form-error" role="alert">
          {failed.formError}
        </p>
      ) : null}
      {canUpdate ? (
        <section className="card">
          <h2>发起拉动集结</h2>
          <Form method="post" className="inline-form rescue-callout-form">
            <input type="hidden" name="intent" value="callout" />
            <label htmlFor="message" className="sr-only">
              集结命令
            </label>
            <input
              id="message"
              name="message"
              defaultValue={`${team.name}：立即携带装备到集结点集合。`}
              maxLength={200}
              style={{ flex: "1 1 360px" }}
            />
            <button type="submit">通知全体队员集结</button>
          </Form>
          <p className="hint">
            每名在册队员收到一条本人专用的链接（有账号的同时收到站内通知）；队员点“收到”和“到达”，看板实时显示。
          </p>
        </section>
      ) : null}
      <section className="card">
        <h2>
          队员（在册 {active.length} 人，核心队员 {core.length} 人，持救护员证 {holders} 人）
        </h2>
        <div className="table-wrap">
          <table className="responsive">
            <thead>
              <tr>
                <th>姓名</th>
                <th>核心</th>
                <th>手机</th>
                <th>身份证号</th>
                <th>证书</th>
                {canUpdate ? <th>操作</th> : null}
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id} className={m.active ? "" : "muted"}>
                  <td data-label="姓名">
                    {m.name}
                    {m.active ? "" : "（已移出）"}
                  </td>
                  <td data-label="核心">{m.core ? "是" : "否"}</td>
                  <td data-label="手机">{m.phone}</td>
                  <td data-label="身份证号">{m.id_number_masked}</td>
                  <td data-label="证书">
                    {m.certs.length === 0 ? (
                      <span className="muted">无</span>
                    ) : (
                      m.certs.map((c) => (
                        <div key={c.id} className="small">
                          {c.kind_name} {c.number}（{c.issued_on} 发证{c.expires_on ? `，有效至 ${c.expires_on}` : ""}）
                          {c.voided ? (
                            <span className="badge rescue-bad">已作废</span>
                          ) : c.expired ? (
                            <span className="badge rescue-bad">已过期</span>
                          ) : (
                            <span className="badge rescue-ok">有效</span>
                          )}
                          {canUpdate && !c.voided ? (
                            <Form method="post" className="inline-form">
                              <input type="hidden" name="intent" value="void-cert" />
                              <input type="hidden" name="certId" value={c.id} />
                              <input
                                name="reason"
                                placeholder="作废原因"
                                aria-label="作废原因"
                                required
                                maxLength={200}
                                style={{ width: "8em" }}
                              />
                              <button type="submit" className="secondary small">
                                作废
                              </button>
                            </Form>
                          ) : null}
                        </div>
                      ))
                    )}
                  </td>
                  {canUpdate ? (
                    <td data-label="操作">
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value={m.active ? "deactivate" : "reactivate"} />
                        <input type="hidden" name="memberId" value={m.id} />
                        <button type="submit" className="secondary small">
                          {m.active ? "移出" : "恢复"}
                        </button>
                      </Form>
                    </td>
                  ) : null}
                </tr>
              ))}
              {members.length === 0 ? (
                <tr>
                  <td colSpan={6} className="muted">
                    尚无队员。
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>
      {canUpdate ? (
        <div className="rescue-two">
          <section className="card">
            <h2>添加队员</h2>
            <Form method="post">
              <input type="hidden" name="intent" value="member" />
              <div className="field">
                <label htmlFor="m-name">姓名</label>
                <input id="m-name" name="name" required maxLength={32} />
              </div>
              <div className="field">
                <label htmlFor="m-phone">手机号码</label>
                <input id="m-phone" name="phone" inputMode="numeric" required maxLength={11} />
                {failed?.fieldErrors?.phone ? <div className="error">{failed.fieldErrors.phone}</div> : null}
              </div>
              <div className="field">
                <label htmlFor="m-id">身份证号码</label>
                <input id="m-id" name="idNumber" required maxLength={18} />
                <div className="hint">只保存加密摘要和脱敏号码。</div>
                {failed?.fieldErrors?.idNumber ? <div className="error">{failed.fieldErrors.idNumber}</div> : null}
              </div>
              <div className="field">
                <label>
                  <input type="checkbox" name="core" value="1" defaultChecked /> 核心队员
                </label>
              </div>
              <div className="actions">
                <button type="submit">添加队员</button>
              </div>
            </Form>
          </section>
          <section className="card">
            <h2>登记证书</h2>
            <Form method="post">
              <input type="hidden" name="intent" value="cert" />
              <div className="field">
                <label htmlFor="c-member">队员</label>
                <select id="c-member" name="memberId" required>
                  {active.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name}（{m.id_number_masked}）
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="c-kind">证书类型</label>
                <select id="c-kind" name="kind">
                  {kinds.map((k) => (
                    <option key={k.code} value={k.code}>
                      {k.name}
                      {k.validity_months ? `（有效期 ${k.validity_months} 个月）` : ""}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="c-number">证书编号</label>
                <input id="c-number" name="number" required maxLength={60} />
              </div>
              <div className="field">
                <label htmlFor="c-issued">发证日期</label>
                <input id="c-issued" name="issuedOn" type="date" required />
                {failed?.fieldErrors?.issuedOn ? <div className="error">{failed.fieldErrors.issuedOn}</div> : null}
              </div>
              <div className="actions">
                <button type="submit">登记证书</button>
              </div>
            </Form>
          </section>
        </div>
      ) : null}
      <section className="card">
        <h2>装备</h2>
        <p style={{ whiteSpace: "pre-line" }}>{team.equipment || "未登记"}</p>
      </section>
      <section className="card">
        <h2>拉动集结记录</h2>
        <ul className="timeline">
          {callouts.map((c) => (
            <li key={c.id}>
              <Link to={`/rescue/callouts/${c.id}`}>
                {formatInstant(c.started_at)} {c.spot_check_id ? "（双盲抽查）" : ""}
              </Link>{" "}
              {c.ended_at ? "已结束" : "进行中"}
            </li>
          ))}
          {callouts.length === 0 ? <li className="muted">尚无。</li> : null}
        </ul>
      </section>
      {canUpdate ? (
        <section className="card">
          <h2>修改队伍信息</h2>
          <TeamForm values={team} regions={regions} errors={failed?.fieldErrors} submitLabel="保存修改" />
        </section>
      ) : null}
    </>
  );
}
