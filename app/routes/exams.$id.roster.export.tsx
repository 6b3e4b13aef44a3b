import type { LoaderFunctionArgs } from "@remix-run/node";
import { xlsxResponse } from "~/lib/excel.server";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedRosterExam } from "~/modules/exams/roster-access.server";
import { RosterQuery } from "~/modules/exams/roster-schema";
import { rosterWorkbook } from "~/modules/exams/roster.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const exam = await authorizedRosterExam(actor, params.id, "view");
  const query = RosterQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  return xlsxResponse(await rosterWorkbook(exam, { ...query, after: undefined }), `${exam.title}-成绩.xlsx`);
}
