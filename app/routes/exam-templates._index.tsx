import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { forbidden } from "~/lib/http";
import { requireActor } from "~/modules/auth/session.server";
import { templatesFor } from "~/modules/exams/exams.server";
import { TYPE_LABELS } from "~/modules/exams/labels";

export const meta: MetaFunction = () => [{ title: "试卷模板 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  // Officers see the shared templates and their own; admins the shared ones; others have no templates to manage.
  if (actor.role !== "admin" && actor.role !== "enterprise_officer") forbidden("您的角色不管理试卷模板。");
  const templates = await templatesFor(actor.role === "admin" ? null : actor.enterpriseId);
  return {
    templates: templates.map((t) => ({
      id: t.id, name: t.name, shared: t.enterprise_id === null, minutes: t.time_limit_minutes, passMark: t.pass_mark,
      summary: t.rules.map((r) => `${TYPE_LABELS[r.type]} ${r.count} 题×${r.points} 分`).join("，"),
      editable: actor.role === "admin" ? t.enterprise_id === null : t.enterprise_id === actor.enterpriseId,
    })),
  };
}

export default function Templates() {
  const { templates } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>试卷模板</h1>
      <div className="actions"><a className="button" href="/exam-templates/new">新建试卷</a></div>
      <div className="table-wrap">
        <table className="responsive">
          <thead><tr><th>名称</th><th>组成</th><th>时长</th><th>及格</th><th></th></tr></thead>
          <tbody>
            {templates.map((t) => (
              <tr key={t.id}>
                <td data-label="名称">{t.editable ? <a href={`/exam-templates/${t.id}`}>{t.name}</a> : t.name}{t.shared ? <span className="badge"> 通用</span> : null}</td>
                <td data-label="组成" className="small">{t.summary}</td>
                <td data-label="时长">{t.minutes} 分钟</td>
                <td data-label="及格">{t.passMark}</td>
                <td><a href={`/exam-templates/${t.id}/stats`}>统计</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
