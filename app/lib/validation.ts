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

/** Form fields named like `rules.0.type` as nested objects and arrays (for repeated field groups). */
export function nestedForm(flat: Record<string, string | string[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(flat)) {
    const parts = name.split(".");
    if (parts.some((p) => p === "__proto__" || p === "constructor" || p === "prototype")) continue;
    let node: Record<string, unknown> = out;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = value;
      else node = (node[part] ??= /^\d+$/.test(parts[i + 1]) ? [] : {}) as Record<string, unknown>;
    });
  }
  // Drop holes left by removed rows so arrays stay dense.
  const compact = (v: unknown): unknown =>
    Array.isArray(v) ? v.filter((x) => x !== undefined).map(compact)
      : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, compact(x)])) : v;
  return compact(out) as Record<string, unknown>;
}

/** A form field carrying JSON (a checked batch sent back by a preview page), parsed then checked by `inner`. */
export function jsonField<S extends z.ZodType>(inner: S) {
  return z.string().transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "导入数据已损坏，请重新上传文件。" });
      return z.NEVER;
    }
  }).pipe(inner);
}
