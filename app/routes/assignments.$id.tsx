import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, Link } from "@remix-run/react";
import { data } from "@remix-run/node";
import { notFound } from "~/lib/http";
import { idParam } from "~/lib/validation";
import { can } from "~/modules/auth/policy";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import {
  assignmentEnterprise,
  enterpriseAssignments,
  remindAssignment,
  withdrawAssignment,
} from "~/modules/courses/assignments.server";
import { readFields } from "~/lib/forms.server";
import { STATUS_LABELS } from "~/modules/courses/rules";
import { POST_LABELS } from "~/modules/org/labels";

export const meta: MetaFunction = () => [{ title: "培训任务 · 安训" }];

async function load(request: Request, rawId: string | undefined, action: "view" | "update") {
  const actor = await requireActor(request);
  const id = idParam.safeParse(rawId);
  const a = id.success ? await assignmentEnterprise(id.data) : undefined;
  if (!a) notFound("该培训任务不存在。");
  const resource = { type: "training" as const, enterpriseId: a.enterprise_id, regionPath: a.region_path };
  authorize(actor, action, resource);
  return { actor, a, resource };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, a, resource } = await load(request, params.id, "view");
  const assignment = (await enterpriseAssignments(a.enterprise_id)).find((x) => x.id === a.id);
  if (!assignment) notFound("该培训任务已撤销。");
  const order = { overdue: 0, not_started: 1, in_progress: 2, completed: 3 };
  assignment.people.sort((x, y) => order[x.status] - order[y.status]);
  return { assignment, canWithdraw: can(actor, "update", resource) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, a } = await load(request, params.id, "update");
  const fields = await readFields(request, { maxBytes: 4096 });
  if (fields.intent === "remind") {
    const result = await remindAssignment(actor, a.id, clientIp(request));
    if (!result.ok) return data({ message: result.message, ok: false }, { status: result.status });
    return data({
      ok: true,
      message:
        result.notified === result.pending
          ? `已提醒 ${result.notified} 名未完成的人员。`
          : `已提醒 ${result.notified} 人；其余 ${result.pending - result.notified} 人今天已经提醒过。`,
    });
  }
  await withdrawAssignment(actor, a.id, clientIp(request));
  throw redirect(`/assignments?enterpriseId=${a.enterprise_id}`);
}

export default function AssignmentPage() {
  const { assignment: a, canWithdraw } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  return (
    <>
      <h1>{a.title}</h1>
      <p>
        完成 {a.completed}/{a.assigned} 人，学习中 <span data-testid="in-progress-count">{a.inProgress}</span>{" "}
        人，未开始 <span data-testid="not-started-count">{a.notStarted}</span> 人，逾期{" "}
        <strong data-testid="overdue-count">{a.overdue}</strong> 人。<Link to={`/courses/${a.slug}`}>查看课程</Link>
      </p>
      {done ? (
        <div className={done.ok ? "notice" : "form-error"} role="status">
          {done.message}
        </div>
      ) : null}
      {canWithdraw && a.completed < a.assigned ? (
        <Form method="post" className="actions">
          <input type="hidden" name="intent" value="remind" />
          <button type="submit">一键催学（提醒 {a.assigned - a.completed} 名未完成人员）</button>
        </Form>
      ) : null}
      <div className="table-wrap">
        <table className="responsive">
          <thead>
            <tr>
              <th>姓名</th>
              <th>岗位</th>
              <th>截止</th>
              <th>状态</th>
            </tr>
          </thead>
          <tbody>
            {a.people.map((p) => (
              <tr key={p.personId}>
                <td data-label="姓名">
                  <Link to={`/people/${p.personId}`}>{p.name}</Link>
                </td>
                <td data-label="岗位">{POST_LABELS[p.post]}</td>
                <td data-label="截止">{p.dueOn ?? "—"}</td>
                <td data-label="状态">
                  <span
                    className={`badge ${p.status === "completed" ? "ok" : p.status === "overdue" ? "bad" : p.status === "in_progress" ? "warn" : ""}`}
                  >
                    {STATUS_LABELS[p.status]}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canWithdraw ? (
        <Form method="post" className="actions">
          <input type="hidden" name="intent" value="withdraw" />
          <button type="submit" className="danger">
            撤销此任务
          </button>
        </Form>
      ) : null}
    </>
  );
}
