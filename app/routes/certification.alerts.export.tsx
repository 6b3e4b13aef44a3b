import type { LoaderFunctionArgs } from "@remix-run/node";
import { xlsxResponse } from "~/lib/excel.server";
import { requireActor } from "~/modules/auth/session.server";
import { alertsFor } from "~/modules/certification/access.server";
import { alertsWorkbook } from "~/modules/certification/rates.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { rows } = await alertsFor(await requireActor(request), new URL(request.url));
  return xlsxResponse(await alertsWorkbook(rows), "证书预警.xlsx");
}
