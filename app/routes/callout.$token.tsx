import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { formatInstant } from "~/lib/calendar";
import { readFields, SMALL_FORM_BYTES, fieldsOf } from "~/lib/forms.server";
import { notFound } from "~/lib/http";
import { photoOf } from "~/lib/photo.server";
import { isUpload, readUpload } from "~/lib/upload.server";
import { z } from "~/lib/validation";
import { deviceHash, linkView, tap } from "~/modules/rescue/callouts.server";
import { deviceCookie, deviceSecretOf } from "~/modules/rescue/device.server";

export const meta: MetaFunction = () => [{ title: "集结报到 · 安训" }];

/** A member's personal call-out link: no account needed; the link is bound to the first phone that taps it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const row = await linkView(params.token ?? "");
  if (!row) notFound("链接无效，请使用短信或通知中的完整链接。");
  const secret = deviceSecretOf(request);
  const elsewhere = row.device_hash !== null && (secret === null || deviceHash(secret) !== row.device_hash);
  const view = {
    team: row.team_name,
    name: row.name,
    message: row.message,
    startedAt: row.started_at.toISOString(),
    open: row.ended_at === null,
    ackedAt: elsewhere ? null : (row.acked_at?.toISOString() ?? null),
    arrivedAt: elsewhere ? null : (row.arrived_at?.toISOString() ?? null),
    elsewhere,
    standardMinutes: row.standard_minutes,
  };
  return data(view, secret ? undefined : { headers: { "Set-Cookie": deviceCookie() } });
}

const TapInput = z.object({
  intent: z.enum(["ack", "arrive"], { error: "无法识别的操作" }),
  latitude: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().min(-90).max(90).optional()),
  longitude: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().min(-180).max(180).optional()),
});

export async function action({ request, params }: ActionFunctionArgs) {
  let values: Record<string, string | string[]>;
  let photo = null;
  if (isUpload(request)) {
    const upload = await readUpload(request);
    if (!upload.ok) return data({ ok: false as const, message: upload.message }, { status: upload.status });
    values = fieldsOf(upload.form);
    const read = await photoOf(upload.form.get("photo"));
    if (!read.ok) return data({ ok: false as const, message: read.message }, { status: 422 });
    photo = read.photo;
  } else {
    values = await readFields(request, { maxBytes: SMALL_FORM_BYTES });
  }
  const parsed = TapInput.safeParse(values);
  if (!parsed.success)
    return data({ ok: false as const, message: "提交的内容无效，请刷新页面后重试。" }, { status: 422 });
  const result = await tap(params.token ?? "", parsed.data.intent, deviceSecretOf(request), {
    latitude: parsed.data.latitude,
    longitude: parsed.data.longitude,
    photo,
  });
  if (!result.ok) return data({ ok: false as const, message: result.message }, { status: result.status });
  return {
    ok: true as const,
    message:
      parsed.data.intent === "ack"
        ? result.changed
          ? "已确认收到，请尽快赶往集结点。"
          : "您已确认过收到。"
        : result.changed
          ? "已报到达，谢谢！"
          : "您已报过到达。",
  };
}

export default function CalloutLink() {
  const v = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [where, setWhere] = useState<{ lat: string; lng: string } | null>(null);
  const [locating, setLocating] = useState<string | null>(null);
  const locate = () => {
    if (!navigator.geolocation) return setLocating("此手机不支持定位");
    setLocating("正在定位…");
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setWhere({ lat: p.coords.latitude.toFixed(6), lng: p.coords.longitude.toFixed(6) });
        setLocating("已获取位置");
      },
      () => setLocating("未能获取位置（可不附带）"),
      { timeout: 10_000 },
    );
  };
  return (
    <div className="rescue-phone">
      <h1>拉动集结</h1>
      <p className="rescue-team">{v.team}</p>
      <p className="rescue-message">{v.message}</p>
      <p className="small muted">
        {v.name} · {formatInstant(v.startedAt)} 发出 · 集结时限 {v.standardMinutes} 分钟
      </p>
      {result ? (
        <p className={result.ok ? "notice" : "form-error"} role={result.ok ? "status" : "alert"}>
          {result.message}
        </p>
      ) : null}
      {v.elsewhere ? (
        <p className="form-error" role="alert">
          此链接已在另一部手机上使用过。集结链接每人一个、只能在一部手机上使用，请用您本人收到的链接。
        </p>
      ) : !v.open ? (
        <p className="form-error" role="alert">
          本次拉动集结已结束。
        </p>
      ) : (
        <>
          <ol className="rescue-steps">
            <li className={v.ackedAt ? "done" : ""}>
              <Form method="post">
                <input type="hidden" name="intent" value="ack" />
                <button type="submit" className="rescue-big" disabled={busy}>
                  {v.ackedAt ? `已收到 ${formatInstant(v.ackedAt, true).slice(11)}` : "收到"}
                </button>
              </Form>
            </li>
            <li className={v.arrivedAt ? "done" : ""}>
              <Form method="post" encType="multipart/form-data">
                <input type="hidden" name="intent" value="arrive" />
                <input type="hidden" name="latitude" value={where?.lat ?? ""} />
                <input type="hidden" name="longitude" value={where?.lng ?? ""} />
                {!v.arrivedAt && v.ackedAt ? (
                  <div className="rescue-extras">
                    <button type="button" className="secondary" onClick={locate}>
                      附带我的位置
                    </button>{" "}
                    <span className="small">{locating}</span>
                    <label className="small">
                      到达照片（可选）
                      <input type="file" name="photo" accept="image/*" capture="environment" />
                    </label>
                  </div>
                ) : null}
                <button type="submit" className="rescue-big" disabled={busy}>
                  {v.arrivedAt ? `已到达 ${formatInstant(v.arrivedAt, true).slice(11)}` : "到达"}
                </button>
              </Form>
            </li>
          </ol>
          <p className="hint">先点“收到”确认接到命令，到达集结点后再点“到达”。</p>
        </>
      )}
    </div>
  );
}
