import { pageLink } from "~/lib/paging";
import { Link } from "@remix-run/react";
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
export function Field({
  name,
  label,
  errors,
  hint,
  children,
  type = "text",
  defaultValue,
  required,
  autoComplete,
  inputMode,
}: FieldProps) {
  const id = `f-${name}`;
  const error = errors?.[name];
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  const a11y = { id, name, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy };
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? (
          <span aria-hidden="true" className="muted">
            {" "}
            *
          </span>
        ) : null}
      </label>
      {children ? (
        children(a11y)
      ) : (
        <input
          {...a11y}
          type={type}
          defaultValue={defaultValue ?? undefined}
          required={required}
          autoComplete={autoComplete}
          inputMode={inputMode}
        />
      )}
      {hint ? (
        <div id={`${id}-hint`} className="hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <div id={`${id}-error`} className="error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}

export function FormError({ message }: { message?: string }) {
  return message ? (
    <div className="form-error" role="alert">
      {message}
    </div>
  ) : null;
}

/** Keyset pages (`next`/`prev` keys, app/lib/paging.ts); the drill-compliance list still pages by number. */
export function Pager(
  props: { search: URLSearchParams } & (
    { next: string | null; prev: string | null } | { page: number; hasMore: boolean }
  ),
) {
  const { search } = props;
  const numbered = (p: number) => {
    const s = new URLSearchParams(search);
    s.set("page", String(p));
    return `?${s.toString()}`;
  };
  const [prev, next] =
    "page" in props
      ? [props.page > 1 ? numbered(props.page - 1) : null, props.hasMore ? numbered(props.page + 1) : null]
      : [
          props.prev ? pageLink(search, "before", props.prev) : null,
          props.next ? pageLink(search, "after", props.next) : null,
        ];
  if (!prev && !next) return null;
  return (
    <nav className="pager" aria-label="分页">
      {prev ? <Link to={prev}>上一页</Link> : <span className="muted">已是第一页</span>}
      {next ? <Link to={next}>下一页</Link> : <span className="muted">已是最后一页</span>}
    </nav>
  );
}
