import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field } from "~/components/form";
import { addDays, formatInstant } from "~/lib/calendar";
import { todayIso } from "~/lib/clock.server";
import { readFields } from "~/lib/forms.server";
import { httpError } from "~/lib/http";
import { parseInput } from "~/lib/validation";
import { can, regionRootOf } from "~/modules/auth/policy";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedSite } from "~/modules/exam-sites/access.server";
import { RoomInput, SessionInput, SiteInput } from "~/modules/exam-sites/schema";
import {
  addRoom,
  roomsOf,
  scheduleSession,
  sessionsOfSite,
  sessionTemplates,
  updateRoom,
  updateSite,
} from "~/modules/exam-sites/sites.server";
import { getRegion, regionOptions } from "~/modules/org/regions.server";
import { SESSION_STATUS_LABELS } from "~/modules/exam-sites/rules";

export const meta: MetaFunction = () => [{ title: "考试点 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const site = await authorizedSite(actor, params.id, "view");
  const mayUpdate = can(actor, "update", { type: "exam_site", regionPath: site.region_path });
  const [rooms, sessions, templates, regions] = await Promise.all([
    roomsOf(site.id),
    sessionsOfSite(site.id),
    sessionTemplates(),
    mayUpdate ? regionOptions(regionRootOf(actor)) : Promise.resolve([]),
  ]);
  return {
    site: { id: site.id, name: site.name, address: site.address, regionId: site.region_id, region: site.region_name },
    rooms,
    sessions: sessions.map((s) => ({
      ...s,
      when: formatInstant(s.scheduled_at),
      statusLabel: SESSION_STATUS_LABELS[s.status],
      roster: Number(s.roster),
    })),
    templates,
    regions: regions.filter((r) => r.active),
    mayUpdate,
    defaultAt: `${addDays(todayIso(), 1)}T09:00`,
  };
}

type Result = {
  ok: boolean;
  intent?: string;
  roomId?: number;
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string | string[]>;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const site = await authorizedSite(actor, params.id, "update");
  const fields = await readFields(request);
  const ip = clientIp(request);
  const intent = typeof fields.intent === "string" ? fields.intent : "";
  const roomId = Number(fields.roomId) || undefined;
  const fail = (status: number, message: string, fieldErrors: Record<string, string> = {}) =>
    data<Result>({ ok: false, intent, roomId, message, fieldErrors, values: fields }, { status });
  switch (intent) {
    case "site": {
      const parsed = parseInput(SiteInput, fields);
      if (!parsed.ok) return fail(422, "请更正标出的内容。", parsed.fieldErrors);
      const region = await getRegion(parsed.data.regionId);
      if (!region) return fail(422, "区域不存在。", { regionId: "区域不存在" });
      // Moving a site needs the right to keep sites in the new region too.
      authorize(actor, "update", { type: "exam_site", regionPath: region.path });
      const r = await updateSite(actor, site, parsed.data, region, ip);
      return r.ok
        ? data<Result>({ ok: true, intent, message: "考试点已保存。" })
        : fail(r.status, r.message, r.fieldErrors);
    }
    case "room-add": {
      const parsed = parseInput(RoomInput, fields);
      if (!parsed.ok) return fail(422, "请更正标出的内容。", parsed.fieldErrors);
      await addRoom(actor, site, parsed.data, ip);
      return data<Result>({ ok: true, intent, message: `考场已添加，已生成 ${parsed.data.seats} 个座位。` });
    }
    case "room": {
      const parsed = parseInput(RoomInput, fields);
      if (!parsed.ok || !roomId) return fail(422, "请更正标出的内容。", parsed.ok ? {} : parsed.fieldErrors);
      const r = await updateRoom(actor, site, roomId, parsed.data, ip);
      return r.ok
        ? data<Result>({
            ok: true,
            intent,
            roomId,
            message: r.added ? `考场已保存，新增 ${r.added} 个座位。` : "考场已保存。",
          })
        : fail(r.status, r.message, r.fieldErrors);
    }
    case "session": {
      const parsed = parseInput(SessionInput, fields);
      if (!parsed.ok) return fail(422, "请更正标出的内容。", parsed.fieldErrors);
      const r = await scheduleSession(actor, site, parsed.data, ip);
      if (!r.ok) return fail(r.status, r.message, r.fieldErrors);
      throw redirect(`/exam-sites/sessions/${r.id}/plan`);
    }
    default:
      httpError(400, "未知的操作");
  }
}

export default function Site() {
  const { site, rooms, sessions, templates, regions, mayUpdate, defaultAt } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  const busy = useNavigation().state !== "idle";
  const errorsFor = (intent: string, roomId?: number) =>
    result && !result.ok && result.intent === intent && result.roomId === roomId ? result.fieldErrors : undefined;
  const v = (intent: string, k: string, d: string) =>
    result && !result.ok && result.intent === intent && typeof result.values?.[k] === "string"
      ? (result.values[k] as string)
      : d;
  const key = result?.ok ? `${result.message}` : "form";
  return (
    <>
      <p className="small">
        <Link to="/exam-sites">‹ 考试点</Link>
      </p>
      <h1>{site.name}</h1>
      <p className="muted">
        {site.region} · {site.address}
      </p>
      {result?.message ? (
        <p className={result.ok ? "notice" : "error-banner"} role={result.ok ? "status" : "alert"}>
          {result.message}
        </p>
      ) : null}
      <div className="site-columns">
        <section className="card">
          <h2>考场</h2>
          {rooms.length === 0 ? <p className="muted">还没有考场，请先添加考场。</p> : null}
          <ul className="room-list">
            {rooms.map((r) => (
              <li key={r.id} className="room-row">
                {mayUpdate ? (
                  <Form key={`${key}-${r.id}`} method="post" className="room-form" noValidate>
                    <input type="hidden" name="intent" value="room" />
                    <input type="hidden" name="roomId" value={r.id} />
                    <Field name="name" label="考场名称" errors={errorsFor("room", r.id)} defaultValue={r.name}>
                      {(a) => <input {...a} id={`room-${r.id}-name`} defaultValue={r.name} />}
                    </Field>
                    <Field name="seats" label="座位数" errors={errorsFor("room", r.id)}>
                      {(a) => (
                        <input {...a} id={`room-${r.id}-seats`} type="number" min={r.seats} defaultValue={r.seats} />
                      )}
                    </Field>
                    <label className="inline-check">
                      <input
                        key={`cam-${r.id}-${r.camera}`}
                        type="checkbox"
                        name="camera"
                        value="1"
                        defaultChecked={r.camera}
                      />{" "}
                      摄像头
                    </label>
                    <button type="submit" className="secondary" disabled={busy}>
                      保存
                    </button>
                  </Form>
                ) : (
                  <b>
                    {r.name} · {r.seats} 座{r.camera ? " · 摄像头" : ""}
                  </b>
                )}
                <p className="small muted">
                  座位 {r.labels.length ? `${r.labels[0]} – ${r.labels[r.labels.length - 1]}` : "无"}
                  {r.camera ? " · 签到和座位端拍照" : ""}
                </p>
              </li>
            ))}
          </ul>
          {mayUpdate ? (
            <Form key={`room-add-${key}`} method="post" className="stack" noValidate>
              <h3>添加考场</h3>
              <input type="hidden" name="intent" value="room-add" />
              <div className="grid">
                <Field
                  name="name"
                  label="考场名称"
                  errors={errorsFor("room-add")}
                  required
                  defaultValue={v("room-add", "name", "")}
                />
                <Field
                  name="seats"
                  label="座位数"
                  type="number"
                  errors={errorsFor("room-add")}
                  required
                  defaultValue={v("room-add", "seats", "30")}
                />
                <Field
                  name="prefix"
                  label="座位号前缀"
                  errors={errorsFor("room-add")}
                  hint="如 A：座位号为 A01、A02……"
                  defaultValue={v("room-add", "prefix", String.fromCharCode(65 + (rooms.length % 26)))}
                />
              </div>
              <label className="inline-check">
                <input type="checkbox" name="camera" value="1" /> 开启摄像头（签到和座位端须拍照）
              </label>
              <button type="submit" disabled={busy}>
                添加考场并生成座位
              </button>
            </Form>
          ) : null}
        </section>
        <section className="card">
          <h2>考试场次</h2>
          <table className="table">
            <thead>
              <tr>
                <th>考试</th>
                <th>考场</th>
                <th>时间</th>
                <th>考生</th>
                <th>状态</th>
              </tr>
            </thead>
            <tbody>
              {sessions.length === 0 ? (
                <tr>
                  <td colSpan={5} className="muted">
                    还没有安排考试
                  </td>
                </tr>
              ) : (
                sessions.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <Link to={`/exam-sites/sessions/${s.id}/plan`}>{s.title}</Link>
                    </td>
                    <td>{s.room_name}</td>
                    <td>{s.when}</td>
                    <td>{s.roster}</td>
                    <td>{s.statusLabel}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
          {mayUpdate && rooms.length ? (
            <Form key={`session-${key}`} method="post" className="stack" noValidate>
              <h3>安排考试</h3>
              <input type="hidden" name="intent" value="session" />
              <Field
                name="title"
                label="考试名称"
                errors={errorsFor("session")}
                required
                defaultValue={v("session", "title", "")}
              />
              <div className="grid">
                <Field name="roomId" label="考场" errors={errorsFor("session")} required>
                  {(a) => (
                    <select {...a} defaultValue={v("session", "roomId", String(rooms[0].id))}>
                      {rooms.map((r) => (
                        <option key={r.id} value={r.id}>
                          {r.name}（{r.seats} 座）
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field name="templateId" label="试卷模板" errors={errorsFor("session")} required>
                  {(a) => (
                    <select {...a} defaultValue={v("session", "templateId", "")}>
                      <option value="">请选择</option>
                      {templates.map((t) => (
                        <option key={t.id} value={t.id}>
                          {t.name}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              </div>
              <div className="grid">
                <Field
                  name="scheduledAt"
                  label="开考时间"
                  type="datetime-local"
                  errors={errorsFor("session")}
                  required
                  defaultValue={v("session", "scheduledAt", defaultAt)}
                />
                <Field
                  name="minutes"
                  label="考试时长（分钟）"
                  type="number"
                  errors={errorsFor("session")}
                  required
                  defaultValue={v("session", "minutes", "120")}
                />
              </div>
              <button type="submit" disabled={busy}>
                安排考试，下一步：考生名单和监考
              </button>
            </Form>
          ) : null}
        </section>
      </div>
      {mayUpdate ? (
        <section className="card">
          <h2>考试点信息</h2>
          <Form key={`site-${key}`} method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="site" />
            <div className="grid">
              <Field
                name="name"
                label="考试点名称"
                errors={errorsFor("site")}
                required
                defaultValue={v("site", "name", site.name)}
              />
              <Field
                name="address"
                label="地址"
                errors={errorsFor("site")}
                required
                defaultValue={v("site", "address", site.address)}
              />
              <Field name="regionId" label="所在区域" errors={errorsFor("site")} required>
                {(a) => (
                  <select {...a} defaultValue={v("site", "regionId", String(site.regionId))}>
                    {regions.map((r) => (
                      <option key={r.id} value={r.id}>
                        {r.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            <button type="submit" className="secondary" disabled={busy}>
              保存考试点信息
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
