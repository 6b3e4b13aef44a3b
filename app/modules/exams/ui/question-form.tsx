import { Form } from "@remix-run/react";
import { Field, FormError, type FieldErrors } from "~/components/form";
import { INDUSTRIES, POST_LABELS, POSTS } from "~/modules/org/labels";
import { TYPE_LABELS } from "../labels";

export interface QuestionValues {
  type: string;
  stem: string;
  options: string[];
  answer: string;
  explanation?: string | null;
  regulation?: string | null;
  difficulty: number;
  posts: string[];
  industries: string[];
  topic: string;
}

export function QuestionForm({
  q,
  errors,
  formError,
  submitLabel,
}: {
  q?: QuestionValues;
  errors?: FieldErrors;
  formError?: string;
  submitLabel: string;
}) {
  return (
    <Form method="post" className="stack" noValidate>
      <FormError message={formError} />
      <Field name="type" label="题型" errors={errors} required>
        {(a) => (
          <select {...a} defaultValue={q?.type ?? "single"}>
            {Object.entries(TYPE_LABELS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="stem" label="题干" errors={errors} required>
        {(a) => <textarea {...a} rows={3} defaultValue={q?.stem ?? ""} />}
      </Field>
      <Field name="options" label="选项（每行一个，依次为 A、B、C…；判断题留空）" errors={errors}>
        {(a) => <textarea {...a} rows={5} defaultValue={q?.options.join("\n") ?? ""} />}
      </Field>
      <Field
        name="answer"
        label="答案（如 B、ACD；判断题填 正确 或 错误）"
        errors={errors}
        required
        defaultValue={q ? (q.answer === "true" ? "正确" : q.answer === "false" ? "错误" : q.answer) : ""}
      />
      <Field name="explanation" label="解析" errors={errors}>
        {(a) => <textarea {...a} rows={2} defaultValue={q?.explanation ?? ""} />}
      </Field>
      <Field
        name="regulation"
        label="法规依据"
        errors={errors}
        defaultValue={q?.regulation ?? ""}
        hint="如：《中华人民共和国安全生产法》第二十八条"
      />
      <Field name="topic" label="知识点" errors={errors} required defaultValue={q?.topic ?? ""} />
      <Field
        name="difficulty"
        label="难度（1–5）"
        errors={errors}
        inputMode="numeric"
        defaultValue={q?.difficulty ?? 3}
      />
      <fieldset className="field">
        <legend>
          <strong>适用岗位</strong>
        </legend>
        {POSTS.map((p) => (
          <label key={p} className="choice">
            <input type="checkbox" name="posts" value={p} defaultChecked={q ? q.posts.includes(p) : true} />{" "}
            {POST_LABELS[p]}
          </label>
        ))}
        {errors?.posts ? (
          <div className="error" role="alert">
            {errors.posts}
          </div>
        ) : null}
      </fieldset>
      <fieldset className="field">
        <legend>
          <strong>适用行业</strong>（不选即适用所有行业）
        </legend>
        {INDUSTRIES.map((i) => (
          <label key={i.code} className="choice">
            <input type="checkbox" name="industries" value={i.code} defaultChecked={q?.industries.includes(i.code)} />{" "}
            {i.name}
          </label>
        ))}
      </fieldset>
      <button type="submit" name="intent" value="save">
        {submitLabel}
      </button>
    </Form>
  );
}
