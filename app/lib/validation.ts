import { z } from "zod";

// Chinese fallback messages for every schema; fields that people fill in carry their own clearer message.
z.config(z.locales.zhCN());

export { z };

export type FieldErrors = Record<string, string>;

export type Parsed<T> = { ok: true; data: T } | { ok: false; fieldErrors: FieldErrors; formError?: string };

/** First message per field, keyed by the dotted path: what a form shows next to each input. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): Parsed<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors = fieldErrorsOf(result.error);
  return { ok: false, fieldErrors, formError: fieldErrors._form };
}

/** FormData as a plain object; repeated names become arrays. Files are left out (uploads are parsed apart). */
export function formObject(form: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string") continue;
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** Empty form strings mean "not given". */
export const optionalText = (max: number, message?: string) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
    z.string().max(max, message ?? `不能超过 ${max} 个字`).optional());

export const requiredText = (label: string, max: number) =>
  z.preprocess((v) => (typeof v === "string" ? v.trim() : v),
    z.string({ error: `请填写${label}` }).min(1, `请填写${label}`).max(max, `${label}不能超过 ${max} 个字`));

export const idParam = z.coerce.number({ error: "编号无效" }).int("编号无效").positive("编号无效");
