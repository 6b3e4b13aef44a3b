import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/lib/http";
import { idParam } from "~/lib/validation";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedSession } from "~/modules/exam-sites/access.server";
import { rosterPhoto } from "~/modules/exam-sites/sessions.server";

/**
 * A seat's photo for the proctor console: the check-in photo, or `?seat=<id>` one the seat terminal took. Only the
 * session's assigned proctors (the policy's `verify` on the session); never cached.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await authorizedSession(await requireActor(request), params.id, "verify");
  const rosterId = idParam.safeParse(params.rosterId);
  const rawSeat = new URL(request.url).searchParams.get("seat");
  const seatPhoto = rawSeat === null ? null : idParam.safeParse(rawSeat);
  if (!rosterId.success || (seatPhoto && !seatPhoto.success)) notFound("没有这张照片。");
  const photo = await rosterPhoto(session, rosterId.data, seatPhoto ? seatPhoto.data! : null);
  if (!photo) notFound("没有这张照片。");
  return new Response(new Uint8Array(photo.bytes), {
    headers: {
      "Content-Type": photo.type,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
