import type { LoaderFunctionArgs } from "@remix-run/node";
import { xlsxResponse } from "~/lib/excel.server";
import { requireActor } from "~/modules/auth/session.server";
import { certificateTemplate } from "~/modules/certification/import.server";

// A blank template: any logged-in user may download it.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireActor(request);
  return xlsxResponse(await certificateTemplate(), "证书导入模板.xlsx");
}
