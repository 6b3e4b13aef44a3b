import type { ActionFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { readFormData } from "~/lib/forms.server";
import { notFound } from "~/lib/http";
import { clientIp } from "~/modules/auth/session.server";
import { addSeatPhoto, seatBySecret } from "~/modules/exam-sites/sessions.server";

const PHOTO_MAX = 600 * 1024;

/** The seat terminal's photo where the room's camera is on: the seat's secret link is the authorization. */
export async function action({ request, params }: ActionFunctionArgs) {
  const seat = await seatBySecret(params.secret ?? "");
  if (!seat) notFound("座位链接无效，请联系监考人员。");
  const form = await readFormData(request, { maxBytes: 1024 * 1024 });
  const file = form.get("photo");
  if (!file || typeof file === "string" || file.size === 0)
    return data({ photoError: "请拍摄照片。" }, { status: 422 });
  if (file.size > PHOTO_MAX) return data({ photoError: "照片不能超过 600 KB。" }, { status: 422 });
  const r = await addSeatPhoto(seat, Buffer.from(await file.arrayBuffer()), clientIp(request));
  if (!r.ok) return data({ photoError: r.message }, { status: r.status });
  throw redirect(`/s/${params.secret}`);
}
