import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/form";
import { isUpload, readUploadedFile } from "~/lib/upload.server";
import { IMPORT_BATCH_BYTES, readFormData } from "~/lib/forms.server";
import { jsonField, z } from "~/lib/validation";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizeOwnBank } from "~/modules/exams/access.server";
import { commitImport, MAX_IMPORT_QUESTIONS, previewImport } from "~/modules/exams/import.server";
import { QuestionInput, TYPE_LABELS } from "~/modules/exams/schema";

export const meta: MetaFunction = () => [{ title: "导入题目 · 安训" }];

/** Admins import into the shared bank, officers into their enterprise's own. */
async function target(request: Request) {
  const actor = await requireActor(request);
  return { actor, owner: authorizeOwnBank(actor) };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { owner } = await target(request);
  return { shared: owner === 0, max: MAX_IMPORT_QUESTIONS };
}

type Result =
  | { stage: "error"; message: string }
  | { stage: "preview"; formatLabel: string; questions: { line: number; externalId: string; input: QuestionInput }[]; problems: { line: number; reason: string }[] }
  | { stage: "done"; created: number; updated: number };

const Batch = z.object({
  items: jsonField(z.array(z.object({ externalId: z.string().min(1).max(64), input: QuestionInput })).min(1, "没有可导入的题目").max(MAX_IMPORT_QUESTIONS)),
});

export async function action({ request }: ActionFunctionArgs) {
  const { actor, owner } = await target(request);
  const fail = (status: number, message: string) => data<Result>({ stage: "error", message }, { status });
  if (isUpload(request)) {
    const upload = await readUploadedFile(request);
    if (!upload.ok) return fail(upload.status, upload.message);
    const file = upload.file;
    const topic = z.string().trim().max(64).optional().parse(upload.form.get("topic") ?? undefined) || undefined;
    const preview = await previewImport(file.name, Buffer.from(await file.arrayBuffer()), topic);
    if ("error" in preview) return fail(422, preview.error);
    return data<Result>({ stage: "preview", formatLabel: preview.formatLabel, questions: preview.questions, problems: preview.problems });
  }
  const parsed = Batch.safeParse(Object.fromEntries(await readFormData(request, { maxBytes: IMPORT_BATCH_BYTES })));
  if (!parsed.success) return fail(422, parsed.error.issues[0].message);
  const saved = await commitImport(actor, owner, parsed.data.items, clientIp(request));
  return data<Result>({ stage: "done", ...saved });
}

export default function ImportQuestions() {
  const result = useActionData<typeof action>() as Result | undefined;
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <h1>导入题目</h1>
      <section className="card">
        <p>支持 <a href="/questions/template" download>Excel 模板</a>、Moodle XML、GIFT 和 Aiken 格式。系统先逐题检查并列出问题，确认后才写入，且全部题目在一个事务中写入。</p>
        <Form method="post" encType="multipart/form-data" className="stack">
          <div className="field"><label htmlFor="file">文件</label><input id="file" name="file" type="file" accept=".xlsx,.xml,.txt,.gift" required /></div>
          <div className="field"><label htmlFor="topic">默认知识点</label><input id="topic" name="topic" placeholder="文件未标明知识点时使用，如：有限空间作业" />
            <div className="hint">GIFT/Moodle 的分类（$CATEGORY）会作为知识点。</div></div>
          <button type="submit" disabled={busy}>检查文件</button>
        </Form>
      </section>
      {result?.stage === "error" ? <FormError message={result.message} /> : null}
      {result?.stage === "done" ? <div className="notice" role="status">已导入：新增 {result.created} 题，更新 {result.updated} 题。<a href="/questions">查看题库</a></div> : null}
      {result?.stage === "preview" ? (
        <section className="card" aria-labelledby="preview">
          <h2 id="preview">检查结果（{result.formatLabel}）</h2>
          <p>可导入 <strong data-testid="import-valid">{result.questions.length}</strong> 题，有问题 <strong data-testid="import-problems">{result.problems.length}</strong> 处。</p>
          {result.problems.length ? (
            <div className="table-wrap"><table><thead><tr><th>行</th><th>问题</th></tr></thead>
              <tbody>{result.problems.map((p, i) => <tr key={i}><td>{p.line}</td><td>{p.reason}</td></tr>)}</tbody></table></div>
          ) : null}
          {result.questions.length ? (
            <>
              <ul className="small">{result.questions.slice(0, 100).map((q) => <li key={q.externalId}>第 {q.line} 行 · {TYPE_LABELS[q.input.type]} · {q.input.topic} · {q.input.stem.slice(0, 40)}</li>)}</ul>
              <Form method="post" className="actions">
                <input type="hidden" name="items" value={JSON.stringify(result.questions.map(({ externalId, input }) => ({ externalId, input })))} />
                <button type="submit" disabled={busy}>{result.problems.length ? `仅导入没有问题的 ${result.questions.length} 题` : `导入全部 ${result.questions.length} 题`}</button>
              </Form>
            </>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
