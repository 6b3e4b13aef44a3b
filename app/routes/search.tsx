import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, Link } from "@remix-run/react";
import { z } from "~/lib/validation";
import { authorize, requireActor } from "~/modules/auth/session.server";
import { searchLessons } from "~/modules/courses/catalog.server";
import { searchNeedle } from "~/modules/courses/rules";

export const meta: MetaFunction = () => [{ title: "搜索课程 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  authorize(actor, "view", { type: "course" });
  const q = z
    .string()
    .max(50)
    .catch("")
    .parse(new URL(request.url).searchParams.get("q") ?? "");
  return { q, tooShort: q.length > 0 && !searchNeedle(q), hits: searchLessons(q) };
}

function Highlight({ text, q }: { text: string; q: string }) {
  const needle = q.replace(/\s+/g, "");
  const i = needle ? text.toLowerCase().indexOf(needle.toLowerCase()) : -1;
  if (i < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, i)}
      <mark>{text.slice(i, i + needle.length)}</mark>
      {text.slice(i + needle.length)}
    </>
  );
}

export default function Search() {
  const { q, hits, tooShort } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>搜索课程</h1>
      <Form method="get" className="filters" role="search">
        <input name="q" aria-label="搜索词" defaultValue={q} placeholder="输入至少 2 个字，如：监护人" />
        <button type="submit">搜索</button>
      </Form>
      {tooShort ? <p className="form-error">请至少输入 2 个字。</p> : null}
      {q && !tooShort ? <p className="muted">找到 {hits.length} 个课时</p> : null}
      <ol className="lesson-list">
        {hits.map((h) => (
          <li key={`${h.courseSlug}/${h.lessonSlug}`} style={{ display: "block" }}>
            <Link to={`/courses/${h.courseSlug}/${h.lessonSlug}`}>{h.lessonTitle}</Link>{" "}
            <span className="small muted">
              · {h.courseTitle} · {h.count} 处
            </span>
            <div className="small">
              <Highlight text={h.excerpt} q={q} />
            </div>
          </li>
        ))}
      </ol>
    </>
  );
}
