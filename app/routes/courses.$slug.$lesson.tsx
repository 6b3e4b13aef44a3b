import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { forbidden, notFound } from "~/lib/http";
import { fieldsOf, readFormData } from "~/lib/forms.server";
import { LessonIntent as Intent } from "~/modules/courses/lesson-intent.server";
import { mdxComponentOf } from "~/modules/courses/ui/mdx-component";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { lessonBySlug, selfCheckKey } from "~/modules/courses/catalog.server";
import { completeLesson, courseProgress, learnerOf, lessonRow } from "~/modules/courses/progress.server";
import {
  answerCheckin,
  requiredSecondsFor,
  resumeStudy,
  startStudy,
  studyRuleFor,
  studySignal,
} from "~/modules/courses/study.server";
import { lessonComponents } from "~/modules/courses/ui/lesson-components";
import { StudyPanel } from "~/modules/courses/ui/study-panel";
import { PHOTO_FORM_BYTES, photoOf } from "~/lib/photo.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.lesson.title ?? "课程"} · 安训` }];

async function load(request: Request, params: LoaderFunctionArgs["params"], withLearner = false) {
  const actor = await requireActor(request);
  authorize(actor, "view", { type: "course" });
  const found = lessonBySlug(params.slug ?? "", params.lesson ?? "");
  // The learner's own row, when the caller needs it, goes out together with the lesson's row (one round trip less).
  const [row, learner] = await Promise.all([
    found ? lessonRow(found.course.slug, found.lesson.slug) : undefined,
    withLearner && actor.personId ? learnerOf(actor.personId) : null,
  ]);
  if (!found || !row) notFound("该课时不存在。");
  return { actor, ...found, row, learner };
}

