import type { LoaderFunctionArgs } from "@remix-run/node";
import { xlsxResponse } from "~/lib/excel.server";
import { requireActor } from "~/modules/auth/session.server";
import { cockpitFor } from "~/modules/cockpit/access.server";
import { cockpitWorkbook } from "~/modules/cockpit/cockpit.server";

/** The cockpit of a region in the actor's scope as Excel; a region outside it is refused (403) before anything is read. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const d = await cockpitFor(actor, new URL(request.url));
  return xlsxResponse(await cockpitWorkbook(d), `${d.region.name}-驾驶舱.xlsx`);
}
