import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData, Link } from "@remix-run/react";
import { readForm, readFormData, refused } from "~/lib/forms.server";
import { z } from "~/lib/validation";
import { can } from "~/modules/auth/policy";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedPlan } from "~/modules/drills/access.server";
import { drillsOfPlan } from "~/modules/drills/drills.server";
import { PLAN_STATUS_BADGE, PLAN_STATUS_LABELS, PLAN_TYPE_LABELS } from "~/modules/drills/labels";
import { getPlan, retirePlan, savePlan } from "~/modules/drills/plans.server";
import { PlanInput } from "~/modules/drills/schema";
import { DrillList } from "~/modules/drills/ui/parts";
import { PlanForm } from "~/modules/drills/ui/plan-form";

export const meta: MetaFunction = () => [{ title: "应急预案 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const resource = await authorizedPlan(actor, params.id, "view");
  const [plan, drills] = await Promise.all([getPlan(resource.id), drillsOfPlan(actor, resource.id)]);
  const canManage = can(actor, "update", {
    type: "emergency_plan",
    enterpriseId: resource.enterprise_id,
    regionPath: resource.region_path,
  });
  return { plan: plan!, drills, canManage };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const plan = await authorizedPlan(actor, params.id, "update");
  const ip = clientIp(request);
  const form = await readFormData(request.clone()).catch(() => null);
  if (form?.get("intent") === "retire") {
    await retirePlan(actor, plan.id, ip);
    throw redirect("/drills");
  }
  const parsed = await readForm(request, PlanInput.extend({ intent: z.literal("save") }));
  if (!parsed.ok) return parsed.response;
  const saved = await savePlan(
    actor,
    { id: plan.enterprise_id, regionPath: plan.region_path },
    plan.id,
    parsed.data,
    ip,
  );
  if (!saved.ok) return refused(saved, parsed.values);
  return { ok: true as const };
}

export default function PlanPage() {
  const { plan: p, drills, canManage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && "fieldErrors" in result ? result : undefined;
  return (
    <>
      <h1>{p.title}</h1>
      <p className="small muted">
        {p.enterprise_name} · {PLAN_TYPE_LABELS[p.type]} · 发布实施 {p.issued_on}
        {p.active ? "" : " · 已废止"}
      </p>
      <section className="card">
        <p>
          演练周期 {p.interval_months} 个月；上次演练 {p.last_drilled_on ?? "从未演练"}；下次应于 {p.drill.dueOn} 前演练
          <span className={`badge ${PLAN_STATUS_BADGE[p.drill.status]}`}>{PLAN_STATUS_LABELS[p.drill.status]}</span>
        </p>
        <h2>适用的事故情景</h2>
        <p style={{ whiteSpace: "pre-line" }}>{p.scenarios}</p>
        <h2>应急组织与职责</h2>
        <p style={{ whiteSpace: "pre-line" }}>{p.response_roles}</p>
        {canManage && p.active ? (
          <div className="actions">
            <Link className="button" to={`/drills/new?planId=${p.id}`}>
              安排演练
            </Link>
          </div>
        ) : null}
      </section>
      <section className="card">
        <h2>本预案的演练</h2>
        <DrillList drills={drills} empty="尚无演练。" />
      </section>
      {canManage && p.active ? (
        <section className="card">
          <h2>修改预案</h2>
          {result && "ok" in result && result.ok ? (
            <p className="notice" role="status">
              已保存。
            </p>
          ) : null}
          <PlanForm values={p} errors={failed?.fieldErrors} formError={failed?.formError} submitLabel="保存修改" />
          <form
            method="post"
            className="actions"
            onSubmit={(e) => {
              if (!confirm("废止后该预案不再计入演练统计，确定吗？")) e.preventDefault();
            }}
          >
            <input type="hidden" name="intent" value="retire" />
            <button type="submit" className="secondary">
              废止预案
            </button>
          </form>
        </section>
      ) : null}
    </>
  );
}
