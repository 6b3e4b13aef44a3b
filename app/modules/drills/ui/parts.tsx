import { Form, Link } from "@remix-run/react";
import { formatInstant, formatDuration } from "~/lib/calendar";
import {
  MILESTONE_LABELS,
  MODE_LABELS,
  RATING_LABELS,
  RATING_MEANINGS,
  RECTIFICATION_LABELS,
  STATE_LABELS,
} from "../labels";
import { isOverdue, RATING_CODES, RATINGS, type DrillMode, type Milestone, type Rating } from "../rules";
import type { DrillState, RectificationStatus } from "../../../../db/types";

export interface DrillListItem {
  id: number;
  title: string;
  mode: DrillMode;
  status: DrillState;
  visibility: string;
  enterpriseName: string;
  windowStart: string;
  windowEnd: string;
  plannedStart?: string | null;
  startedAt?: string | null;
  role?: string;
}

const ROLE_LABELS: Record<string, string> = { organizer: "组织者", evaluator: "评估人员", participant: "参演人员" };

export function DrillStateBadge({ status }: { status: DrillState }) {
  const cls = status === "closed" ? "ok" : status === "running" ? "bad" : "";
  return <span className={`badge ${cls}`}>{STATE_LABELS[status]}</span>;
}

/** When a drill happens, as far as this viewer may know: the exact start, or only the window. */
export function drillWhen(d: Pick<DrillListItem, "windowStart" | "windowEnd" | "plannedStart" | "startedAt">) {
  if (d.startedAt) return `${formatInstant(d.startedAt)} 开始`;
  if (d.plannedStart) return `${formatInstant(d.plannedStart)} 开始`;
  return `${formatInstant(d.windowStart)} 至 ${formatInstant(d.windowEnd)} 之间`;
}

