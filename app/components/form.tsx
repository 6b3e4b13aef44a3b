import type { ReactNode } from "react";

export type FieldErrors = Record<string, string> | undefined;

interface FieldProps {
  name: string;
  label: string;
  errors?: FieldErrors;
  hint?: string;
  children?: (props: { id: string; name: string; "aria-invalid"?: boolean; "aria-describedby"?: string }) => ReactNode;
  type?: string;
  defaultValue?: string | number | null;
  required?: boolean;
  autoComplete?: string;
  inputMode?: "text" | "numeric" | "tel";
}

/** A labelled input with its error right under it, wired for screen readers. */
export function Field({ name, label, errors, hint, children, type = "text", defaultValue, required, autoComplete, inputMode }: FieldProps) {
  const id = `f-${name}`;
  const error = errors?.[name];
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  const a11y = { id, name, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy };
  return (
    <div className="field">
      <label htmlFor={id}>{label}{required ? <span aria-hidden="true" className="muted"> *</span> : null}</label>
      {children ? children(a11y) : (
        <input {...a11y} type={type} defaultValue={defaultValue ?? undefined} required={required} autoComplete={autoComplete} inputMode={inputMode} />
      )}
      {hint ? <div id={`${id}-hint`} className="hint">{hint}</div> : null}
      {error ? <div id={`${id}-error`} className="error" role="alert">{error}</div> : null}
    </div>
  );
}

export function FormError({ message }: { message?: string }) {
  return message ? <div className="form-error" role="alert">{message}</div> : null;
}

export function Pager({ page, hasMore, search }: { page: number; hasMore: boolean; search: URLSearchParams }) {
  const link = (p: number) => {
    const s = new URLSearchParams(search);
    s.set("page", String(p));
    return `?${s.toString()}`;
  };
  if (page === 1 && !hasMore) return null;
  return (
    <nav className="pager" aria-label="分页">
      {page > 1 ? <a href={link(page - 1)}>上一页</a> : null}
      <span className="muted">第 {page} 页</span>
      {hasMore ? <a href={link(page + 1)}>下一页</a> : null}
    </nav>
  );
}
