import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, Link } from "@remix-run/react";
import { requireActor } from "~/modules/auth/session.server";
import { bankOwners, requirePerson } from "~/modules/exams/access.server";
import { topics } from "~/modules/exams/draw.server";
import { wrongBook } from "~/modules/exams/practice.server";
import { QuestionText } from "~/modules/exams/ui/question-text";

export const meta: MetaFunction = () => [{ title: "练习 · 安训" }];

// Practice is one's own: only a person's own wrong-answer book is read.
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const personId = requirePerson(actor);
  const [topicList, book] = await Promise.all([topics(bankOwners(actor)), wrongBook(personId)]);
  return { topics: topicList, book };
}

export default function Practice() {
  const { topics: topicList, book } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>练习</h1>
      <p className="muted">练习不计成绩，每题作答后立即显示答案和解析。答错的题自动进入错题本。</p>
      <div className="actions">
        <Link className="button" to="/practice/question">随机练习</Link>
        {book.length ? <Link className="button secondary" to="/practice/question?book=wrong">错题本练习（{book.length} 题）</Link> : null}
      </div>
      <h2>按知识点练习</h2>
      <ul className="lesson-list">
        {topicList.map((t) => <li key={t.topic}><Link to={`/practice/question?topic=${encodeURIComponent(t.topic)}`}>{t.topic}</Link><span className="small muted">{t.count} 题</span></li>)}
      </ul>
      <h2>错题本</h2>
      {book.length === 0 ? <p className="muted">暂无错题。</p> : (
        <ul className="lesson-list">
          {book.map((b) => <li key={b.id}><span><QuestionText text={b.stem} inline max={50} /></span><span className="small muted">{b.topic} · 错 {b.wrong_count} 次</span></li>)}
        </ul>
      )}
    </>
  );
}
