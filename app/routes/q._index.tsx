import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { readForm, SMALL_FORM_BYTES } from "~/lib/forms.server";
import { z } from "~/lib/validation.server";
import { clientIp } from "~/modules/auth/session.server";
import { hit, limiter } from "~/modules/auth/rate-limit.server";
import { quizByCode } from "~/modules/inspections/quiz.server";
import { JoinCode } from "~/modules/inspections/schema.server";

export const meta: MetaFunction = () => [{ title: "参加现场测验 · 安训" }];

// Anyone may try a code; guessing is slowed by a per-IP limit (a code is 6 digits).
export async function action({ request }: ActionFunctionArgs) {
  const wait = await hit(limiter("quiz_code_ip", 20, 600), clientIp(request));
  if (wait)
    return data(
      { ok: false as const, fieldErrors: {}, formError: `尝试次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试。` },
      { status: 429 },
    );
  const form = await readForm(request, z.object({ code: JoinCode }), { maxBytes: SMALL_FORM_BYTES });
  if (!form.ok) return form.response;
  const quiz = await quizByCode(form.data.code);
  if (!quiz)
    return data(
      { ok: false as const, fieldErrors: { code: "测验码不存在，请核对" }, formError: undefined },
      { status: 404 },
    );
  throw redirect(`/q/${quiz.token}`);
}

export default function JoinByCode() {
  const result = useActionData<typeof action>();
  return (
    <div className="card login">
      <h1>参加现场测验</h1>
      <p className="muted">请输入检查人员提供的 6 位测验码，或直接用手机相机扫描二维码。</p>
      <Form method="post" className="stack" noValidate>
        <FormError message={result?.formError} />
        <Field
          name="code"
          label="测验码"
          inputMode="numeric"
          errors={result?.fieldErrors}
          required
          autoComplete="off"
        />
        <button type="submit">进入</button>
      </Form>
    </div>
  );
}
