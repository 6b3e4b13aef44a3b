import type { LoaderFunctionArgs } from "@remix-run/node";
import { xlsxResponse } from "~/lib/excel.server";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedContest } from "~/modules/contests/access.server";
import { resultsWorkbook } from "~/modules/contests/contests.server";

/** Results as Excel: persons in rank order, enterprises, regions; scores and seconds as numbers. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const contest = await authorizedContest(await requireActor(request), params.id, "view");
  return xlsxResponse(await resultsWorkbook(contest), `知识竞赛成绩-${contest.title}.xlsx`);
}
