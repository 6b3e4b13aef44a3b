import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { xlsxResponse } from "~/lib/excel.server";
import { z } from "~/lib/validation";
import { requireActor } from "~/modules/auth/session.server";
import { authorizeQuestionOwner, bankOwners } from "~/modules/exams/access.server";
import { EXPORT_FILES, exportQuestions } from "~/modules/exams/import.server";
import { QuestionTypeSchema } from "~/modules/exams/schema";
import { plainLine } from "~/modules/exams/formats/text";

export const meta: MetaFunction = () => [{ title: "导出题目 · 安训" }];

const Query = z.object({
  format: z.enum(["xlsx", "xml", "gift", "aiken"]).optional().catch(undefined),
  topic: z.string().max(64).optional().catch(undefined),
  type: QuestionTypeSchema.optional().catch(undefined),
});

/** With a format: the file. Without: the page offering the four formats and what Aiken leaves out. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  authorizeQuestionOwner(actor, 0, "view");
  const q = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  if (!q.format) {
    const { skipped } = await exportQuestions(bankOwners(actor), q, "aiken");
    return {
      aikenSkipped: skipped.slice(0, 200).map((s) => ({ ...s, stem: plainLine(s.stem, 40) })),
      aikenSkippedCount: skipped.length,
    };
  }
  const { file } = await exportQuestions(bankOwners(actor), q, q.format);
  const meta = EXPORT_FILES[q.format];
  if (q.format === "xlsx") return xlsxResponse(file, meta.name);
  return new Response(new Uint8Array(file), {
    headers: {
      "Content-Type": meta.type,
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(meta.name)}`,
    },
  });
}

export default function ExportQuestions() {
  const { aikenSkipped, aikenSkippedCount } = useLoaderData<typeof loader>() as {
    aikenSkipped: { externalId: string; stem: string; reason: string }[];
    aikenSkippedCount: number;
  };
  const [search] = useSearchParams();
  const link = (format: string) =>
    `/questions/export?${new URLSearchParams([...search.entries(), ["format", format]]).toString()}`;
  return (
    <>
      <h1>导出题目</h1>
      <section className="card stack">
        <p>
          导出当前筛选的题目。Excel、Moodle XML 和 GIFT 带有编号，修改后再导入会更新同一道题；图片和音频随 Moodle XML 与
          GIFT 文件一起导出。
        </p>
        <div className="actions">
          {(["xlsx", "xml", "gift", "aiken"] as const).map((f) => (
            <a key={f} className="button secondary" href={link(f)} download>
              导出 {EXPORT_FILES[f].label}
            </a>
          ))}
        </div>
        {aikenSkippedCount ? (
          <>
            <p data-testid="aiken-skipped">
              Aiken 格式只能携带单行的单选题：有 {aikenSkippedCount} 题不会写入 Aiken 文件。
            </p>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>编号</th>
                    <th>题干</th>
                    <th>原因</th>
                  </tr>
                </thead>
                <tbody>
                  {aikenSkipped.map((s) => (
                    <tr key={s.externalId}>
                      <td>{s.externalId}</td>
                      <td>{s.stem}</td>
                      <td>{s.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : null}
      </section>
    </>
  );
}
