import type { LoaderFunctionArgs } from "@remix-run/node";
import { xlsxResponse } from "~/lib/excel.server";
import { forbidden, notFound } from "~/lib/http";
import { authorize, requireActor } from "~/modules/auth/session.server";
import { complianceQueryOf, complianceRegion, complianceWorkbook } from "~/modules/drills/compliance.server";

/** The drill compliance of a region subtree as Excel: by region, by industry, overdue enterprises, drills by mode, rectification ages. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const query = complianceQueryOf(new URL(request.url));
  const region = await complianceRegion(actor, query.region);
  if (!region) {
    if (query.region !== undefined) notFound("该区域不存在。");
    forbidden("应急演练合规统计仅供监管部门和执法检查人员使用。");
  }
  authorize(actor, "view", { type: "region", path: region.path });
  return xlsxResponse(await complianceWorkbook(region), `应急演练合规-${region.name}.xlsx`);
}
