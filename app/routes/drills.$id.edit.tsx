import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData, Link } from "@remix-run/react";
import { invalid, readForm, refused } from "~/lib/forms.server";
import { httpError } from "~/lib/http";
import type { Actor } from "~/modules/auth/policy";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedDrill } from "~/modules/drills/access.server";
import { drillEvaluatorAccounts } from "~/modules/auth/staff.server";
import { drillFormValues, saveDrill } from "~/modules/drills/drills.server";
import { planResource } from "~/modules/drills/plans.server";
import { DrillInput } from "~/modules/drills/schema";
import { DrillForm } from "~/modules/drills/ui/drill-form";
import { activePeopleOf } from "~/modules/org/people.server";

export const meta: MetaFunction = () => [{ title: "修改演练计划 · 安训" }];

/** Only the organizer changes a drill, and only before it starts. */
async function plannedDrill(actor: Actor, id: string | undefined) {
  const { drill } = await authorizedDrill(actor, id, "update");
  if (drill.status !== "planned") httpError(409, "演练已开始或已结束，计划不能再修改。");
  const plan = drill.plan_id === null ? undefined : await planResource(drill.plan_id);
  if (!plan) httpError(409, "该演练由监管部门抽查发起，计划不能在此修改。");
  return { drill, plan };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const { drill, plan } = await plannedDrill(actor, params.id);
  const [evaluators, people, values] = await Promise.all([
    drillEvaluatorAccounts({ id: plan.enterprise_id, regionPath: plan.region_path }, actor.userId),
    activePeopleOf(plan.enterprise_id),
    drillFormValues(drill),
  ]);
  return { drillId: drill.id, plan: { id: plan.id, title: plan.title, type: plan.type }, evaluators, people, values };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const { drill, plan } = await plannedDrill(actor, params.id);
  const form = await readForm(request, DrillInput, { nested: true });
  if (!form.ok) return form.response;
  if (form.data.planId !== plan.id) return invalid({}, "提交的预案与演练不一致，请刷新后重试。");
  const saved = await saveDrill(actor, plan, drill.id, form.data, clientIp(request));
  if (!saved.ok) return refused(saved, form.values);
  throw redirect(`/drills/${drill.id}`);
}

export default function EditDrill() {
  const { drillId, plan, evaluators, people, values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>修改演练计划</h1>
      <p className="small">
        <Link to={`/drills/${drillId}`}>返回演练</Link>
      </p>
      <DrillForm
        plan={plan}
        evaluators={evaluators}
        people={people}
        values={result?.values ?? values}
        errors={result?.fieldErrors}
        formError={result?.formError}
        submitLabel="保存修改"
      />
    </>
  );
}
