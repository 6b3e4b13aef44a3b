import type { LoaderFunctionArgs } from "@remix-run/node";
import { xlsxResponse } from "~/lib/excel.server";
import { requireActor } from "~/modules/auth/session.server";
import { trainingEnterprise } from "~/modules/courses/access.server";
import { assignmentsWorkbook } from "~/modules/courses/assignments.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const enterprise = await trainingEnterprise(actor, new URL(request.url), "view");
  return xlsxResponse(await assignmentsWorkbook(enterprise.id), "培训任务完成情况.xlsx");
}
