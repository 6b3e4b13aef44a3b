import { Form } from "@remix-run/react";
import { TEAM_KIND_LABELS, TEAM_KINDS } from "../rules";

type V = Record<string, unknown>;

export function TeamForm({
  values,
  regions,
  errors,
  formError,
  submitLabel,
}: {
  values: V;
  regions: { id: number; label: string }[];
  errors?: Record<string, string>;
  formError?: string;
  submitLabel: string;
}) {
  const f = (name: string, label: string, input: JSX.Element, hint?: string) => (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      {input}
      {hint ? <div className="hint">{hint}</div> : null}
      {errors?.[name] ? (
        <div className="error" id={`${name}-error`}>
          {errors[name]}
        </div>
      ) : null}
    </div>
  );
  const bad = (n: string) => (errors?.[n] ? true : undefined);
  return (
    <Form method="post">
      {formError ? (
        <p className="form-error" role="alert">
          {formError}
        </p>
      ) : null}
      <input type="hidden" name="intent" value="team" />
      {f(
        "name",
        "队伍名称",
        <input
          id="name"
          name="name"
          defaultValue={String(values.name ?? "")}
          aria-invalid={bad("name")}
          required
          maxLength={100}
        />,
      )}
      {f(
        "kind",
        "队伍类型",
        <select id="kind" name="kind" defaultValue={String(values.kind ?? "")} aria-invalid={bad("kind")}>
          <option value="">请选择</option>
          {TEAM_KINDS.map((k) => (
            <option key={k} value={k}>
              {TEAM_KIND_LABELS[k]}
            </option>
          ))}
        </select>,
      )}
      {f(
        "regionId",
        "所在区域",
        <select
          id="regionId"
          name="regionId"
          defaultValue={String(values.region_id ?? values.regionId ?? "")}
          aria-invalid={bad("regionId")}
        >
          <option value="">请选择</option>
          {regions.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </select>,
      )}
      <div className="grid">
        {f(
          "standardMinutes",
          "集结时限（分钟）",
          <input
            id="standardMinutes"
            name="standardMinutes"
            type="number"
            min={1}
            defaultValue={String(values.standard_minutes ?? values.standardMinutes ?? 30)}
          />,
        )}
        {f(
          "requiredStrength",
          "应到人数",
          <input
            id="requiredStrength"
            name="requiredStrength"
            type="number"
            min={1}
            defaultValue={String(values.required_strength ?? values.requiredStrength ?? 10)}
          />,
          "时限内须到达集结点的人数",
        )}
        {f(
          "firstN",
          "先遣人数",
          <input
            id="firstN"
            name="firstN"
            type="number"
            min={1}
            defaultValue={String(values.first_n ?? values.firstN ?? 3)}
          />,
          "统计最先到达的若干人的用时",
        )}
      </div>
      {f(
        "equipment",
        "装备清单",
        <textarea id="equipment" name="equipment" rows={4} defaultValue={String(values.equipment ?? "")} />,
        "每行一项，如：救援车 2 辆、破拆工具组 1 套",
      )}
      <div className="actions">
        <button type="submit">{submitLabel}</button>
      </div>
    </Form>
  );
}
