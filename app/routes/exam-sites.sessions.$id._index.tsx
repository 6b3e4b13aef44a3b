import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Field } from "~/components/form";
import { formatInstant } from "~/lib/calendar";
import { fieldsOf, readFormData } from "~/lib/forms.server";
import { httpError } from "~/lib/http";
import { parseInput } from "~/lib/validation";
import { can } from "~/modules/auth/policy";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedSession } from "~/modules/exam-sites/access.server";
import { CheckInInput, ExtendInput, IdentityInput, PauseInput, VoidInput } from "~/modules/exam-sites/schema";
import {
  checkIn,
  consoleOf,
  endSession,
  extendTime,
  markIdentity,
  pauseSession,
  resumeSession,
  startSession,
  voidAttempt,
} from "~/modules/exam-sites/sessions.server";
import { SESSION_STATUS_LABELS } from "~/modules/exam-sites/rules";

export const meta: MetaFunction = () => [{ title: "监考台 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const { session, proctor } = await authorizedSession(actor, params.id, "view");
  return {
    mayPlan: can(actor, "view", { type: "exam_site", regionPath: session.region_path }),
    session: {
      id: session.id,
      title: session.title,
      site: session.site_name,
      address: session.address,
      room: session.room_name,
      camera: Boolean(session.camera),
      when: formatInstant(session.scheduled_at),
      minutes: session.minutes,
      passMark: session.pass_mark,
      template: session.template_name,
    },
    proctor,
    live: await consoleOf(session),
  };
}

const PHOTO_MAX = 600 * 1024;
const isImage = (b: Buffer) =>
  (b[0] === 0xff && b[1] === 0xd8) || (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47);

type Result = { ok: boolean; message?: string; fieldErrors?: Record<string, string>; seatLink?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  // Every action here is the proctor's: the policy refuses anyone not assigned to this session.
  const actor = await requireActor(request);
  const { session } = await authorizedSession(actor, params.id, "update");
  const form = await readFormData(request, { maxBytes: 1024 * 1024 });
  const fields = fieldsOf(form);
  const ip = clientIp(request);
  const fail = (status: number, message: string, fieldErrors: Record<string, string> = {}) =>
    data<Result>({ ok: false, message, fieldErrors }, { status });
  const done = (message: string, extra: Partial<Result> = {}) => data<Result>({ ok: true, message, ...extra });
  switch (fields.intent) {
    case "checkin": {
      const parsed = parseInput(CheckInInput, fields);
      if (!parsed.ok) return fail(422, "请更正标出的内容。", parsed.fieldErrors);
      const file = form.get("photo");
      let photo: Buffer | null = null;
      if (file && typeof file !== "string" && file.size > 0) {
        if (file.size > PHOTO_MAX) return fail(422, "照片不能超过 600 KB。", { photo: "照片不能超过 600 KB" });
        photo = Buffer.from(await file.arrayBuffer());
        if (!isImage(photo)) return fail(422, "照片须为 JPEG 或 PNG 图片。", { photo: "照片须为 JPEG 或 PNG 图片" });
      }
      const r = await checkIn(actor, session, { ...parsed.data, photo }, ip);
      if (!r.ok) return fail(r.status, r.message, r.field ? { [r.field]: r.message } : {});
      return done("签到成功，已绑定座位。", { seatLink: `/s/${r.seatSecret}` });
    }
    case "start": {
      const r = await startSession(actor, session, ip);
      return r.ok ? done("考试已开始，已为签到考生生成随机试卷。") : fail(r.status, r.message);
    }
    case "pause": {
      const parsed = parseInput(PauseInput, fields);
      if (!parsed.ok) return fail(422, "请填写暂停原因。", parsed.fieldErrors);
      const r = await pauseSession(actor, session, parsed.data.reason, ip);
      return r.ok ? done("考试已暂停，所有考生计时停止。") : fail(r.status, r.message);
    }
    case "resume": {
      const r = await resumeSession(actor, session, ip);
      return r.ok
        ? done(`考试已恢复，已为每位考生补回暂停的 ${Math.round(r.pausedMs / 1000)} 秒。`)
        : fail(r.status, r.message);
    }
    case "extend": {
      const parsed = parseInput(ExtendInput, fields);
      if (!parsed.ok) return fail(422, "请更正标出的内容。", parsed.fieldErrors);
      const r = await extendTime(actor, session, parsed.data, ip);
      return r.ok ? done(`已延时 ${parsed.data.minutes} 分钟。`) : fail(r.status, r.message);
    }
    case "void": {
      const parsed = parseInput(VoidInput, fields);
      if (!parsed.ok) return fail(422, "请更正标出的内容。", parsed.fieldErrors);
      const r = await voidAttempt(actor, session, parsed.data, ip);
      return r.ok ? done("已作废该考生本场考试。") : fail(r.status, r.message);
    }
    case "identity": {
      const parsed = parseInput(IdentityInput, fields);
      if (!parsed.ok) return fail(422, "请更正标出的内容。", parsed.fieldErrors);
      const r = await markIdentity(actor, session, parsed.data, ip);
      return r.ok
        ? done(parsed.data.verdict === "ok" ? "已标记为核验通过。" : "已标记为存疑。")
        : fail(r.status, r.message);
    }
    case "end": {
      const r = await endSession(actor, session, ip);
      return r.ok ? done("考试已结束，未交卷的试卷已按已保存的答案评分。") : fail(r.status, r.message);
    }
    default:
      httpError(400, "未知的操作");
  }
}

const clock = (s: number | null) => (s === null ? "" : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`);

export default function ProctorConsole() {
  const { session: s, proctor, live: initial, mayPlan } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [live, setLive] = useState(initial);
  useEffect(() => setLive(initial), [initial]);
  useEffect(() => {
    const t = setInterval(async () => {
      try {
        const res = await fetch(`/exam-sites/sessions/${s.id}/live`);
        if (res.ok) setLive(await res.json());
      } catch {
        /* keep the last state */
      }
    }, 3000);
    return () => clearInterval(t);
  }, [s.id]);
  const formKey = result?.ok ? `${result.message}${result.seatLink ?? ""}` : "form";
  const freeSeats = live.seats.filter((x) => !x.person);
  const active = live.people.filter((p) => p.status !== "voided" && p.status !== "absent");
  const counts = live.people.reduce<Record<string, number>>(
    (m, p) => ({ ...m, [p.status]: (m[p.status] ?? 0) + 1 }),
    {},
  );
  return (
    <div className="proctor">
      <header className="proctor-head">
        <div>
          <p className="small">
            <Link to="/exam-sites">‹ 考试点</Link>
          </p>
          <h1>{s.title}</h1>
          <p className="small muted">
            {s.site} · {s.room}
            {s.camera ? " · 摄像头已开启" : ""} · {s.when} · {s.minutes} 分钟 · {s.passMark} 分合格 · 随机组卷
          </p>
        </div>
        <div className="proctor-state">
          <span className={`badge big ${live.status}`}>{SESSION_STATUS_LABELS[live.status]}</span>
          <span className="small">
            应到 {live.people.length} · 已签到 {live.people.filter((p) => p.checkedInAt).length} · 作答中{" "}
            {counts.answering ?? 0} · 已交卷 {counts.handed_in ?? 0}
          </span>
          <a href={`/exam-sites/sessions/${s.id}/sheet`} className="small">
            签到表 / 考场报告
          </a>
          {mayPlan ? (
            <Link to={`/exam-sites/sessions/${s.id}/plan`} className="small">
              考试安排 / 名单 / 监考
            </Link>
          ) : null}
        </div>
      </header>
      {result?.message ? (
        <p className={result.ok ? "notice" : "error-banner"} role={result.ok ? "status" : "alert"}>
          {result.message}
          {result.seatLink ? (
            <>
              {" "}
              · 座位端：<a href={result.seatLink}>{result.seatLink}</a>
            </>
          ) : null}
        </p>
      ) : null}
      <div className="proctor-grid">
        <section className="card">
          <h2>座位</h2>
          <ul className="seat-grid">
            {live.seats.map((seat) => {
              const p = seat.person;
              return (
                <li key={seat.id} className={`seat ${p ? p.status : "empty"}`} data-seat={seat.label}>
                  <span className="label">{seat.label}</span>
                  {p ? (
                    <>
                      <b>{p.name}</b>
                      <span className="status">
                        {p.status === "answering" || p.status === "paused"
                          ? `${p.statusLabel} ${p.answered}/${p.total}`
                          : p.statusLabel}
                      </span>
                      {p.remainingSeconds !== null ? (
                        <span className="small">
                          剩余 {clock(p.remainingSeconds)}
                          {p.extraMinutes ? ` · 延时 ${p.extraMinutes} 分` : ""}
                        </span>
                      ) : null}
                      {p.score !== null && p.status === "handed_in" ? (
                        <span className="small">{p.score} 分</span>
                      ) : null}
                      {p.status === "voided" && p.voidReason ? <span className="small">{p.voidReason}</span> : null}
                      {proctor && p.checkedInAt ? (
                        <div className="seat-photos">
                          {p.photo ? (
                            <a href={`/exam-sites/sessions/${s.id}/photo/${p.id}`} target="_blank" rel="noreferrer">
                              <img
                                src={`/exam-sites/sessions/${s.id}/photo/${p.id}`}
                                alt={`${p.name} 签到照片`}
                                loading="lazy"
                              />
                              <span>签到</span>
                            </a>
                          ) : null}
                          {p.seatPhotoId ? (
                            <a
                              href={`/exam-sites/sessions/${s.id}/photo/${p.id}?seat=${p.seatPhotoId}`}
                              target="_blank"
                              rel="noreferrer"
                            >
                              <img
                                src={`/exam-sites/sessions/${s.id}/photo/${p.id}?seat=${p.seatPhotoId}`}
                                alt={`${p.name} 座位照片`}
                                loading="lazy"
                              />
                              <span>座位</span>
                            </a>
                          ) : null}
                        </div>
                      ) : null}
                      {p.checkedInAt ? (
                        <span className={`identity ${p.flag ? "flagged" : p.identity}`} data-identity={p.identity}>
                          {p.flag ? `⚠ ${p.flag}` : p.identityLabel}
                        </span>
                      ) : null}
                      {proctor && p.checkedInAt && p.status !== "voided" ? (
                        <div className="identity-actions">
                          <Form method="post">
                            <input type="hidden" name="intent" value="identity" />
                            <input type="hidden" name="rosterId" value={p.id} />
                            <input type="hidden" name="verdict" value="ok" />
                            <button type="submit" className="small" disabled={busy || p.identity === "ok"}>
                              核验通过
                            </button>
                          </Form>
                          <Form method="post">
                            <input type="hidden" name="intent" value="identity" />
                            <input type="hidden" name="rosterId" value={p.id} />
                            <input type="hidden" name="verdict" value="doubtful" />
                            <button type="submit" className="small warn" disabled={busy || p.identity === "doubtful"}>
                              存疑
                            </button>
                          </Form>
                        </div>
                      ) : null}
                    </>
                  ) : (
                    <span className="status muted">空座</span>
                  )}
                </li>
              );
            })}
          </ul>
          {live.waiting.length ? (
            <p className="small muted">
              未到：
              {live.waiting
                .filter((p) => p.status === "absent")
                .map((p) => p.name)
                .join("、") || "无"}
            </p>
          ) : null}
        </section>
        {proctor ? (
          <aside className="stack">
            <section className="card">
              <h2>考场控制</h2>
              <div className="proctor-controls">
                {live.status === "scheduled" ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="start" />
                    <button type="submit" disabled={busy}>
                      开始考试
                    </button>
                  </Form>
                ) : null}
                {live.status === "running" ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="pause" />
                    <input name="reason" aria-label="暂停原因" placeholder="暂停原因（如：停电）" required />
                    <button type="submit" className="warn" disabled={busy}>
                      全场暂停
                    </button>
                  </Form>
                ) : null}
                {live.status === "paused" ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="resume" />
                    <button type="submit" disabled={busy}>
                      恢复考试（补回暂停时间）
                    </button>
                  </Form>
                ) : null}
                {live.status === "running" || live.status === "paused" ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="end" />
                    <button type="submit" className="secondary" disabled={busy}>
                      结束考试
                    </button>
                  </Form>
                ) : null}
              </div>
            </section>
            <section className="card">
              <h2>签到</h2>
              <Form key={formKey} method="post" encType="multipart/form-data" className="stack" noValidate>
                <input type="hidden" name="intent" value="checkin" />
                <Field name="idNumber" label="身份证号码" errors={result?.fieldErrors} required autoComplete="off" />
                <Field name="seatId" label="座位" errors={result?.fieldErrors} required>
                  {(a) => (
                    <select {...a}>
                      <option value="">请选择</option>
                      {freeSeats.map((x) => (
                        <option key={x.id} value={x.id}>
                          {x.label}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                {s.camera ? (
                  <Field name="photo" label="考生照片（座位摄像头）" errors={result?.fieldErrors}>
                    {(a) => <input {...a} type="file" accept="image/*" capture="user" />}
                  </Field>
                ) : null}
                <button type="submit" disabled={busy}>
                  签到并绑定座位
                </button>
              </Form>
            </section>
            <section className="card">
              <h2>延时 / 作废</h2>
              <Form key={`e${formKey}`} method="post" className="stack" noValidate>
                <input type="hidden" name="intent" value="extend" />
                <Field name="rosterId" label="考生" errors={result?.fieldErrors} required>
                  {(a) => (
                    <select {...a}>
                      {active.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.name}（{live.seats.find((x) => x.id === p.seatId)?.label ?? "未入座"}）
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <div className="grid">
                  <Field
                    name="minutes"
                    label="延时（分钟）"
                    type="number"
                    errors={result?.fieldErrors}
                    defaultValue="10"
                  />
                  <Field name="reason" label="原因" errors={result?.fieldErrors} required />
                </div>
                <button type="submit" disabled={busy}>
                  延长时间
                </button>
              </Form>
              <Form key={`v${formKey}`} method="post" className="stack" noValidate>
                <input type="hidden" name="intent" value="void" />
                <Field name="rosterId" label="考生" errors={result?.fieldErrors} required>
                  {(a) => (
                    <select {...a} id="void-roster">
                      {active.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.name}（{live.seats.find((x) => x.id === p.seatId)?.label ?? "未入座"}）
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field name="reason" label="作废原因（如：夹带、替考）" errors={result?.fieldErrors} required>
                  {(a) => <input {...a} id="void-reason" />}
                </Field>
                <button type="submit" className="danger" disabled={busy}>
                  作废本场考试
                </button>
              </Form>
            </section>
          </aside>
        ) : (
          <aside className="card">
            <p className="muted">您不是本场考试的监考人员，只能查看。</p>
          </aside>
        )}
      </div>
    </div>
  );
}
