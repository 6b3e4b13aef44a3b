import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedSession } from "~/modules/exam-sites/access.server";
import { consoleOf } from "~/modules/exam-sites/sessions.server";

/** The proctor console's live data, polled every few seconds (any app process answers from the database). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await authorizedSession(await requireActor(request), params.id, "view");
  return Response.json(await consoleOf(session), { headers: { "Cache-Control": "no-store" } });
}
