import type { LoaderFunctionArgs } from "@remix-run/node";
import { httpError } from "~/lib/http";
import { todayIso } from "~/lib/clock.server";
import { z } from "~/lib/validation";
import { requireActor } from "~/modules/auth/session.server";
import {
  archiveDocument,
  contestCertificateForActor,
  drillReportDocument,
  hoursDocument,
  inspectionDocument,
  transcriptDocument,
} from "~/modules/documents/documents.server";
import { pdfResponse, renderDocument } from "~/modules/documents/render.server";

const Kind = z.enum(["transcript", "hours", "archive", "drill", "inspection", "contest"]);
const Year = z.coerce.number().int().min(2000).max(2100);

/**
 * A document to file, as a PDF download: /documents/transcript/:attemptId, /documents/hours/:personId?year=2026,
 * /documents/archive/:personId, /documents/drill/:drillId, /documents/inspection/:inspectionId,
 * /documents/contest/:participantId (the organizer's or the participant's own account's copy; a participant without
 * an account downloads theirs from /c/:token/certificate.pdf with their contest cookie).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const kind = Kind.safeParse(params.kind);
  if (!kind.success) httpError(404, "没有这种文件。");
  const rawYear = new URL(request.url).searchParams.get("year");
  const year = Year.safeParse(rawYear ?? todayIso().slice(0, 4));
  if (!year.success) httpError(422, "年度须为 2000 至 2100 之间的四位数字。");
  const prepared =
    kind.data === "transcript"
      ? await transcriptDocument(actor, params.id)
      : kind.data === "hours"
        ? await hoursDocument(actor, params.id, year.data)
        : kind.data === "archive"
          ? await archiveDocument(actor, params.id)
          : kind.data === "drill"
            ? await drillReportDocument(actor, params.id)
            : kind.data === "inspection"
              ? await inspectionDocument(actor, params.id)
              : await contestCertificateForActor(actor, params.id);
  const rendered = await renderDocument(prepared.spec);
  if (!rendered.ok)
    throw new Response(JSON.stringify({ message: rendered.message }), {
      status: rendered.status,
      headers: { "Content-Type": "application/json; charset=utf-8", "Retry-After": "10" },
    });
  return pdfResponse(rendered.bytes, prepared.filename);
}
