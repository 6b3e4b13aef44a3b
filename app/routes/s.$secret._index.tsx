import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { notFound } from "~/lib/http";
import { readFields } from "~/lib/forms.server";
import { handIn } from "~/modules/exams/grading.server";
import { paperForTaking } from "~/modules/exams/paper.server";
import { Paper } from "~/modules/exams/ui/paper";
import { seatBySecret } from "~/modules/exam-sites/sessions.server";

export const meta: MetaFunction = () => [{ title: "考场座位 · 安训" }];

/** The seat terminal: the secret link the proctor's check-in gave this seat is the authorization. */
async function seat(secret: string | undefined) {
  const s = await seatBySecret(secret ?? "");
  if (!s) notFound("座位链接无效，请联系监考人员。");
  return s;
}

export async function loader({ params }: LoaderFunctionArgs) {
  const s = await seat(params.secret);
  const base = {
    name: s.name,
    title: s.title,
    secret: params.secret!,
    camera: Boolean(s.camera),
    seatPhotos: Number(s.seat_photos),
  };
  if (s.voided_at) return { ...base, state: "voided" as const };
  if (!s.attempt_id) return { ...base, state: "waiting" as const };
  const paper = await paperForTaking(s.attempt_id);
  if (paper.submitted) return { ...base, state: "handed_in" as const };
  if (paper.paused) return { ...base, state: "paused" as const, remaining: paper.remainingSeconds };
  return { ...base, state: "answering" as const, paper };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const s = await seat(params.secret);
  if (s.attempt_id && !s.voided_at) {
    const handed = await handIn(s.attempt_id, s.person_id, await readFields(request));
    if (!handed.ok)
      return data({ handInError: handed.message, reviewUrl: `/s/${params.secret}` }, { status: handed.status });
  }
  throw redirect(`/s/${params.secret}`);
}

export default function SeatTerminal() {
  const d = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const refused = useActionData<typeof action>();
  const photo = useFetcher<{ photoError?: string }>();
  useEffect(() => {
    if (d.state === "answering") return;
    const t = setInterval(() => revalidator.revalidate(), 5000);
    return () => clearInterval(t);
  }, [d.state]); // eslint-disable-line react-hooks/exhaustive-deps
  if (d.state === "answering")
    return (
      <Paper
        paper={d.paper}
        saveUrl={`/s/${d.secret}/answers`}
        leaveUrl={`/s/${d.secret}/leave`}
        swScope="/s/"
        refused={refused ?? null}
      />
    );
  const text = {
    waiting: "请等待监考人员宣布开始考试。",
    paused: "考试已暂停，计时已停止。请留在座位上等待监考人员恢复考试，暂停的时间将全部补回。",
    handed_in: "您已交卷，请安静离开考场。",
    voided: "您的本场考试已被监考人员作废。",
  }[d.state];
  return (
    <div className="card seat-wait">
      <h1>{d.title}</h1>
      <p>考生：{d.name}</p>
      <p className="seat-msg">{text}</p>
      {d.state === "paused" ? (
        <p className="small">
          剩余时间 {Math.floor(d.remaining / 60)} 分 {d.remaining % 60} 秒（暂停中不计时）
        </p>
      ) : null}
      {d.camera && (d.state === "waiting" || d.state === "paused") ? (
        <photo.Form method="post" action={`/s/${d.secret}/photo`} encType="multipart/form-data" className="stack">
          <p className="small">
            本考场开启了摄像头：请面对座位摄像头拍摄一张照片，供监考人员核对。
            {d.seatPhotos ? `已拍摄 ${d.seatPhotos} 张。` : ""}
          </p>
          <label>
            座位照片
            <input type="file" name="photo" accept="image/*" capture="user" required />
          </label>
          {photo.data?.photoError ? (
            <p className="error" role="alert">
              {photo.data.photoError}
            </p>
          ) : null}
          <button type="submit" disabled={photo.state !== "idle"}>
            {d.seatPhotos ? "重新拍摄" : "拍摄并上传"}
          </button>
        </photo.Form>
      ) : null}
    </div>
  );
}
