import type { LoaderFunctionArgs } from "@remix-run/node";
import { xlsxResponse } from "~/lib/excel.server";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedComplianceRegion } from "~/modules/drills/access.server";
import { complianceWorkbook } from "~/modules/drills/compliance.server";

/** The drill compliance of a region subtree as Excel: by region, by industry, overdue enterprises, drills by mode, rectification ages. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { region } = await authorizedComplianceRegion(await requireActor(request), new URL(request.url));
  return xlsxResponse(await complianceWorkbook(region), `应急演练合规-${region.name}.xlsx`);
}
