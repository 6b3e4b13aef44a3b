import { plansSpotChecks } from "~/modules/auth/policy";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
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
  return (
    <>
      <h1>随机抽查计划</h1>
      <section className="card sealed">
        <p className="hint">
          系统从辖区队伍中随机抽取若干支，并为每支在抽查期内随机确定时间。抽中的队伍和时间在各次抽查开始前对任何人（包括您）保密；
          随机种子和输入全部记录，全部开始后公开种子，可据此复核抽取结果。
        </p>
        <Form method="post">
          <FormError message={result?.formError} />
          <Field name="title" label="计划名称" errors={e}>
            {(a) => <input {...a} defaultValue={v.title ?? ""} maxLength={100} />}
          </Field>
          <Field name="kind" label="抽取范围" errors={e}>
            {(a) => (
              <select {...a} defaultValue={v.kind ?? "all"}>
                <option value="all">全部队伍</option>
                {TEAM_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {TEAM_KIND_LABELS[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="grid">
            <Field name="count" label="抽取数量" errors={e}>
              {(a) => <input {...a} type="number" min={1} defaultValue={v.count ?? "3"} />}
            </Field>
            <Field
              name="periodStart"
              label="抽查期开始"
              type="datetime-local"
              errors={e}
              defaultValue={v.periodStart ?? defaults.periodStart}
            />
            <Field
              name="periodEnd"
              label="抽查期结束"
              type="datetime-local"
              errors={e}
              defaultValue={v.periodEnd ?? defaults.periodEnd}
            />
          </div>
          <div className="actions">
            <button type="submit">随机抽取并密封</button>
          </div>
        </Form>
      </section>
    </>
  );
}
