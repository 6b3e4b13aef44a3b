import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { forbidden } from "~/lib/http";
import { ownTemplateOwnerOf, type Actor } from "~/modules/auth/policy";
import { requireActor, clientIp } from "~/modules/auth/session.server";
import { authorizeTemplate } from "~/modules/exams/access.server";
import { topics } from "~/modules/exams/draw.server";
import { templateEditorAction } from "~/modules/exams/template-editor.server";
import { TemplateForm } from "~/modules/exams/ui/template-form";

export const meta: MetaFunction = () => [{ title: "新建试卷 · 安训" }];

// Admins make shared templates; officers make their enterprise's own; nobody else makes any.
function ownerOf(actor: Actor): number | null {
  const owner = ownTemplateOwnerOf(actor);
  if (!owner) forbidden("试卷模板由系统管理员（通用）和企业安全培训管理员（本企业）维护。");
  return owner.enterpriseId;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  await authorizeTemplate(actor, { enterprise_id: ownerOf(actor) }, "create");
  return { topics: (await topics([0, actor.enterpriseId ?? 0])).map((t) => t.topic) };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  await authorizeTemplate(actor, { enterprise_id: ownerOf(actor) }, "create");
  const result = await templateEditorAction(request, actor, null, ownerOf(actor), clientIp(request));
  if ("ok" in result && result.ok) throw redirect(`/exam-templates/${result.id}?saved=1`);
  return result;
}

export default function NewTemplate() {
  const { topics: t } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as
    { fieldErrors?: Record<string, string>; formError?: string } | undefined;
  return (
    <div className="card">
      <h1>新建试卷</h1>
      <TemplateForm topics={t} errors={result?.fieldErrors} formError={result?.formError} />
    </div>
  );
}
