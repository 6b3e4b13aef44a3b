import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, Link } from "@remix-run/react";
import { useState } from "react";
import { Field, FormError } from "~/components/form";
import { PhotoInput } from "~/components/photo-input";
import { fieldsOf, invalid, readFields, refused } from "~/lib/forms.server";
import { isUpload, readUpload } from "~/lib/upload.server";
import { parseInput } from "~/lib/validation";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedDrill } from "~/modules/drills/access.server";
import { injectsOf, project } from "~/modules/drills/drills.server";
import { MILESTONE_LABELS } from "~/modules/drills/labels";
import { drillLog, logEvent, SAME_MILESTONE_SECONDS, voidEvent } from "~/modules/drills/log.server";
import { photoOf } from "~/lib/photo.server";
import { MILESTONES } from "~/modules/drills/rules";
import { EventInput, VoidEventInput } from "~/modules/drills/schema";
import { Timeline } from "~/modules/drills/ui/parts";
import { useLiveDrill } from "~/modules/drills/ui/live";
import { formatInstant } from "~/lib/calendar";

export const meta: MetaFunction = () => [
  { title: "演练记录 · 安训" },
  { name: "viewport", content: "width=device-width, initial-scale=1" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const { drill, role, visibility } = await authorizedDrill(actor, params.id, "log");
  const me = { userId: actor.userId, organizer: role === "organizer" };
  if (drill.status === "planned") return { view: project(drill, visibility), open: false, log: null, injects: [], me };
  const [log, injects] = await Promise.all([drillLog(drill.id), injectsOf(drill, role !== "participant")]);
  return {
    view: project(drill, visibility),
    open: drill.status === "running" || drill.status === "ended",
    log,
    injects,
    me,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const { drill, role } = await authorizedDrill(actor, params.id, "log");
  let values: Record<string, string | string[]>;
  let photo = null;
  if (isUpload(request)) {
    const upload = await readUpload(request);
    if (!upload.ok) return invalid({ photo: upload.message }, upload.message);
    values = fieldsOf(upload.form);
    const read = await photoOf(upload.form.get("photo"));
    if (!read.ok) return invalid({ photo: read.message }, read.message, values);
    photo = read.photo;
  } else {
    try {
      values = await readFields(request);
    } catch {
      return invalid({}, "提交的内容无法读取，请刷新页面后重试。");
    }
  }
  if (values.intent === "void") {
    const v = parseInput(VoidEventInput, values);
    if (!v.ok) return invalid(v.fieldErrors, v.formError ?? Object.values(v.fieldErrors)[0], values);
    const voided = await voidEvent(
      actor,
      drill.id,
      v.data.eventId,
      v.data.reason,
      role === "organizer",
      clientIp(request),
    );
    if (!voided.ok) return refused(voided, values);
    return { ok: true as const, logged: "作废" };
  }
  const parsed = parseInput(EventInput, values);
  if (!parsed.ok) return invalid(parsed.fieldErrors, parsed.formError ?? "请更正标出的内容后再提交。", values);
  const logged = await logEvent(actor, drill.id, parsed.data, photo);
  if (!logged.ok) return refused(logged, values);
  const what = parsed.data.milestone ? MILESTONE_LABELS[parsed.data.milestone] : "记录";
  return {
    ok: true as const,
    logged: logged.duplicate ? `${what}（${SAME_MILESTONE_SECONDS} 秒内已记录过，未重复记录）` : what,
  };
}

/** The phone page: one tap per milestone, a note with an optional photo, the log so far. */
export default function DrillLogPage() {
  const { view: d, open, log, injects, me } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [shrinking, setShrinking] = useState(false);
  const busy = useNavigation().state === "submitting" || shrinking;
  const failed = result && "fieldErrors" in result ? result : undefined;
  useLiveDrill(d.status === "planned" || d.status === "running");
  const reached = new Set(log?.events.map((e) => e.milestone).filter(Boolean));
  return (
    <>
      <h1>{d.title}</h1>
      <p className="small">
        <Link to={`/drills/${d.id}`}>返回演练</Link>
      </p>
      {!open ? (
        <p className="notice">{d.status === "planned" ? "演练尚未开始。" : "演练已关闭，记录不能再增加。"}</p>
      ) : (
        <>
          {result && "logged" in result ? (
            <p className="notice" role="status">
              已记录：{result.logged}
            </p>
          ) : null}
          <FormError message={failed?.formError} />
          <section className="card" aria-labelledby="ms">
            <h2 id="ms">一键记录节点</h2>
            <div className="milestones">
              {MILESTONES.map((m) => (
                <Form method="post" key={m}>
                  <input type="hidden" name="milestone" value={m} />
                  <button type="submit" className={reached.has(m) ? "done" : undefined} disabled={busy}>
                    {MILESTONE_LABELS[m]}
                  </button>
                </Form>
              ))}
            </div>
          </section>
          <section className="card" aria-labelledby="note">
            <h2 id="note">文字和照片</h2>
            <Form method="post" encType="multipart/form-data" className="stack" noValidate>
              <Field name="note" label="记录内容" errors={failed?.fieldErrors}>
                {(a) => <textarea {...a} rows={2} />}
              </Field>
              <Field name="photo" label="照片（可选）" errors={failed?.fieldErrors}>
                {(a) => <PhotoInput {...a} capture="environment" onBusyChange={setShrinking} />}
              </Field>
              <Field
                name="at"
                label="发生时间（补记时填写，留空为现在）"
                type="datetime-local"
                errors={failed?.fieldErrors}
              />
              <button type="submit" disabled={busy}>
                保存记录
              </button>
            </Form>
          </section>
        </>
      )}
      {injects.length ? (
        <section className="card">
          <h2>情景注入</h2>
          <ol>
            {injects.map((i) => (
              <li key={i.id}>
                <strong>{i.title}</strong>：{i.body}
                {i.releasedAt ? (
                  <span className="small muted"> · {formatInstant(i.releasedAt, true).slice(11)}</span>
                ) : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {log ? (
        <section className="card">
          <h2>演练记录</h2>
          <Timeline
            events={log.events}
            drillId={d.id}
            voidable={open ? (e) => me.organizer || e.byUserId === me.userId : undefined}
          />
        </section>
      ) : null}
    </>
  );
}
