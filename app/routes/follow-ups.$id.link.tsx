import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, Link } from "@remix-run/react";
import { FormError } from "~/components/form";
import { notFound } from "~/lib/http";
import { idParam } from "~/lib/validation";
import { dayOf } from "~/lib/calendar";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { followUpCard } from "~/modules/inspections/inspections.server";
import { originOf, qrSvg } from "~/modules/inspections/qr.server";
import { createRetestLink, linksOfFollowUp } from "~/modules/inspections/retest-links.server";
import { POST_LABELS } from "~/modules/org/labels";

export const meta: MetaFunction = () => [{ title: "复测链接 · 安训" }];

async function load(request: Request, id: string | undefined, action: "view" | "update") {
  const actor = await requireActor(request);
  const parsed = idParam.safeParse(id);
  const f = parsed.success ? await followUpCard(parsed.data) : undefined;
  if (!f) notFound("该复测事项不存在。");
  authorize(actor, action, {
    type: "follow_up",
    enterpriseId: f.enterprise_id,
    regionPath: f.region_path,
    personId: f.person_id,
  });
  return { actor, f };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { f } = await load(request, params.id, "update");
  const links = await linksOfFollowUp(f.id);
  return {
    f,
    links: links.map((l) => ({
      id: l.id,
      createdOn: dayOf(l.created_at),
      expiresOn: l.expires_on,
      usedOn: l.used_at ? dayOf(l.used_at) : null,
    })),
  };
}

/** Hand out a one-time link (shown once: only its hash is kept) with a QR code to scan from this screen or a print. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, f } = await load(request, params.id, "update");
  const made = await createRetestLink(actor, f.id, clientIp(request));
  if (!made.ok)
    return data({ formError: made.message, url: null, svg: null, expiresOn: null }, { status: made.status });
  const url = `${originOf(request)}/r/${made.token}`;
  return { formError: null, url, svg: await qrSvg(url), expiresOn: made.expiresOn };
}

export default function RetestLinkPage() {
  const { f, links } = useLoaderData<typeof loader>();
  const made = useActionData<typeof action>();
  return (
    <>
      <p className="small">
        <Link to="/follow-ups">← 整改与复测</Link>
      </p>
      <h1>复测链接：{f.name}</h1>
      <p className="muted">
        {POST_LABELS[f.post]} · 薄弱知识点：{f.weak_topics || "—"} · 复测期限 {f.retest_due}
      </p>
      <section className="card">
        <p>
          没有账号的人员用手机扫码或打开链接，核对姓名和身份证号码后即可复测。每个链接只能使用一次，复测期限过后失效。
        </p>
        <FormError message={made?.formError ?? undefined} />
        {made?.url ? (
          <div className="retest-qr" data-testid="retest-link">
            <div className="qr" dangerouslySetInnerHTML={{ __html: made.svg! }} />
            <p className="small">链接（仅显示这一次，请当面出示或打印）：</p>
            <p>
              <a href={made.url} className="break">
                {made.url}
              </a>
            </p>
            <p className="small muted">有效至 {made.expiresOn}</p>
          </div>
        ) : (
          <Form method="post">
            <button type="submit">生成一次性复测链接</button>
          </Form>
        )}
      </section>
      {links.length ? (
        <section className="card">
          <h2>已发出的链接</h2>
          <ul className="plain">
            {links.map((l) => (
              <li key={l.id}>
                {l.createdOn} 发出 · 有效至 {l.expiresOn} ·{" "}
                {l.usedOn ? <span className="badge ok">{l.usedOn} 已使用</span> : <span className="badge">未使用</span>}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
