import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { readForm, SMALL_FORM_BYTES } from "~/lib/forms.server";
import { ChangePasswordInput } from "~/modules/auth/schema";
import { changePassword, clientIp, requireActor } from "~/modules/auth/session.server";

export const meta: MetaFunction = () => [{ title: "修改密码 · 安训" }];

// Every logged-in user may change their own password: being logged in is the whole authorization.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireActor(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await readForm(request, ChangePasswordInput, { maxBytes: SMALL_FORM_BYTES });
  if (!form.ok) return form.response;
  const result = await changePassword(actor, form.data.current, form.data.next, clientIp(request));
  if (!result.ok) {
    return data(
      {
        ok: false as const,
        fieldErrors: { [result.field]: result.message },
        formError: result.status === 429 ? result.message : "请更正标出的内容后再提交。",
      },
      { status: result.status },
    );
  }
  return data(
    { ok: true as const, fieldErrors: {}, formError: undefined },
    { headers: { "Set-Cookie": result.cookie } },
  );
}

export default function ChangePassword() {
  const result = useActionData<typeof action>();
  return (
    <div className="card">
      <h1>修改密码</h1>
      {result?.ok ? (
        <div className="notice" role="status">
          密码已修改，其他设备上的登录已退出。
        </div>
      ) : null}
      <Form method="post" className="stack" noValidate>
        <FormError message={result?.formError} />
        <Field
          name="current"
          label="当前密码"
          type="password"
          autoComplete="current-password"
          errors={result?.fieldErrors}
          required
        />
        <Field
          name="next"
          label="新密码"
          type="password"
          autoComplete="new-password"
          hint="至少 8 位，同时包含字母和数字"
          errors={result?.fieldErrors}
          required
        />
        <Field
          name="confirm"
          label="再次填写新密码"
          type="password"
          autoComplete="new-password"
          errors={result?.fieldErrors}
          required
        />
        <button type="submit">保存新密码</button>
      </Form>
    </div>
  );
}
