import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { invalid, readForm, refused } from "~/lib/forms.server";
import { isUpload, readUpload } from "~/lib/upload.server";
import { idParam, z } from "~/lib/validation";
import { can } from "~/modules/auth/policy";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { authorizedDrillFiles } from "~/modules/drills/access.server";
import {
  DRILL_FILE_KIND_LABELS,
  DRILL_FILE_KINDS,
  DRILL_FILE_MAX_BYTES,
  DRILL_FILE_TOO_LARGE,
} from "~/modules/drills/files";
import { addDrillFile, filesOfDrill, voidDrillFile } from "~/modules/drills/files.server";
import { DrillFileList } from "~/modules/drills/ui/files";

export const meta: MetaFunction = () => [{ title: "演练方案与任务卡 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const { drill, resource } = await authorizedDrillFiles(actor, params.id, "view");
  const open = drill.status !== "closed" && drill.status !== "cancelled";
  return {
    drill: { id: drill.id, title: drill.title, status: drill.status },
    files: await filesOfDrill(drill.id),
    mayUpload: open && can(actor, "update", resource),
  };
}

const Kind = z.enum(DRILL_FILE_KINDS, { error: "请选择文件类别" });
const VoidInput = z.object({
  intent: z.literal("void"),
  fileId: idParam,
  reason: z
    .string({ error: "请填写作废原因" })
    .trim()
    .min(2, "请填写作废原因（至少 2 个字）")
    .max(200, "作废原因不超过 200 字"),
});

/** The organizer uploads a file (multipart) or withdraws one with a reason; both are audited. */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const { drill } = await authorizedDrillFiles(actor, params.id, "update");
  const ip = clientIp(request);
  if (!isUpload(request)) {
    const form = await readForm(request, VoidInput);
    if (!form.ok) return form.response;
    const voided = await voidDrillFile(actor, drill.id, form.data.fileId, form.data.reason, ip);
    if (!voided.ok) return invalid({}, voided.message);
    return { ok: true as const, message: "文件已作废。" };
  }
  const upload = await readUpload(request, { maxFileBytes: DRILL_FILE_MAX_BYTES, tooLarge: DRILL_FILE_TOO_LARGE });
  if (!upload.ok) return invalid({ file: upload.message }, upload.message);
  const kind = Kind.safeParse(upload.form.get("kind"));
  if (!kind.success) return invalid({ kind: "请选择文件类别" }, "请选择文件类别。");
  const file = upload.form.get("file");
  if (!(file instanceof File) || file.size === 0)
    return invalid({ file: "请选择要上传的文件" }, "请选择要上传的文件。");
  const added = await addDrillFile(actor, drill.id, kind.data, file, ip);
  if (!added.ok) return refused(added);
  throw redirect(`/drills/${drill.id}/files?added=${added.id}`);
}

export default function DrillFiles() {
  const { drill, files, mayUpload } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failed = result && "fieldErrors" in result ? result : undefined;
  return (
    <>
      <h1>演练方案与任务卡</h1>
      <p className="small">
        <Link to={`/drills/${drill.id}`}>返回演练：{drill.title}</Link>
      </p>
      {result && "message" in result ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : null}
      <FormError message={failed?.formError} />
      <section className="card">
        <DrillFileList drillId={drill.id} files={files} voidable={mayUpload} />
      </section>
      {mayUpload ? (
        <section className="card">
          <h2>上传文件</h2>
          <p className="small muted">
            {
              "PDF、Word（.doc、.docx）或图片（JPG、PNG、WebP），每个不超过 5 MB。双盲和无脚本演练的文件与情景一样保密：开始前只有组织者、导调人员和评估人员可见。"
            }
          </p>
          <Form method="post" encType="multipart/form-data" className="stack" noValidate>
            <Field name="kind" label="类别" errors={failed?.fieldErrors} required>
              {(a) => (
                <select {...a} defaultValue="plan">
                  {DRILL_FILE_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {DRILL_FILE_KIND_LABELS[k]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field name="file" label="文件" errors={failed?.fieldErrors} required>
              {(a) => <input {...a} type="file" accept=".pdf,.doc,.docx,image/jpeg,image/png,image/webp" />}
            </Field>
            <button type="submit" disabled={busy}>
              上传
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
