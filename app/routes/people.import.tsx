import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, Link } from "@remix-run/react";
import { FormError } from "~/components/form";
import { forbidden } from "~/lib/http";
import { isUpload, readUploadedFile } from "~/lib/upload.server";
import { IMPORT_BATCH_BYTES, readFormData } from "~/lib/forms.server";
import { jsonField, z } from "~/lib/validation";
import { can, listScope } from "~/modules/auth/policy";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { POST_LABELS } from "~/modules/org/labels";
import { commitPeopleImport, MAX_IMPORT_ROWS, previewPeopleImport } from "~/modules/org/people-import.server";
import { enterpriseChoices, enterpriseResource } from "~/modules/org/people.server";
import { PersonInput } from "~/modules/org/schema";

export const meta: MetaFunction = () => [{ title: "从 Excel 导入人员 · 安训" }];

async function importTarget(request: Request, rawEnterpriseId: unknown) {
  const actor = await requireActor(request);
  const id = z.coerce.number().int().positive().safeParse(rawEnterpriseId);
  const enterprise = id.success ? await enterpriseResource(id.data) : null;
  if (!enterprise) return { actor, enterprise: null };
  authorize(actor, "import", { type: "people", enterpriseId: enterprise.id, regionPath: enterprise.regionPath });
  return { actor, enterprise };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const enterprises = await enterpriseChoices(listScope(actor));
  const allowed = [];
  for (const e of enterprises) {
    const r = await enterpriseResource(e.id);
    if (r && can(actor, "import", { type: "people", enterpriseId: e.id, regionPath: r.regionPath })) allowed.push(e);
  }
  if (allowed.length === 0) forbidden("您无权为任何企业导入人员。");
  return { enterprises: allowed, maxRows: MAX_IMPORT_ROWS };
}

const CommitInput = z.object({
  enterpriseId: z.coerce.number().int().positive(),
  rows: jsonField(z.array(PersonInput).min(1, "没有可导入的行").max(MAX_IMPORT_ROWS)),
});

type Result =
  | { stage: "error"; message: string }
  | {
      stage: "preview";
      enterpriseId: number;
      total: number;
      valid: { row: number; input: z.output<typeof PersonInput> }[];
      problems: { row: number; column: string; reason: string }[];
    }
  | { stage: "done"; created: number };

export async function action({ request }: ActionFunctionArgs) {
  const fail = (status: number, message: string) => data<Result>({ stage: "error", message }, { status });
  if (isUpload(request)) {
    const upload = await readUploadedFile(request, "请选择要上传的 Excel 文件。");
    if (!upload.ok) return fail(upload.status, upload.message);
    const { enterprise } = await importTarget(request, upload.form.get("enterpriseId"));
    if (!enterprise) return fail(422, "请选择要导入到的企业。");
    const preview = await previewPeopleImport(await upload.file.arrayBuffer(), enterprise.id);
    if (!preview.ok) return fail(422, preview.message);
    return data<Result>({
      stage: "preview",
      enterpriseId: enterprise.id,
      total: preview.total,
      valid: preview.valid,
      problems: preview.problems,
    });
  }
  const form = Object.fromEntries((await readFormData(request, { maxBytes: IMPORT_BATCH_BYTES })).entries());
  const { actor, enterprise } = await importTarget(request, form.enterpriseId);
  if (!enterprise) return fail(422, "请选择要导入到的企业。");
  const parsed = CommitInput.safeParse(form);
  if (!parsed.success || parsed.data.rows.some((r) => r.enterpriseId !== enterprise.id)) {
    return fail(422, parsed.success ? "导入数据与所选企业不一致，请重新上传。" : parsed.error.issues[0].message);
  }
  const saved = await commitPeopleImport(actor, parsed.data.rows, clientIp(request));
  if (!saved.ok)
    return fail(409, `第 ${saved.index + 1} 条数据无法导入（${saved.message}），整批未写入，请重新上传核对。`);
  return data<Result>({ stage: "done", created: saved.created });
}

export default function ImportPeople() {
  const { enterprises, maxRows } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <h1>从 Excel 导入人员</h1>
      <section className="card">
        <p>
          1. 下载模板并按说明填写：
          <a href="/people/template" download>
            人员导入模板.xlsx
          </a>
        </p>
        <p>2. 上传填好的文件，系统先检查每一行，确认无误后才会写入。每次最多 {maxRows} 行。</p>
        <Form method="post" encType="multipart/form-data" className="stack">
          <div className="field">
            <label htmlFor="enterpriseId">导入到企业</label>
            <select
              id="enterpriseId"
              name="enterpriseId"
              defaultValue={enterprises.length === 1 ? enterprises[0].id : ""}
            >
              {enterprises.length > 1 ? <option value="">请选择</option> : null}
              {enterprises.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="file">Excel 文件（.xlsx）</label>
            <input
              id="file"
              name="file"
              type="file"
              accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              required
            />
          </div>
          <button type="submit" disabled={busy}>
            检查文件
          </button>
        </Form>
      </section>
      {result?.stage === "error" ? <FormError message={result.message} /> : null}
      {result?.stage === "done" ? (
        <div className="notice" role="status">
          已导入 {result.created} 人。<Link to="/people">查看人员</Link>
        </div>
      ) : null}
      {result?.stage === "preview" ? (
        <section className="card" aria-labelledby="preview">
          <h2 id="preview">检查结果</h2>
          <p>
            共 {result.total} 行：可导入 <strong data-testid="valid-count">{result.valid.length}</strong> 行，有问题{" "}
            <strong data-testid="problem-count">{new Set(result.problems.map((p) => p.row)).size}</strong> 行。
          </p>
          {result.problems.length ? (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>行号</th>
                    <th>列</th>
                    <th>问题</th>
                  </tr>
                </thead>
                <tbody>
                  {result.problems.map((p, i) => (
                    <tr key={i}>
                      <td>{p.row}</td>
                      <td>{p.column}</td>
                      <td>{p.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {result.valid.length ? (
            <>
              <h2>将导入的人员</h2>
              <ul className="small">
                {result.valid.slice(0, 50).map((v) => (
                  <li key={v.row}>
                    第 {v.row} 行：{v.input.name}（{POST_LABELS[v.input.post]}）
                  </li>
                ))}
              </ul>
              {result.valid.length > 50 ? <p className="muted">……共 {result.valid.length} 人</p> : null}
              <Form method="post" className="actions">
                <input type="hidden" name="enterpriseId" value={result.enterpriseId} />
                <input type="hidden" name="rows" value={JSON.stringify(result.valid.map((v) => v.input))} />
                <button type="submit" disabled={busy}>
                  {result.problems.length
                    ? `仅导入有效的 ${result.valid.length} 行`
                    : `导入全部 ${result.valid.length} 行`}
                </button>
              </Form>
            </>
          ) : (
            <p>没有可导入的行，请修改文件后重新上传。</p>
          )}
        </section>
      ) : null}
    </>
  );
}
