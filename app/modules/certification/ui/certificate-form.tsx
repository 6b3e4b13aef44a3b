import { Form } from "@remix-run/react";
import { useState } from "react";
import { Field, FormError, type FieldErrors } from "~/components/form";
import { OPERATION_CATALOGUE } from "../catalogue";
import { KIND_LABELS } from "../rules";

export function CertificateForm({ errors, formError }: { errors?: FieldErrors; formError?: string }) {
  const [kind, setKind] = useState("special_operation");
  const [category, setCategory] = useState("");
  return (
    <Form method="post" className="stack" noValidate>
      <FormError message={formError} />
      <Field name="kind" label="证书类型" errors={errors} required>
        {(a) => (
          <select {...a} value={kind} onChange={(e) => setKind(e.target.value)}>
            {Object.entries(KIND_LABELS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        )}
      </Field>
      {kind !== "principal_manager" ? (
        <>
          <Field name="category" label="作业类别" errors={errors} required={kind === "special_operation"}>
            {(a) =>
              kind === "special_operation" ? (
                <select {...a} value={category} onChange={(e) => setCategory(e.target.value)}>
                  <option value="">请选择</option>
                  {Object.keys(OPERATION_CATALOGUE).map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              ) : (
                <input {...a} />
              )
            }
          </Field>
          <Field name="item" label="准操项目" errors={errors} required={kind === "special_operation"}>
            {(a) =>
              kind === "special_operation" ? (
                <select {...a}>
                  <option value="">请选择</option>
                  {(OPERATION_CATALOGUE[category] ?? []).map((i) => (
                    <option key={i} value={i}>
                      {i}
                    </option>
                  ))}
                </select>
              ) : (
                <input {...a} />
              )
            }
          </Field>
        </>
      ) : null}
      <Field name="number" label="证书编号" errors={errors} required />
      <Field name="authority" label="发证机关" errors={errors} />
      <Field name="firstIssuedOn" label="初领日期" type="date" errors={errors} />
      <Field name="validFrom" label="有效期开始" type="date" errors={errors} required />
      <Field
        name="expiresOn"
        label="有效期结束"
        type="date"
        errors={errors}
        required
        hint="特种作业操作证有效期 6 年；主要负责人和安全管理人员合格证 3 年"
      />
      <Field name="reviewDueOn" label="应复审日期" type="date" errors={errors} hint="特种作业操作证每 3 年复审一次" />
      <Field name="lastReviewedOn" label="最近复审日期" type="date" errors={errors} />
      <button type="submit" name="intent" value="certificate">
        保存证书
      </button>
    </Form>
  );
}
