import { Form } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Field, FormError } from "~/components/form";
import { POST_LABELS, POSTS, ROLE_LABELS } from "~/modules/org/labels";
import { EVALUATION_FORM_LABELS, EVALUATION_FORMS } from "../evaluation-forms";
import type { PlanType } from "../rules";
import type { Post, Role } from "../../../../db/types";
import { FORM_LABELS, MODE_LABELS, PLAN_TYPE_LABELS } from "../labels";

const INJECT_ROWS = 4;

export interface DrillFormProps {
  plan: { id: number; title: string; type: PlanType };
  evaluators: { id: string; display_name: string; role: Role }[];
  people: { id: number; name: string; post: Post }[];
  /** Submitted (or stored) values; null on a blank form. */
  values: Record<string, string | string[]> | null;
  errors?: Record<string, string>;
  formError?: string;
  submitLabel: string;
}

/** The planning form of a drill, blank or filled with a planned drill to change it. */
export function DrillForm({ plan, evaluators, people, values, errors, formError, submitLabel }: DrillFormProps) {
  const v = values ?? {};
  const injectRows = Math.max(INJECT_ROWS, Object.keys(v).filter((k) => /^injects\.\d+\.title$/.test(k)).length + 1);
  const [mode, setMode] = useState((v.mode as string) || "scripted");
  const chosen = (name: string) => new Set([v[name]].flat().filter(Boolean) as string[]);
  const chosenPeople = chosen("participants");
  const chosenEvaluators = chosen("evaluators");
  const chosenControllers = chosen("controllers");
  return (
    <>
      <p className="muted">
        {PLAN_TYPE_LABELS[plan.type]}：{plan.title}
      </p>
      <Form method="post" className="stack card" noValidate>
        <FormError message={formError} />
        <input type="hidden" name="planId" value={plan.id} />
        <Field name="title" label="演练名称" errors={errors} required defaultValue={v.title as string} />
        <Field name="form" label="演练形式" errors={errors} required>
          {(a) => (
            <select {...a} defaultValue={(v.form as string) ?? "live"}>
              {Object.entries(FORM_LABELS).map(([k, l]) => (
                <option key={k} value={k}>
                  {l}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="evaluationForm" label="评估表" errors={errors} required>
          {(a) => (
            <select {...a} defaultValue={(v.evaluationForm as string) ?? "aqt9009"}>
              {EVALUATION_FORMS.map((k) => (
                <option key={k} value={k}>
                  {EVALUATION_FORM_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset>
          <legend>演练方式</legend>
          {Object.entries(MODE_LABELS).map(([k, l]) => (
            <label key={k} className="choice">
              <input type="radio" name="mode" value={k} checked={mode === k} onChange={() => setMode(k)} /> {l}
            </label>
          ))}
          <p className="hint">
            无脚本：参演人员知道时间，不提供脚本。双盲：参演人员事先不知道时间和情景；情景、注入和计划开始时间只有组织者和评估人员可见，直到演练开始。
          </p>
          {errors?.mode ? (
            <div className="error" role="alert">
              {errors.mode}
            </div>
          ) : null}
        </fieldset>
        {mode === "double_blind" ? (
          <label className="choice">
            <input
              type="checkbox"
              name="announceWindow"
              value="1"
              defaultChecked={values ? v.announceWindow !== undefined : false}
            />{" "}
            向参演人员预告时间窗（只显示“将在此时间窗内开展演练”）。默认不预告：双盲演练开始前对本企业人员完全不可见
          </label>
        ) : null}
        <Field
          name="windowStart"
          label={mode === "double_blind" ? "时间窗开始" : "开始时间"}
          type="datetime-local"
          errors={errors}
          required
          defaultValue={v.windowStart as string}
        />
        <Field
          name="windowEnd"
          label={mode === "double_blind" ? "时间窗结束" : "预计结束时间"}
          type="datetime-local"
          errors={errors}
          required
          defaultValue={v.windowEnd as string}
        />
        <div className="sealed">
          <p className="small">
            <strong>以下内容{mode === "scripted" ? "" : "在演练开始前对参演人员保密"}</strong>
          </p>
          {mode === "double_blind" ? (
            <Field
              name="plannedStart"
              label="计划开始时间（保密）"
              type="datetime-local"
              errors={errors}
              required
              defaultValue={v.plannedStart as string}
            />
          ) : null}
          <Field name="objectives" label="演练目标" errors={errors} required>
            {(a) => <textarea {...a} rows={3} defaultValue={v.objectives as string} />}
          </Field>
          <Field name="scenario" label="演练情景" errors={errors} required>
            {(a) => <textarea {...a} rows={5} defaultValue={v.scenario as string} />}
          </Field>
          <fieldset>
            <legend>情景注入（可选）</legend>
            {Array.from({ length: injectRows }, (_, i) => (
              <div key={i} className="grid">
                <Field
                  name={`injects.${i}.title`}
                  label={`注入 ${i + 1} 标题`}
                  errors={errors}
                  defaultValue={v[`injects.${i}.title`] as string}
                />
                <Field
                  name={`injects.${i}.body`}
                  label="内容"
                  errors={errors}
                  defaultValue={v[`injects.${i}.body`] as string}
                />
                <Field
                  name={`injects.${i}.offsetMinutes`}
                  label="开始后第几分钟发布（留空手动发布）"
                  errors={errors}
                  inputMode="numeric"
                  defaultValue={v[`injects.${i}.offsetMinutes`] as string}
                />
              </div>
            ))}
          </fieldset>
        </div>
        <fieldset>
          <legend>评估人员（至少一名，组织者不能兼任）</legend>
          {evaluators.length === 0 ? (
            <p className="muted">本企业和属地监管部门暂无可选的账号。</p>
          ) : (
            evaluators.map((e) => (
              <label key={e.id} className="choice">
                <input type="checkbox" name="evaluators" value={e.id} defaultChecked={chosenEvaluators.has(e.id)} />{" "}
                {e.display_name}
                <span className="small muted">（{ROLE_LABELS[e.role]}）</span>
              </label>
            ))
          )}
          {errors?.evaluators ? (
            <div className="error" role="alert">
              {errors.evaluators}
            </div>
          ) : null}
        </fieldset>
        <fieldset>
          <legend>导调人员（可选：与组织者、评估人员一起记录演练过程；参演人员不能记录）</legend>
          {evaluators.map((e) => (
            <label key={e.id} className="choice">
              <input type="checkbox" name="controllers" value={e.id} defaultChecked={chosenControllers.has(e.id)} />{" "}
              {e.display_name}
              <span className="small muted">（{ROLE_LABELS[e.role]}）</span>
            </label>
          ))}
          {errors?.controllers ? (
            <div className="error" role="alert">
              {errors.controllers}
            </div>
          ) : null}
        </fieldset>
        <Participants people={people} chosen={chosenPeople} chosenPosts={chosen("participantPosts")} errors={errors} />
        <Field
          name="teams"
          label="参演队伍"
          errors={errors}
          hint="如：企业专职消防队、罐区班组"
          defaultValue={v.teams as string}
        />
        <button type="submit">{submitLabel}</button>
      </Form>
    </>
  );
}

/**
 * Participants chosen one by one, by post (all 特种作业人员 at once) or all together. Without JavaScript a checked post
 * (or 全体人员) is sent as `participantPosts` and the server takes every active person of it; once the page runs, the
 * post boxes tick and clear the people's boxes instead, so what is sent is exactly the people ticked.
 */
function Participants({
  people,
  chosen,
  chosenPosts,
  errors,
}: {
  people: DrillFormProps["people"];
  chosen: Set<string>;
  chosenPosts: Set<string>;
  errors?: Record<string, string>;
}) {
  const [live, setLive] = useState(false);
  const [picked, setPicked] = useState(chosen);
  useEffect(() => setLive(true), []);
  const groups = POSTS.map((post) => ({ post, people: people.filter((p) => p.post === post) })).filter(
    (g) => g.people.length > 0,
  );
  const all = (ids: string[]) => ids.length > 0 && ids.every((id) => picked.has(id));
  const set = (ids: string[], on: boolean) =>
    setPicked((cur) => {
      const next = new Set(cur);
      for (const id of ids)
        if (on) next.add(id);
        else next.delete(id);
      return next;
    });
  const everyone = people.map((p) => String(p.id));
  return (
    <fieldset className="participants">
      <legend>参演人员</legend>
      <div className="participant-tools">
        <label className="choice">
          <input
            type="checkbox"
            name={live ? undefined : "participantPosts"}
            value="all"
            checked={live ? all(everyone) : chosenPosts.has("all")}
            onChange={(e) => set(everyone, e.target.checked)}
          />{" "}
          全体人员（{people.length} 人）
        </label>
        {live ? (
          <button type="button" className="secondary" onClick={() => setPicked(new Set())}>
            清空
          </button>
        ) : null}
        <span className="small muted" data-testid="participant-count">
          {live ? `已选 ${picked.size} 人` : "勾选岗位即选中该岗位的全部在岗人员"}
        </span>
      </div>
      <div className="post-groups">
        {groups.map((g) => {
          const ids = g.people.map((p) => String(p.id));
          return (
            <fieldset key={g.post} className="post-group">
              <legend>
                <label>
                  <input
                    type="checkbox"
                    name={live ? undefined : "participantPosts"}
                    value={g.post}
                    checked={live ? all(ids) : chosenPosts.has(g.post)}
                    onChange={(e) => set(ids, e.target.checked)}
                  />{" "}
                  全部{POST_LABELS[g.post]}（{g.people.length} 人）
                </label>
              </legend>
              <div className="checklist">
                {g.people.map((p) => (
                  <label key={p.id} className="choice">
                    <input
                      type="checkbox"
                      name="participants"
                      value={p.id}
                      checked={picked.has(String(p.id))}
                      onChange={(e) => set([String(p.id)], e.target.checked)}
                    />{" "}
                    {p.name}
                  </label>
                ))}
              </div>
            </fieldset>
          );
        })}
      </div>
      {errors?.participants ? (
        <div className="error" role="alert">
          {errors.participants}
        </div>
      ) : null}
    </fieldset>
  );
}
