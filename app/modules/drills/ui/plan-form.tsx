import { Form } from "@remix-run/react";
import { Field, FormError, type FieldErrors } from "~/components/form";
import { PLAN_TYPE_LABELS } from "../labels";
import { PLAN_TYPES } from "../rules";

export interface PlanValues {
  type?: string;
  title?: string;
  scenarios?: string;
  response_roles?: string;
  issued_on?: string;
  interval_months?: number | string;
}

export function PlanForm({
  values,
  errors,
  formError,
  submitLabel,
}: {
  values: PlanValues;
  errors?: FieldErrors;
  formError?: string;
  submitLabel: string;
}) {
  return (
    <Form method="post" className="stack" noValidate>
      <input type="hidden" name="intent" value="save" />
      <FormError message={formError} />
      <Field name="type" label="预案类型" errors={errors} required>
        {(a) => (
          <select {...a} defaultValue={values.type ?? ""}>
            <option value="">请选择</option>
            {PLAN_TYPES.map((t) => (
              <option key={t} value={t}>
                {PLAN_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="title" label="预案名称" errors={errors} required defaultValue={values.title} />
      <Field
        name="scenarios"
        label="适用的事故情景"
        errors={errors}
        required
        hint="如：储罐区液氯泄漏、装卸作业火灾，每行一个"
      >
        {(a) => <textarea {...a} rows={4} defaultValue={values.scenarios} />}
      </Field>
      <Field
        name="responseRoles"
        label="应急组织与职责"
        errors={errors}
        required
        hint="指挥部、各应急小组及其职责，每行一项"
      >
        {(a) => <textarea {...a} rows={5} defaultValue={values.response_roles} />}
      </Field>
      <Field
        name="issuedOn"
        label="发布实施日期"
        type="date"
        errors={errors}
        required
        defaultValue={values.issued_on}
      />
      <Field
        name="intervalMonths"
        label="演练周期（月）"
        errors={errors}
        inputMode="numeric"
        defaultValue={values.interval_months}
        hint="留空按规定：综合和专项预案每年至少一次，现场处置方案每半年至少一次，高危行业每半年至少一次；只能更短，不能更长"
      />
      <button type="submit">{submitLabel}</button>
    </Form>
  );
}
