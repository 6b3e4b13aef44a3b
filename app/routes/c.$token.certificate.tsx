import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound } from "~/lib/http";
import { publicContest } from "~/modules/contests/access.server";
import { certificateOf } from "~/modules/contests/contests.server";
import { contestParticipantOf } from "~/modules/contests/participant.server";

export const meta: MetaFunction = () => [{ title: "参赛证书 · 安训" }];

/** A printable certificate of participation for the participant holding the cookie (HTML; print to PDF). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const contest = await publicContest(params.token);
  const p = await contestParticipantOf(request, contest.id);
  if (!p) throw redirect(`/c/${contest.token}`);
  const cert = await certificateOf(contest, p.id);
  if (!cert) notFound("完成一次答题后才有参赛证书。");
  return { token: contest.token, title: contest.title, region: contest.region_name, cert };
}

export default function Certificate() {
  const { token, title, region, cert } = useLoaderData<typeof loader>();
  return (
    <div className="contest-cert-page">
      <article className="contest-cert">
        <p className="no">证书编号 {cert.number}</p>
        <h1>参赛证书</h1>
        <p className="lead">
          <b>{cert.name}</b>（{cert.ident}）
        </p>
        <p>
          参加了「{title}」，最好成绩 <b>{cert.score}</b> 分，用时 {(cert.ms / 1000).toFixed(1)} 秒，位列个人榜第{" "}
          <b>{cert.rank}</b> 名。
        </p>
        <p>特发此证，以资鼓励。</p>
        <p className="sign">
          {region}安全生产知识竞赛组委会
          <br />
          {cert.issuedOn}
        </p>
      </article>
      <p className="no-print">
        <a href={`/c/${token}/certificate.pdf`} className="button">
          下载 PDF 证书
        </a>{" "}
        <button type="button" className="secondary" onClick={() => window.print()}>
          打印
        </button>{" "}
        <Link to={`/c/${token}`}>返回</Link>
      </p>
    </div>
  );
}
