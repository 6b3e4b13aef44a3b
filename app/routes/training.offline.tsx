import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { readForm, refused } from "~/lib/forms.server";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { trainingEnterprise } from "~/modules/courses/access.server";
import { recordOfflineTraining } from "~/modules/courses/training.server";
import { OfflineTrainingInput } from "~/modules/courses/training-schema";
import { POST_LABELS, POSTS } from "~/modules/org/labels";
import { activePeopleOf } from "~/modules/org/people.server";

export const meta: MetaFunction = () => [{ title: "录入线下培训 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const enterprise = await trainingEnterprise(actor, new URL(request.url), "create");
  return { enterpriseId: enterprise.id, people: await activePeopleOf(enterprise.id) };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const enterprise = await trainingEnterprise(actor, new URL(request.url), "create");
  const form = await readForm(request, OfflineTrainingInput);
  if (!form.ok) return form.response;
  const saved = await recordOfflineTraining(actor, enterprise.id, form.data, clientIp(request));
  if (!saved.ok) return refused(saved, form.values);
  throw redirect(`/training?enterpriseId=${enterprise.id}`);
}

export default function OfflineTraining() {
  const { people } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.fieldErrors;
  const v = (result?.values ?? {}) as Record<string, string>;
  return (
    <div className="card">
      <h1>录入线下培训</h1>
      <p className="muted">课堂培训、班组安全活动等线下培训，学时计入参训人员的学时台账。</p>
      <Form method="post" className="stack" noValidate>
        <FormError message={result?.formError} />
        <Field name="title" label="培训名称" errors={errors} required defaultValue={v.title ?? ""} />
        <Field
          name="trainedOn"
          label="培训日期"
          type="date"
          errors={errors}
          required
          defaultValue={v.trainedOn ?? ""}
        />
        <Field
          name="hours"
          label="学时"
          errors={errors}
          required
          inputMode="numeric"
          defaultValue={v.hours ?? ""}
          hint="以 0.5 学时为单位"
        />
        <fieldset className="field">
          <legend>
            <strong>参训人员</strong>
          </legend>
          {errors?.personIds ? (
            <div className="error" role="alert">
              {errors.personIds}
            </div>
          ) : null}
          {POSTS.map((post) => (
            <div key={post}>
              <div className="muted small">{POST_LABELS[post]}</div>
              {people
                .filter((p) => p.post === post)
                .map((p) => (
                  <label key={p.id} className="choice">
                    <input type="checkbox" name="personIds" value={p.id} /> {p.name}
                  </label>
                ))}
            </div>
          ))}
        </fieldset>
        <Field name="note" label="备注" errors={errors} />
        <button type="submit">保存</button>
      </Form>
    </div>
  );
}