/** Reading the page writes nothing: the study session starts when the page asks for it (intent "start"). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, course, lesson, row, learner } = await load(request, params, true);
  const i = course.lessons.findIndex((l) => l.slug === lesson.slug);
  let study = null;
  if (actor.personId && learner) {
    // The course's character count needs only the rule, the progress neither: both chains at once.
    const ruleRead = studyRuleFor(learner.regionPath);
    const [rule, needed, p] = await Promise.all([
      ruleRead,
      ruleRead.then((r) => requiredSecondsFor(row, r)),
      courseProgress(actor.personId, row.course_id),
    ]);
    const mine = p.lessons.find((l) => l.id === row.id);
    study = {
      counted: mine?.seconds_spent ?? 0,
      needed,
      completed: Boolean(mine?.completed_at),
      courseCompleted: Boolean(p.completedAt),
      minutesPerHour: rule.onlineMinutesPerHour,
      answerSeconds: rule.checkinAnswerSeconds,
      basis: rule.basis,
      photo: Boolean(learner.photoCheckin),
    };
  }
  return {
    course: { slug: course.slug, title: course.title, hours: course.hours, lessonCount: course.lessons.length },
    lesson: { slug: lesson.slug, title: lesson.title, code: lesson.code, position: i + 1 },
    prev: course.lessons[i - 1] ? { slug: course.lessons[i - 1].slug, title: course.lessons[i - 1].title } : null,
    next: course.lessons[i + 1] ? { slug: course.lessons[i + 1].slug, title: course.lessons[i + 1].title } : null,
    study,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, course, lesson, row } = await load(request, params);
  // A check-in may carry a photo (at most 1 MB, shrunk in the browser first).
  const form = await readFormData(request, { maxBytes: PHOTO_FORM_BYTES });
  const parsed = Intent.safeParse(fieldsOf(form));
  if (!parsed.success) return data({ formError: parsed.error.issues[0].message }, { status: 422 });
  const input = parsed.data;
  if (input.intent === "selfcheck") {
    const key = selfCheckKey(course.slug, lesson.slug, input.checkId);
    if (!key) return data({ formError: "该自测题不存在" }, { status: 404 });
    const given = [...input.answer].sort().join("");
    return {
      intent: "selfcheck" as const,
      checkId: input.checkId,
      correct: given === key.answer,
      answer: key.answer,
      explanation: key.explanation,
    };
  }
  // Study time is always the logged-in person's own: no form field can name someone else.
  if (!actor.personId) forbidden("您的账号没有关联人员档案，学习进度无法记录。");
  const learner = await learnerOf(actor.personId);
  const rule = await studyRuleFor(learner.regionPath);
  const answer = (r: Awaited<ReturnType<typeof studySignal>>) =>
    "ok" in r
      ? data({ intent: "study" as const, formError: r.message }, { status: r.status })
      : { intent: "study" as const, study: r };
  switch (input.intent) {
    case "start":
      return answer(
        await startStudy(actor.personId, row, rule, {
          userAgent: request.headers.get("user-agent"),
          ip: clientIp(request),
        }),
      );
    case "signal":
      return answer(await studySignal(actor.personId, input.sessionId, input.signal, row, rule));
    case "resume":
      return answer(await resumeStudy(actor.personId, input.sessionId, row, rule));
    case "checkin": {
      const photo = await photoOf(form.get("photo"));
      if (!photo.ok) return data({ intent: "study" as const, formError: photo.message }, { status: 422 });
      if (learner.photoCheckin && !photo.photo)
        return data(
          { intent: "study" as const, formError: "本企业要求签到时拍照，请拍一张照片后再确认。" },
          { status: 422 },
        );
      return answer(await answerCheckin(actor.personId, input.sessionId, input.nonce, row, rule, photo.photo));
    }
    case "complete": {
      const result = await completeLesson(actor.personId, learner.enterpriseId, row, rule);
      if (!result.ok) {
        const minutes = Math.ceil(result.secondsLeft / 60);
        return data(
          { intent: "complete" as const, formError: `有效学习时间不足，还需约 ${minutes} 分钟后才能完成本课。` },
          { status: 409 },
        );
      }
      return { intent: "complete" as const, ...result };
    }
  }
}

// Study signals and self-checks change nothing else the page shows: do not reload the lesson after them.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") && formData.get("intent") !== "complete" ? false : defaultShouldRevalidate;

export default function LessonPage() {
  const { course, lesson, prev, next, study } = useLoaderData<typeof loader>();
  const Content = mdxComponentOf(lesson.code);
  // One fetcher per lesson: moving to the next lesson (a client navigation) must not carry this one's completion.
  const complete = useFetcher<typeof action>({ key: `complete-${course.slug}-${lesson.slug}` });
  const done = complete.data && "ok" in complete.data && complete.data.ok ? complete.data : null;
  const error = complete.data && "formError" in complete.data ? complete.data.formError : null;
  return (
    <>
      <p className="small">
        <Link to={`/courses/${course.slug}`}>{course.title}</Link> · 第 {lesson.position}/{course.lessonCount} 课
      </p>
      <h1>{lesson.title}</h1>
      {study && !study.completed && !done ? <StudyPanel key={lesson.slug} initial={study} /> : null}
      <article className="lesson">
        <Content components={lessonComponents} />
      </article>
      {study ? (
        <section className="card no-print" aria-live="polite">
          {study.completed || done ? (
            <div className="notice" role="status">
              本课已完成。
              {done?.courseCompleted
                ? `整门课程已完成${done.hoursCredited ? `，按有效学习时长计入 ${done.hoursCredited} 学时` : ""}。`
                : null}
            </div>
          ) : (
            <complete.Form method="post">
              <input type="hidden" name="intent" value="complete" />
              <p className="hint">
                本课须有效学习约 {Math.ceil(study.needed / 60)} 分钟（每学时按 {study.minutesPerHour}{" "}
                分钟计），计时满后点击完成。
              </p>
              {error ? (
                <div className="form-error" role="alert">
                  {error}
                </div>
              ) : null}
              <button type="submit" disabled={complete.state !== "idle"}>
                完成本课
              </button>
            </complete.Form>
          )}
        </section>
      ) : null}
      <nav className="lesson-nav" aria-label="课时导航">
        {prev ? (
          <Link className="button secondary" to={`/courses/${course.slug}/${prev.slug}`}>
            ← {prev.title}
          </Link>
        ) : (
          <span />
        )}
        {next ? (
          <Link className="button secondary" to={`/courses/${course.slug}/${next.slug}`}>
            {next.title} →
          </Link>
        ) : (
          <Link className="button secondary" to={`/courses/${course.slug}`}>
            返回课程
          </Link>
        )}
      </nav>
    </>
  );
}
