import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { readForm, refused } from "~/lib/forms.server";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { REGION_LEVEL_LABELS, REGION_LEVELS } from "~/modules/org/labels";
import { createRegion, regionOptions } from "~/modules/org/regions.server";
import { RegionInput } from "~/modules/org/schema";

export const meta: MetaFunction = () => [{ title: "区域 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  authorize(actor, "view", { type: "reference_data" });
  return { regions: await regionOptions() };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  authorize(actor, "create", { type: "reference_data" });
  const form = await readForm(request, RegionInput);
  if (!form.ok) return form.response;
  const saved = await createRegion(actor, form.data, clientIp(request));
  if (!saved.ok) return refused(saved, form.values);
  return { ok: true as const, fieldErrors: {}, formError: undefined, values: undefined };
}

export default function Regions() {
  const { regions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>区域</h1>
      <div className="table-wrap">
        <table className="responsive">
          <thead>
            <tr>
              <th>区域</th>
              <th>级别</th>
            </tr>
          </thead>
          <tbody>
            {regions.map((r) => (
              <tr key={r.id}>
                <td data-label="区域">{r.label}</td>
                <td data-label="级别">{REGION_LEVEL_LABELS[r.level]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="card">
        <h2>新增区域</h2>
        {result?.ok ? (
          <div className="notice" role="status">
            已添加。
          </div>
        ) : null}
        <Form method="post" className="stack" noValidate>
          <FormError message={result?.formError} />
          <Field name="name" label="名称" errors={result?.fieldErrors} required />
          <Field name="level" label="级别" errors={result?.fieldErrors} required>
            {(a) => (
              <select {...a} defaultValue="town">
                {REGION_LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {REGION_LEVEL_LABELS[l]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="parentId" label="上级区域" errors={result?.fieldErrors}>
            {(a) => (
              <select {...a} defaultValue="">
                <option value="">（无，市级）</option>
                {regions
                  .filter((r) => r.level !== "town")
                  .map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.label}
                    </option>
                  ))}
              </select>
            )}
          </Field>
          <Field name="code" label="行政区划代码" errors={result?.fieldErrors} hint="可选，6 位" />
          <button type="submit">添加</button>
        </Form>
      </section>
    </>
  );
}
