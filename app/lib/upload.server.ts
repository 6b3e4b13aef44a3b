import {
  MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, type UploadHandler,
} from "@remix-run/node";
import { FORM_LIMITS } from "./validation";
import { checkZip, looksLikeZip } from "./zip-guard.server";

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

class TooManyParts extends Error {}

/**
 * Parse a multipart form with files held in memory up to a size limit; a larger file is a clear 413, and so is a form
 * of more parts than any page sends (FORM_LIMITS.maxFields).
 */
export async function readUpload(request: Request):
  Promise<{ ok: true; form: FormData } | { ok: false; status: 400 | 413; message: string }> {
  // A declared length past one file and its form is refused before a byte is parsed.
  if (Number(request.headers.get("content-length") ?? 0) > MAX_UPLOAD_BYTES + 64 * 1024) {
    return { ok: false, status: 413, message: `文件过大，上限为 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB。` };
  }
  const memory = unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES });
  let parts = 0;
  const counted: UploadHandler = (part) => {
    if (++parts > FORM_LIMITS.maxFields) throw new TooManyParts();
    return memory(part);
  };
  try {
    const form = await unstable_parseMultipartFormData(request, counted);
    return { ok: true, form };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      return { ok: false, status: 413, message: `文件过大，上限为 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB。` };
    }
    if (error instanceof TooManyParts) return { ok: false, status: 413, message: `提交的字段过多（上限 ${FORM_LIMITS.maxFields} 个）。` };
    return { ok: false, status: 400, message: "上传的内容无法读取，请重新选择文件。" };
  }
}

export const isUpload = (request: Request) => (request.headers.get("content-type") ?? "").startsWith("multipart/form-data");

/** The uploaded file of a multipart form (and the form), or why there is none, in Chinese. */
export async function readUploadedFile(request: Request, missing = "请选择要上传的文件。"):
  Promise<{ ok: true; file: File; form: FormData } | { ok: false; status: 400 | 413 | 422; message: string }> {
  const upload = await readUpload(request);
  if (!upload.ok) return upload;
  const file = upload.form.get("file");
  if (!(file instanceof File) || file.size === 0) return { ok: false, status: 422, message: missing };
  // A spreadsheet (any zip) is checked before a parser opens it: entry count and inflated size (zip-guard.server.ts).
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  if (looksLikeZip(head)) {
    const zip = await checkZip(new Uint8Array(await file.arrayBuffer()));
    if (!zip.ok) return zip;
  }
  return { ok: true, file, form: upload.form };
}
