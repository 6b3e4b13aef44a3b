import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { AccountForm } from "~/components/account-form";
import { forbidden } from "~/lib/http";
import { readForm, refused } from "~/lib/forms.server";
import { accountOptions } from "~/modules/auth/account-options.server";
import { createAccount } from "~/modules/auth/accounts.server";
import { AccountInput } from "~/modules/auth/schema";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";

export const meta: MetaFunction = () => [{ title: "新增账号 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const options = await accountOptions(actor);
  if (options.roles.length === 0) forbidden("您的角色无权创建账号。");
  return options;
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await readForm(request, AccountInput);
  if (!form.ok) return form.response;
  authorize(actor, "create", { type: "account", role: form.data.role, enterpriseId: form.data.enterpriseId });
  const saved = await createAccount(actor, form.data, clientIp(request));
  if (!saved.ok) return refused(saved, form.values);
  throw redirect(`/accounts/${saved.id}?saved=1`);
}

export default function NewAccount() {
  const options = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="card">
      <h1>新增账号</h1>
      <AccountForm
        {...options}
        creating
        errors={result?.fieldErrors}
        formError={result?.formError}
        values={result?.values ?? (options.enterprises.length === 1 ? { enterpriseId: options.enterprises[0].id } : {})}
      />
    </div>
  );
}
