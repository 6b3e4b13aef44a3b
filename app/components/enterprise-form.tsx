import { Form } from "@remix-run/react";
import { Field, FormError, type FieldErrors } from "./form";
import { INDUSTRIES, RISK_LABELS, RISK_LEVELS } from "~/modules/org/labels";

interface Props {
  errors?: FieldErrors;
  formError?: string;
  values?: Record<string, unknown>;
  regions: { id: number; label: string }[];
  submitLabel: string;
}

export function EnterpriseForm({ errors, formError, values = {}, regions, submitLabel }: Props) {
  const v = (k: string) => (values[k] === undefined || values[k] === null ? "" : String(values[k]));
  return (
    <Form method="post" className="stack" noValidate>
      <FormError message={formError} />
      <Field name="name" label="企业名称" errors={errors} defaultValue={v("name")} required />
      <Field
        name="uscc"
        label="统一社会信用代码"
        errors={errors}
        defaultValue={v("uscc")}
        required
        hint="18 位，系统会核对校验位"
      />
      <Field name="regionId" label="所在区域" errors={errors} required>
        {(a) => (
          <select {...a} defaultValue={v("regionId")}>
            <option value="">请选择</option>
            {regions.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="industryCode" label="行业" errors={errors} required>
        {(a) => (
          <select {...a} defaultValue={v("industryCode")}>
            <option value="">请选择</option>
            {INDUSTRIES.map((i) => (
              <option key={i.code} value={i.code}>
                {i.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="riskLevel" label="风险等级" errors={errors} required>
        {(a) => (
          <select {...a} defaultValue={v("riskLevel") || "blue"}>
            {RISK_LEVELS.map((r) => (
              <option key={r} value={r}>
                {RISK_LABELS[r]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="address" label="地址" errors={errors} defaultValue={v("address")} />
      <Field name="contactPhone" label="联系电话" type="tel" errors={errors} defaultValue={v("contactPhone")} />
      <label className="choice">
        <input type="checkbox" name="studyPhotoCheckin" value="1" defaultChecked={v("studyPhotoCheckin") === "1"} />{" "}
        在线学习签到时须拍照（照片随学习记录存档，不做人脸识别）
      </label>
      <button type="submit" name="intent" value="save">
        {submitLabel}
      </button>
    </Form>
  );
}
