import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { formatInstant } from "~/lib/calendar";
import { invalid, readForm } from "~/lib/forms.server";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { saveStudyRule, studyRules } from "~/modules/courses/study.server";
import { StudyRuleInput } from "~/modules/courses/study-schema";
import { regionOptions } from "~/modules/org/regions.server";

export const meta: MetaFunction = () => [{ title: "学时规则 · 安训" }];

/** The admin keeps the 学时 rules as data: the national default and any region's stricter rule. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  authorize(actor, "view", { type: "reference_data" });
  const [rules, regions] = await Promise.all([studyRules(), regionOptions()]);
  const label = new Map(regions.map((r) => [r.path, r.label]));
  return {
    rules: rules.map((r) => ({
      ...r,
      region: r.region_path === "/" ? "全国默认" : (label.get(r.region_path) ?? r.region_path),
      updated_at: r.updated_at.toISOString(),
    })),
    regions: regions.map((r) => ({ id: r.id, label: r.label })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  authorize(actor, "update", { type: "reference_data" });
  const form = await readForm(request, StudyRuleInput);
  if (!form.ok) return form.response;
  const regions = await regionOptions();
  const region = form.data.regionId ? regions.find((r) => r.id === form.data.regionId) : null;
  if (form.data.regionId && !region)
    return invalid({ regionId: "该区域不存在" }, "请更正标出的内容后再提交。", form.values);
  await saveStudyRule(actor, region ? region.path : "/", form.data, clientIp(request));
  return { ok: true as const, fieldErrors: {}, formError: undefined, values: undefined };
}

export default function StudyRules() {
  const { rules, regions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>学时规则</h1>
      <p className="muted">
        网络培训每学时不少于 30 分钟、面授每学时不少于 45 分钟（AQ
        8011-2023）。区域规则适用于该区域及其下级区域，可以更严格，不能更宽松。
      </p>
      <div className="table-wrap">
        <table className="responsive">
          <thead>
            <tr>
              <th>适用区域</th>
              <th>网络学时</th>
              <th>面授学时</th>
              <th>学习签到</th>
              <th>依据</th>
              <th>更新</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.region_path}>
                <td data-label="适用区域">{r.region}</td>
                <td data-label="网络学时">{Number(r.online_minutes_per_hour)} 分钟</td>
                <td data-label="面授学时">{Number(r.offline_minutes_per_hour)} 分钟</td>
                <td data-label="学习签到">
                  每 {r.checkin_min_seconds / 60}–{r.checkin_max_seconds / 60} 分钟一次，{r.checkin_answer_seconds}{" "}
                  秒内确认
                </td>
                <td data-label="依据" className="small">
                  {r.basis}
                </td>
                <td data-label="更新" className="small">
                  {formatInstant(r.updated_at)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="card">
        <h2>设置区域规则</h2>
        {result?.ok ? (
          <div className="notice" role="status">
            已保存。
          </div>
        ) : null}
        <Form method="post" className="stack" noValidate>
          <FormError message={result?.formError} />
          <Field name="regionId" label="适用区域" errors={result?.fieldErrors}>
            {(a) => (
              <select {...a} defaultValue="">
                <option value="">全国默认</option>
                {regions.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            name="onlineMinutesPerHour"
            label="每个网络学时的分钟数"
            errors={result?.fieldErrors}
            inputMode="numeric"
            defaultValue="30"
            required
          />
          <Field
            name="offlineMinutesPerHour"
            label="每个面授学时的分钟数"
            errors={result?.fieldErrors}
            inputMode="numeric"
            defaultValue="45"
            required
          />
          <Field
            name="checkinMinMinutes"
            label="签到最短间隔（分钟）"
            errors={result?.fieldErrors}
            inputMode="numeric"
            defaultValue="10"
            required
          />
          <Field
            name="checkinMaxMinutes"
            label="签到最长间隔（分钟）"
            errors={result?.fieldErrors}
            inputMode="numeric"
            defaultValue="20"
            required
          />
          <Field
            name="checkinAnswerSeconds"
            label="签到确认时限（秒）"
            errors={result?.fieldErrors}
            inputMode="numeric"
            defaultValue="120"
            required
          />
          <Field name="basis" label="依据" errors={result?.fieldErrors} required />
          <button type="submit">保存</button>
        </Form>
      </section>
    </>
  );
}
