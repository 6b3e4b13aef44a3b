import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useLoaderData, Link } from "@remix-run/react";
import { formatInstant } from "~/lib/calendar";
import { now } from "~/lib/clock.server";
import { readFields, SMALL_FORM_BYTES } from "~/lib/forms.server";
import { parseInput } from "~/lib/validation";
import { requireActor } from "~/modules/auth/session.server";
import { KIND_LABELS } from "~/modules/notifications/inbox.server";
import { listInbox, markRead, unreadCount } from "~/modules/notifications/notify.server";
import { InboxPage, MarkReadInput } from "~/modules/notifications/schema";

export const meta: MetaFunction = () => [{ title: "站内信 · 安训" }];

// The inbox is the actor's own (their account's and their person's rows): the session is the authorization.
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const owner = { userId: actor.userId, personId: actor.personId };
  const before = InboxPage.parse(new URL(request.url).searchParams.get("before") ?? undefined);
  const [page, unread] = await Promise.all([listInbox(owner, { beforeId: before, limit: 30 }), unreadCount(owner)]);
  return {
    unread,
    rows: page.rows.map((r) => ({
      id: r.id,
      kind: KIND_LABELS[r.kind] ?? "通知",
      title: r.title,
      body: r.body,
      link: r.link,
      at: formatInstant(r.created_at),
      read: r.read_at !== null,
    })),
    next: page.hasMore ? page.rows[page.rows.length - 1].id : null,
  };
}

/** Mark one notice (opening it) or all read; only this inbox's rows change whatever id is sent. */
export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await readFields(request, { maxBytes: SMALL_FORM_BYTES });
  const parsed = parseInput(MarkReadInput, form);
  if (!parsed.ok) return data({ message: "参数不正确" }, { status: 422 });
  await markRead({ userId: actor.userId, personId: actor.personId }, parsed.data, now());
  const go = typeof form.go === "string" && form.go.startsWith("/") && !form.go.startsWith("//") ? form.go : null;
  if (go) throw redirect(go);
  return { message: null };
}

export default function Inbox() {
  const { rows, unread, next } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>
          站内信{" "}
          {unread ? (
            <span className="badge bad" data-testid="inbox-unread">
              {unread} 条未读
            </span>
          ) : null}
        </h1>
        {unread ? (
          <Form method="post">
            <input type="hidden" name="all" value="1" />
            <button type="submit" className="secondary small">
              全部标为已读
            </button>
          </Form>
        ) : null}
      </div>
      {rows.length === 0 ? (
        <div className="card todo-empty">还没有消息。培训任务、考试成绩、复测和证书提醒会在这里通知您。</div>
      ) : (
        <ul className="inbox" data-testid="inbox">
          {rows.map((r) => (
            <li key={r.id} className={r.read ? undefined : "unread"}>
              <span className="dot" aria-hidden="true" />
              <div className="body">
                {r.link ? (
                  <Form method="post" className="inline-open">
                    <input type="hidden" name="id" value={r.id} />
                    <input type="hidden" name="go" value={r.link} />
                    <button type="submit" className="linklike title">
                      {r.title}
                    </button>
                  </Form>
                ) : (
                  <span className="title">{r.title}</span>
                )}
                {r.body ? <div className="small">{r.body}</div> : null}
                <div className="meta">
                  <span className="badge">{r.kind}</span> {r.at}
                  {r.read ? "" : " · 未读"}
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
      {next ? (
        <p className="pager">
          <Link to={`/inbox?before=${next}`}>更早的消息</Link>
        </p>
      ) : null}
    </>
  );
}
