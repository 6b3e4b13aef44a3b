import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams, Link } from "@remix-run/react";
import { z } from "~/lib/validation";
import { authorize, requireActor } from "~/modules/auth/session.server";
import { catalog } from "~/modules/courses/catalog.server";
import { courseIdsBySlug, learnerOf, minSecondsFor, progressByCourse } from "~/modules/courses/progress.server";
import { studyRuleFor } from "~/modules/courses/study.server";
import { industryName, INDUSTRIES, INDUSTRY_CODES, POST_LABELS, POSTS } from "~/modules/org/labels";

export const meta: MetaFunction = () => [{ title: "课程 · 安训" }];

const Filter = z.object({
  post: z
    .enum(POSTS as [string, ...string[]])
    .optional()
    .catch(undefined),
  industry: z.enum(INDUSTRY_CODES).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  authorize(actor, "view", { type: "course" });
  const f = Filter.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [ids, done, rule] = await Promise.all([
    courseIdsBySlug(),
    actor.personId ? progressByCourse(actor.personId) : Promise.resolve(new Map<number, number>()),
    actor.personId ? learnerOf(actor.personId).then((l) => studyRuleFor(l.regionPath)) : studyRuleFor("/"),
  ]);
  const courses = catalog()
    .catalog.courses.filter(
      (c) =>
        (!f.post || c.posts.includes(f.post)) &&
        (!f.industry || c.industries.length === 0 || c.industries.includes(f.industry)),
    )
    .map((c) => {
      const row = ids.get(c.slug);
      return {
        slug: c.slug,
        title: c.title,
        summary: c.summary,
        hours: c.hours,
        posts: c.posts,
        industries: c.industries,
        lessons: c.lessons.length,
        minutes: Math.ceil(c.lessons.reduce((s, l) => s + minSecondsFor(l.chars), 0) / 60),
        studyMinutes: Math.ceil(c.hours * rule.onlineMinutesPerHour),
        done: row ? (done.get(row.id) ?? 0) : 0,
      };
    });
  return { courses, tracksProgress: Boolean(actor.personId) };
}

export default function Courses() {
  const { courses, tracksProgress } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <>
      <h1>课程</h1>
      <Form method="get" className="filters">
        <select name="post" aria-label="适用岗位" defaultValue={search.get("post") ?? ""}>
          <option value="">全部岗位</option>
          {POSTS.map((p) => (
            <option key={p} value={p}>
              {POST_LABELS[p]}
            </option>
          ))}
        </select>
        <select name="industry" aria-label="适用行业" defaultValue={search.get("industry") ?? ""}>
          <option value="">全部行业</option>
          {INDUSTRIES.map((i) => (
            <option key={i.code} value={i.code}>
              {i.name}
            </option>
          ))}
        </select>
        <button type="submit">筛选</button>
      </Form>
      <Form method="get" action="/search" className="filters" role="search">
        <input name="q" aria-label="搜索课程内容" placeholder="搜索课程内容，如：先通风、再检测" />
        <button type="submit">搜索</button>
      </Form>
      <div className="grid">
        {courses.map((c) => (
          <article key={c.slug} className="card">
            <h2>
              <Link to={`/courses/${c.slug}`}>{c.title}</Link>
            </h2>
            <p className="small">{c.summary}</p>
            <p className="small muted">
              {c.hours} 学时（须有效学习 {c.studyMinutes} 分钟）· {c.lessons} 课 · 阅读约 {c.minutes} 分钟 ·{" "}
              {c.posts.map((p) => POST_LABELS[p as keyof typeof POST_LABELS]).join("、")}
              {c.industries.length ? ` · ${c.industries.map(industryName).join("、")}` : ""}
            </p>
            {tracksProgress ? (
              <div
                className="progress"
                role="progressbar"
                aria-label="学习进度"
                aria-valuenow={c.done}
                aria-valuemin={0}
                aria-valuemax={c.lessons}
              >
                <div style={{ width: `${(100 * c.done) / c.lessons}%` }} />
              </div>
            ) : null}
          </article>
        ))}
        {courses.length === 0 ? <p className="muted">没有符合条件的课程。</p> : null}
      </div>
    </>
  );
}
