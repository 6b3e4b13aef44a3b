import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/lib/http";
import { idParam } from "~/lib/validation";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedDrill } from "~/modules/drills/access.server";
import { photoOfDrill, photoResponse } from "~/modules/drills/log.server";

/** A photo of a drill's log or of a rectification's evidence, to those who may read the drill's details. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const { drill, visibility } = await authorizedDrill(actor, params.id, "view");
  const id = idParam.safeParse(params.photoId);
  const photo = id.success && visibility === "full" ? await photoOfDrill(drill.id, id.data) : undefined;
  if (!photo) notFound("照片不存在。");
  return photoResponse(photo);
}
