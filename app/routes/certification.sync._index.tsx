import { regionRootOf } from "~/modules/auth/policy";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  MaxPartSizeExceededError,
  redirect,
  unstable_createFileUploadHandler,
  unstable_parseMultipartFormData,
  type NodeOnDiskFile,
} from "@remix-run/node";
import { mkdir, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { data } from "@remix-run/node";
import { formatInstant } from "~/lib/calendar";
import { clientIp, requireActor } from "~/modules/auth/session.server";
import { regionOptions } from "~/modules/org/regions.server";
import { authorizedSyncRegion, homeRegionOf } from "~/modules/certification/sync-access.server";
import {
  createSyncJob,
  MAX_SYNC_BYTES,
  sourceKindOf,
  syncDirectory,
  syncJobs,
} from "~/modules/certification/sync.server";
import { SYNC_COLUMNS } from "~/modules/certification/sync-rules";

export const meta: MetaFunction = () => [{ title: "证书数据同步 · 安训" }];

const STATUS = { queued: "排队中", running: "处理中", done: "已完成", failed: "失败" } as const;

async function regionOf(request: Request, action: "view" | "import") {
  const actor = await requireActor(request);
  const raw = new URL(request.url).searchParams.get("regionId") ?? (await homeRegionOf(actor))?.id ?? null;
  return { actor, region: await authorizedSyncRegion(actor, raw, action) };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, region } = await regionOf(request, "view");
  const [regions, jobs] = await Promise.all([regionOptions(regionRootOf(actor)), syncJobs(region.path)]);
  return {
    region,
    regions: regions.filter((r) => r.active).map((r) => ({ id: r.id, label: r.label })),
    jobs,
    maxMb: Math.round(MAX_SYNC_BYTES / 1024 / 1024),
  };
}

/** The file streams to disk (never into memory), then a job is queued; the background runner does the rest. */
export async function action({ request }: ActionFunctionArgs) {
  const { actor, region } = await regionOf(request, "import");
  const tmp = join(syncDirectory(), "incoming");
  await mkdir(tmp, { recursive: true });
  let parts = 0;
  let originalName = "";
  const disk = unstable_createFileUploadHandler({
    directory: tmp,
    maxPartSize: MAX_SYNC_BYTES,
    avoidFileConflicts: true,
    file: () => `${crypto.randomUUID()}.upload`,
  });
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, (part) => {
      if (++parts > 5 || part.name !== "file") return Promise.resolve(undefined);
      originalName = part.filename ?? "";
      return disk(part);
    });
  } catch (e) {
    const message =
      e instanceof MaxPartSizeExceededError
        ? `文件过大，上限为 ${Math.round(MAX_SYNC_BYTES / 1024 / 1024)} MB。`
        : "上传的内容无法读取，请重新选择文件。";
    return data({ message }, { status: e instanceof MaxPartSizeExceededError ? 413 : 400 });
  }
  const file = form.get("file") as NodeOnDiskFile | null;
  if (!file || typeof file === "string" || file.size === 0) {
    if (file && typeof file !== "string") await rm(file.getFilePath(), { force: true });
    return data({ message: "请选择要同步的 CSV 或 Excel 文件。" }, { status: 422 });
  }
  const handle = await open(file.getFilePath(), "r");
  const head = Buffer.alloc(4);
  await handle.read(head, 0, 4, 0);
  await handle.close();
  const queued = await createSyncJob(
    actor,
    region,
    { path: file.getFilePath(), name: originalName || file.name, bytes: file.size, kind: sourceKindOf(head) },
    clientIp(request),
  );
  if (!queued.ok) return data({ message: queued.message }, { status: queued.status });
  throw redirect(`/certification/sync/${queued.id}`);
}

export default function CertificateSync() {
  const { region, regions, jobs, maxMb } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <h1>证书数据同步</h1>
      <p className="muted">
        按区域载入发证机关的证书数据（特种作业操作证电子证照、主要负责人和安全生产管理人员考核合格证），按身份证号码与辖区内各企业的人员名册匹配。
        文件在后台分批处理，可随时离开本页；重复载入同一文件不会改变任何数据。
      </p>
      <section className="card">
        <Form method="get" className="inline-form">
          <label>
            区域{" "}
            <select name="regionId" defaultValue={region.id}>
              {regions.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">切换</button>
        </Form>
        <Form method="post" encType="multipart/form-data" action={`?regionId=${region.id}`} className="sync-upload">
          <p>
            载入到：<strong>{region.name}</strong>
          </p>
          <label>
            证书数据文件（CSV 或 .xlsx，最大 {maxMb} MB）
            <input type="file" name="file" accept=".csv,.xlsx,text/csv" required />
          </label>
          <button type="submit" disabled={busy}>
            {busy ? "正在上传…" : "上传并开始同步"}
          </button>
          {result && "message" in result ? (
            <p className="error" role="alert">
              {result.message}
            </p>
          ) : null}
        </Form>
        <p className="small muted">
          第 1 行为列名：{SYNC_COLUMNS.join("、")}
          （也接受「证件号码」「操作项目」「行业类别」「人员类型」等常见列名）。CSV 可为 UTF-8 或 GB18030 编码。
        </p>
      </section>
      <section className="card">
        <h2>同步记录</h2>
        {jobs.length === 0 ? (
          <p className="muted">尚无同步记录。</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="sync-jobs">
              <thead>
                <tr>
                  <th>编号</th>
                  <th>区域</th>
                  <th>文件</th>
                  <th>状态</th>
                  <th>已处理行</th>
                  <th>新增</th>
                  <th>更新</th>
                  <th>未变</th>
                  <th>未匹配</th>
                  <th>冲突</th>
                  <th>有误</th>
                  <th>提交</th>
                </tr>
              </thead>
              <tbody>
                {jobs.map((j) => (
                  <tr key={j.id}>
                    <td>
                      <Link to={`/certification/sync/${j.id}`}>#{j.id}</Link>
                    </td>
                    <td>{j.region_name}</td>
                    <td>{j.file_name}</td>
                    <td>{STATUS[j.status]}</td>
                    <td>{j.rows_done}</td>
                    <td>{j.inserted}</td>
                    <td>{j.updated}</td>
                    <td>{j.unchanged}</td>
                    <td>{j.unmatched}</td>
                    <td>{j.conflicts}</td>
                    <td>{j.invalid}</td>
                    <td className="small">
                      {formatInstant(j.created_at)} {j.created_by_name}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
