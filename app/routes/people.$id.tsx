import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { PersonForm } from "~/components/person-form";
import { invalid, readForm } from "~/lib/forms.server";
import { notFound } from "~/lib/http";
import { idParam, z } from "~/lib/validation";
import { can } from "~/modules/auth/policy";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { POST_LABELS } from "~/modules/org/labels";
import { getPerson, personResource, setPersonActive, updatePerson } from "~/modules/org/people.server";
import { PersonUpdateInput } from "~/modules/org/schema";

export const meta: MetaFunction = () => [{ title: "人员档案 · 安训" }];

async function load(request: Request, rawId: string | undefined, action: "view" | "update") {
  const actor = await requireActor(request);
  const id = idParam.safeParse(rawId);
  const resource = id.success ? await personResource(id.data) : null;
  if (!resource) notFound("该人员不存在。");
  authorize(actor, action, resource);
  return { actor, resource };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, resource } = await load(request, params.id, "view");
  const person = (await getPerson(resource.id))!;
  return { person, canEdit: can(actor, "update", resource) };
}

const Intent = z.object({ intent: z.enum(["save", "deactivate", "reactivate"], { error: "未知的操作" }) });

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, resource } = await load(request, params.id, "update");
  const intent = Intent.safeParse(Object.fromEntries((await request.clone().formData()).entries()));
  if (!intent.success) return invalid({}, "未知的操作");
  if (intent.data.intent !== "save") {
    authorize(actor, "deactivate", resource);
    await setPersonActive(actor, resource.id, intent.data.intent === "reactivate", clientIp(request));
    throw redirect(`/people/${resource.id}`);
  }
  const form = await readForm(request, PersonUpdateInput);
  if (!form.ok) return form.response;
  const saved = await updatePerson(actor, resource.id, form.data, clientIp(request));
  if (!saved.ok) return invalid({ [saved.field]: saved.message }, "请更正标出的内容后再提交。", form.values);
  throw redirect(`/people/${resource.id}?saved=1`);
}

export default function PersonPage() {
  const { person, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  return (
    <>
      <h1>{person.name}</h1>
      {search.get("saved") ? <div className="notice" role="status">已保存。</div> : null}
      <section className="card">
        <dl>
          <dt className="muted small">岗位</dt><dd>{POST_LABELS[person.post]}</dd>
          <dt className="muted small">身份证号</dt><dd>{person.id_number_masked}</dd>
          <dt className="muted small">单位</dt><dd>{person.enterprise_name}</dd>
          <dt className="muted small">手机号</dt><dd>{person.phone ?? "—"}</dd>
          <dt className="muted small">入职日期</dt><dd>{person.hire_date ?? "—"}</dd>
          <dt className="muted small">状态</dt><dd>{person.active ? "在职" : "已停用"}</dd>
        </dl>
      </section>
      {canEdit ? (
        <section className="card">
          <h2>编辑</h2>
          <PersonForm errors={result?.fieldErrors} formError={result?.formError} editing={{ idNumberMasked: person.id_number_masked }}
            values={result?.values ?? { name: person.name, phone: person.phone ?? "", post: person.post, hireDate: person.hire_date ?? "" }}
            submitLabel="保存修改" />
          <Form method="post" className="actions">
            {person.active
              ? <button type="submit" name="intent" value="deactivate" className="danger">停用（离职）</button>
              : <button type="submit" name="intent" value="reactivate" className="secondary">恢复在职</button>}
          </Form>
        </section>
      ) : null}
    </>
  );
}
