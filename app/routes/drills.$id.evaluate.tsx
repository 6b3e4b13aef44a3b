import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, Link } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { readForm } from "~/lib/forms.server";
import { invalid } from "~/lib/forms.server";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedDrill } from "~/modules/drills/access.server";
import { EVALUATION_FORM_LABELS, formCodeOf } from "~/modules/drills/evaluation-forms";
import { criteria, saveScoredSheet, saveSheet, scoredForm, sheetOf } from "~/modules/drills/evaluation.server";
import { RATING_MEANINGS } from "~/modules/drills/labels";
import { RATING_CODES } from "~/modules/drills/rules";
import { ScoredSheetInput, SheetInput } from "~/modules/drills/schema";

export const meta: MetaFunction = () => [{ title: "演练评估表 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const { drill } = await authorizedDrill(actor, params.id, "evaluate");
  const code = formCodeOf(drill.evaluation_form);
  const [items, form, sheet] = await Promise.all([
    code === "aqt9009" ? criteria() : [],
    scoredForm(code),
    sheetOf(drill.id, actor.userId),
  ]);
  return {
    drill: { id: drill.id, title: drill.title, status: drill.status },
    formLabel: EVALUATION_FORM_LABELS[code],
    items,
    scored: form ? { name: form.name, basis: form.definition.basis, indicators: form.definition.indicators } : null,
    sheet,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const { drill } = await authorizedDrill(actor, params.id, "evaluate");
  const form = await scoredForm(formCodeOf(drill.evaluation_form));
  if (form) {
    const input = await readForm(request, ScoredSheetInput, { nested: true });
    if (!input.ok) return input.response;
    const saved = await saveScoredSheet(actor, drill.id, form, input.data, clientIp(request));
    if (!saved.ok) return invalid(saved.fieldErrors ?? {}, "请为每项指标填写 0 到满分之间的得分。", input.values);
    if (saved.submitted) throw redirect(`/drills/${drill.id}`);
    return { ok: true as const };
  }
  const input = await readForm(request, SheetInput, { nested: true });
  if (!input.ok) return input.response;
  const saved = await saveSheet(actor, drill.id, input.data, clientIp(request));
  if (!saved.ok) return invalid(saved.fieldErrors ?? {}, "提交前请为每一项和总体评定选择等级。", input.values);
  if (saved.submitted) throw redirect(`/drills/${drill.id}`);
  return { ok: true as const };
}

/**
 * One evaluator's own sheet on the form the organizer chose: AQ/T 9009 (each criterion rated 优/良/中/差 with a
 * comment, and an overall rating) or GB/T 46792 (a score per indicator; the total gives the grade).
 */
export default function EvaluateDrill() {
  const { drill, formLabel, items, scored, sheet } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && "fieldErrors" in result ? result : undefined;
  const v = failed?.values ?? {};
  const locked =
    sheet.submittedAt !== null ||
    drill.status === "planned" ||
    drill.status === "closed" ||
    drill.status === "cancelled";
  let section = "";
  const fieldError = (name: string) =>
    failed?.fieldErrors[name] ? (
      <div className="error" role="alert">
        {failed.fieldErrors[name]}
      </div>
    ) : null;
  return (
    <>
      <h1>演练评估表</h1>
      <p className="muted">
        <Link to={`/drills/${drill.id}`}>{drill.title}</Link> · <span data-testid="evaluation-form">{formLabel}</span>
      </p>
      {sheet.submittedAt ? <p className="notice">您的评估表已提交，不能再修改。</p> : null}
      {drill.status === "planned" ? <p className="notice">演练开始后才能评估。</p> : null}
      {result && "ok" in result ? (
        <p className="notice" role="status">
          已保存草稿。
        </p>
      ) : null}
      <FormError message={failed?.formError} />
      <Form method="post" className="stack evaluation-sheet" noValidate>
        <fieldset disabled={locked}>
          {scored ? (
            <>
              <p className="small muted">{scored.basis}</p>
              {scored.indicators.map((i) => {
                const heading = i.group !== section ? (section = i.group) : null;
                const name = `points.${i.code}`;
                return (
                  <div key={i.code} className="question">
                    {heading ? <h2>{heading}</h2> : null}
                    <Field
                      name={name}
                      label={`${i.text}（满分 ${i.max} 分）`}
                      inputMode="numeric"
                      errors={failed?.fieldErrors}
                      defaultValue={(v[name] as string | undefined) ?? sheet.points[i.code]?.toString() ?? ""}
                    />
                  </div>
                );
              })}
            </>
          ) : (
            <>
              <p className="small muted">
                评定等级：
                {RATING_CODES.map((r) => RATING_MEANINGS[r]).join("；")}。
              </p>
              {items.map((c) => {
                const heading = c.section !== section ? (section = c.section) : null;
                const key = `scores.c${c.id}`;
                const given = (v[`${key}.rating`] as string | undefined) ?? sheet.scores[c.id]?.rating;
                return (
                  <div key={c.id} className="question">
                    {heading ? <h2>{heading}</h2> : null}
                    <p>{c.text}</p>
                    <div role="radiogroup" aria-label={c.text} className="ratings">
                      {RATING_CODES.map((r) => (
                        <label key={r} className="choice">
                          <input type="radio" name={`${key}.rating`} value={r} defaultChecked={given === r} />{" "}
                          {RATING_MEANINGS[r]}
                        </label>
                      ))}
                    </div>
                    {fieldError(`${key}.rating`)}
                    <label className="small" htmlFor={`f-${key}.comment`}>
                      评语（可选）
                    </label>
                    <textarea
                      id={`f-${key}.comment`}
                      name={`${key}.comment`}
                      aria-label={`${c.text} 评语`}
                      rows={3}
                      placeholder="写下看到的情况、问题和建议"
                      defaultValue={(v[`${key}.comment`] as string | undefined) ?? sheet.scores[c.id]?.comment ?? ""}
                    />
                    {fieldError(`${key}.comment`)}
                  </div>
                );
              })}
              <h2>总体评定</h2>
              <div role="radiogroup" aria-label="总体评定" className="ratings">
                {RATING_CODES.map((r) => (
                  <label key={r} className="choice">
                    <input
                      type="radio"
                      name="overallRating"
                      value={r}
                      defaultChecked={((v.overallRating as string | undefined) ?? sheet.overallRating) === r}
                    />{" "}
                    {RATING_MEANINGS[r]}
                  </label>
                ))}
              </div>
              {fieldError("overallRating")}
            </>
          )}
          <label htmlFor="f-overallComment">
            <strong>总体评价和改进建议</strong>
          </label>
          <textarea
            id="f-overallComment"
            name="overallComment"
            rows={8}
            defaultValue={(v.overallComment as string | undefined) ?? sheet.overallComment ?? ""}
          />
          {fieldError("overallComment")}
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
