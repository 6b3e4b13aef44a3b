import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AccountForm } from "~/components/account-form";
import { invalid, readForm, readFormData, refused } from "~/lib/forms.server";
import { notFound } from "~/lib/http";
import { z } from "~/lib/validation";
import { accountOptions } from "~/modules/auth/account-options.server";
import { getAccount, setAccountActive, updateAccount } from "~/modules/auth/accounts.server";
import { AccountUpdateInput } from "~/modules/auth/schema";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { ROLE_LABELS } from "~/modules/org/labels";

export const meta: MetaFunction = () => [{ title: "账号 · 安训" }];

async function load(request: Request, rawId: string | undefined) {
  const actor = await requireActor(request);
  const id = z
    .string()
    .regex(/^[a-z0-9]{1,32}$/)
    .safeParse(rawId);
  const account = id.success ? await getAccount(id.data) : undefined;
  if (!account) notFound("该账号不存在。");
  authorize(actor, "view", { type: "account", role: account.role, enterpriseId: account.enterprise_id });
  return { actor, account };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, account } = await load(request, params.id);
  return { account, options: await accountOptions(actor) };
}

const Intent = z.object({ intent: z.enum(["save", "deactivate", "reactivate"], { error: "未知的操作" }) });

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, account } = await load(request, params.id);
  const intent = Intent.safeParse(Object.fromEntries((await readFormData(request.clone())).entries()));
  if (!intent.success) return invalid({}, "未知的操作");
  if (intent.data.intent !== "save") {
    authorize(actor, "deactivate", { type: "account", role: account.role, enterpriseId: account.enterprise_id });
    if (account.id === actor.userId) return invalid({}, "不能停用自己的账号。");
    await setAccountActive(actor, account.id, intent.data.intent === "reactivate", clientIp(request));
    throw redirect(`/accounts/${account.id}`);
  }
  const form = await readForm(request, AccountUpdateInput);
  if (!form.ok) return form.response;
  // Both the account as it is and as it would become must be within the actor's reach.
  authorize(actor, "update", { type: "account", role: account.role, enterpriseId: account.enterprise_id });
  authorize(actor, "update", { type: "account", role: form.data.role, enterpriseId: form.data.enterpriseId });
  const saved = await updateAccount(actor, account.id, form.data, clientIp(request));
  if (!saved.ok) return refused(saved, form.values);
  throw redirect(`/accounts/${account.id}?saved=1`);
}

export default function AccountPage() {
  const { account, options } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  return (
    <div className="card">
      <h1>账号：{account.username}</h1>
      {search.get("saved") ? (
        <div className="notice" role="status">
          已保存。
        </div>
      ) : null}
      <p className="muted">
        {ROLE_LABELS[account.role]}　{account.active ? "启用" : "已停用"}
      </p>
      <AccountForm
        {...options}
        creating={false}
        errors={result?.fieldErrors}
        formError={result?.formError}
        values={
          result?.values ?? {
            displayName: account.display_name,
            role: account.role,
            enterpriseId: account.enterprise_id,
            regionId: account.region_id,
            personId: account.person_id,
          }
        }
      />
      <Form method="post" className="actions">
        {account.active ? (
          <button type="submit" name="intent" value="deactivate" className="danger">
            停用账号
          </button>
        ) : (
          <button type="submit" name="intent" value="reactivate" className="secondary">
            启用账号
          </button>
        )}
      </Form>
    </div>
  );
}
