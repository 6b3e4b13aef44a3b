import { data } from "@remix-run/node";
import { formObject, nestedForm, parseInput, type FieldErrors } from "./validation";
import type { z } from "zod";

export type FormValues = Record<string, string | string[]>;
export type ActionFailure = { ok: false; fieldErrors: FieldErrors; formError?: string; values?: FormValues };

/** Answer bad input with 422 and the messages to show next to each field. */
export function invalid(fieldErrors: FieldErrors, formError?: string, values?: FormValues) {
  return data<ActionFailure>({ ok: false, fieldErrors, formError, values }, { status: 422 });
}

/**
 * Read a submitted form and check it; returns the data or a ready 422 response. With `nested`, fields named like
 * `injects.0.title` reach the schema as arrays and objects.
 */
export async function readForm<S extends z.ZodType>(request: Request, schema: S, options: { nested?: boolean } = {}):
  Promise<{ ok: true; data: z.output<S>; values: FormValues } | { ok: false; response: ReturnType<typeof invalid> }> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return { ok: false, response: invalid({}, "提交的内容无法读取，请刷新页面后重试。") };
  }
  const values = formObject(form);
  const parsed = parseInput(schema, options.nested ? nestedForm(values) : values);
  if (!parsed.ok) return { ok: false, response: invalid(parsed.fieldErrors, parsed.formError ?? "请更正标出的内容后再提交。", values) };
  return { ok: true, data: parsed.data, values };
}
