import { Form } from "@remix-run/react";
import type { Role } from "../../db/types";
import { ROLE_LABELS } from "~/modules/org/labels";
import { Field, FormError, type FieldErrors } from "./form";

interface Props {
  errors?: FieldErrors;
  formError?: string;
  values?: Record<string, unknown>;
  roles: Role[];
  enterprises: { id: number; name: string }[];
  regions: { id: number; label: string }[];
  creating: boolean;
}

export function AccountForm({ errors, formError, values = {}, roles, enterprises, regions, creating }: Props) {
  const v = (k: string) => (values[k] === undefined || values[k] === null ? "" : String(values[k]));
  return (
    <Form method="post" className="stack" noValidate>
      <FormError message={formError} />
      {creating ? (
        <Field
          name="username"
          label="用户名"
          errors={errors}
          defaultValue={v("username")}
          required
          autoComplete="off"
        />
      ) : null}
      <Field name="displayName" label="显示名称" errors={errors} defaultValue={v("displayName")} required />
      <Field name="role" label="角色" errors={errors} required>
        {(a) => (
          <select {...a} defaultValue={v("role") || roles[0]}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="enterpriseId" label="所属企业（企业账号）" errors={errors}>
        {(a) => (
          <select {...a} defaultValue={v("enterpriseId")}>
            <option value="">—</option>
            {enterprises.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {regions.length ? (
        <Field name="regionId" label="管辖区域（监管账号）" errors={errors}>
          {(a) => (
            <select {...a} defaultValue={v("regionId")}>
              <option value="">—</option>
              {regions.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      <Field
        name="personId"
        label="关联人员编号"
        errors={errors}
        defaultValue={v("personId")}
        inputMode="numeric"
        hint="从业人员账号关联本人档案（人员页网址中的编号）"
      />
      {creating ? (
        <Field
          name="password"
          label="初始密码"
          type="password"
          errors={errors}
          required
          autoComplete="new-password"
          hint="至少 8 位，同时包含字母和数字"
        />
      ) : (
        <Field
          name="newPassword"
          label="重置密码"
          type="password"
          errors={errors}
          autoComplete="new-password"
          hint="留空则不修改"
        />
      )}
      <button type="submit" name="intent" value="save">
        保存
      </button>
    </Form>
  );
}
