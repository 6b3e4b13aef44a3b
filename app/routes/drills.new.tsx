import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { invalid, readForm, refused } from "~/lib/forms.server";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedPlan } from "~/modules/drills/access.server";
import { drillEvaluatorAccounts } from "~/modules/auth/staff.server";
import { saveDrill } from "~/modules/drills/drills.server";
import { DrillInput } from "~/modules/drills/schema";
import { DrillForm } from "~/modules/drills/ui/drill-form";
import { activePeopleOf } from "~/modules/org/people.server";

export const meta: MetaFunction = () => [{ title: "安排演练 · 安训" }];

const planIdOf = (request: Request) => new URL(request.url).searchParams.get("planId") ?? undefined;

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const plan = await authorizedPlan(actor, planIdOf(request), "update");
  const [evaluators, people] = await Promise.all([
    drillEvaluatorAccounts({ id: plan.enterprise_id, regionPath: plan.region_path }, actor.userId),
    activePeopleOf(plan.enterprise_id),
  ]);
  return { plan: { id: plan.id, title: plan.title, type: plan.type }, evaluators, people };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const plan = await authorizedPlan(actor, planIdOf(request), "update");
  if (!plan.active) return invalid({}, "该预案已废止，不能再安排演练。");
  const form = await readForm(request, DrillInput, { nested: true });
  if (!form.ok) return form.response;
  if (form.data.planId !== plan.id) return invalid({}, "提交的预案与页面不一致，请刷新后重试。");
  const planned = await saveDrill(actor, plan, null, form.data, clientIp(request));
  if (!planned.ok) return refused(planned, form.values);
  throw redirect(`/drills/${planned.id}`);
}

export default function NewDrill() {
  const { plan, evaluators, people } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>安排演练</h1>
      <DrillForm
        plan={plan}
        evaluators={evaluators}
        people={people}
        values={result?.values ?? null}
        errors={result?.fieldErrors}
        formError={result?.formError}
        submitLabel="保存演练计划"
      />
    </>
  );
}
