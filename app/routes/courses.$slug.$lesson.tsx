import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { getMDXComponent } from "mdx-bundler/client/index.js";
import { useEffect, useMemo } from "react";
import { forbidden, notFound } from "~/lib/http";
import { readFields } from "~/lib/forms.server";
import { z } from "~/lib/validation";
import { authorize, requireActor } from "~/modules/auth/session.server";
import { lessonBySlug, selfCheckKey } from "~/modules/courses/catalog.server";
import { completeLesson, courseProgress, heartbeat, lessonRow, minSecondsFor, openLesson } from "~/modules/courses/progress.server";
import { lessonComponents } from "~/modules/courses/ui/lesson-components";
import { personEnterprise } from "~/modules/org/people.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.lesson.title ?? "课程"} · 安训` }];

async function load(request: Request, params: LoaderFunctionArgs["params"]) {
  const actor = await requireActor(request);
  authorize(actor, "view", { type: "course" });
  const found = lessonBySlug(params.slug ?? "", params.lesson ?? "");
  const row = found ? await lessonRow(found.course.slug, found.lesson.slug) : undefined;
  if (!found || !row) notFound("该课时不存在。");
  return { actor, ...found, row };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, course, lesson, row } = await load(request, params);
  const i = course.lessons.findIndex((l) => l.slug === lesson.slug);
  let progress = null;
  if (actor.personId) {
    await openLesson(actor.personId, row.id);
    const p = await courseProgress(actor.personId, row.course_id);
    const mine = p.lessons.find((l) => l.id === row.id);
    progress = { secondsSpent: mine?.seconds_spent ?? 0, completed: Boolean(mine?.completed_at), courseCompleted: Boolean(p.completedAt) };
  }
  return {
    course: { slug: course.slug, title: course.title, hours: course.hours, lessonCount: course.lessons.length },
    lesson: { slug: lesson.slug, title: lesson.title, code: lesson.code, position: i + 1 },
    prev: course.lessons[i - 1] ? { slug: course.lessons[i - 1].slug, title: course.lessons[i - 1].title } : null,
    next: course.lessons[i + 1] ? { slug: course.lessons[i + 1].slug, title: course.lessons[i + 1].title } : null,
    minSeconds: minSecondsFor(row.chars),
    progress,
  };
}

const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("heartbeat") }),
  z.object({ intent: z.literal("complete") }),
  z.object({
    intent: z.literal("selfcheck"),
    checkId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "自测题编号无效"),
    answer: z.preprocess((v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]), z.array(z.string().regex(/^([A-H]|true|false)$/, "答案无效")).min(1, "请先选择答案")),
  }),
], { error: "未知的操作" });

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, course, lesson, row } = await load(request, params);
  const parsed = Intent.safeParse(await readFields(request));
  if (!parsed.success) return data({ formError: parsed.error.issues[0].message }, { status: 422 });
  const input = parsed.data;
  if (input.intent === "selfcheck") {
    const key = selfCheckKey(course.slug, lesson.slug, input.checkId);
    if (!key) return data({ formError: "该自测题不存在" }, { status: 404 });
    const given = [...input.answer].sort().join("");
    return { intent: "selfcheck" as const, checkId: input.checkId, correct: given === key.answer, answer: key.answer, explanation: key.explanation };
  }
  // Progress is always the logged-in person's own: no form field can name someone else.
  if (!actor.personId) forbidden("您的账号没有关联人员档案，学习进度无法记录。");
  if (input.intent === "heartbeat") {
    await heartbeat(actor.personId, row.id);
    return { intent: "heartbeat" as const };
  }
  const enterpriseId = await personEnterprise(actor.personId);
  const result = await completeLesson(actor.personId, enterpriseId, row);
  if (!result.ok) {
    return data({ intent: "complete" as const, formError: `阅读时间不足，还需约 ${Math.ceil(result.secondsLeft / 60)} 分钟（${result.secondsLeft} 秒）后才能完成本课。` }, { status: 409 });
  }
  return { intent: "complete" as const, ...result };
}

// Heartbeats and self-checks change nothing the page shows: do not reload the lesson after them.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "heartbeat" || formData?.get("intent") === "selfcheck" ? false : defaultShouldRevalidate;

export default function LessonPage() {
  const { course, lesson, prev, next, minSeconds, progress } = useLoaderData<typeof loader>();
  const Content = useMemo(() => getMDXComponent(lesson.code), [lesson.code]);
  const beat = useFetcher();
  const complete = useFetcher<typeof action>();
  useEffect(() => {
    if (!progress || progress.completed) return;
    // Time counts only while the page is visible; the server caps each gap.
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") beat.submit({ intent: "heartbeat" }, { method: "post" });
    }, 15_000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lesson.slug, progress?.completed]);
  const done = complete.data && "ok" in complete.data && complete.data.ok ? complete.data : null;
  const error = complete.data && "formError" in complete.data ? complete.data.formError : null;
  return (
    <>
      <p className="small"><a href={`/courses/${course.slug}`}>{course.title}</a> · 第 {lesson.position}/{course.lessonCount} 课</p>
      <h1>{lesson.title}</h1>
      <article className="lesson">
        <Content components={lessonComponents} />
      </article>
      {progress ? (
        <section className="card no-print" aria-live="polite">
          {progress.completed || done ? (
            <div className="notice" role="status">
              本课已完成。{done?.courseCompleted ? `整门课程已完成${done.hoursCredited ? `，获得 ${done.hoursCredited} 学时` : ""}。` : null}
            </div>
          ) : (
            <complete.Form method="post">
              <input type="hidden" name="intent" value="complete" />
              <p className="hint">本课建议阅读时间约 {Math.ceil(minSeconds / 60)} 分钟，认真阅读后点击完成。</p>
              {error ? <div className="form-error" role="alert">{error}</div> : null}
              <button type="submit" disabled={complete.state !== "idle"}>完成本课</button>
            </complete.Form>
          )}
        </section>
      ) : null}
      <nav className="lesson-nav" aria-label="课时导航">
        {prev ? <a className="button secondary" href={`/courses/${course.slug}/${prev.slug}`}>← {prev.title}</a> : <span />}
        {next ? <a className="button secondary" href={`/courses/${course.slug}/${next.slug}`}>{next.title} →</a> : <a className="button secondary" href={`/courses/${course.slug}`}>返回课程</a>}
      </nav>
    </>
  );
}
