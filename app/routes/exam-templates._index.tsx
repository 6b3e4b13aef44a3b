import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, Link } from "@remix-run/react";
import { ownTemplateOwnerOf } from "~/modules/auth/policy";
import { authorize, requireActor } from "~/modules/auth/session.server";
import { templatesFor } from "~/modules/exams/exams.server";
import { TYPE_LABELS } from "~/modules/exams/labels";

export const meta: MetaFunction = () => [{ title: "试卷模板 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  // Officers see the shared templates and their own; admins the shared ones; others have no templates to manage.
  authorize(actor, "view", { type: "exam_template_list" });
  const owner = ownTemplateOwnerOf(actor);
  const templates = await templatesFor(owner?.enterpriseId ?? null);
  return {
    templates: templates.map((t) => ({
      id: t.id,
      name: t.name,
      shared: t.enterprise_id === null,
      minutes: t.time_limit_minutes,
      passMark: t.pass_mark,
      summary: t.rules.map((r) => `${TYPE_LABELS[r.type]} ${r.count} 题×${r.points} 分`).join("，"),
      editable: owner !== undefined && t.enterprise_id === owner.enterpriseId,
    })),
  };
}

export default function Templates() {
  const { templates } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>试卷模板</h1>
      <div className="actions">
        <Link className="button" to="/exam-templates/new">
          新建试卷
        </Link>
      </div>
      <div className="table-wrap">
        <table className="responsive">
          <thead>
            <tr>
              <th>名称</th>
              <th>组成</th>
              <th>时长</th>
              <th>及格</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {templates.map((t) => (
              <tr key={t.id}>
                <td data-label="名称">
                  {t.editable ? <Link to={`/exam-templates/${t.id}`}>{t.name}</Link> : t.name}
                  {t.shared ? <span className="badge"> 通用</span> : null}
                </td>
                <td data-label="组成" className="small">
                  {t.summary}
                </td>
                <td data-label="时长">{t.minutes} 分钟</td>
                <td data-label="及格">{t.passMark}</td>
                <td>
                  <Link to={`/exam-templates/${t.id}/stats`}>统计</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
