import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { EnterpriseForm } from "~/components/enterprise-form";
import { readForm, refused } from "~/lib/forms.server";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { saveEnterprise } from "~/modules/org/enterprises.server";
import { regionOptions } from "~/modules/org/regions.server";
import { EnterpriseInput } from "~/modules/org/schema";

export const meta: MetaFunction = () => [{ title: "新增企业 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  authorize(actor, "create", { type: "reference_data" });
  return { regions: (await regionOptions()).filter((r) => r.active) };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  authorize(actor, "create", { type: "reference_data" });
  const form = await readForm(request, EnterpriseInput);
  if (!form.ok) return form.response;
  const saved = await saveEnterprise(actor, null, form.data, clientIp(request));
  if (!saved.ok) return refused(saved, form.values);
  throw redirect(`/enterprises/${saved.id}?saved=1`);
}

export default function NewEnterprise() {
  const { regions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="card">
      <h1>新增企业</h1>
      <EnterpriseForm
        regions={regions}
        errors={result?.fieldErrors}
        formError={result?.formError}
        values={result?.values}
        submitLabel="保存"
      />
    </div>
  );
}
