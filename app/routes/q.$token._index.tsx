import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Field, FormError } from "~/components/form";
import { PhotoInput } from "~/components/photo-input";
import { notFound } from "~/lib/http";
import { fieldsOf, readFields, SMALL_FORM_BYTES } from "~/lib/forms.server";
import { PHOTO_FORM_BYTES, PHOTO_MAX_BYTES, PHOTO_TOO_LARGE, photoOf, type Photo } from "~/lib/photo.server";
import { isUpload, readUpload } from "~/lib/upload.server";
import { parseInput } from "~/lib/validation.server";
import { hit, limiter } from "~/modules/auth/rate-limit.server";
import { clientIp, getActor } from "~/modules/auth/session.server";
import { participantCookie, participantOf } from "~/modules/inspections/participant.server";
import { joinQuiz, quizForParticipant, quizOpen } from "~/modules/inspections/quiz.server";
import { JoinInput, type QuizPlan } from "~/modules/inspections/schema.server";
import { POST_LABELS } from "~/modules/org/labels";

export const meta: MetaFunction = () => [{ title: "现场测验 · 安训" }];

async function load(token: string | undefined) {
  const quiz = await quizForParticipant(token ?? "");
  if (!quiz) notFound("测验不存在，请重新扫码。");
  return quiz;
}

// Open to anyone holding the link: joining identifies the person; the participant cookie then authorizes.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const quiz = await load(params.token);
  if (await participantOf(request, quiz.id)) throw redirect(`/q/${quiz.token}/paper`);
  const actor = await getActor(request);
  return {
    enterprise: quiz.enterprise_name,
    open: quizOpen(quiz),
    posts: Object.keys(JSON.parse(quiz.plan) as QuizPlan),
    signedIn: actor?.personId ? actor.displayName : null,
    photo: Boolean(quiz.photo_at_join),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const quiz = await load(params.token);
  const ip = clientIp(request);
  const wait = Math.max(
    await hit(limiter("quiz_join_ip", 30, 600), ip),
    await hit(limiter("quiz_join_code", 2000, 600), String(quiz.id)),
  );
  if (wait)
    return data(
      {
        fieldErrors: {} as Record<string, string>,
        formError: `请求过于频繁，请 ${Math.ceil(wait / 60)} 分钟后再试。`,
        needPost: false,
      },
      { status: 429 },
    );
  const actor = await getActor(request);
  // A quiz that asks for a photo at join takes one multipart body of at most the photo and a few fields; any other
  // join stays a form of a few KB (scripts/server.js lets only /q/<token> past its small limit, up to this size).
  let form: Record<string, string | string[]>;
  let photo: Photo | null = null;
  if (quiz.photo_at_join && isUpload(request)) {
    const upload = await readUpload(request, {
      maxFileBytes: PHOTO_MAX_BYTES,
      maxBodyBytes: PHOTO_FORM_BYTES,
      tooLarge: PHOTO_TOO_LARGE,
    });
    if (!upload.ok)
      return data(
        {
          fieldErrors: { photo: upload.message } as Record<string, string>,
          formError: upload.message,
          needPost: false,
        },
        { status: upload.status },
      );
    form = fieldsOf(upload.form);
    const read = await photoOf(upload.form.get("photo"));
    if (!read.ok)
      return data(
        { fieldErrors: { photo: read.message } as Record<string, string>, formError: read.message, needPost: false },
        { status: 422 },
      );
    photo = read.photo;
  } else {
    form = await readFields(request, { maxBytes: SMALL_FORM_BYTES });
  }
  let identity: { name?: string; idNumber?: string; post?: string } = {};
  if (!(actor?.personId && form.mode === "account")) {
    const parsed = parseInput(JoinInput, form);
    if (!parsed.ok)
      return data(
        { fieldErrors: parsed.fieldErrors, formError: "请更正标出的内容。", needPost: false },
        { status: 422 },
      );
    identity = parsed.data;
  }
  const joined = await joinQuiz(quiz.id, { actor: form.mode === "account" ? actor : null, ...identity, photo });
  if (!joined.ok) {
    return data(
      {
        fieldErrors: joined.field ? { [joined.field]: joined.message } : {},
        formError: joined.message,
        needPost: joined.field === "post",
      },
      { status: joined.status },
    );
  }
  throw redirect(`/q/${quiz.token}/paper`, {
    headers: { "Set-Cookie": participantCookie(quiz.id, quiz.token, joined.participantId, joined.secret) },
  });
}

function JoinPhoto({
  errors,
  onBusyChange,
}: {
  errors?: Record<string, string>;
  onBusyChange: (busy: boolean) => void;
}) {
  return (
    <Field
      name="photo"
      label="本人照片"
      errors={errors}
      required
      hint="请用手机前置摄像头拍一张本人正面照片，检查人员核对身份时查看；照片随本次测验记录保存，不对外公开。"
    >
      {(a) => <PhotoInput {...a} capture="user" required onBusyChange={onBusyChange} />}
    </Field>
  );
}

export default function JoinQuiz() {
  const q = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submitting = useNavigation().state !== "idle";
  const [shrinking, setShrinking] = useState(false);
  const busy = submitting || shrinking;
  if (!q.open)
    return (
      <div className="card login">
        <h1>测验已结束</h1>
        <p>本次测验已结束或二维码已过期，请联系检查人员。</p>
      </div>
    );
  return (
    <div className="card login">
      <h1>现场安全知识测验</h1>
      <p>{q.enterprise}</p>
      <p className="small muted">约 10 道题，限时作答，每人一次。交卷后立即显示成绩和解析。</p>
      <FormError message={result?.formError} />
      {q.photo ? <p className="notice small">本次测验要求加入时拍照：请先拍一张本人正面照片。</p> : null}
      {q.signedIn && !q.photo ? (
        <Form method="post" className="stack">
          <input type="hidden" name="mode" value="account" />
          <button type="submit">以 {q.signedIn} 的身份开始</button>
        </Form>
      ) : null}
      <Form method="post" className="stack" encType={q.photo ? "multipart/form-data" : undefined} noValidate>
        {q.photo ? <JoinPhoto errors={result?.fieldErrors} onBusyChange={setShrinking} /> : null}
        {q.photo && q.signedIn ? (
          <button type="submit" name="mode" value="account" disabled={busy}>
            以 {q.signedIn} 的身份开始
          </button>
        ) : null}
        <Field name="name" label="姓名" errors={result?.fieldErrors} required autoComplete="name" />
        <Field
          name="idNumber"
          label="身份证号码"
          errors={result?.fieldErrors}
          required
          autoComplete="off"
          hint="用于核对企业人员名册，系统不保存完整号码"
        />
        {result?.needPost ? (
          <Field name="post" label="您的岗位" errors={result?.fieldErrors} required>
            {(a) => (
              <select {...a}>
                <option value="">请选择</option>
                {q.posts.map((p) => (
                  <option key={p} value={p}>
                    {POST_LABELS[p as keyof typeof POST_LABELS]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        <button type="submit" disabled={busy}>
          {shrinking ? "正在处理照片…" : "开始答题"}
        </button>
      </Form>
    </div>
  );
}
