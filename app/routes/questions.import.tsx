import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useNavigation, Link } from "@remix-run/react";
import { FormError } from "~/components/form";
import { isUpload, readUploadedFile } from "~/lib/upload.server";
import { IMPORT_BATCH_BYTES, readFormData } from "~/lib/forms.server";
import { jsonField, z } from "~/lib/validation";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizeOwnBank } from "~/modules/exams/access.server";
import {
  commitImport,
  ImportError,
  MAX_IMPORT_QUESTIONS,
  previewImport,
  type ImportPreview,
} from "~/modules/exams/import.server";
import { QuestionInput, TYPE_LABELS } from "~/modules/exams/schema";
import { QuestionText } from "~/modules/exams/ui/question-text";

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
  | ({ stage: "preview" } & Omit<ImportPreview, "format">)
  | { stage: "done"; created: number; updated: number };

const Batch = z.object({
  items: jsonField(
    z
      .array(z.object({ key: z.string().trim().min(1).max(64).nullable(), input: QuestionInput }))
      .min(1, "没有可导入的题目")
      .max(MAX_IMPORT_QUESTIONS),
  ),
});

export async function action({ request }: ActionFunctionArgs) {
  const { actor, owner } = await target(request);
  const fail = (status: number, message: string) => data<Result>({ stage: "error", message }, { status });
  if (isUpload(request)) {
    const upload = await readUploadedFile(request);
    if (!upload.ok) return fail(upload.status, upload.message);
    const file = upload.file;
    const topic =
      z
        .string()
        .trim()
        .max(64)
        .optional()
        .catch(undefined)
        .parse(upload.form.get("topic") ?? undefined) || undefined;
    const preview = await previewImport(owner, actor.userId, file.name, Buffer.from(await file.arrayBuffer()), topic);
    if ("error" in preview) return fail(422, preview.error);
    const { format: _format, ...rest } = preview;
    return data<Result>({ stage: "preview", ...rest });
  }
  const parsed = Batch.safeParse(Object.fromEntries(await readFormData(request, { maxBytes: IMPORT_BATCH_BYTES })));
  if (!parsed.success) return fail(422, parsed.error.issues[0].message);
  try {
    const saved = await commitImport(actor, owner, parsed.data.items, clientIp(request));
    return data<Result>({ stage: "done", ...saved });
  } catch (e) {
    if (e instanceof ImportError) return fail(422, e.message);
    throw e;
  }
}

const SHOWN = 200;

export default function ImportQuestions() {
  const result = useActionData<typeof action>() as Result | undefined;
  const busy = useNavigation().state === "submitting";
  const items = result?.stage === "preview" ? [...result.added, ...result.changed] : [];
  return (
    <>
      <h1>导入题目</h1>
      <section className="card">
        <p>
          支持{" "}
          <a href="/questions/template" download>
            Excel 模板
          </a>
          、Word 文档（.docx）、Moodle XML、GIFT 和 Aiken
          格式。系统先逐题检查并列出新增、更新和跳过的题目，确认后才在一个事务中写入。 只有编号（Excel 编号、Moodle
          idnumber、GIFT [id:] 或 ::标题::）相同的题目才会更新；没有编号的题目一律作为新题，题干相同也不会合并。
        </p>
        <Form method="post" encType="multipart/form-data" className="stack">
          <div className="field">
            <label htmlFor="file">文件</label>
            <input id="file" name="file" type="file" accept=".xlsx,.docx,.xml,.txt,.gift" required />
          </div>
          <div className="field">
            <label htmlFor="topic">默认知识点</label>
            <input id="topic" name="topic" placeholder="文件未标明知识点时使用，如：有限空间作业" />
            <div className="hint">GIFT/Moodle 的分类（$CATEGORY）会作为知识点。</div>
          </div>
          <button type="submit" disabled={busy}>
            检查文件
          </button>
        </Form>
      </section>
      {result?.stage === "error" ? <FormError message={result.message} /> : null}
      {result?.stage === "done" ? (
        <div className="notice" role="status">
          已导入：新增 {result.created} 题，更新 {result.updated} 题。<Link to="/questions">查看题库</Link>
        </div>
      ) : null}
      {result?.stage === "preview" ? (
        <section className="card" aria-labelledby="preview">
          <h2 id="preview">
            检查结果（{result.formatLabel}
            {result.encoding ? `，编码 ${result.encoding}` : ""}）
          </h2>
          <p>
            新增 <strong data-testid="import-added">{result.added.length}</strong> 题，更新{" "}
            <strong data-testid="import-changed">{result.changed.length}</strong> 题， 跳过{" "}
            <strong data-testid="import-skipped">{result.skipped.length}</strong> 处。
          </p>
          {result.skipped.length ? (
            <div className="table-wrap">
              <table>
                <caption>跳过</caption>
                <thead>
                  <tr>
                    <th>行</th>
                    <th>题目</th>
                    <th>原因</th>
                  </tr>
                </thead>
                <tbody>
                  {result.skipped.map((p, i) => (
                    <tr key={i}>
                      <td>{p.line}</td>
                      <td>{p.question ?? ""}</td>
                      <td>{p.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {result.changed.length ? (
            <div className="table-wrap">
              <table>
                <caption>更新（改动前 → 改动后）</caption>
                <thead>
                  <tr>
                    <th>行</th>
                    <th>编号</th>
                    <th>字段</th>
                    <th>改动前</th>
                    <th>改动后</th>
                  </tr>
                </thead>
                <tbody>
                  {result.changed.slice(0, SHOWN).flatMap((q) =>
                    (q.changes ?? []).map((c, i) => (
                      <tr key={`${q.key}-${i}`}>
                        <td>{i === 0 ? q.line : ""}</td>
                        <td>{i === 0 ? q.key : ""}</td>
                        <td>{c.field}</td>
                        <td>
                          <del>
                            <QuestionText text={c.before} />
                          </del>
                        </td>
                        <td>
                          <ins>
                            <QuestionText text={c.after} />
                          </ins>
                        </td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </div>
          ) : null}
          {result.added.length ? (
            <ul className="small" aria-label="新增">
              {result.added.slice(0, SHOWN).map((q) => (
                <li key={q.line}>
                  第 {q.line} 行 · {q.key ? `编号 ${q.key}` : "新题（无编号）"} · {TYPE_LABELS[q.input.type]} ·{" "}
                  {q.input.topic} · <QuestionText text={q.input.stem} inline />
                </li>
              ))}
            </ul>
          ) : null}
          {items.length ? (
            <Form method="post" className="actions">
              <input
                type="hidden"
                name="items"
                value={JSON.stringify(items.map(({ key, input }) => ({ key, input })))}
              />
              <button
                type="submit"
                disabled={busy}
              >{`导入：新增 ${result.added.length} 题，更新 ${result.changed.length} 题`}</button>
            </Form>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
