import { setImmediate as yieldToLoop } from "node:timers/promises";
import { Unzip, UnzipInflate, unzipSync } from "fflate";

/**
 * Bounds on a zip container (xlsx) checked before any spreadsheet library opens it: a 5 MB upload can inflate to
 * gigabytes (a zip bomb) or hold a million rows. Legitimate imports are far below these (a 10,000-row template fills
 * about 2 MB once inflated).
 */
export const ZIP_LIMITS = { maxEntries: 500, maxUncompressedBytes: 16 * 1024 * 1024 };

export type ZipCheck = { ok: true } | { ok: false; status: 413 | 422; message: string };

const tooBig = (limits: typeof ZIP_LIMITS): ZipCheck => ({
  ok: false,
  status: 413,
  message: `文件解压后过大（上限 ${Math.round(limits.maxUncompressedBytes / 1024 / 1024)} MB），请拆分后分批导入。`,
});

/**
 * Check a zip in two steps. The central directory (read by fflate without inflating anything) gives the entry
 * count and the declared sizes. Then every entry is inflated as a stream, in small slices with a turn of the event
 * loop between them, counting the bytes that really come out, so a file that lies about its sizes is caught too and
 * no slice can hold other requests up.
 */
export async function checkZip(data: Uint8Array, limits = ZIP_LIMITS): Promise<ZipCheck> {
  let entries = 0;
  let declared = 0;
  try {
    unzipSync(data, {
      filter(file) {
        entries++;
        declared += file.originalSize;
        return false;
      },
    });
  } catch {
    return { ok: false, status: 422, message: "无法读取该文件：请上传由模板填写的 .xlsx 文件。" };
  }
  if (entries > limits.maxEntries)
    return {
      ok: false,
      status: 413,
      message: `文件内部条目过多（${entries} 个，上限 ${limits.maxEntries}），不是有效的导入模板。`,
    };
  if (declared > limits.maxUncompressedBytes) return tooBig(limits);

  let inflated = 0;
  let failed: ZipCheck | null = null;
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.onfile = (file) => {
    file.ondata = (error, chunk) => {
      if (failed) return;
      if (error) failed = { ok: false, status: 422, message: "无法读取该文件：请上传由模板填写的 .xlsx 文件。" };
      else if ((inflated += chunk.length) > limits.maxUncompressedBytes) {
        failed = tooBig(limits);
        file.terminate();
      }
    };
    file.start();
  };
  const SLICE = 4096;
  try {
    for (let at = 0; at < data.length && !failed; at += SLICE) {
      unzip.push(data.subarray(at, at + SLICE), at + SLICE >= data.length);
      await yieldToLoop();
    }
  } catch {
    return failed ?? { ok: false, status: 422, message: "无法读取该文件：请上传由模板填写的 .xlsx 文件。" };
  }
  return failed ?? { ok: true };
}

/** Whether bytes start like a zip (PK\x03\x04): what an .xlsx is. */
export const looksLikeZip = (data: Uint8Array) =>
  data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;
