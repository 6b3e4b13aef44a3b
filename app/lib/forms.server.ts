import { data } from "@remix-run/node";
import { httpError } from "./http";
import { CORRECT_MARKED, type Refusal } from "./result";
import {
  FORM_LIMITS,
  FormLimitError,
  formObject,
  nestedForm,
  parseInput,
  type FieldErrors,
  type FormLimits,
} from "./validation";
import type { z } from "zod";

export type FormValues = Record<string, string | string[]>;
export type ActionFailure = { ok: false; fieldErrors: FieldErrors; formError?: string; values?: FormValues };

/**
 * The one place a module's refusal becomes a form's answer: its status, the message over the form, and by the input
 * it is about. Several inputs at once get the usual banner above their own messages.
 */
export function refused(r: Refusal, values?: FormValues) {
  const fieldErrors = r.fieldErrors ?? (r.field ? { [r.field]: r.message } : {});
  return data<ActionFailure>(
    { ok: false, fieldErrors, formError: r.fieldErrors ? CORRECT_MARKED : r.message, values },
    { status: r.status },
  );
}

/** Answer bad input with 422 and the messages to show next to each field. */
export function invalid(fieldErrors: FieldErrors, formError?: string, values?: FormValues) {
  return data<ActionFailure>({ ok: false, fieldErrors, formError, values }, { status: 422 });
}

/** Largest ordinary form body (forms that carry a checked import batch pass a larger `maxBytes`). */
export const FORM_MAX_BYTES = 1024 * 1024;
/** A checked import batch sent back from a preview page (thousands of rows as JSON). */
export const IMPORT_BATCH_BYTES = 8 * 1024 * 1024;
/** Forms of a few short fields that anyone may post (login, quiz join). */
export const SMALL_FORM_BYTES = 8 * 1024;

export type ReadLimits = { maxBytes?: number; limits?: FormLimits };

const tooLarge = (maxBytes: number) =>
  httpError(
    413,
    `提交的内容过大（上限 ${maxBytes >= 1024 * 1024 ? `${Math.round(maxBytes / 1024 / 1024)} MB` : `${Math.round(maxBytes / 1024)} KB`}），请刷新页面后重试。`,
  );

/** The body's bytes, refused with 413 as soon as it passes `maxBytes` (a declared length is refused before reading). */
async function boundedBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) tooLarge(maxBytes);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** How often `needle` occurs in `haystack`, stopping once it passes `max`. */
function countUpTo(haystack: Uint8Array, needle: Buffer, max: number): number {
  const buf = Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength);
  let count = 0;
  for (let at = buf.indexOf(needle); at !== -1 && count <= max; at = buf.indexOf(needle, at + needle.length)) count++;
  return count;
}

/**
 * A request's form, read within bounds: the body is cut off past `maxBytes` (413), and the fields are counted on
 * the raw bytes before anything is parsed, since the platform's own parser costs far more per field than a count.
 * Use this instead of `request.formData()` for every form that is not a file upload (uploads: upload.server.ts).
 */
export async function readFormData(
  request: Request,
  { maxBytes = FORM_MAX_BYTES, limits = FORM_LIMITS }: ReadLimits = {},
): Promise<FormData> {
  const body = await boundedBody(request, maxBytes);
  if (body.byteLength === 0) return new FormData();
  const type = request.headers.get("content-type") ?? "";
  const tooMany = () => httpError(413, `提交的字段过多（上限 ${limits.maxFields} 个），请刷新页面后重试。`);
  if (type.startsWith("application/x-www-form-urlencoded")) {
    if (countUpTo(body, Buffer.from("&"), limits.maxFields) >= limits.maxFields) tooMany();
    const form = new FormData();
    for (const [k, v] of new URLSearchParams(
      Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8"),
    ))
      form.append(k, v);
    return form;
  }
  if (type.startsWith("multipart/form-data")) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
    if (!boundary) httpError(400, "提交的内容无法读取，请刷新页面后重试。");
    if (countUpTo(body, Buffer.from(`--${boundary[1] ?? boundary[2]}`), limits.maxFields + 1) > limits.maxFields + 1)
      tooMany();
  }
  try {
    return await new Request(request.url, {
      method: "POST",
      headers: { "content-type": type },
      body: new Blob([body as Uint8Array<ArrayBuffer>]),
    }).formData();
  } catch {
    httpError(400, "提交的内容无法读取，请刷新页面后重试。");
  }
}

/** formObject() of a form already read (an upload's), past the limits a 413 with a Chinese message. */
export function fieldsOf(form: FormData, limits: FormLimits = FORM_LIMITS): Record<string, string | string[]> {
  try {
    return formObject(form, limits);
  } catch (error) {
    if (error instanceof FormLimitError) httpError(413, error.message);
    throw error;
  }
}

/** A bounded form as a plain object (formObject of readFormData); past the limits a 413 with a Chinese message. */
export async function readFields(
  request: Request,
  options: ReadLimits = {},
): Promise<Record<string, string | string[]>> {
  return fieldsOf(await readFormData(request, options), options.limits);
}

/**
 * Read a submitted form and check it; returns the data or a ready 422 response. With `nested`, fields named like
 * `injects.0.title` reach the schema as arrays and objects.
 */
export async function readForm<S extends z.ZodType>(
  request: Request,
  schema: S,
  options: { nested?: boolean } & ReadLimits = {},
): Promise<{ ok: true; data: z.output<S>; values: FormValues } | { ok: false; response: ReturnType<typeof invalid> }> {
  const values = await readFields(request, options);
  let shaped: unknown;
  try {
    shaped = options.nested ? nestedForm(values, options.limits) : values;
  } catch (error) {
    if (error instanceof FormLimitError) httpError(413, error.message);
    throw error;
  }
  const parsed = parseInput(schema, shaped);
  if (!parsed.ok)
    return {
      ok: false,
      response: invalid(parsed.fieldErrors, parsed.formError ?? CORRECT_MARKED, values),
    };
  return { ok: true, data: parsed.data, values };
}
