import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { PersonForm } from "~/components/person-form";
import { invalid, readForm, refused } from "~/lib/forms.server";
import { notFound } from "~/lib/http";
import { listScope } from "~/modules/auth/policy";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { createPerson, enterpriseChoices, enterpriseResource } from "~/modules/org/people.server";
import { PersonInput } from "~/modules/org/schema";

export const meta: MetaFunction = () => [{ title: "新增人员 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const enterprises = await enterpriseChoices(listScope(actor));
  if (enterprises.length === 0) notFound("没有可以添加人员的企业。");
  // Those who may add people to one enterprise in their scope may open the form (the action checks the chosen one).
  const first = (await enterpriseResource(enterprises[0].id))!;
  authorize(actor, "create", { type: "people", enterpriseId: first.id, regionPath: first.regionPath });
  return { enterprises };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await readForm(request, PersonInput);
  if (!form.ok) return form.response;
  const enterprise = await enterpriseResource(form.data.enterpriseId);
  if (!enterprise) return invalid({ enterpriseId: "所选企业不存在" }, undefined, form.values);
  authorize(actor, "create", { type: "people", enterpriseId: enterprise.id, regionPath: enterprise.regionPath });
  const saved = await createPerson(actor, form.data, clientIp(request));
  if (!saved.ok) return refused(saved, form.values);
  throw redirect(`/people/${saved.id}?saved=1`);
}

export default function NewPerson() {
  const { enterprises } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="card">
      <h1>新增人员</h1>
      <PersonForm
        enterprises={enterprises}
        errors={result?.fieldErrors}
        formError={result?.formError}
        values={result?.values ?? (enterprises.length === 1 ? { enterpriseId: String(enterprises[0].id) } : {})}
        submitLabel="保存"
      />
    </div>
  );
}
