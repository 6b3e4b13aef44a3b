import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/lib/http";
import { idParam } from "~/lib/validation";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedDrillFiles } from "~/modules/drills/access.server";
import { drillFile, drillFileResponse } from "~/modules/drills/files.server";

/** A drill's plan/script or task card, to those who may read the drill's sealed content (sealed until the start). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const { drill } = await authorizedDrillFiles(actor, params.id, "view");
  const id = idParam.safeParse(params.fileId);
  const file = id.success ? await drillFile(drill.id, id.data) : undefined;
  if (!file) notFound("文件不存在或已作废。");
  return drillFileResponse(file);
}
