import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { readForm, refused } from "~/lib/forms.server";
import { forbidden } from "~/lib/http";
import type { Actor } from "~/modules/auth/policy";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { savePlan } from "~/modules/drills/plans.server";
import { PlanInput } from "~/modules/drills/schema";
import { PlanForm } from "~/modules/drills/ui/plan-form";
import { enterpriseResource } from "~/modules/org/people.server";

export const meta: MetaFunction = () => [{ title: "新增应急预案 · 安训" }];

/** Plans are kept by the enterprise's own officers, for their own enterprise. */
async function ownEnterprise(actor: Actor) {
  const enterprise = actor.enterpriseId ? await enterpriseResource(actor.enterpriseId) : null;
  if (!enterprise) forbidden("只有企业安全培训管理员可以登记本企业的应急预案。");
  authorize(actor, "create", {
    type: "emergency_plan",
    enterpriseId: enterprise.id,
    regionPath: enterprise.regionPath,
  });
  return enterprise;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await ownEnterprise(await requireActor(request));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const enterprise = await ownEnterprise(actor);
  const form = await readForm(request, PlanInput);
  if (!form.ok) return form.response;
  const saved = await savePlan(
    actor,
    { id: enterprise.id, regionPath: enterprise.regionPath },
    null,
    form.data,
    clientIp(request),
  );
  if (!saved.ok) return refused(saved, form.values);
  throw redirect(`/drills/plans/${saved.id}`);
}

export default function NewPlan() {
  const result = useActionData<typeof action>();
  const v = result?.values ?? {};
  return (
    <>
      <h1>新增应急预案</h1>
      <section className="card">
        <PlanForm
          values={{
            type: v.type as string,
            title: v.title as string,
            scenarios: v.scenarios as string,
            response_roles: v.responseRoles as string,
            issued_on: v.issuedOn as string,
            interval_months: v.intervalMonths as string,
          }}
          errors={result?.fieldErrors}
          formError={result?.formError}
          submitLabel="保存预案"
        />
      </section>
    </>
  );
}
