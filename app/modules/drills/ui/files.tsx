import { Form } from "@remix-run/react";
import { formatInstant } from "~/lib/calendar";
import { DRILL_FILE_KIND_LABELS, formatBytes, type DrillFileKind } from "../files";

export interface DrillFileItem {
  id: number;
  kind: DrillFileKind;
  name: string;
  size: number;
  by: string;
  at: string;
  voided: { at: string; by: string; reason: string } | null;
}

/** A drill's plan/script and task cards: name, who uploaded it and when; withdrawn ones struck through with why. */
export function DrillFileList({
  drillId,
  files,
  voidable = false,
}: {
  drillId: number;
  files: DrillFileItem[];
  voidable?: boolean;
}) {
  if (files.length === 0) return <p className="muted">尚未上传演练方案或任务卡。</p>;
  return (
    <div className="table-wrap">
      <table data-testid="drill-files">
        <thead>
          <tr>
            <th>类别</th>
            <th>文件</th>
            <th>上传</th>
            {voidable ? <th>操作</th> : null}
          </tr>
        </thead>
        <tbody>
          {files.map((f) => (
            <tr key={f.id} className={f.voided ? "voided" : undefined}>
              <td>{DRILL_FILE_KIND_LABELS[f.kind]}</td>
              <td>
                {f.voided ? (
                  <>
                    <span className="struck">{f.name}</span>
                    <div className="small">
                      已作废：{f.voided.reason}（{f.voided.by}，{formatInstant(f.voided.at)}）
                    </div>
                  </>
                ) : (
                  <a href={`/drills/${drillId}/files/${f.id}`} download>
                    {f.name}
                  </a>
                )}{" "}
                <span className="small muted">{formatBytes(f.size)}</span>
              </td>
              <td className="small">
                {f.by} · {formatInstant(f.at)}
              </td>
              {voidable ? (
                <td>
                  {f.voided ? null : (
                    <details className="small">
                      <summary>作废</summary>
                      <Form method="post" action={`/drills/${drillId}/files`} className="inline-form">
                        <input type="hidden" name="intent" value="void" />
                        <input type="hidden" name="fileId" value={f.id} />
                        <input name="reason" placeholder="作废原因，如：已更新版本" aria-label="作废原因" />
                        <button type="submit" className="danger small">
                          作废
                        </button>
                      </Form>
                    </details>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
