import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { formatInstant } from "~/lib/calendar";
import { readFields, SMALL_FORM_BYTES } from "~/lib/forms.server";
import { parseInput } from "~/lib/validation";
import { hit, limiter } from "~/modules/auth/rate-limit.server";
import { clientIp, getActor } from "~/modules/auth/session.server";
import { publicContest } from "~/modules/contests/access.server";
import {
  boards,
  contestEnded,
  contestOpen,
  contestRegions,
  joinContest,
  myStanding,
  startRefusal,
} from "~/modules/contests/contests.server";
import { contestCookie, contestParticipantOf } from "~/modules/contests/participant.server";
import { ContestJoinInput } from "~/modules/contests/schema";
import { LiveBoards } from "~/modules/contests/ui/boards";

export const meta: MetaFunction = () => [{ title: "知识竞赛 · 安训" }];

// Open to anyone with the link: joining identifies the person; the contest cookie then authorizes.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const contest = await publicContest(params.token);
  const p = await contestParticipantOf(request, contest.id);
  const info = {
    token: contest.token,
    title: contest.title,
    region: contest.region_name,
    startsAt: formatInstant(contest.starts_at),
    endsAt: formatInstant(contest.ends_at),
    open: contestOpen(contest),
    ended: contestEnded(contest),
    mode: contest.mode,
    questionSeconds: contest.question_seconds,
    attemptsPerDay: contest.attempts_per_day,
    personLimit: contest.person_limit,
    eligibility: contest.eligibility,
    count: (JSON.parse(contest.rules) as { count: number }[]).reduce((s, r) => s + r.count, 0),
  };
  if (!p) {
    const actor = await getActor(request);
    return {
      joined: false as const,
      info,
      regions: await contestRegions(contest),
      signedIn: actor?.personId ? actor.displayName : null,
    };
  }
  const [me, refusal, board] = await Promise.all([
    myStanding(contest.id, p.id),
    startRefusal(contest, p),
    boards(contest.id, 10),
  ]);
  return { joined: true as const, info, me, refusal, board };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const contest = await publicContest(params.token);
  const wait = Math.max(await hit(limiter("contest_join_ip", 30, 600), clientIp(request)));
  if (wait)
    return data(
      { fieldErrors: {} as Record<string, string>, formError: `请求过于频繁，请 ${Math.ceil(wait / 60)} 分钟后再试。` },
      { status: 429 },
    );
  const actor = await getActor(request);
  const form = await readFields(request, { maxBytes: SMALL_FORM_BYTES });
  let who: { name?: string; ident?: string; regionId?: number } = {};
  if (!(actor?.personId && form.mode === "account")) {
    const parsed = parseInput(ContestJoinInput, form);
    if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, formError: "请更正标出的内容。" }, { status: 422 });
    who = parsed.data;
  }
  const joined = await joinContest(contest, { actor: form.mode === "account" ? actor : null, ...who });
  if (!joined.ok)
    return data(
      { fieldErrors: joined.field ? { [joined.field]: joined.message } : {}, formError: joined.message },
      { status: joined.status },
    );
  throw redirect(`/c/${contest.token}`, {
    headers: { "Set-Cookie": contestCookie(contest.id, joined.participantId, joined.secret) },
  });
}

export default function ContestHome() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const i = d.info;
  const rulesLine = `每套 ${i.count} 题，每题限时 ${i.questionSeconds} 秒；${i.mode === "daily" ? `每天可答 ${i.attemptsPerDay} 次，` : ""}每人最多 ${i.personLimit} 次，取最好成绩，同分用时少者排名靠前。`;
  return (
    <div className="contest-phone">
      <header className="contest-hero">
        <p className="contest-kicker">{i.region} · 安全生产知识竞赛</p>
        <h1>{i.title}</h1>
        <p className="small">
          {i.startsAt} 至 {i.endsAt}
        </p>
      </header>
      {!d.joined ? (
        <section className="card">
          {!i.open ? (
            <p className="contest-closed">
              {i.ended ? "竞赛已结束，感谢关注。" : "竞赛尚未开始，请在开始时间后再来。"}
            </p>
          ) : null}
          <p className="small muted">{rulesLine}</p>
          <FormError message={result?.formError} />
          {d.signedIn ? (
            <Form method="post" className="stack">
              <input type="hidden" name="mode" value="account" />
              <button type="submit">以 {d.signedIn} 的身份参赛</button>
            </Form>
          ) : null}
          <Form method="post" className="stack" noValidate>
            <Field name="name" label="姓名" errors={result?.fieldErrors} required autoComplete="name" />
            <Field
              name="ident"
              label={i.eligibility === "phone" ? "手机号码（或身份证号码）" : "身份证号码"}
              errors={result?.fieldErrors}
              required
              autoComplete="off"
              inputMode={i.eligibility === "phone" ? "tel" : undefined}
              hint="用于识别参赛人，每人一个参赛资格；系统只保存加密后的号码"
            />
            {d.regions.length ? (
              <Field
                name="regionId"
                label="所在区县"
                errors={result?.fieldErrors}
                required
                hint="在册人员按所在单位计入区县，可不选"
              >
                {(a) => (
                  <select {...a}>
                    <option value="">请选择</option>
                    {d.regions.map((r) => (
                      <option key={r.id} value={r.id}>
                        {r.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : null}
            <button type="submit">报名参赛</button>
          </Form>
        </section>
      ) : (
        <>
          <section className="card contest-me">
            <div>
              <p className="muted small">{d.me.name}，您的最好成绩</p>
              <p className="contest-score">{d.me.score === null ? "—" : `${d.me.score} 分`}</p>
              <p className="small">
                {d.me.rank === null
                  ? "完成一次答题后进入排行榜"
                  : `第 ${d.me.rank} 名 · 用时 ${((d.me.ms ?? 0) / 1000).toFixed(1)} 秒`}{" "}
                · 已答 {d.me.entries} 次
              </p>
            </div>
            {d.refusal ? (
              <p className="contest-refusal" role="status">
                {d.refusal}
              </p>
            ) : (
              <Form method="post" action={`/c/${i.token}/play`}>
                <input type="hidden" name="intent" value="start" />
                <button type="submit" className="contest-go">
                  开始答题
                </button>
              </Form>
            )}
            {d.me.score !== null ? (
              <Link to={`/c/${i.token}/certificate`} className="small">
                查看参赛证书
              </Link>
            ) : null}
          </section>
          <p className="small muted contest-rules">{rulesLine}</p>
          <LiveBoards url={`/c/${i.token}/board`} initial={d.board} />
        </>
      )}
    </div>
  );
}
