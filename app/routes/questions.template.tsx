import type { LoaderFunctionArgs } from "@remix-run/node";
import { xlsxResponse } from "~/lib/excel.server";
import { requireActor } from "~/modules/auth/session.server";
import { questionTemplate } from "~/modules/exams/import.server";

// A blank template holds no data: any logged-in user may download it.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireActor(request);
  return xlsxResponse(await questionTemplate(), "题目导入模板.xlsx");
}
