import type { LoaderFunctionArgs } from "@remix-run/node";
import { xlsxResponse } from "~/lib/excel.server";
import { requireActor } from "~/modules/auth/session.server";
import { peopleTemplate } from "~/modules/org/people-import.server";

// The blank template holds no data: any logged-in user may download it.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireActor(request);
  return xlsxResponse(await peopleTemplate(), "人员导入模板.xlsx");
}