export function DrillList({
  drills,
  empty,
  showEnterprise = false,
}: {
  drills: DrillListItem[];
  empty: string;
  showEnterprise?: boolean;
}) {
  if (drills.length === 0) return <p className="muted">{empty}</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th>演练</th>
            {showEnterprise ? <th>企业</th> : null}
            <th>方式</th>
            <th>时间</th>
            <th>状态</th>
          </tr>
        </thead>
        <tbody>
          {drills.map((d) => (
            <tr key={d.id}>
              <td>
                <Link to={`/drills/${d.id}`}>{d.title}</Link>
                {d.role && ROLE_LABELS[d.role] ? <span className="small muted">（{ROLE_LABELS[d.role]}）</span> : null}
              </td>
              {showEnterprise ? <td>{d.enterpriseName}</td> : null}
              <td>{MODE_LABELS[d.mode]}</td>
              <td className="small">{drillWhen(d)}</td>
              <td>
                <DrillStateBadge status={d.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface RectificationItem {
  id: number;
  finding: string;
  due_on: string;
  status: RectificationStatus;
  owner_name: string;
  drill_id: number;
}

export function RectificationList({
  items,
  today,
  empty,
}: {
  items: RectificationItem[];
  today: string;
  empty: string;
}) {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th>问题</th>
            <th>责任人</th>
            <th>期限</th>
            <th>状态</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => {
            const overdue = isOverdue({ status: r.status, dueOn: r.due_on }, today);
            return (
              <tr key={r.id}>
                <td>
                  <Link to={`/rectifications/${r.id}`}>{r.finding}</Link>
                </td>
                <td>{r.owner_name}</td>
                <td>
                  {r.due_on}
                  {overdue ? <span className="badge bad">已逾期</span> : null}
                </td>
                <td>
                  <span className={`badge ${r.status === "closed" || r.status === "accepted" ? "ok" : ""}`}>
                    {RECTIFICATION_LABELS[r.status]}
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function ResponseTimes({ times }: { times: Record<string, number | null> }) {
  return (
    <table>
      <thead>
        <tr>
          <th>从发出警报到</th>
          <th>用时</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(times).map(([m, s]) => (
          <tr key={m}>
            <td>{MILESTONE_LABELS[m as Milestone]}</td>
            <td data-testid={`rt-${m}`}>{formatDuration(s)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface LogEvent {
  id: number;
  milestone: Milestone | null;
  note: string | null;
  at: string;
  loggedAt: string;
  by: string;
  byUserId: string;
  photos: number[];
  voided: { at: string; by: string; reason: string } | null;
}

/**
 * The log: each entry at the time it happened, with who wrote it (and when, if written later); voided entries stay,
 * struck through, with who voided them and why. `voidable` lists the entries this reader may void.
 */
export function Timeline({
  events,
  drillId,
  voidable,
  pictures = false,
}: {
  events: LogEvent[];
  drillId: number;
  voidable?: (e: LogEvent) => boolean;
  /** Show the photos as pictures (the report, the drill page) rather than links (the phone's log page). */
  pictures?: boolean;
}) {
  if (events.length === 0) return <p className="muted">尚无记录。</p>;
  return (
    <ol className="timeline">
      {events.map((e) => {
        const backfilled = Math.abs(Date.parse(e.loggedAt) - Date.parse(e.at)) > 60_000;
        return (
          <li key={e.id} className={e.voided ? "voided" : undefined}>
            <span className={e.voided ? "struck" : undefined}>
              <time dateTime={e.at}>{formatInstant(e.at, true).slice(11)}</time>{" "}
              {e.milestone ? <strong>{MILESTONE_LABELS[e.milestone]}</strong> : null}
              {e.milestone && e.note ? "：" : ""}
              {e.note}
            </span>
            <span className="small muted">
              {" "}
              · 记录人 {e.by}
              {backfilled ? `（补记于 ${formatInstant(e.loggedAt, true).slice(5)}）` : ""}
            </span>
            {pictures && e.photos.length ? (
              <div className="report-photos">
                {e.photos.map((p, n) => (
                  <figure key={p}>
                    <a href={`/drills/${drillId}/photos/${p}`}>
                      <img
                        src={`/drills/${drillId}/photos/${p}`}
                        alt={`${formatInstant(e.at, true).slice(11)} ${e.milestone ? MILESTONE_LABELS[e.milestone] : "记录"}的现场照片 ${n + 1}`}
                        loading="lazy"
                      />
                    </a>
                  </figure>
                ))}
              </div>
            ) : (
              e.photos.map((p) => (
                <a key={p} href={`/drills/${drillId}/photos/${p}`} className="small">
                  {" "}
                  照片
                </a>
              ))
            )}
            {e.voided ? (
              <div className="small">
                已作废：{e.voided.reason}（{e.voided.by}，{formatInstant(e.voided.at).slice(5)}）
              </div>
            ) : null}
            {!e.voided && voidable?.(e) ? (
              <details className="small no-print">
                <summary>作废此条</summary>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="void" />
                  <input type="hidden" name="eventId" value={e.id} />
                  <input name="reason" placeholder="作废原因，如：误触" aria-label="作废原因" />
                  <button type="submit" className="danger small">
                    作废
                  </button>
                </Form>
              </details>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

export type EvaluationResults =
  | {
      kind: "rated";
      evaluators: { name: string; overall: Rating | null; comment: string | null; submittedAt: string }[];
      rows: {
        id: number;
        section: string;
        text: string;
        given: ({ rating: Rating; comment: string | null } | null)[];
        combined: { score: number; rating: Rating } | null;
      }[];
      overall: { score: number; rating: Rating } | null;
    }
  | {
      kind: "scored";
      formName: string;
      max: number;
      grades: { label: string; minPercent: number }[];
      evaluators: { name: string; total: number; grade: string; comment: string | null; submittedAt: string }[];
      rows: { code: string; group: string; text: string; max: number; given: (number | null)[]; mean: number | null }[];
      overall: { total: number; percent: number; grade: string } | null;
    };

function Comments({ evaluators }: { evaluators: { name: string; comment: string | null }[] }) {
  return (
    <>
      {evaluators
        .filter((e) => e.comment)
        .map((e, i) => (
          <p key={i} style={{ whiteSpace: "pre-line" }}>
            <strong>{e.name}：</strong>
            {e.comment}
          </p>
        ))}
    </>
  );
}

/** The combined evaluation on the drill's form (the form is named above the table). */
export function EvaluationTable({ results }: { results: EvaluationResults }) {
  if (results.evaluators.length === 0) return <p className="muted">评估人员尚未提交评估表。</p>;
  if (results.kind === "scored")
    return (
      <>
        <p>
          总体评定：
          <strong data-testid="overall-rating">
            {results.overall
              ? `${results.overall.grade}（平均总分 ${results.overall.total} / ${results.max}，${results.overall.percent}%）`
              : "—"}
          </strong>
          ，依据 {results.evaluators.length} 名评估人员的评估表。
        </p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>评估指标</th>
                <th>满分</th>
                {results.evaluators.map((e, i) => (
                  <th key={i}>{e.name}</th>
                ))}
                <th>平均</th>
              </tr>
            </thead>
            <tbody>
              {results.rows.map((r) => (
                <tr key={r.code}>
                  <td>
                    <span className="small muted">{r.group}</span>
                    <br />
                    {r.text}
                  </td>
                  <td>{r.max}</td>
                  {r.given.map((g, i) => (
                    <td key={i}>{g ?? "—"}</td>
                  ))}
                  <td>
                    <strong>{r.mean ?? "—"}</strong>
                  </td>
                </tr>
              ))}
              <tr>
                <td>
                  <strong>总分 / 等级</strong>
                </td>
                <td>{results.max}</td>
                {results.evaluators.map((e, i) => (
                  <td key={i}>
                    {e.total}（{e.grade}）
                  </td>
                ))}
                <td>
                  <strong>{results.overall ? `${results.overall.total}（${results.overall.grade}）` : "—"}</strong>
                </td>
              </tr>
            </tbody>
          </table>
        </div>
        <p className="small muted">
          等级：{results.grades.map((g) => `${g.label} ≥ ${g.minPercent}%`).join("，")}；平均为各评估人员得分的平均。
        </p>
        <Comments evaluators={results.evaluators} />
      </>
    );
  return (
    <>
      <p>
        总体评定：
        <strong data-testid="overall-rating">
          {results.overall ? `${RATING_LABELS[results.overall.rating]}（均分 ${results.overall.score}）` : "—"}
        </strong>
        ， 依据 {results.evaluators.length} 名评估人员的评估表。
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>评估项目</th>
              {results.evaluators.map((e, i) => (
                <th key={i}>{e.name}</th>
              ))}
              <th>综合</th>
            </tr>
          </thead>
          <tbody>
            {results.rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <span className="small muted">{r.section}</span>
                  <br />
                  {r.text}
                </td>
                {r.given.map((g, i) => (
                  <td key={i}>
                    {g ? RATING_LABELS[g.rating] : "—"}
                    {g?.comment ? <div className="small muted">{g.comment}</div> : null}
                  </td>
                ))}
                <td>
                  <strong>{r.combined ? `${RATING_LABELS[r.combined.rating]}（${r.combined.score}）` : "—"}</strong>
                </td>
              </tr>
            ))}
            <tr>
              <td>
                <strong>总体评定</strong>
              </td>
              {results.evaluators.map((e, i) => (
                <td key={i}>{e.overall ? RATING_LABELS[e.overall] : "—"}</td>
              ))}
              <td>
                <strong>{results.overall ? RATING_LABELS[results.overall.rating] : "—"}</strong>
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      <p className="small muted">
        评定等级：{RATING_CODES.map((r) => `${RATING_MEANINGS[r]} ${RATINGS[r]} 分`).join("，")}
        ；综合为各评估人员的平均分。
      </p>
      <Comments evaluators={results.evaluators} />
    </>
  );
}
