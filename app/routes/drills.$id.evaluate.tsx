import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, Link } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { readForm } from "~/lib/forms.server";
import { invalid } from "~/lib/forms.server";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedDrill } from "~/modules/drills/access.server";
import { criteria, saveSheet, sheetOf } from "~/modules/drills/evaluation.server";
import { RATING_LABELS } from "~/modules/drills/labels";
import { RATINGS, type Rating } from "~/modules/drills/rules";
import { SheetInput } from "~/modules/drills/schema";

export const meta: MetaFunction = () => [{ title: "演练评估表 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const { drill } = await authorizedDrill(actor, params.id, "evaluate");
  const [items, sheet] = await Promise.all([criteria(), sheetOf(drill.id, actor.userId)]);
  return { drill: { id: drill.id, title: drill.title, status: drill.status }, items, sheet };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const { drill } = await authorizedDrill(actor, params.id, "evaluate");
  const form = await readForm(request, SheetInput, { nested: true });
  if (!form.ok) return form.response;
  const saved = await saveSheet(actor, drill.id, form.data, clientIp(request));
  if (!saved.ok) return invalid(saved.fieldErrors, "提交前请为每一项和总体评定选择等级。", form.values);
  if (saved.submitted) throw redirect(`/drills/${drill.id}`);
  return { ok: true as const };
}

const ratings = Object.keys(RATINGS) as Rating[];

/** One evaluator's own sheet: a rating and comment per AQ/T 9009 criterion, and an overall rating. */
export default function EvaluateDrill() {
  const { drill, items, sheet } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && "fieldErrors" in result ? result : undefined;
  const v = failed?.values ?? {};
  const locked =
    sheet.submittedAt !== null ||
    drill.status === "planned" ||
    drill.status === "closed" ||
    drill.status === "cancelled";
  let section = "";
  return (
    <>
      <h1>演练评估表</h1>
      <p className="muted">
        <Link to={`/drills/${drill.id}`}>{drill.title}</Link>
      </p>
      {sheet.submittedAt ? <p className="notice">您的评估表已提交，不能再修改。</p> : null}
      {drill.status === "planned" ? <p className="notice">演练开始后才能评估。</p> : null}
      {result && "ok" in result ? (
        <p className="notice" role="status">
          已保存草稿。
        </p>
      ) : null}
      <FormError message={failed?.formError} />
      <Form method="post" className="stack" noValidate>
        <fieldset disabled={locked}>
          {items.map((c) => {
            const heading = c.section !== section ? (section = c.section) : null;
            const key = `scores.c${c.id}`;
            const given = (v[`${key}.rating`] as string | undefined) ?? sheet.scores[c.id]?.rating;
            const error = failed?.fieldErrors[`${key}.rating`];
            return (
              <div key={c.id} className="question">
                {heading ? <h2>{heading}</h2> : null}
                <p>{c.text}</p>
                <div role="radiogroup" aria-label={c.text}>
                  {ratings.map((r) => (
                    <label key={r} className="choice">
                      <input type="radio" name={`${key}.rating`} value={r} defaultChecked={given === r} />{" "}
                      {RATING_LABELS[r]}
                    </label>
                  ))}
                </div>
                {error ? (
                  <div className="error" role="alert">
                    {error}
                  </div>
                ) : null}
                <input
                  name={`${key}.comment`}
                  aria-label={`${c.text} 评语`}
                  placeholder="评语（可选）"
                  defaultValue={(v[`${key}.comment`] as string | undefined) ?? sheet.scores[c.id]?.comment ?? ""}
                />
              </div>
            );
          })}
          <h2>总体评定</h2>
          <div role="radiogroup" aria-label="总体评定">
            {ratings.map((r) => (
              <label key={r} className="choice">
                <input
                  type="radio"
                  name="overallRating"
                  value={r}
                  defaultChecked={((v.overallRating as string | undefined) ?? sheet.overallRating) === r}
                />{" "}
                {RATING_LABELS[r]}
              </label>
            ))}
          </div>
          {failed?.fieldErrors.overallRating ? (
            <div className="error" role="alert">
              {failed.fieldErrors.overallRating}
            </div>
          ) : null}
          <Field name="overallComment" label="总体评价和改进建议" errors={failed?.fieldErrors}>
            {(a) => (
              <textarea
                {...a}
                rows={4}
                defaultValue={(v.overallComment as string | undefined) ?? sheet.overallComment ?? ""}
              />
            )}
          </Field>
          <div className="actions">
            <button type="submit" name="intent" value="save" className="secondary">
              保存草稿
            </button>
            <button type="submit" name="intent" value="submit">
              提交评估表
            </button>
          </div>
        </fieldset>
      </Form>
    </>
  );
}
