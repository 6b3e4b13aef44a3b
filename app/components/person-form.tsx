import { Form } from "@remix-run/react";
import { Field, FormError, type FieldErrors } from "./form";
import { POST_LABELS, POSTS } from "~/modules/org/labels";

interface Props {
  errors?: FieldErrors;
  formError?: string;
  values?: Record<string, unknown>;
  enterprises?: { id: number; name: string }[];
  editing?: { idNumberMasked: string };
  submitLabel: string;
}

/** Create and edit share one form; on edit the ID number is only replaced when a new one is typed. */
export function PersonForm({ errors, formError, values = {}, enterprises, editing, submitLabel }: Props) {
  const v = (k: string) => (values[k] as string | undefined) ?? "";
  return (
    <Form method="post" className="stack" noValidate>
      <FormError message={formError} />
      {enterprises ? (
        <Field name="enterpriseId" label="所属企业" errors={errors} required>
          {(a) => (
            <select {...a} defaultValue={v("enterpriseId")}>
              <option value="">请选择</option>
              {enterprises.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      <Field name="name" label="姓名" errors={errors} defaultValue={v("name")} required />
      <Field
        name="idNumber"
        label="身份证号码"
        errors={errors}
        defaultValue={editing ? "" : v("idNumber")}
        required={!editing}
        hint={
          editing
            ? `当前：${editing.idNumberMasked}。如需更正请填写完整号码，否则留空。`
            : "18 位，系统只保存加密摘要和脱敏号码"
        }
      />
      <Field name="phone" label="手机号" type="tel" inputMode="tel" errors={errors} defaultValue={v("phone")} />
      <Field name="post" label="岗位" errors={errors} required>
        {(a) => (
          <select {...a} defaultValue={v("post")}>
            <option value="">请选择</option>
            {POSTS.map((p) => (
              <option key={p} value={p}>
                {POST_LABELS[p]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="hireDate" label="入职日期" type="date" errors={errors} defaultValue={v("hireDate")} />
      <button type="submit" name="intent" value="save">
        {submitLabel}
      </button>
    </Form>
  );
}
