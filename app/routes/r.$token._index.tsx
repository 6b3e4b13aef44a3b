import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { notFound } from "~/lib/http";
import { readFields, refused, SMALL_FORM_BYTES } from "~/lib/forms.server";
import { parseInput } from "~/lib/validation";
import { hit, limiter } from "~/modules/auth/rate-limit.server";
import { clientIp } from "~/modules/auth/session.server";
import { retestCookie, retestCookieOf } from "~/modules/inspections/participant.server";
import { claimRetestLink, holderOf, linkRefusal, retestLinkByToken } from "~/modules/inspections/retest-links.server";
import { RetestClaimInput } from "~/modules/inspections/schema";

export const meta: MetaFunction = () => [{ title: "复测 · 安训" }];

async function load(token: string | undefined) {
  const link = await retestLinkByToken(token ?? "");
  if (!link) notFound("复测链接无效，请核对链接或联系企业安全培训管理员。");
  return link;
}

// Open to whoever holds the link: identifying as the follow-up's person claims it once; the cookie then authorizes.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const link = await load(params.token);
  if (holderOf(link, retestCookieOf(request, link.id))) throw redirect(`/r/${params.token}/paper`);
  const refusal = linkRefusal(link);
  return {
    enterprise: link.enterprise_name,
    weakTopics: link.weak_topics,
    due: link.expires_on,
    refusal: refusal?.message ?? null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const link = await load(params.token);
  const wait = Math.max(
    await hit(limiter("retest_link_ip", 30, 600), clientIp(request)),
    await hit(limiter("retest_link", 10, 600), String(link.id)),
  );
  if (wait)
    return data(
      { fieldErrors: {} as Record<string, string>, formError: `请求过于频繁，请 ${Math.ceil(wait / 60)} 分钟后再试。` },
      { status: 429 },
    );
  const parsed = parseInput(RetestClaimInput, await readFields(request, { maxBytes: SMALL_FORM_BYTES }));
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, formError: "请更正标出的内容。" }, { status: 422 });
  const claimed = await claimRetestLink(link, parsed.data);
  if (!claimed.ok) return refused(claimed);
  throw redirect(`/r/${params.token}/paper`, {
    headers: { "Set-Cookie": retestCookie(link.id, params.token!, claimed.secret) },
  });
}

export default function RetestByLink() {
  const l = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (l.refusal) {
    return (
      <div className="card login" data-testid="retest-refused">
        <h1>无法复测</h1>
        <p>{l.refusal}</p>
      </div>
    );
  }
  return (
    <div className="card login">
      <h1>逢查必考 · 复测</h1>
      <p>{l.enterprise}</p>
      {l.weakTopics ? (
        <p className="small">
          上次测验的薄弱知识点：<strong>{l.weakTopics}</strong>
        </p>
      ) : null}
      <p className="small muted">请在 {l.due} 前完成。本链接只能使用一次：核对身份后立即开始答题，交卷后显示成绩。</p>
      <FormError message={result?.formError} />
      <Form method="post" className="stack" noValidate>
        <Field name="name" label="姓名" errors={result?.fieldErrors} required autoComplete="name" />
        <Field
          name="idNumber"
          label="身份证号码"
          errors={result?.fieldErrors}
          required
          autoComplete="off"
          hint="用于核对身份，系统不保存完整号码"
        />
        <button type="submit">核对身份并开始复测</button>
      </Form>
    </div>
  );
}
