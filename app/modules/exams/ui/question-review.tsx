import type { ReactNode } from "react";
import type { QuestionType } from "../../../../db/types";
import { answerText, questionType, TYPE_LABELS } from "../question-types";
import { QuestionText } from "./question-text";

/** One graded item as `reviewOf()` gives it: the key and explanation only when they may be shown. */
export interface ReviewItem {
  position: number;
  type: QuestionType;
  stem: string;
  options: string[];
  given: string | null;
  points: number;
  earned: number;
  correct?: string | null;
  explanation?: string | null;
}

/**
 * The one review of a graded question (exam review, on-site quiz result): the question, the examinee's answer marked
 * right or wrong, the correct answer and the explanation when revealed, and the points. `children` follow the
 * explanation (the legal basis, a link to the lesson).
 */
export function QuestionReview({ item: it, children }: { item: ReviewItem; children?: ReactNode }) {
  return (
    <section className="card question" data-testid={`review-q${it.position}`}>
      <p className="question-stem">
        {it.position}. <span className="badge">{TYPE_LABELS[it.type]}</span> <QuestionText text={it.stem} />
      </p>
      {questionType(it.type).hasOptions ? (
        <ol type="A">
          {it.options.map((o, i) => (
            <li key={i}>
              <QuestionText text={o} />
            </li>
          ))}
        </ol>
      ) : null}
      <p>
        您的答案：
        <strong className={it.earned >= it.points ? "correct" : "wrong"}>{answerText(it.type, it.given)}</strong>
        {/* The gaps are written as strings: JSX drops a full-width space that starts a line. */}
        {"correct" in it ? (
          <>
            {"　"}正确答案：<strong>{answerText(it.type, it.correct)}</strong>
          </>
        ) : null}
        {"　"}
        <span className="muted small">
          {it.earned}/{it.points} 分
        </span>
      </p>
      {it.explanation ? (
        <p className="small">
          解析：
          <QuestionText text={it.explanation} />
        </p>
      ) : null}
      {children}
    </section>
  );
}
