import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedCallout } from "~/modules/rescue/access.server";
import { calloutBoard } from "~/modules/rescue/callouts.server";

/** The call-out board's live data, polled every few seconds. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const callout = await authorizedCallout(actor, params.id, "view");
  return Response.json(await calloutBoard(callout), { headers: { "cache-control": "no-store" } });
}
