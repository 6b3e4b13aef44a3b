import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/lib/http";
import { idParam } from "~/lib/validation";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedCallout } from "~/modules/rescue/access.server";
import { arrivalPhoto } from "~/modules/rescue/callouts.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const callout = await authorizedCallout(actor, params.id, "view");
  const rowId = idParam.safeParse(params.rowId);
  const photo = rowId.success ? await arrivalPhoto(callout.id, rowId.data) : undefined;
  if (!photo?.photo || !photo.photo_type) notFound("没有这张照片。");
  return new Response(new Uint8Array(photo.photo), {
    headers: {
      "content-type": photo.photo_type,
      "cache-control": "private, max-age=3600",
      "x-content-type-options": "nosniff",
    },
  });
}
