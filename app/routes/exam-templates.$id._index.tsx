import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams, Link } from "@remix-run/react";
import { notFound } from "~/lib/http";
import { idParam } from "~/lib/validation";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizeTemplate } from "~/modules/exams/access.server";
import { topics } from "~/modules/exams/draw.server";
import { getTemplate } from "~/modules/exams/exams.server";
import { templateEditorAction } from "~/modules/exams/template-editor.server";
import { TemplateForm } from "~/modules/exams/ui/template-form";

export const meta: MetaFunction = () => [{ title: "编辑试卷 · 安训" }];

async function load(request: Request, rawId: string | undefined) {
  const actor = await requireActor(request);
  const id = idParam.safeParse(rawId);
  const template = id.success ? await getTemplate(id.data) : undefined;
  if (!template) notFound("该试卷不存在。");
  await authorizeTemplate(actor, template, "update");
  return { actor, template };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, template } = await load(request, params.id);
  return {
    template,
    topics: (await topics([0, template.enterprise_id ?? actor.enterpriseId ?? 0])).map((t) => t.topic),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, template } = await load(request, params.id);
  const result = await templateEditorAction(request, actor, template.id, template.enterprise_id, clientIp(request));
  if ("ok" in result && result.ok) throw redirect(`/exam-templates/${template.id}?saved=1`);
  return result;
}

export default function EditTemplate() {
  const { template, topics: t } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as
    { fieldErrors?: Record<string, string>; formError?: string } | undefined;
  const [search] = useSearchParams();
  return (
    <div className="card">
      <h1>编辑试卷：{template.name}</h1>
      {search.get("saved") ? (
        <div className="notice" role="status">
          已保存。
        </div>
      ) : null}
      <p className="small">
        <Link to={`/exam-templates/${template.id}/stats`}>查看统计</Link>
      </p>
      <TemplateForm template={template} topics={t} errors={result?.fieldErrors} formError={result?.formError} />
    </div>
  );
}
