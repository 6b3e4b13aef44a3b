import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { invalid, readForm } from "~/lib/forms.server";
import { listScope, regionRootOf } from "~/modules/auth/policy";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { SiteInput } from "~/modules/exam-sites/schema";
import { createSite } from "~/modules/exam-sites/sites.server";
import { getRegion, regionOptions } from "~/modules/org/regions.server";

export const meta: MetaFunction = () => [{ title: "新建考试点 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const root = listScope(actor).kind === "all" ? "/" : regionRootOf(actor);
  authorize(actor, "create", { type: "exam_site", regionPath: root ?? "-" });
  return { regions: (await regionOptions(regionRootOf(actor))).filter((r) => r.active) };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await readForm(request, SiteInput);
  if (!form.ok) return form.response;
  const region = await getRegion(form.data.regionId);
  if (!region) return invalid({ regionId: "区域不存在" }, "请更正标出的内容后再提交。", form.values);
  authorize(actor, "create", { type: "exam_site", regionPath: region.path });
  const created = await createSite(actor, form.data, region, clientIp(request));
  throw redirect(`/exam-sites/sites/${created.id}`);
}

export default function NewSite() {
  const { regions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && "fieldErrors" in result ? result.fieldErrors : undefined;
  const v = (k: string) =>
    result && "values" in result && typeof result.values?.[k] === "string" ? (result.values[k] as string) : "";
  return (
    <>
      <p className="small">
        <Link to="/exam-sites">‹ 考试点</Link>
      </p>
      <h1>新建考试点</h1>
      <section className="card">
        <Form method="post" className="stack" noValidate>
          <FormError message={result && "formError" in result ? result.formError : undefined} />
          <Field name="name" label="考试点名称" errors={errors} required defaultValue={v("name")} />
          <Field name="address" label="地址" errors={errors} required defaultValue={v("address")} />
          <Field name="regionId" label="所在区域" errors={errors} required>
            {(a) => (
              <select {...a} defaultValue={v("regionId")}>
                <option value="">请选择</option>
                {regions.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="submit">保存并添加考场</button>
        </Form>
      </section>
    </>
  );
}
