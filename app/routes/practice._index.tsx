import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, Link } from "@remix-run/react";
import { requireActor } from "~/modules/auth/session.server";
import { bankOwners, requirePerson } from "~/modules/exams/access.server";
import { topics } from "~/modules/exams/draw.server";
import { favorites, sequencePositions, wrongBook } from "~/modules/exams/practice.server";
import { QuestionText } from "~/modules/exams/ui/question-text";

export const meta: MetaFunction = () => [{ title: "练习 · 安训" }];

// Practice is one's own: only a person's own wrong-answer book, 收藏 and positions are read.
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const personId = requirePerson(actor);
  const [topicList, book, favs, positions] = await Promise.all([
    topics(bankOwners(actor)),
    wrongBook(personId),
    favorites(personId),
    sequencePositions(personId),
  ]);
  return { topics: topicList, book, favorites: favs, positions };
}

const wrongItem = (b: { id: number; stem: string; topic: string; wrong_count: number }) => (
  <li key={b.id}>
    <Link to={`/practice/wrong/${b.id}`}>
      <QuestionText text={b.stem} inline max={50} />
    </Link>
    <span className="small muted">
      {b.topic} · 错 {b.wrong_count} 次
    </span>
  </li>
);

export default function Practice() {
  const { topics: topicList, book, favorites: favs, positions } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>练习</h1>
      <p className="muted">练习不计成绩，每题作答后立即显示答案和解析；答错的题自动进入错题本。</p>
      <nav className="practice-modes" aria-label="练习方式">
        <a href="#sequence">
          <strong>顺序练习</strong>
          <span>按知识点逐题练，记住进度</span>
        </a>
        <Link to="/practice/question">
          <strong>随机练习</strong>
          <span>从全部题目随机抽题</span>
        </Link>
        <Link to="/practice/mock">
          <strong>模拟考试</strong>
          <span>按正式试卷限时作答，不占考试次数</span>
        </Link>
        <a href={book.length ? "/practice/question?book=wrong" : "#wrong"}>
          <strong>错题练习</strong>
          <span>{book.length} 道错题</span>
        </a>
        <a href={favs.length ? "/practice/question?book=favorite" : "#favorites"}>
          <strong>收藏练习</strong>
          <span>{favs.length} 道收藏</span>
        </a>
      </nav>
      <h2 id="sequence">顺序练习</h2>
      <ul className="lesson-list">
        {topicList.map((t) => (
          <li key={t.topic}>
            <Link to={`/practice/question?mode=sequence&topic=${encodeURIComponent(t.topic)}`}>{t.topic}</Link>
            <span className="small muted">
              {t.count} 题{positions[t.topic] ? " · 继续上次进度" : ""}
            </span>
          </li>
        ))}
      </ul>
      <h2 id="wrong">错题本</h2>
      {book.length === 0 ? (
        <p className="muted">暂无错题。</p>
      ) : (
        <>
          <ul className="lesson-list" data-testid="wrong-book">
            {book.slice(0, 8).map(wrongItem)}
          </ul>
          {book.length > 8 ? (
            <details>
              <summary>查看全部 {book.length} 道错题</summary>
              <ul className="lesson-list">{book.slice(8).map(wrongItem)}</ul>
            </details>
          ) : null}
        </>
      )}
      <h2 id="favorites">收藏</h2>
      {favs.length === 0 ? (
        <p className="muted">练习时点「☆ 收藏」，题目会出现在这里。</p>
      ) : (
        <ul className="lesson-list" data-testid="favorites">
          {favs.map((f) => (
            <li key={f.id}>
              <Link to={`/practice/question?q=${f.id}`}>
                <QuestionText text={f.stem} inline max={50} />
              </Link>
              <span className="small muted">{f.topic}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
