import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { readForm, SMALL_FORM_BYTES } from "~/lib/forms.server";
import { safeNext } from "~/modules/auth/next";
import { LoginInput } from "~/modules/auth/schema";
import { clientIp, getActor, login } from "~/modules/auth/session.server";

export const meta: MetaFunction = () => [{ title: "登录 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getActor(request)) throw redirect("/");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request, LoginInput, { maxBytes: SMALL_FORM_BYTES });
  if (!form.ok) return form.response;
  const result = await login(form.data.username, form.data.password, clientIp(request));
  if (!result.ok) {
    return data(
      { ok: false as const, fieldErrors: {}, formError: result.message, values: { username: form.data.username } },
      { status: result.status },
    );
  }
  throw redirect(safeNext(form.data.next), { headers: { "Set-Cookie": result.cookie } });
}

export default function Login() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors = result && "fieldErrors" in result ? result.fieldErrors : undefined;
  return (
    <div className="login card">
      <h1>登录安训</h1>
      <p className="muted">安全生产培训、考试、持证与应急演练管理</p>
      <Form method="post" className="stack" noValidate>
        <FormError message={result?.formError} />
        <input type="hidden" name="next" value={safeNext(params.get("next") ?? undefined)} />
        <Field
          name="username"
          label="用户名"
          errors={errors}
          autoComplete="username"
          required
          defaultValue={(result?.values?.username as string | undefined) ?? ""}
        />
        <Field name="password" label="密码" type="password" errors={errors} autoComplete="current-password" required />
        <button type="submit" disabled={busy}>
          {busy ? "正在登录…" : "登录"}
        </button>
      </Form>
    </div>
  );
}
