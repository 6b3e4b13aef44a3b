import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { readForm } from "~/lib/forms.server";
import { notFound } from "~/lib/http";
import { idParam } from "~/lib/validation";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { createInspection, enterpriseProfile } from "~/modules/inspections/inspections.server";
import { InspectionInput } from "~/modules/inspections/schema";
import { EnterpriseProfile } from "~/modules/inspections/ui/profile";
import { getEnterprise } from "~/modules/org/enterprises.server";
import { enterpriseResource } from "~/modules/org/people.server";
import { todayIso } from "~/lib/clock.server";

export const meta: MetaFunction = () => [{ title: "开始检查 · 安训" }];

async function target(request: Request) {
  const actor = await requireActor(request);
  const id = idParam.safeParse(new URL(request.url).searchParams.get("enterpriseId"));
  const enterprise = id.success ? await enterpriseResource(id.data) : null;
  if (!enterprise) notFound("该企业不存在。");
  authorize(actor, "inspect", enterprise);
  return { actor, enterprise };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, enterprise } = await target(request);
  const [e, profile] = await Promise.all([getEnterprise(enterprise.id), enterpriseProfile(enterprise.id)]);
  return { enterprise: e!, profile, inspector: actor.displayName, today: todayIso() };
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor, enterprise } = await target(request);
  const form = await readForm(request, InspectionInput);
  if (!form.ok) return form.response;
  const id = await createInspection(actor, enterprise, form.data, clientIp(request));
  throw redirect(`/inspections/${id}`);
}

export default function NewInspection() {
  const { enterprise, profile, inspector, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>{enterprise.name}</h1>
      <p className="small muted">
        {enterprise.uscc} · {enterprise.industry_name} · {enterprise.region_name}
      </p>
      <section className="card">
        <EnterpriseProfile p={profile} />
      </section>
      <section className="card">
        <h2>开始检查</h2>
        <Form method="post" className="stack" noValidate>
          <FormError message={result?.formError} />
          <Field
            name="inspectedOn"
            label="检查日期"
            type="date"
            errors={result?.fieldErrors}
            required
            defaultValue={today}
          />
          <Field name="inspectors" label="检查人员" errors={result?.fieldErrors} required defaultValue={inspector} />
          <Field name="place" label="检查地点" errors={result?.fieldErrors} />
          <Field name="notes" label="备注" errors={result?.fieldErrors}>
            {(a) => <textarea {...a} rows={3} />}
          </Field>
          <button type="submit">开始检查</button>
        </Form>
      </section>
    </>
  );
}
