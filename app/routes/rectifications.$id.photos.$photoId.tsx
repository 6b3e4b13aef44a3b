import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/lib/http";
import { idParam } from "~/lib/validation";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedRectification } from "~/modules/drills/access.server";
import { photoOfDrill, photoResponse } from "~/modules/drills/log.server";

/** A photo of a rectification's evidence, to those who may read the item (its owner included). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { item } = await authorizedRectification(await requireActor(request), params.id, "view");
  const id = idParam.safeParse(params.photoId);
  const photo = id.success ? await photoOfDrill(item.drill_id, id.data) : undefined;
  if (!photo || photo.rectification_id !== item.id) notFound("照片不存在。");
  return photoResponse(photo);
}
