import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData, Link } from "@remix-run/react";
import { formatInstant } from "~/lib/calendar";
import { readFields, SMALL_FORM_BYTES } from "~/lib/forms.server";
import { httpError } from "~/lib/http";
import { idParam } from "~/lib/validation.server";
import { requireActor } from "~/modules/auth/session.server";
import { requirePerson } from "~/modules/exams/access.server";
import { mockAttempts, mockTemplates, startMockExam } from "~/modules/exams/exams.server";

export const meta: MetaFunction = () => [{ title: "模拟考试 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const personId = requirePerson(actor);
  const [templates, mine] = await Promise.all([mockTemplates(personId), mockAttempts(personId)]);
  return {
    templates,
    mine: mine.map((m) => ({ ...m, score: m.score === null ? null : Number(m.score), open: !m.submitted_at })),
  };
}

/** Start a 模拟考试 for oneself: never a sitting of an exam. */
export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const personId = requirePerson(actor);
  const fields = await readFields(request, { maxBytes: SMALL_FORM_BYTES });
  const templateId = idParam.safeParse(fields.templateId);
  if (!templateId.success) httpError(422, "请选择试卷。");
  const started = await startMockExam(personId, templateId.data);
  if (!started.ok) httpError(started.status, started.message);
  throw redirect(`/attempts/${started.attemptId}`);
}

export default function MockExams() {
  const { templates, mine } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="small muted">
        <Link to="/practice">练习</Link> · 模拟考试
      </p>
      <h1>模拟考试</h1>
      <p className="muted">
        按正式试卷的题型、题量和时长限时作答，交卷后评分并显示答案和解析。模拟考试不占考试次数，不计入成绩。
      </p>
      {templates.length === 0 ? <p className="muted">暂无可用的试卷。</p> : null}
      {templates.map((t) => (
        <section key={t.id} className="card">
          <h2 className="small-heading">{t.name}</h2>
          <p className="small muted">
            {t.questions} 题 · 限时 {t.minutes} 分钟 · {t.passMark} 分及格
          </p>
          <Form method="post">
            <input type="hidden" name="templateId" value={t.id} />
            <button type="submit">开始模拟</button>
          </Form>
        </section>
      ))}
      {mine.length ? (
        <>
          <h2>我的模拟考试</h2>
          <ul className="lesson-list">
            {mine.map((m) => (
              <li key={m.id}>
                <a href={m.open ? `/attempts/${m.id}` : `/attempts/${m.id}/review`}>{m.name}</a>
                <span className="small muted">
                  {formatInstant(m.started_at)} · {m.open ? "进行中" : `${m.score} 分`}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
