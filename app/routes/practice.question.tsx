import { legalBasis } from "~/modules/regulations/regulations.server";
import { LegalBasis } from "~/modules/regulations/ui/legal-basis";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, Link } from "@remix-run/react";
import { notFound } from "~/lib/http";
import { readFields, SMALL_FORM_BYTES } from "~/lib/forms.server";
import { z } from "~/lib/validation";
import { requireActor } from "~/modules/auth/session.server";
import { requirePerson } from "~/modules/exams/access.server";
import { checkPractice, nextTopicQuestion, nextWrongQuestion } from "~/modules/exams/practice.server";
import { TYPE_LABELS } from "~/modules/exams/schema";
import { QuestionText } from "~/modules/exams/ui/question-text";

export const meta: MetaFunction = () => [{ title: "练习 · 安训" }];

const Query = z.object({ topic: z.string().max(64).optional().catch(undefined), book: z.literal("wrong").optional().catch(undefined) });

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const personId = requirePerson(actor);
  const q = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const question = q.book ? await nextWrongQuestion(personId) : await nextTopicQuestion(personId, q.topic ?? null);
  if (!question) notFound(q.book ? "错题本已清空，做得好！" : "没有适合您岗位的题目。");
  return { question };
}

const Answer = z.object({
  token: z.string({ error: "练习题已失效，请点击「下一题」重新抽题。" }).max(128, "练习题已失效，请点击「下一题」重新抽题。"),
  answer: z.preprocess((v) => (Array.isArray(v) ? v.join("") : v), z.string({ error: "请先选择答案" }).regex(/^([A-H]{1,8}|true|false)$/, "请先选择答案")),
});

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const personId = requirePerson(actor);
  const parsed = Answer.safeParse(await readFields(request, { maxBytes: SMALL_FORM_BYTES }));
  if (!parsed.success) return data({ error: parsed.error.issues[0].message }, { status: 422 });
  const result = await checkPractice(personId, parsed.data.token, parsed.data.answer);
  if (!result.ok) return data({ error: result.message }, { status: result.status });
  return { result, given: parsed.data.answer, basis: await legalBasis(result.regulation ?? null) };
}

// The graded question stays on screen with its feedback until 下一题: no new draw after the answer is sent.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) =>
  formMethod?.toUpperCase() === "POST" ? false : defaultShouldRevalidate;

const show = (type: string, a: string) => (type === "judge" ? (a === "true" ? "正确" : "错误") : a);

export default function PracticeQuestion() {
  const { question: drawn } = useLoaderData<typeof loader>();
  const res = useActionData<typeof action>();
  const location = useLocation();
  const graded = res && "result" in res ? res.result : null;
  // After grading, the page shows the graded question (from the answer), whatever the loader holds.
  const q = graded ? graded.question : drawn;
  const given = res && "given" in res ? res.given : "";
  const chosen = (value: string) => (q.type === "judge" ? given === value : given.includes(value));
  const choices = q.type === "judge" ? [["true", "正确"], ["false", "错误"]] : q.options.map((o, i) => ["ABCDEFGH"[i], `${"ABCDEFGH"[i]}. ${o}`]);
  return (
    <>
      <p className="small muted"><Link to="/practice">练习</Link> · {q.topic}</p>
      <Form method="post" className="card question" key={graded ? `graded-${drawn.token}` : drawn.token}>
        <p className="question-stem"><span className="badge">{TYPE_LABELS[q.type]}</span> <QuestionText text={q.stem} /></p>
        <input type="hidden" name="token" value={drawn.token} />
        {choices.map(([value, text]) => (
          <label key={value} className="choice">
            <input type={q.type === "multiple" ? "checkbox" : "radio"} name="answer" value={value} disabled={Boolean(graded)}
              defaultChecked={graded ? chosen(value) : undefined} /> <span><QuestionText text={text} /></span>
          </label>
        ))}
        {res && "error" in res ? <div className="form-error" role="alert">{res.error}</div> : null}
        {graded ? (
          <div className={graded.correct ? "notice" : "form-error"} role="status" data-testid="practice-feedback">
            {graded.correct ? "回答正确。" : `回答错误，正确答案：${show(q.type, graded.answer)}。`}
            {graded.explanation ? <div><QuestionText text={graded.explanation} /></div> : null}
            {res && "basis" in res ? <LegalBasis parts={res.basis} /> : null}
            {graded.lesson ? <a href={graded.lesson}>去课程复习</a> : null}
          </div>
        ) : <button type="submit">提交</button>}
      </Form>
      {graded || (res && "error" in res) ? <a className="button" href={location.pathname + location.search}>下一题</a> : null}
    </>
  );
}
