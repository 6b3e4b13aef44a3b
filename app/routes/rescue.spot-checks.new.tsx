import { plansSpotChecks } from "~/modules/auth/policy";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { toLocalInput } from "~/lib/calendar";
import { now } from "~/lib/clock.server";
import { enterpriseChoices } from "~/modules/org/people.server";
import { readForm, refused } from "~/lib/forms.server";
import { forbidden, notFound } from "~/lib/http";
import type { Actor } from "~/modules/auth/policy";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { TEAM_KIND_LABELS } from "~/modules/rescue/rules";
import { SpotCheckInput, targetParts } from "~/modules/rescue/schema";
import { planSpotCheck, targetOf } from "~/modules/rescue/spotchecks.server";
import { regionalStaff } from "~/modules/auth/staff.server";
import { ROLE_LABELS } from "~/modules/org/labels";
import { listTeams } from "~/modules/rescue/teams.server";

export const meta: MetaFunction = () => [{ title: "安排双盲抽查 · 安训" }];

function regulatorOnly(actor: Actor) {
  if (!plansSpotChecks(actor)) forbidden("双盲抽查由监管部门安排。");
  return actor.regionPath;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const path = regulatorOnly(actor);
  const [teams, enterprises, staff] = await Promise.all([
    listTeams({ kind: "region", path }, { limit: 500 }),
    enterpriseChoices({ kind: "region", path }, 500, { enforcementUnits: false }),
    regionalStaff({ under: path ?? "/" }, { except: actor.userId }),
  ]);
  const t = now().getTime();
  return {
    teams: teams.rows.map((r) => ({ id: r.id, label: `${r.name}（${TEAM_KIND_LABELS[r.kind]}）` })),
    enterprises,
    staff: staff.map((u) => ({ id: u.id, label: `${u.display_name}（${ROLE_LABELS[u.role]}，${u.region_name}）` })),
    defaults: {
      windowStart: toLocalInput(new Date(t + 3600_000)),
      windowEnd: toLocalInput(new Date(t + 8 * 86400_000)),
      plannedAt: toLocalInput(new Date(t + 3 * 86400_000)),
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  regulatorOnly(actor);
  const form = await readForm(request, SpotCheckInput);
  if (!form.ok) return form.response;
  const { kind, id } = targetParts(form.data.target);
  const target = await targetOf(kind, id);
  if (!target) notFound("抽查对象不存在。");
  // Refused for a target outside the regulator's region, before anything is written.
  authorize(actor, "create", {
    type: "spot_check",
    regionPath: target.regionPath,
    spotRole: "organizer",
    visibility: "full",
  });
  const planned = await planSpotCheck(actor, target, form.data, clientIp(request));
  if (!planned.ok) return refused(planned, form.values);
  throw redirect(`/rescue/spot-checks/${planned.id}`);
}

export default function NewSpotCheck() {
  const { teams, enterprises, staff, defaults } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = (result?.values ?? {}) as Record<string, string>;
  const e = result?.fieldErrors ?? {};
  return (
    <>
      <h1>安排双盲抽查</h1>
      <section className="card sealed">
        <p className="hint">
          抽查对象、情景和确切时间密封：被抽查的队伍（队员）和企业在开始前看不到任何信息，辖区其他人员只知道时间窗内有一次抽查。
          到了密封时间系统自动开始；抽查队伍时同时向全体队员发出拉动集结通知。
        </p>
        <Form method="post">
          <FormError message={result?.formError} />
          <Field name="target" label="抽查对象" errors={e}>
            {(a) => (
              <select {...a} defaultValue={v.target ?? ""}>
                <option value="">请选择</option>
                <optgroup label="救援队伍（拉动集结）">
                  {teams.map((t) => (
                    <option key={`t${t.id}`} value={`team:${t.id}`}>
                      {t.label}
                    </option>
                  ))}
                </optgroup>
                <optgroup label="企业（应急处置）">
                  {enterprises.map((x) => (
                    <option key={`e${x.id}`} value={`enterprise:${x.id}`}>
                      {x.name}
                    </option>
                  ))}
                </optgroup>
              </select>
            )}
          </Field>
          <Field name="title" label="抽查名称" errors={e}>
            {(a) => <input {...a} defaultValue={v.title ?? ""} maxLength={100} />}
          </Field>
          <Field name="scenario" label="密封的抽查情景" errors={e}>
            {(a) => <textarea {...a} rows={4} defaultValue={v.scenario ?? ""} />}
          </Field>
          <div className="grid">
            <Field
              name="windowStart"
              label="时间窗开始"
              type="datetime-local"
              errors={e}
              defaultValue={v.windowStart ?? defaults.windowStart}
            />
            <Field
              name="windowEnd"
              label="时间窗结束"
              type="datetime-local"
              errors={e}
              defaultValue={v.windowEnd ?? defaults.windowEnd}
            />
            <Field
              name="plannedAt"
              label="密封的抽查时间"
              type="datetime-local"
              errors={e}
              defaultValue={v.plannedAt ?? defaults.plannedAt}
            />
          </div>
          <fieldset>
            <legend>评估人员（抽查企业时）</legend>
            <p className="hint">
              抽查开始时，系统为被抽查企业生成一次双盲演练：您是组织者，这里选的人员是评估人员，企业的安全管理员记录处置过程；
              评估结果和发现的问题在本抽查页显示。
            </p>
            <div className="checklist">
              {staff.map((u) => (
                <label key={u.id} className="choice">
                  <input
                    type="checkbox"
                    name="evaluators"
                    value={u.id}
                    defaultChecked={[result?.values?.evaluators ?? []].flat().includes(u.id)}
                  />{" "}
                  {u.label}
                </label>
              ))}
            </div>
            {e.evaluators ? (
              <div className="error" role="alert">
                {e.evaluators}
              </div>
            ) : null}
          </fieldset>
          <div className="actions">
            <button type="submit">密封并保存</button>
          </div>
        </Form>
      </section>
    </>
  );
}
