import type { LoaderFunctionArgs } from "@remix-run/node";
import { xlsxResponse } from "~/lib/excel.server";
import { quizStatisticsWorkbook, statsFor } from "~/modules/inspections/stats.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { stats } = await statsFor(request);
  return xlsxResponse(await quizStatisticsWorkbook(stats), "逢查必考统计.xlsx");
}
