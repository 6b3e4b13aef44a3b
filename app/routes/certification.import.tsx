import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, Link } from "@remix-run/react";
import { FormError } from "~/components/form";
import { isUpload, readUploadedFile } from "~/lib/upload.server";
import { IMPORT_BATCH_BYTES, readFormData } from "~/lib/forms.server";
import { jsonField, z } from "~/lib/validation";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedEnterprise } from "~/modules/certification/access.server";
import { commitCertificates, previewCertificates } from "~/modules/certification/import.server";
import { KIND_LABELS } from "~/modules/certification/rules";
import { CertificateInput } from "~/modules/certification/schema";

export const meta: MetaFunction = () => [{ title: "导入证书 · 安训" }];

const enterpriseOf = async (request: Request) => {
  const actor = await requireActor(request);
  const id = new URL(request.url).searchParams.get("enterpriseId") ?? actor.enterpriseId ?? undefined;
  return { actor, enterprise: await authorizedEnterprise(actor, id ?? undefined, "create") };
};

export async function loader({ request }: LoaderFunctionArgs) {
  const { enterprise } = await enterpriseOf(request);
  return { enterpriseId: enterprise.id };
}

type Result =
  | { stage: "error"; message: string }
  | {
      stage: "preview";
      total: number;
      valid: { row: number; personId: number; name: string; input: z.output<typeof CertificateInput> }[];
      problems: { row: number; column: string; reason: string }[];
    }
  | { stage: "done"; count: number };

const Batch = z.object({
  rows: jsonField(
    z
      .array(z.object({ personId: z.number().int().positive(), input: CertificateInput }))
      .min(1)
      .max(10000),
  ),
});

export async function action({ request }: ActionFunctionArgs) {
  const { actor, enterprise } = await enterpriseOf(request);
  const fail = (status: number, message: string) => data<Result>({ stage: "error", message }, { status });
  if (isUpload(request)) {
    const upload = await readUploadedFile(request, "请选择要上传的 Excel 文件。");
    if (!upload.ok) return fail(upload.status, upload.message);
    const preview = await previewCertificates(await upload.file.arrayBuffer(), enterprise.id);
    if (!preview.ok) return fail(422, preview.message);
    return data<Result>({ stage: "preview", total: preview.total, valid: preview.valid, problems: preview.problems });
  }
  const parsed = Batch.safeParse(Object.fromEntries(await readFormData(request, { maxBytes: IMPORT_BATCH_BYTES })));
  if (!parsed.success) return fail(422, parsed.error.issues[0].message);
  const saved = await commitCertificates(actor, enterprise, parsed.data.rows, clientIp(request));
  if (!saved.ok) return fail(saved.status, saved.message);
  return data<Result>({ stage: "done", count: saved.count });
}

export default function ImportCertificates() {
  const { enterpriseId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <h1>从 Excel 导入证书</h1>
      <section className="card">
        <p>
          列与全国证书查询结果一致：
          <a href="/certification/template" download>
            下载证书导入模板
          </a>
          。人员按身份证号码与本企业名册匹配；同一证书编号再次导入即为更新。
        </p>
        <Form method="post" encType="multipart/form-data" className="stack">
          <div className="field">
            <label htmlFor="file">Excel 文件（.xlsx）</label>
            <input id="file" name="file" type="file" accept=".xlsx" required />
          </div>
          <button type="submit" disabled={busy}>
            检查文件
          </button>
        </Form>
      </section>
      {result?.stage === "error" ? <FormError message={result.message} /> : null}
      {result?.stage === "done" ? (
        <div className="notice" role="status">
          已导入 {result.count} 张证书。<Link to={`/certification/enterprise/${enterpriseId}`}>查看持证情况</Link>
        </div>
      ) : null}
      {result?.stage === "preview" ? (
        <section className="card">
          <h2>检查结果</h2>
          <p>
            共 {result.total} 行：可导入 <strong data-testid="cert-valid">{result.valid.length}</strong> 行，有问题{" "}
            <strong data-testid="cert-problems">{new Set(result.problems.map((p) => p.row)).size}</strong> 行。
          </p>
          {result.problems.length ? (
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
          ) : null}
          {result.valid.length ? (
            <>
              <ul className="small">
                {result.valid.slice(0, 50).map((v) => (
                  <li key={v.row}>
                    第 {v.row} 行：{v.name} · {KIND_LABELS[v.input.kind]} · {v.input.number}
                  </li>
                ))}
              </ul>
              <Form method="post" className="actions">
                <input
                  type="hidden"
                  name="rows"
                  value={JSON.stringify(result.valid.map(({ personId, input }) => ({ personId, input })))}
                />
                <button type="submit" disabled={busy}>
                  {result.problems.length
                    ? `仅导入有效的 ${result.valid.length} 行`
                    : `导入全部 ${result.valid.length} 行`}
                </button>
              </Form>
            </>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
