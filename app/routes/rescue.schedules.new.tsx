import { plansSpotChecks } from "~/modules/auth/policy";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { toLocalInput } from "~/lib/calendar";
import { now } from "~/lib/clock.server";
import { invalid, readForm } from "~/lib/forms.server";
import { forbidden } from "~/lib/http";
import type { Actor } from "~/modules/auth/policy";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { TEAM_KIND_LABELS, TEAM_KINDS } from "~/modules/rescue/rules";
import { ScheduleInput } from "~/modules/rescue/schema";
import { createSchedule } from "~/modules/rescue/spotchecks.server";

export const meta: MetaFunction = () => [{ title: "随机抽查计划 · 安训" }];

function regulatorOnly(actor: Actor) {
  if (!plansSpotChecks(actor)) forbidden("随机抽查计划由监管部门制定。");
  authorize(actor, "create", {
    type: "spot_check",
    regionPath: actor.regionPath,
    spotRole: "organizer",
    visibility: "full",
  });
  return actor.regionPath;
}

export async function loader({ request }: LoaderFunctionArgs) {
  regulatorOnly(await requireActor(request));
  const t = now().getTime();
  return {
    defaults: {
      periodStart: toLocalInput(new Date(t + 3600_000)),
      periodEnd: toLocalInput(new Date(t + 30 * 86400_000)),
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const path = regulatorOnly(actor);
  const form = await readForm(request, ScheduleInput);
  if (!form.ok) return form.response;
  const r = await createSchedule(actor, path, form.data, clientIp(request));
  if (!r.ok) return invalid(r.fieldErrors, "请更正标出的内容后再提交。", form.values);
  throw redirect(`/rescue/schedules/${r.id}`);
}

export default function NewSchedule() {
  const { defaults } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = (result?.values ?? {}) as Record<string, string>;
  const e = result?.fieldErrors ?? {};
  const err = (n: string) => (e[n] ? <div className="error">{e[n]}</div> : null);
  return (
    <>
      <h1>随机抽查计划</h1>
      <section className="card sealed">
        <p className="hint">
          系统从辖区队伍中随机抽取若干支，并为每支在抽查期内随机确定时间。抽中的队伍和时间在各次抽查开始前对任何人（包括您）保密；
          随机种子和输入全部记录，全部开始后公开种子，可据此复核抽取结果。
        </p>
        <Form method="post">
          {result?.formError ? (
            <p className="form-error" role="alert">
              {result.formError}
            </p>
          ) : null}
          <div className="field">
            <label htmlFor="title">计划名称</label>
            <input id="title" name="title" defaultValue={v.title ?? ""} maxLength={100} />
            {err("title")}
          </div>
          <div className="field">
            <label htmlFor="kind">抽取范围</label>
            <select id="kind" name="kind" defaultValue={v.kind ?? "all"}>
              <option value="all">全部队伍</option>
              {TEAM_KINDS.map((k) => (
                <option key={k} value={k}>
                  {TEAM_KIND_LABELS[k]}
                </option>
              ))}
            </select>
            {err("kind")}
          </div>
          <div className="grid">
            <div className="field">
              <label htmlFor="count">抽取数量</label>
              <input id="count" name="count" type="number" min={1} defaultValue={v.count ?? "3"} />
              {err("count")}
            </div>
            <div className="field">
              <label htmlFor="periodStart">抽查期开始</label>
              <input
                id="periodStart"
                name="periodStart"
                type="datetime-local"
                defaultValue={v.periodStart ?? defaults.periodStart}
              />
              {err("periodStart")}
            </div>
            <div className="field">
              <label htmlFor="periodEnd">抽查期结束</label>
              <input
                id="periodEnd"
                name="periodEnd"
                type="datetime-local"
                defaultValue={v.periodEnd ?? defaults.periodEnd}
              />
              {err("periodEnd")}
            </div>
          </div>
          <div className="actions">
            <button type="submit">随机抽取并密封</button>
          </div>
        </Form>
      </section>
    </>
  );
}
