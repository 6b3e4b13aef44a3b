import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, Link } from "@remix-run/react";
import { formatInstant } from "~/lib/calendar";
import { httpError, notFound } from "~/lib/http";
import { idParam } from "~/lib/validation.server";
import { requireActor } from "~/modules/auth/session.server";
import { requirePerson } from "~/modules/exams/access.server";
import { answerText, questionType, TYPE_LABELS } from "~/modules/exams/question-types";
import { wrongEntry } from "~/modules/exams/practice.server";
import { QuestionText } from "~/modules/exams/ui/question-text";
import { legalBasis } from "~/modules/regulations/regulations.server";
import { LegalBasis } from "~/modules/regulations/ui/legal-basis";

export const meta: MetaFunction = () => [{ title: "错题 · 安训" }];

/** One entry of the person's own wrong-answer book, with its answer and explanation. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const personId = requirePerson(actor);
  const id = idParam.safeParse(params.id);
  if (!id.success) notFound("错题本里没有这道题。");
  const entry = await wrongEntry(personId, id.data);
  if (!entry.ok) httpError(entry.status, entry.message);
  return { entry, basis: await legalBasis(entry.regulation ?? null) };
}

export default function WrongEntry() {
  const { entry: e, basis } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="small muted">
        <Link to="/practice">练习</Link> · <Link to="/practice#wrong">错题本</Link> · {e.topic}
      </p>
      <section className="card question" data-testid="wrong-entry">
        <p className="question-stem">
          <span className="badge">{TYPE_LABELS[e.type]}</span> <QuestionText text={e.stem} />
        </p>
        {questionType(e.type).hasOptions ? (
          <ol type="A">
            {e.options.map((o, i) => (
              <li key={i}>
                <QuestionText text={o} />
              </li>
            ))}
          </ol>
        ) : null}
        <p>
          正确答案：
          <strong className="correct" data-testid="wrong-answer-key">
            {answerText(e.type, e.answer)}
          </strong>
        </p>
        {e.explanation ? (
          <p className="small">
            解析：
            <QuestionText text={e.explanation} />
          </p>
        ) : null}
        <LegalBasis parts={basis} />
        {e.lesson ? (
          <p className="small">
            <a href={e.lesson}>去课程复习</a>
          </p>
        ) : null}
        <p className="small muted">
          错 {e.wrongCount} 次 · 最近一次 {formatInstant(e.lastWrongAt)}
          {e.mastered ? " · 已掌握" : ""}
        </p>
      </section>
      <div className="actions">
        <Link className="button" to={`/practice/question?q=${e.id}`}>
          再练一次
        </Link>
        <Link className="button secondary" to="/practice#wrong">
          返回错题本
        </Link>
      </div>
    </>
  );
}
