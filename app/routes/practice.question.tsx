import { legalBasis } from "~/modules/regulations/regulations.server";
import { LegalBasis } from "~/modules/regulations/ui/legal-basis";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { data } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useLocation, Link } from "@remix-run/react";
import { notFound } from "~/lib/http";
import { readFields, SMALL_FORM_BYTES } from "~/lib/forms.server";
import {
  PracticeAnswer as Answer,
  PracticeFavorite as Favorite,
  PracticeQuery as Query,
} from "~/modules/exams/practice-input.server";
import { requireActor } from "~/modules/auth/session.server";
import { requirePerson } from "~/modules/exams/access.server";
import {
  checkPractice,
  isFavorite,
  nextFavoriteQuestion,
  nextSequenceQuestion,
  nextTopicQuestion,
  nextWrongQuestion,
  practiseOwnEntry,
  rememberSequence,
  setFavorite,
} from "~/modules/exams/practice.server";
import { answerText, questionType, TYPE_LABELS } from "~/modules/exams/question-types";
import { QuestionText } from "~/modules/exams/ui/question-text";

export const meta: MetaFunction = () => [{ title: "练习 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const personId = requirePerson(actor);
  const q = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  if (q.mode === "sequence" && q.topic) {
    const next = await nextSequenceQuestion(personId, q.topic);
    if (!next) notFound("这个知识点没有适合您岗位的题目。");
    return {
      question: next.question,
      sequence: { index: next.index, total: next.total, restarted: next.restarted },
      favorite: await isFavorite(personId, next.question.token),
    };
  }
  const question = q.q
    ? await practiseOwnEntry(personId, q.q)
    : q.book === "wrong"
      ? await nextWrongQuestion(personId)
      : q.book === "favorite"
        ? await nextFavoriteQuestion(personId)
        : await nextTopicQuestion(personId, q.topic ?? null);
  if (!question) {
    notFound(
      q.q
        ? "这道题不在您的错题本或收藏里，或正在您进行中的考试里。"
        : q.book === "wrong"
          ? "错题本已清空，做得好！"
          : q.book === "favorite"
            ? "收藏里没有可以练习的题。"
            : "没有适合您岗位的题目。",
    );
  }
  return { question, sequence: null, favorite: await isFavorite(personId, question.token) };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const personId = requirePerson(actor);
  const fields = await readFields(request, { maxBytes: SMALL_FORM_BYTES });
  if (fields.intent === "favorite") {
    const fav = Favorite.safeParse(fields);
    if (!fav.success) return data({ error: "收藏失败，请刷新后重试。" }, { status: 422 });
    const saved = await setFavorite(personId, fav.data.token, fav.data.on === "1");
    if (!saved.ok) return data({ error: saved.message }, { status: saved.status });
    return { favorite: fav.data.on === "1" };
  }
  const parsed = Answer.safeParse(fields);
  if (!parsed.success) return data({ error: parsed.error.issues[0].message }, { status: 422 });
  const result = await checkPractice(personId, parsed.data.token, parsed.data.answer);
  if (!result.ok) return data({ error: result.message }, { status: result.status });
  // 顺序练习 moves on only once a question is answered.
  if (fields.mode === "sequence") await rememberSequence(personId, parsed.data.token);
  return { result, given: parsed.data.answer, basis: await legalBasis(result.regulation ?? null) };
}

// The graded question stays on screen with its feedback until 下一题: no new draw after the answer is sent.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) =>
  formMethod?.toUpperCase() === "POST" ? false : defaultShouldRevalidate;

/** 收藏 toggle: saved by the server for this person, shown at once. */
function FavoriteToggle({ token, initial }: { token: string; initial: boolean }) {
  const fetcher = useFetcher<{ favorite?: boolean; error?: string }>();
  const on = fetcher.formData ? fetcher.formData.get("on") === "1" : (fetcher.data?.favorite ?? initial);
  return (
    <fetcher.Form method="post" className="fav-form">
      <input type="hidden" name="intent" value="favorite" />
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="on" value={on ? "0" : "1"} />
      <button type="submit" className="secondary fav-toggle" aria-pressed={on}>
        {on ? "★ 已收藏" : "☆ 收藏"}
      </button>
      {fetcher.data?.error ? (
        <span className="error" role="alert">
          {fetcher.data.error}
        </span>
      ) : null}
    </fetcher.Form>
  );
}

export default function PracticeQuestion() {
  const { question: drawn, sequence, favorite } = useLoaderData<typeof loader>();
  const res = useActionData<typeof action>();
  const location = useLocation();
  const graded = res && "result" in res ? res.result : null;
  const error = res && "error" in res ? res.error : null;
  // After grading, the page shows the graded question (from the answer), whatever the loader holds.
  const q = graded ? graded.question : drawn;
  const given = (res && "given" in res ? res.given : "") ?? "";
  const kind = questionType(q.type);
  const chosen = (value: string) => (kind.hasOptions ? given.includes(value) : given === value);
  const choices = kind.choices(q.options);
  return (
    <>
      <p className="small muted">
        <Link to="/practice">练习</Link> · {q.topic}
        {sequence ? (
          <>
            {" "}
            · 顺序练习{" "}
            <strong data-testid="sequence-position">
              第 {sequence.index} / {sequence.total} 题
            </strong>
          </>
        ) : null}
      </p>
      {sequence?.restarted ? <p className="notice">本知识点已练完一遍，从第一题重新开始。</p> : null}
      <FavoriteToggle key={`fav-${drawn.token}`} token={drawn.token} initial={favorite} />
      <Form method="post" className="card question" key={graded ? `graded-${drawn.token}` : drawn.token}>
        <p className="question-stem">
          <span className="badge">{TYPE_LABELS[q.type]}</span> <QuestionText text={q.stem} />
        </p>
        <input type="hidden" name="token" value={drawn.token} />
        {sequence ? <input type="hidden" name="mode" value="sequence" /> : null}
        {choices.map(([value, text]) => (
          <label key={value} className="choice">
            <input
              type={kind.input}
              name="answer"
              value={value}
              disabled={Boolean(graded)}
              defaultChecked={graded ? chosen(value) : undefined}
            />{" "}
            <span>
              <QuestionText text={text} />
            </span>
          </label>
        ))}
        {error ? (
          <div className="form-error" role="alert">
            {error}
          </div>
        ) : null}
        {graded ? (
          <div className={graded.correct ? "notice" : "form-error"} role="status" data-testid="practice-feedback">
            {graded.correct ? "回答正确。" : `回答错误，正确答案：${answerText(q.type, graded.answer)}。`}
            {graded.explanation ? (
              <div>
                <QuestionText text={graded.explanation} />
              </div>
            ) : null}
            {res && "basis" in res && res.basis ? <LegalBasis parts={res.basis} /> : null}
            {graded.lesson ? <a href={graded.lesson}>去课程复习</a> : null}
          </div>
        ) : (
          <button type="submit">提交</button>
        )}
      </Form>
      {graded || error ? (
        <a className="button" href={location.pathname + location.search}>
          下一题
        </a>
      ) : null}
    </>
  );
}
