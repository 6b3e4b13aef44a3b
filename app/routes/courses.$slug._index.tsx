import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, Link } from "@remix-run/react";
import { notFound } from "~/lib/http";
import { authorize, requireActor } from "~/modules/auth/session.server";
import { courseBySlug } from "~/modules/courses/catalog.server";
import { mdxComponentOf } from "~/modules/courses/ui/mdx-component";
import { courseIdsBySlug, courseProgress, minSecondsFor } from "~/modules/courses/progress.server";
import { lessonComponents } from "~/modules/courses/ui/lesson-components";
import { POST_LABELS } from "~/modules/org/labels";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.course.title ?? "课程"} · 安训` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  authorize(actor, "view", { type: "course" });
  const course = courseBySlug(params.slug ?? "");
  const row = course ? (await courseIdsBySlug()).get(course.slug) : undefined;
  if (!course || !row) notFound("该课程不存在。");
  const progress = actor.personId ? await courseProgress(actor.personId, row.id) : null;
  const bySlug = new Map(progress?.lessons.map((l) => [l.slug, l]) ?? []);
  return {
    course: {
      slug: course.slug,
      title: course.title,
      summary: course.summary,
      hours: course.hours,
      posts: course.posts,
      regulations: course.regulations,
      introCode: course.introCode,
    },
    lessons: course.lessons.map((l) => ({
      slug: l.slug,
      title: l.title,
      minutes: Math.ceil(minSecondsFor(l.chars) / 60),
      completed: Boolean(bySlug.get(l.slug)?.completed_at),
    })),
    completedAt: progress?.completedAt ?? null,
    tracksProgress: Boolean(progress),
  };
}

export default function CoursePage() {
  const { course, lessons, completedAt, tracksProgress } = useLoaderData<typeof loader>();
  const Intro = mdxComponentOf(course.introCode);
  const done = lessons.filter((l) => l.completed).length;
  const firstOpen = lessons.find((l) => !l.completed) ?? lessons[0];
  return (
    <>
      <h1>{course.title}</h1>
      <p className="muted">
        {course.hours} 学时 · {lessons.length} 课 · 约 {lessons.reduce((s, l) => s + l.minutes, 0)} 分钟 · 适用：
        {course.posts.map((p) => POST_LABELS[p as keyof typeof POST_LABELS]).join("、")}
      </p>
      {tracksProgress ? (
        <section className="card">
          <p>{completedAt ? <strong>已完成，学时已计入。</strong> : `已完成 ${done}/${lessons.length} 课`}</p>
          <div
            className="progress"
            role="progressbar"
            aria-label="课程进度"
            aria-valuenow={done}
            aria-valuemin={0}
            aria-valuemax={lessons.length}
          >
            <div style={{ width: `${(100 * done) / lessons.length}%` }} />
          </div>
          <div className="actions">
            <Link className="button" to={`/courses/${course.slug}/${firstOpen.slug}`}>
              {done ? "继续学习" : "开始学习"}
            </Link>
          </div>
        </section>
      ) : null}
      <section className="card">
        <h2>课时</h2>
        <ol className="lesson-list">
          {lessons.map((l) => (
            <li key={l.slug}>
              <Link to={`/courses/${course.slug}/${l.slug}`}>{l.title}</Link>
              <span className="small muted">
                约 {l.minutes} 分钟 {l.completed ? <span className="badge ok">已完成</span> : null}
              </span>
            </li>
          ))}
        </ol>
      </section>
      <section className="lesson">
        <Intro components={lessonComponents} />
      </section>
      <section className="card">
        <h2>依据的法规</h2>
        <ul>
          {course.regulations.map((r) => (
            <li key={r.name}>
              《{r.name}》{r.articles?.length ? ` ${r.articles.join("、")}` : ""}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
