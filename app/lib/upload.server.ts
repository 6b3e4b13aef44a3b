import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type UploadHandler,
} from "@remix-run/node";
import { FORM_LIMITS } from "./validation";
import { checkZip, looksLikeZip } from "./zip-guard.server";

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

class TooManyParts extends Error {}

/** Limits of one multipart upload: the largest file, the whole body, and what to say when a file is too large. */
export type UploadLimits = { maxFileBytes?: number; maxBodyBytes?: number; tooLarge?: string };

/** The request's body cut off (an error in the stream) once more than `max` bytes have arrived. */
function boundedStream(body: ReadableStream<Uint8Array>, max: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > max) controller.error(new BodyTooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
}

class BodyTooLarge extends Error {}

/**
 * Parse a multipart form with files held in memory up to a size limit; a larger file is a clear 413, and so is a form
 * of more parts than any page sends (FORM_LIMITS.maxFields). The body is counted while it streams: past
 * `maxBodyBytes` reading stops (413), whatever the declared length said, so nothing is buffered without bound.
 */
export async function readUpload(
  request: Request,
  limits: UploadLimits = {},
): Promise<{ ok: true; form: FormData } | { ok: false; status: 400 | 413; message: string }> {
  const maxFile = limits.maxFileBytes ?? MAX_UPLOAD_BYTES;
  const maxBody = limits.maxBodyBytes ?? maxFile + 64 * 1024;
  const tooLarge =
    limits.tooLarge ??
    `文件过大，上限为 ${maxFile >= 1024 * 1024 ? `${Math.round(maxFile / 1024 / 1024)} MB` : `${Math.round(maxFile / 1024)} KB`}。`;
  // A declared length past one file and its form is refused before a byte is parsed.
  if (Number(request.headers.get("content-length") ?? 0) > maxBody)
    return { ok: false, status: 413, message: tooLarge };
  const memory = unstable_createMemoryUploadHandler({ maxPartSize: maxFile });
  let parts = 0;
  const counted: UploadHandler = (part) => {
    if (++parts > FORM_LIMITS.maxFields) throw new TooManyParts();
    return memory(part);
  };
  const bounded = request.body
    ? new Request(request.url, {
        method: request.method,
        headers: request.headers,
        body: boundedStream(request.body, maxBody),
        duplex: "half",
      } as RequestInit)
    : request;
  try {
    const form = await unstable_parseMultipartFormData(bounded, counted);
    return { ok: true, form };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError || error instanceof BodyTooLarge)
      return { ok: false, status: 413, message: tooLarge };
    if (error instanceof TooManyParts)
      return { ok: false, status: 413, message: `提交的字段过多（上限 ${FORM_LIMITS.maxFields} 个）。` };
    return { ok: false, status: 400, message: "上传的内容无法读取，请重新选择文件。" };
  }
}

export const isUpload = (request: Request) =>
  (request.headers.get("content-type") ?? "").startsWith("multipart/form-data");

/** The uploaded file of a multipart form (and the form), or why there is none, in Chinese. */
export async function readUploadedFile(
  request: Request,
  missing = "请选择要上传的文件。",
): Promise<{ ok: true; file: File; form: FormData } | { ok: false; status: 400 | 413 | 422; message: string }> {
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
