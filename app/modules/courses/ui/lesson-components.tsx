import { useFetcher, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { questionType } from "../../exams/question-types";

/** The components lessons may use (content/README.md). Self-checks are graded by the lesson route's action. */

export function Regulation({
  law,
  article,
  lesson,
  entry,
  children,
}: {
  law: string;
  article?: string;
  lesson?: string;
  entry?: string;
  children?: ReactNode;
}) {
  const source = `《${law.replace(/^《|》$/g, "")}》${article ?? ""}`;
  // `entry` is the registry code the content build resolved the citation to.
  return (
    <blockquote className="regulation">
      <div className="regulation-source">
        {entry ? (
          <Link to={`/regulations/${entry}${article ? `#${encodeURIComponent(article)}` : ""}`}>{source}</Link>
        ) : (
          source
        )}
      </div>
      <div>{children}</div>
      {lesson ? (
        <Link className="small" to={`/courses/${lesson}`}>
          查看讲解
        </Link>
      ) : null}
    </blockquote>
  );
}

const box = (kind: string, fallback: string) =>
  function Box({ title, children }: { title?: string; children?: ReactNode }) {
    return (
      <aside className={`box box-${kind}`} role="note">
        <div className="box-title">{title ?? fallback}</div>
        {children}
      </aside>
    );
  };
export const KeyPoint = box("key", "要点");
export const Warning = box("warning", "注意");
export const Prohibited = box("prohibited", "严禁");

export function Steps({ children }: { children?: ReactNode }) {
  return <ol className="steps">{children}</ol>;
}

export function Step({ title, children }: { title?: string; children?: ReactNode }) {
  return (
    <li className="step">
      {title ? <div className="step-title">{title}</div> : null}
      {children}
    </li>
  );
}

export function Checklist({ title, children }: { title?: string; children?: ReactNode }) {
  return (
    <section className="checklist">
      {title ? <div className="box-title">☑ {title}</div> : null}
      {children}
    </section>
  );
}

export function Figure({ src, caption }: { src: string; caption?: string }) {
  return (
    <figure className="figure">
      <img src={src} alt={caption ?? ""} loading="lazy" />
      {caption ? <figcaption>{caption}</figcaption> : null}
    </figure>
  );
}

type Graded =
  | { intent: "selfcheck"; checkId: string; correct: boolean; answer: string; explanation: string }
  | { formError?: string };

/** Answered in the page, graded on the server; the answer arrives only after answering. */
export function SelfCheck({
  id,
  type,
  question,
  options = [],
}: {
  id: string;
  type: "single" | "multiple" | "judge";
  question: string;
  options?: string[];
}) {
  const fetcher = useFetcher<Graded>();
  const kind = questionType(type);
  const choices = kind.choices(options);
  const result = fetcher.data && "checkId" in fetcher.data && fetcher.data.checkId === id ? fetcher.data : null;
  return (
    <fetcher.Form method="post" className="selfcheck" data-testid={`selfcheck-${id}`}>
      <div className="box-title">随堂自测{kind.input === "checkbox" ? "（多选）" : ""}</div>
      <p>{question}</p>
      <input type="hidden" name="intent" value="selfcheck" />
      <input type="hidden" name="checkId" value={id} />
      <fieldset>
        <legend className="sr-only">选项</legend>
        {choices.map(([value, text]) => (
          <label key={value} className="choice">
            {/* Uncontrolled: a choice made before the page finishes loading still counts. */}
            <input type={kind.input} name="answer" value={value} />
            <span>{text}</span>
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={fetcher.state !== "idle"}>
        提交答案
      </button>
      {fetcher.data && "formError" in fetcher.data && fetcher.data.formError ? (
        <div className="form-error" role="alert">
          {fetcher.data.formError}
        </div>
      ) : null}
      {result ? (
        <div className={result.correct ? "notice" : "form-error"} role="status">
          {result.correct ? "回答正确。" : `回答错误，正确答案：${kind.answerText(result.answer)}。`}
          {result.explanation}
        </div>
      ) : null}
    </fetcher.Form>
  );
}

export const lessonComponents = {
  Regulation,
  KeyPoint,
  Warning,
  Prohibited,
  Steps,
  Step,
  Checklist,
  Figure,
  SelfCheck,
};
