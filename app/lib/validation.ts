import { z } from "zod";

// Chinese fallback messages for every schema; fields that people fill in carry their own clearer message.
z.config(z.locales.zhCN());
// In the browser, no `new Function` (zod's JIT probes for it): the Content-Security-Policy forbids eval and Chromium
// reports each probe as a violation. The server keeps the faster JIT.
if (typeof document !== "undefined") z.config({ jitless: true });

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

/**
 * Bounds on a submitted form, so that no request can make parsing expensive (docs/security.md): how many fields,
 * how often one name repeats, how long a name is, and for dotted names (`rules.0.type`) how deep they nest and how
 * large an array index may be. Every bound is checked while reading, in one linear pass.
 */
export const FORM_LIMITS = { maxFields: 2000, maxRepeats: 500, maxNameLength: 100, maxDepth: 4, maxIndex: 199 };
export type FormLimits = typeof FORM_LIMITS;

/** A form outside FORM_LIMITS; `message` is shown to the person (Chinese). */
export class FormLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FormLimitError";
  }
}

/**
 * FormData as a plain object; repeated names become arrays (appended in place: linear in the number of fields).
 * Files are left out (uploads are parsed apart). Throws FormLimitError past the limits.
 */
export function formObject(
  form: FormData | Iterable<[string, FormDataEntryValue]>,
  limits: FormLimits = FORM_LIMITS,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  let fields = 0;
  const entries = form instanceof FormData ? form.entries() : form;
  for (const [key, value] of entries) {
    if (++fields > limits.maxFields)
      throw new FormLimitError(`提交的字段过多（上限 ${limits.maxFields} 个），请刷新页面后重试。`);
    if (key.length > limits.maxNameLength) throw new FormLimitError("提交的字段名过长，请刷新页面后重试。");
    if (typeof value !== "string") continue;
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (Array.isArray(prev)) {
      if (prev.length >= limits.maxRepeats)
        throw new FormLimitError(`同一字段重复过多（上限 ${limits.maxRepeats} 次），请刷新页面后重试。`);
      prev.push(value);
    } else out[key] = [prev, value];
  }
  // A plain object again (callers and zod expect one), without a prototype walk of user-chosen keys.
  return { ...out };
}

/** Years a typed or imported date may fall in: wide enough for birth and hire dates and certificate validity. */
export const DATE_RANGE = { minYear: 1900, maxYear: 2099 };

/** Whether YYYY-MM-DD names a day that exists (30 February does not; Date would roll it over to 2 March). */
export function realDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d); // not Date.UTC, which reads years 0–99 as 1900–1999
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/**
 * The one date schema for every typed or imported date: YYYY-MM-DD, a day that exists, within DATE_RANGE, each
 * refusal in words a person understands.
 */
export const strictDate = (label: string) =>
  z
    .string({ error: `请填写${label}，如 2026-03-01` })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label}格式应为 年-月-日，如 2026-03-01`)
    .refine(realDate, `${label}不是实际存在的日期（例如 2 月没有 30 日）`)
    .refine((v) => {
      const y = Number(v.slice(0, 4));
      return y >= DATE_RANGE.minYear && y <= DATE_RANGE.maxYear;
    }, `${label}须在 ${DATE_RANGE.minYear} 年至 ${DATE_RANGE.maxYear} 年之间`);

/** strictDate, where an empty field means "not given". */
export const optionalStrictDate = (label: string) =>
  z.preprocess(
    (v) => (v === undefined || (typeof v === "string" && v.trim() === "") ? undefined : v),
    strictDate(label).optional(),
  );

/** A local date and time as a datetime-local input sends it (YYYY-MM-DDTHH:mm), with a real date in DATE_RANGE. */
export const strictDateTime = (label: string) =>
  z
    .string({ error: `请填写${label}` })
    .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, `请填写${label}，如 2026-03-01 09:00`)
    .refine((v) => realDate(v.slice(0, 10)), `${label}不是实际存在的日期（例如 2 月没有 30 日）`)
    .refine((v) => {
      const y = Number(v.slice(0, 4));
      return y >= DATE_RANGE.minYear && y <= DATE_RANGE.maxYear;
    }, `${label}须在 ${DATE_RANGE.minYear} 年至 ${DATE_RANGE.maxYear} 年之间`);

/** Empty form strings mean "not given". */
export const optionalText = (max: number, message?: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
    z
      .string()
      .max(max, message ?? `不能超过 ${max} 个字`)
      .optional(),
  );

export const requiredText = (label: string, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z
      .string({ error: `请填写${label}` })
      .min(1, `请填写${label}`)
      .max(max, `${label}不能超过 ${max} 个字`),
  );

export const idParam = z.coerce.number({ error: "编号无效" }).int("编号无效").positive("编号无效");

const INDEX = /^(0|[1-9]\d{0,8})$/;
const FORBIDDEN_PARTS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Form fields named like `rules.0.type` as nested objects and arrays (for repeated field groups). Bounded: at most
 * `maxDepth` parts to a name and array indices up to `maxIndex`, else FormLimitError. Arrays are built from the
 * indices present, in order, so holes left by removed rows close up without ever allocating up to an index.
 */
export function nestedForm(
  flat: Record<string, string | string[]>,
  limits: FormLimits = FORM_LIMITS,
): Record<string, unknown> {
  type Node = { obj: Record<string, unknown>; idx: Map<number, unknown> | null };
  const root: Node = { obj: Object.create(null), idx: null };
  const child = (node: Node, part: string, asArray: boolean): Node => {
    const key = node.idx ? Number(part) : part;
    const existing = node.idx ? node.idx.get(key as number) : node.obj[part];
    if (existing && typeof existing === "object" && "obj" in (existing as object)) return existing as Node;
    const made: Node = { obj: Object.create(null), idx: asArray ? new Map() : null };
    if (node.idx) node.idx.set(key as number, made);
    else node.obj[part] = made;
    return made;
  };
  for (const [name, value] of Object.entries(flat)) {
    const parts = name.split(".");
    if (parts.length > limits.maxDepth) throw new FormLimitError("提交的字段层级过深，请刷新页面后重试。");
    if (parts.some((p) => FORBIDDEN_PARTS.has(p))) continue;
    let node = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (node.idx) {
        if (!INDEX.test(part) || Number(part) > limits.maxIndex)
          throw new FormLimitError(`提交的行号无效（最多 ${limits.maxIndex + 1} 行），请刷新页面后重试。`);
      }
      if (i === parts.length - 1) {
        if (node.idx) node.idx.set(Number(part), value);
        else node.obj[part] = value;
      } else {
        const next = parts[i + 1];
        node = child(node, part, /^\d+$/.test(next));
      }
    }
  }
  const plain = (v: unknown): unknown => {
    if (!v || typeof v !== "object" || !("obj" in (v as object))) return v;
    const n = v as Node;
    if (n.idx) return [...n.idx.entries()].sort((a, b) => a[0] - b[0]).map(([, x]) => plain(x));
    return Object.fromEntries(Object.entries(n.obj).map(([k, x]) => [k, plain(x)]));
  };
  return plain(root) as Record<string, unknown>;
}

/** A form field carrying JSON (a checked batch sent back by a preview page), parsed then checked by `inner`. */
export function jsonField<S extends z.ZodType>(inner: S) {
  return z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "导入数据已损坏，请重新上传文件。" });
        return z.NEVER;
      }
    })
    .pipe(inner);
}
