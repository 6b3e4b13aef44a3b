import type { LoaderFunctionArgs } from "@remix-run/node";
import { xlsxResponse } from "~/lib/excel.server";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedEnterprise } from "~/modules/certification/access.server";
import { registryWorkbook } from "~/modules/certification/rates.server";

/** The enterprise's certificate registry as Excel (ID numbers masked). */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const id = new URL(request.url).searchParams.get("enterpriseId") ?? actor.enterpriseId ?? undefined;
  const enterprise = await authorizedEnterprise(actor, id ?? undefined);
  return xlsxResponse(await registryWorkbook(enterprise.id), "证书台账.xlsx");
}
