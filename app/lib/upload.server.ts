import {
  MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData,
} from "@remix-run/node";

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** Parse a multipart form with files held in memory up to a size limit; a larger file is a clear 413. */
export async function readUpload(request: Request):
  Promise<{ ok: true; form: FormData } | { ok: false; status: 400 | 413; message: string }> {
  try {
    const form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }));
    return { ok: true, form };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      return { ok: false, status: 413, message: `文件过大，上限为 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB。` };
    }
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
  return { ok: true, file, form: upload.form };
}
