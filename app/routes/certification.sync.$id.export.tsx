import type { LoaderFunctionArgs } from "@remix-run/node";
import { xlsxResponse } from "~/lib/excel.server";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedSyncJob } from "~/modules/certification/sync-access.server";
import { syncIssuesWorkbook } from "~/modules/certification/sync.server";

/** The unmatched, conflicting and invalid rows of a sync as a workbook an officer works through. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const job = await authorizedSyncJob(actor, params.id);
  return xlsxResponse(await syncIssuesWorkbook(job.id), `证书同步问题清单-${job.id}.xlsx`);
}
