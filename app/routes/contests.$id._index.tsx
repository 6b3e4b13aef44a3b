import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatInstant } from "~/lib/calendar";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedContest } from "~/modules/contests/access.server";
import { boards, contestOpen, contestTotals } from "~/modules/contests/contests.server";
import { LiveBoards } from "~/modules/contests/ui/boards";
import { originOf, qrSvg } from "~/modules/inspections/qr.server";

export const meta: MetaFunction = () => [{ title: "知识竞赛 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const contest = await authorizedContest(actor, params.id, "view");
  const link = `${originOf(request)}/c/${contest.token}`;
  const [board, totals, qr] = await Promise.all([boards(contest.id, 20, true), contestTotals(contest.id), qrSvg(link)]);
  return {
    contest: {
      id: contest.id,
      title: contest.title,
      region: contest.region_name,
      starts: formatInstant(contest.starts_at),
      ends: formatInstant(contest.ends_at),
      mode: contest.mode,
      eligibility: contest.eligibility,
      questionSeconds: contest.question_seconds,
      attemptsPerDay: contest.attempts_per_day,
      personLimit: contest.person_limit,
      open: contestOpen(contest),
      count: (JSON.parse(contest.rules) as { count: number }[]).reduce((s, r) => s + r.count, 0),
    },
    link,
    qr,
    board,
    totals,
  };
}

export default function ContestAdmin() {
  const { contest: c, link, qr, board, totals } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="small">
        <Link to="/contests">‹ 知识竞赛</Link>
      </p>
      <h1>{c.title}</h1>
      <div className="contest-admin-head">
        <section className="card contest-facts">
          <dl>
            <dt>区域</dt>
            <dd>{c.region}</dd>
            <dt>时间</dt>
            <dd>
              {c.starts} 至 {c.ends}{" "}
              <span className={`badge ${c.open ? "ok" : ""}`}>{c.open ? "进行中" : "未在进行"}</span>
            </dd>
            <dt>规则</dt>
            <dd>
              {c.mode === "daily" ? `每日一套，每天 ${c.attemptsPerDay} 次` : "一套试卷"}，每人最多 {c.personLimit}{" "}
              次；每套 {c.count} 题，每题 {c.questionSeconds} 秒
            </dd>
            <dt>参赛范围</dt>
            <dd>{c.eligibility === "phone" ? "凡有手机号者（免注册）" : "本区域企业在册人员（身份证号）"}</dd>
            <dt>完成答题</dt>
            <dd>
              <b>{totals.finished}</b> 人（按区县计）
              {totals.flagged ? <span className="badge warn">速度异常 {totals.flagged} 人</span> : null}
            </dd>
          </dl>
          <p>
            <a className="button" href={`/contests/${c.id}/export`}>
              导出成绩（Excel）
            </a>
          </p>
        </section>
        <section className="card contest-join">
          <div className="qr" dangerouslySetInnerHTML={{ __html: qr }} />
          <p className="small">扫码或打开链接参赛</p>
          <p className="small">
            <code>{link}</code>
          </p>
        </section>
      </div>
      <LiveBoards url={`/contests/${c.id}/board`} initial={board} wide />
    </>
  );
}
