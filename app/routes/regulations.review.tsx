import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readForm } from "~/lib/forms.server";
import { notFound } from "~/lib/http";
import { formatInstant } from "~/lib/calendar";
import { z } from "~/lib/validation";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { can, type Actor, ownBankOf } from "~/modules/auth/policy";
import { getFlag, listFlags, reviewFlag } from "~/modules/regulations/regulations.server";
import { ReviewInput } from "~/modules/regulations/schema";

export const meta: MetaFunction = () => [{ title: "待复核内容 · 法规库 · 安训" }];

const Query = z.object({
  state: z.enum(["open", "reviewed"]).catch("open"),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

/** Admins and enterprise officers only: the shipped content's flags are what an officer can see of it. */
function authorizeList(actor: Actor) {
  authorize(actor, "view", { type: "content_review", owner: ownBankOf(actor) ?? -1 });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  authorizeList(actor);
  const q = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = await listFlags(actor, { state: q.state, beforeId: q.before });
  return {
    state: q.state,
    next: page.next,
    rows: page.rows.map((r) => ({
      ...r,
      mayReview: can(actor, "update", { type: "content_review", owner: r.owner_enterprise_id }),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  authorizeList(actor);
  const form = await readForm(request, ReviewInput);
  if (!form.ok) return form.response;
  const flag = await getFlag(form.data.flagId);
  if (!flag) notFound("该待复核条目不存在。");
  authorize(actor, "update", { type: "content_review", owner: flag.owner_enterprise_id });
  await reviewFlag(actor, flag.id, form.data.note, clientIp(request));
  return { ok: true as const, reviewed: flag.id };
}

export default function ReviewList() {
  const { rows, state, next } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const errors = result && "fieldErrors" in result ? result.fieldErrors : undefined;
  return (
    <>
      <p className="small">
        <Link to="/regulations">法规库</Link>
      </p>
      <h1>待复核内容</h1>
      <p className="muted">
        所依据的法规已废止、被取代或修订的课程、课时和题目。复核人核对内容后写明结论，系统记录复核人和时间；组卷规则可选择不抽待复核的题目。
      </p>
      <p>
        {state === "open" ? <strong>待复核</strong> : <Link to="?state=open">待复核</Link>}
        {"　|　"}
        {state === "reviewed" ? <strong>已复核</strong> : <Link to="?state=reviewed">已复核</Link>}
      </p>
      {result && "reviewed" in result ? (
        <div className="notice" role="status">
          已记录复核结论。
        </div>
      ) : null}
      {errors?.note ? (
        <div className="form-error" role="alert">
          {errors.note}
        </div>
      ) : null}
      {rows.length === 0 ? (
        <p className="muted">{state === "open" ? "没有待复核的内容。" : "还没有复核记录。"}</p>
      ) : (
        <ul className="stack" style={{ listStyle: "none", padding: 0 }}>
          {rows.map((r) => (
            <li key={r.id} className="card" data-testid={`flag-${r.id}`}>
              <div>
                <a href={r.href}>{r.title ?? `${r.item_kind} #${r.item_id}`}</a>
              </div>
              <div className="small">
                依据：<Link to={`/regulations/${r.regulation_code}`}>《{r.regulation_name}》</Link>
              </div>
              <div className="small muted">
                原因：{r.reason}（{formatInstant(r.flagged_at)} 标记）
              </div>
              {r.reviewed_at ? (
                <div className="small">
                  复核：{r.reviewer}，{formatInstant(r.reviewed_at)}：{r.review_note}
                </div>
              ) : r.mayReview ? (
                <Form method="post" className="filters">
                  <input type="hidden" name="flagId" value={r.id} />
                  <label>
                    复核结论
                    <input name="note" maxLength={500} required placeholder="如：已按新规定修改第三段" />
                  </label>
                  <button type="submit" disabled={busy}>
                    记录复核
                  </button>
                </Form>
              ) : (
                <div className="small muted">由系统管理员复核</div>
              )}
            </li>
          ))}
        </ul>
      )}
      {next ? (
        <p className="pager">
          <a href={`?state=${state}&before=${next}`}>更多</a>
        </p>
      ) : null}
    </>
  );
}
