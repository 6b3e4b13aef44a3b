import { Form, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Field, FormError, type FieldErrors } from "~/components/form";
import { INDUSTRIES, POST_LABELS, POSTS } from "~/modules/org/labels";
import type { PaperRule } from "../draw";
import { TYPE_LABELS } from "../labels";

type Availability = { available: number; needed: number; shortFor: string[] }[];

const blankRule: PaperRule = {
  type: "single",
  count: 10,
  topic: null,
  minDifficulty: 1,
  maxDifficulty: 5,
  post: "examinee",
  industry: "enterprise",
  points: 2,
};

/** The template editor: rule rows, with the bank checked as soon as a rule changes. */
export function TemplateForm({
  template,
  topics,
  errors,
  formError,
}: {
  template?: {
    name: string;
    rules: PaperRule[];
    time_limit_minutes: number;
    pass_mark: number;
    attempts_allowed: number;
    shuffle_options: number;
    show_answers: string;
    multiple_scoring: string;
    leave_limit?: number | null;
  };
  topics: string[];
  errors?: FieldErrors;
  formError?: string;
}) {
  const [rules, setRules] = useState<PaperRule[]>(template?.rules ?? [blankRule]);
  const check = useFetcher<{ availability?: Availability }>();
  const formRef = useRef<HTMLFormElement>(null);
  const runCheck = () => {
    if (!formRef.current) return;
    const data = new FormData(formRef.current);
    data.set("intent", "check");
    check.submit(data, { method: "post" });
  };
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(runCheck, [rules.length]);
  const availability = check.data?.availability;
  const total = rules.reduce((s, r) => s + Number(r.count || 0) * Number(r.points || 0), 0);
  const update = (i: number, patch: Partial<PaperRule>) =>
    setRules(rules.map((r, j) => (i === j ? { ...r, ...patch } : r)));

  return (
    <Form method="post" className="stack" ref={formRef} onChange={runCheck} noValidate style={{ maxWidth: "100%" }}>
      <FormError message={formError} />
      <Field name="name" label="试卷名称" errors={errors} required defaultValue={template?.name ?? ""} />
      <h2>组卷规则</h2>
      {rules.map((r, i) => {
        const a = availability?.[i];
        return (
          <fieldset key={i} className="card" data-testid={`rule-${i}`}>
            <legend>规则 {i + 1}</legend>
            <div className="filters">
              <label>
                题型
                <select
                  name={`rules.${i}.type`}
                  value={r.type}
                  onChange={(e) => update(i, { type: e.target.value as PaperRule["type"] })}
                >
                  {Object.entries(TYPE_LABELS).map(([k, v]) => (
                    <option key={k} value={k}>
                      {v}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                题数
                <input
                  name={`rules.${i}.count`}
                  inputMode="numeric"
                  value={r.count}
                  onChange={(e) => update(i, { count: Number(e.target.value) || 0 })}
                />
              </label>
              <label>
                每题分值
                <input
                  name={`rules.${i}.points`}
                  inputMode="decimal"
                  value={r.points}
                  onChange={(e) => update(i, { points: Number(e.target.value) || 0 })}
                />
              </label>
              <label>
                知识点
                <select
                  name={`rules.${i}.topic`}
                  value={r.topic ?? ""}
                  onChange={(e) => update(i, { topic: e.target.value || null })}
                >
                  <option value="">任意</option>
                  {topics.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                难度从
                <select
                  name={`rules.${i}.minDifficulty`}
                  value={r.minDifficulty}
                  onChange={(e) => update(i, { minDifficulty: Number(e.target.value) })}
                >
                  {[1, 2, 3, 4, 5].map((d) => (
                    <option key={d} value={d}>
                      {d}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                到
                <select
                  name={`rules.${i}.maxDifficulty`}
                  value={r.maxDifficulty}
                  onChange={(e) => update(i, { maxDifficulty: Number(e.target.value) })}
                >
                  {[1, 2, 3, 4, 5].map((d) => (
                    <option key={d} value={d}>
                      {d}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                岗位
                <select
                  name={`rules.${i}.post`}
                  value={r.post}
                  onChange={(e) => update(i, { post: e.target.value as PaperRule["post"] })}
                >
                  <option value="examinee">考生本人岗位</option>
                  <option value="any">不限</option>
                  {POSTS.map((p) => (
                    <option key={p} value={p}>
                      {POST_LABELS[p]}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                行业
                <select
                  name={`rules.${i}.industry`}
                  value={r.industry}
                  onChange={(e) => update(i, { industry: e.target.value })}
                >
                  <option value="enterprise">考生企业所属行业</option>
                  <option value="any">不限</option>
                  {INDUSTRIES.map((ind) => (
                    <option key={ind.code} value={ind.code}>
                      {ind.name}
                    </option>
                  ))}
                </select>
              </label>
              <label className="choice">
                <input
                  type="checkbox"
                  name={`rules.${i}.excludeFlagged`}
                  checked={r.excludeFlagged === true}
                  onChange={(e) => update(i, { excludeFlagged: e.target.checked })}
                />{" "}
                不抽待复核的题（所依据的法规已修改或废止）
              </label>
            </div>
            {errors?.[`rules.${i}.count`] ? (
              <div className="error" role="alert">
                {errors[`rules.${i}.count`]}
              </div>
            ) : null}
            {a ? (
              <p className={a.shortFor.length ? "form-error" : "hint"} data-testid={`rule-${i}-availability`}>
                {a.shortFor.length
                  ? `题库不足：最少只有 ${a.available} 道可选（需要 ${a.needed} 道）${a.shortFor.length < 4 ? `，不足的岗位：${a.shortFor.map((p) => POST_LABELS[p as keyof typeof POST_LABELS]).join("、")}` : ""}`
                  : `题库中至少有 ${a.available} 道可选`}
              </p>
            ) : null}
            {rules.length > 1 ? (
              <button type="button" className="secondary" onClick={() => setRules(rules.filter((_, j) => j !== i))}>
                删除此规则
              </button>
            ) : null}
          </fieldset>
        );
      })}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => setRules([...rules, blankRule])}>
          添加规则
        </button>
        <span className="muted">试卷总分 {total}（成绩按百分制折算）</span>
      </div>
      <Field
        name="timeLimitMinutes"
        label="考试时长（分钟）"
        errors={errors}
        required
        inputMode="numeric"
        defaultValue={template?.time_limit_minutes ?? 60}
      />
      <Field
        name="passMark"
        label="及格分（百分制）"
        errors={errors}
        required
        inputMode="numeric"
        defaultValue={template?.pass_mark ?? 80}
      />
      <Field
        name="attemptsAllowed"
        label="允许考试次数"
        errors={errors}
        required
        inputMode="numeric"
        defaultValue={template?.attempts_allowed ?? 1}
      />
      <Field
        name="leaveLimit"
        label="切屏次数上限（超过即自动交卷；留空为不限，切屏仍会记录）"
        errors={errors}
        inputMode="numeric"
        defaultValue={template?.leave_limit ?? ""}
      />
      <Field name="showAnswers" label="何时公布答案和解析" errors={errors}>
        {(a) => (
          <select {...a} defaultValue={template?.show_answers ?? "after_submit"}>
            <option value="after_submit">交卷后</option>
            <option value="after_close">考试结束后</option>
            <option value="never">不公布</option>
          </select>
        )}
      </Field>
      <Field name="multipleScoring" label="多选题计分" errors={errors}>
        {(a) => (
          <select {...a} defaultValue={template?.multiple_scoring ?? "all_or_nothing"}>
            <option value="all_or_nothing">全对才得分（国家考试通行做法）</option>
            <option value="partial">少选按比例得分，错选不得分</option>
          </select>
        )}
      </Field>
      <label className="choice">
        <input
          type="checkbox"
          name="shuffleOptions"
          defaultChecked={template ? Boolean(template.shuffle_options) : true}
        />{" "}
        打乱选项顺序（题目在每条规则内总是随机排序）
      </label>
      <button type="submit" name="intent" value="save">
        保存试卷
      </button>
    </Form>
  );
}
