import type { LoaderFunctionArgs } from "@remix-run/node";
import { xlsxResponse } from "~/lib/excel.server";
import { z } from "~/lib/validation";
import { requireActor } from "~/modules/auth/session.server";
import { authorizeQuestionOwner, bankOwners } from "~/modules/exams/access.server";
import { exportQuestions } from "~/modules/exams/import.server";
import { QuestionTypeSchema } from "~/modules/exams/schema";

const Query = z.object({
  format: z.enum(["xlsx", "xml"]).catch("xlsx"),
  topic: z.string().max(64).optional().catch(undefined),
  type: QuestionTypeSchema.optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  authorizeQuestionOwner(actor, 0, "view");
  const q = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const file = await exportQuestions(bankOwners(actor), q, q.format);
  if (q.format === "xlsx") return xlsxResponse(file, "安训题库.xlsx");
  return new Response(new Uint8Array(file), {
    headers: { "Content-Type": "application/xml; charset=utf-8", "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent("安训题库.xml")}` },
  });
}
