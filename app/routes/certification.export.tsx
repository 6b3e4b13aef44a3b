import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { xlsxResponse } from "~/lib/excel.server";
import { can } from "~/modules/auth/policy";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedEnterprise } from "~/modules/certification/access.server";
import { fullLedgerFor, ledgerWorkbook } from "~/modules/certification/ledger.server";

const enterpriseOf = async (request: Request) => {
  const actor = await requireActor(request);
  const id = new URL(request.url).searchParams.get("enterpriseId") ?? actor.enterpriseId ?? undefined;
  return { actor, enterprise: await authorizedEnterprise(actor, id ?? undefined) };
};

/** The enterprise's certificate ledger as Excel, ID numbers masked (anyone who may read its certification). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { enterprise } = await enterpriseOf(request);
  return xlsxResponse((await ledgerWorkbook(enterprise.id, false)).buffer, "证书台账.xlsx");
}

/**
 * The editable ledger (a POST, since it writes its audit row): full ID numbers when the policy gives them to this
 * actor (the enterprise's own officer), masked for everyone else.
 */
export async function action({ request }: ActionFunctionArgs) {
  const { actor, enterprise } = await enterpriseOf(request);
  if (!can(actor, "view", { type: "full_id_numbers", enterpriseId: enterprise.id }))
    return xlsxResponse((await ledgerWorkbook(enterprise.id, false)).buffer, "证书台账.xlsx");
  const ledger = await fullLedgerFor(actor, enterprise.id, clientIp(request));
  return xlsxResponse(ledger.buffer, "证书台账（可编辑）.xlsx");
}
