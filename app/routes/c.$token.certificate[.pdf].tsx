import type { LoaderFunctionArgs } from "@remix-run/node";
import { httpError } from "~/lib/http";
import { publicContest } from "~/modules/contests/access.server";
import { contestParticipantOf } from "~/modules/contests/participant.server";
import { contestCertificateDocument } from "~/modules/documents/documents.server";
import { pdfResponse, renderDocument } from "~/modules/documents/render.server";

/** The participant's certificate of participation as a PDF: their contest cookie (Path=/c) is the authorization. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const contest = await publicContest(params.token);
  const p = await contestParticipantOf(request, contest.id);
  if (!p) httpError(403, "只有参赛者本人（在参赛的手机上）可以下载参赛证书。");
  const prepared = await contestCertificateDocument(contest, p.id, { displayName: p.name });
  const rendered = await renderDocument(prepared.spec);
  if (!rendered.ok)
    throw new Response(JSON.stringify({ message: rendered.message }), {
      status: rendered.status,
      headers: { "Content-Type": "application/json; charset=utf-8", "Retry-After": "10" },
    });
  return pdfResponse(rendered.bytes, prepared.filename);
}
