import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatDuration, formatInstant } from "~/lib/calendar";
import { notFound } from "~/lib/http";
import { idParam, z } from "~/lib/validation";
import { authorize, requireActor } from "~/modules/auth/session.server";
import { ledgerOf } from "~/modules/courses/training.server";
import { studyArchive } from "~/modules/courses/study.server";
import { getPerson, personResource } from "~/modules/org/people.server";

export const meta: MetaFunction = () => [{ title: "学习档案 · 安训" }];

const Before = z.preprocess(
  (v) => (v === null || v === "" ? undefined : v),
  z.coerce.number().int().positive().optional(),
);

/** The person's training archive 一人一档: every study session with its events, and the hours ledger with the rule each row was credited under. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const id = idParam.safeParse(params.id);
  const resource = id.success ? await personResource(id.data) : null;
  if (!resource) notFound("该人员不存在。");
  authorize(actor, "view", {
    type: "training",
    enterpriseId: resource.enterpriseId,
    regionPath: resource.regionPath,
    personId: resource.id,
  });
  const before = Before.safeParse(new URL(request.url).searchParams.get("before"));
  const [person, archive, ledger] = await Promise.all([
    getPerson(resource.id),
    studyArchive(resource.id, before.success ? (before.data ?? null) : null),
    ledgerOf(resource.id, 50),
  ]);
  return { person: { id: person!.id, name: person!.name }, archive, ledger };
}

const STATE_LABELS = {
  counting: "计时中",
  hidden: "离开页面",
  checkin: "待签到",
  missed: "签到超时",
  elsewhere: "已转到其他窗口",
  ended: "已完成",
} as const;
const RULE_LABELS: Record<string, string> = { active_study: "按有效学习时长", reading_time: "旧规则（阅读时间）" };

export default function StudyArchive() {
  const { person, archive, ledger } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="small">
        <Link to={`/people/${person.id}`}>← {person.name} 的档案</Link>
      </p>
      <h1>{person.name} · 学习档案</h1>
      <p className="small documents-links">
        <a href={`/documents/archive/${person.id}`} download>
          下载培训档案（一人一档，PDF）
        </a>
        　
        <a href={`/documents/hours/${person.id}`} download>
          下载本年度学时证明（PDF）
        </a>
      </p>
      <section className="card">
        <h2>学时台账</h2>
        {ledger.length === 0 ? (
          <p className="muted">暂无学时记录。</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>日期</th>
                  <th>内容</th>
                  <th>学时</th>
                  <th>计入依据</th>
                </tr>
              </thead>
              <tbody>
                {ledger.map((r) => (
                  <tr key={r.id}>
                    <td>{r.trained_on}</td>
                    <td>{r.title}</td>
                    <td>{Number(r.hours)}</td>
                    <td className="small">
                      {r.credit_rule
                        ? (RULE_LABELS[r.credit_rule] ?? r.credit_rule)
                        : r.source === "offline"
                          ? "线下培训记录"
                          : "—"}
                      {r.note ? `：${r.note}` : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card">
        <h2>在线学习记录</h2>
        <p className="small muted">
          时间为北京时间。有效时长由服务器计算：只计页面可见、按时确认学习签到的时间，同一时间只计一个窗口。
        </p>
        {archive.sessions.length === 0 ? (
          <p className="muted">暂无在线学习记录。</p>
        ) : (
          archive.sessions.map((s) => (
            <details key={s.id} className="study-session">
              <summary>
                {formatInstant(s.startedAt)} · {s.course} / {s.lesson} · 有效 {formatDuration(s.activeSeconds)} ·{" "}
                {STATE_LABELS[s.state]}
              </summary>
              <ol className="timeline">
                {s.events.map((e, i) => (
                  <li key={i}>
                    <time dateTime={e.at}>{formatInstant(e.at, true).slice(11)}</time> {e.label}
                    <span className="small muted">
                      （累计有效 {formatDuration(e.activeSeconds)}
                      {e.detail ? `；${e.detail}` : ""}）
                    </span>
                  </li>
                ))}
              </ol>
              <p className="small muted">
                设备：{s.device ?? "—"}；IP：{s.ip ?? "—"}
                {s.photos.length ? `；签到照片 ${s.photos.length} 张` : ""}
              </p>
              {s.photos.length ? (
                <ul className="checkin-photos" aria-label="签到照片">
                  {s.photos.map((p) => (
                    <li key={p.id}>
                      <a href={`/people/${person.id}/study/photos/${p.id}`} target="_blank" rel="noreferrer">
                        <img
                          src={`/people/${person.id}/study/photos/${p.id}`}
                          alt={`${formatInstant(p.at, true)} 的签到照片`}
                          loading="lazy"
                        />
                      </a>
                      <span className="small muted">{formatInstant(p.at, true).slice(11)}</span>
                    </li>
                  ))}
                </ul>
              ) : null}
            </details>
          ))
        )}
        {archive.nextBefore ? (
          <p>
            <Link to={`?before=${archive.nextBefore}`}>更早的记录 →</Link>
          </p>
        ) : null}
      </section>
    </>
  );
}
