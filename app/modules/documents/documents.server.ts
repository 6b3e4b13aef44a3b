import { formatDuration, formatInstant } from "../../lib/calendar";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { httpError, notFound } from "../../lib/http";
import { idParam } from "../../lib/validation";
import type { Actor } from "../auth/policy";
import { authorize } from "../auth/session.server";
import { KIND_LABELS, STATUS_LABELS } from "../certification/rules";
import { certificatesOf } from "../certification/certificates.server";
import { certificateOf, contestById, type Contest } from "../contests/contests.server";
import { formatMs } from "../contests/rules";
import { coursesOfPerson } from "../courses/progress.server";
import { studyArchive } from "../courses/study.server";
import { hoursStatus, ledgerOf, ledgerOfYear } from "../courses/training.server";
import { authorizedDrill } from "../drills/access.server";
import { drillMembers, injectsOf, project } from "../drills/drills.server";
import { evaluationResults, type EvaluationResultsOf } from "../drills/evaluation.server";
import { EVALUATION_FORM_LABELS, formCodeOf } from "../drills/evaluation-forms";
import {
  FORM_LABELS,
  MILESTONE_LABELS,
  MODE_LABELS,
  planLabel,
  RATING_LABELS,
  RECTIFICATION_LABELS,
} from "../drills/labels";
import { drillLog, photoOfDrill } from "../drills/log.server";
import { rectificationsOfDrill } from "../drills/rectifications.server";
import { authorizedAttempt } from "../exams/access.server";
import { reviewOf } from "../exams/review.server";
import { attemptsOfPerson } from "../exams/exams.server";
import { TYPE_LABELS } from "../exams/schema";
import { answerText } from "../exams/question-types";
import { authorizedInspection } from "../inspections/access.server";
import { getInspection, inspectionSummary } from "../inspections/inspections.server";
import { POST_LABELS } from "../org/labels";
import { getPerson, personResource } from "../org/people.server";
import { clip, documentNumber, fileName, retentionNote } from "./rules";
import type { Block, DocSpec } from "./spec";

export type Prepared = { spec: DocSpec; filename: string };

const stamp = (actor: Actor) => ({ generatedAt: formatInstant(now()), generatedBy: actor.displayName });
const yesNo = (passed: boolean | null) => (passed === null ? "—" : passed ? "合格" : "不合格");
const hours = (h: number | string) => `${Number(h)}`;
const STUDY_STATE: Record<string, string> = {
  counting: "计时中",
  hidden: "离开页面",
  checkin: "待签到",
  missed: "签到超时",
  elsewhere: "已转到其他窗口",
  ended: "已完成",
};
const SOURCE_LABELS: Record<string, string> = {
  online: "在线学习",
  offline: "线下培训",
  exam: "考试",
  quiz: "现场测验",
};
/** The most photos one drill report embeds (each is read from the database and laid out at A4 half width). */
export const MAX_REPORT_PHOTOS = 24;
/** The most study sessions one archive lists; the system keeps every one of them. */
export const MAX_ARCHIVE_SESSIONS = 3000;

/** A person named in the URL whose training this actor may read (refused with the policy's message otherwise). */
async function authorizedTrainingOf(actor: Actor, rawId: string | undefined) {
  const id = idParam.safeParse(rawId);
  const resource = id.success ? await personResource(id.data) : null;
  if (!resource) notFound("该人员不存在。");
  authorize(actor, "view", {
    type: "training",
    enterpriseId: resource.enterpriseId,
    regionPath: resource.regionPath,
    personId: resource.id,
  });
  const person = await getPerson(resource.id);
  if (!person) notFound("该人员不存在。");
  return person;
}

const personFields = (p: NonNullable<Awaited<ReturnType<typeof getPerson>>>): [string, string][] => [
  ["姓名", p.name],
  ["身份证号", p.id_number_masked],
  ["单位", p.enterprise_name],
  ["岗位", POST_LABELS[p.post]],
];

/** 成绩单: one submitted exam or quiz paper. Correct answers appear only where the review page would show them. */
export async function transcriptDocument(actor: Actor, rawId: string | undefined): Promise<Prepared> {
  const attempt = await authorizedAttempt(actor, rawId, "view");
  const review = await reviewOf(attempt.id);
  if (!review.submitted) httpError(409, "该答卷尚未交卷，交卷后才能生成成绩单。");
  const person = review.personId ? await getPerson(review.personId) : undefined;
  const blocks: Block[] = [
    {
      kind: "fields",
      pairs: [
        ...(person ? personFields(person) : [["姓名", "（名册外人员）"] as [string, string]]),
        ["考试名称", review.title],
        ["开始时间", formatInstant(review.startedAt)],
        ["交卷时间", formatInstant(review.submittedAt)],
        [
          "交卷方式",
          review.closedBy === "deadline"
            ? "考试时间到自动交卷"
            : review.closedBy === "inspector"
              ? "检查人员收卷"
              : review.closedBy === "incomplete"
                ? "未完成"
                : "本人交卷",
        ],
        ["成绩", `${review.score} 分（满分 100）`],
        ["结论", `${review.passed ? "合格" : "不合格"}（${review.passMark} 分及格）`],
      ],
    },
    { kind: "heading", text: "答题明细" },
    {
      kind: "table",
      columns: [
        { title: "题号", width: 0.8, align: "center" },
        { title: "题型", width: 0.9, align: "center" },
        { title: "题目", width: 7 },
        { title: "作答", width: 1.4, align: "center" },
        ...(review.reveal ? [{ title: "正确答案", width: 1.4, align: "center" as const }] : []),
        { title: "得分", width: 1.1, align: "center" },
      ],
      rows: review.items.map((it) => [
        String(it.position),
        TYPE_LABELS[it.type],
        clip(it.stem, 300),
        showAnswer(it.type, it.given),
        ...(review.reveal ? ["correct" in it ? showAnswer(it.type, it.correct ?? null) : "—"] : []),
        `${it.earned}/${it.points}`,
      ]),
    },
  ];
  if (!review.reveal)
    blocks.push({
      kind: "paragraph",
      small: true,
      text: review.withheld ?? "本次考试的正确答案将在考试结束后公布，成绩单中不列出。",
    });
  blocks.push({ kind: "signatures", labels: ["考生签名", "监考（阅卷）人签名", "单位（盖章）", "日期"] });
  return {
    spec: {
      title: "考试成绩单",
      subtitle: review.title,
      unit: person?.enterprise_name ?? "—",
      number: documentNumber("transcript", review.submittedAt.slice(0, 4), attempt.id),
      ...stamp(actor),
      footNote:
        "本成绩单由安训系统根据服务器记录的答卷生成：作答时间与期限以服务器为准，成绩在交卷时计算，之后不再改变。",
      blocks,
    },
    filename: fileName("成绩单", person?.name ?? "名册外人员", attempt.id),
  };
}

const showAnswer = answerText;

/** 学时证明: a person's credited hours of one calendar year against what the post requires. */
export async function hoursDocument(actor: Actor, rawId: string | undefined, year: number): Promise<Prepared> {
  const person = await authorizedTrainingOf(actor, rawId);
  const [rows, status] = await Promise.all([ledgerOfYear(person.id, year), hoursStatus(person.id, `${year}-12-31`)]);
  const total = rows.reduce((s, r) => s + Number(r.hours), 0);
  const required = status.required?.hours ?? null;
  const blocks: Block[] = [
    {
      kind: "fields",
      pairs: [
        ...personFields(person),
        ["年度", `${year} 年`],
        ["已取得学时", `${Math.round(total * 100) / 100} 学时`],
        ["应完成学时", required === null ? "—" : `${required} 学时`],
        [
          "完成情况",
          required === null
            ? "—"
            : total >= required
              ? "已完成"
              : `尚差 ${Math.round((required - total) * 100) / 100} 学时`,
        ],
      ],
    },
    { kind: "heading", text: "学时明细" },
    {
      kind: "table",
      empty: "本年度没有学时记录。",
      columns: [
        { title: "序号", width: 0.8, align: "center" },
        { title: "日期", width: 1.6, align: "center" },
        { title: "培训内容", width: 5 },
        { title: "方式", width: 1.3, align: "center" },
        { title: "学时", width: 1, align: "center" },
        { title: "计入依据", width: 2.6 },
      ],
      rows: rows.map((r, n) => [
        String(n + 1),
        r.trained_on,
        clip(r.title, 200),
        SOURCE_LABELS[r.source] ?? r.source,
        hours(r.hours),
        clip(
          `${r.credit_rule === "active_study" ? "按有效学习时长" : r.credit_rule === "reading_time" ? "阅读时间（旧规则）" : r.source === "offline" ? "线下培训记录" : ""}${r.note ? `：${r.note}` : ""}`,
          120,
        ),
      ]),
    },
    {
      kind: "paragraph",
      text: `兹证明 ${person.name}（身份证号 ${person.id_number_masked}）于 ${year} 年度在本单位参加安全生产教育培训，累计取得 ${Math.round(total * 100) / 100} 学时。`,
    },
    { kind: "signatures", labels: ["培训管理员签名", "单位（盖章）", "单位负责人签名", "日期"] },
  ];
  return {
    spec: {
      title: "安全生产培训学时证明",
      subtitle: `${year} 年度`,
      unit: person.enterprise_name,
      number: documentNumber("hours", year, person.id),
      ...stamp(actor),
      footNote:
        "在线学时按服务器记录的有效学习时长计算（只计页面可见、按时确认签到的时间），线下学时按培训记录登记。1 学时在线不少于 30 分钟、线下不少于 45 分钟（AQ 8011-2023）。",
      blocks,
    },
    filename: fileName("学时证明", person.name, year),
  };
}

/** 一人一档: the person's whole training archive — courses, study sessions, hours, exams, quizzes, certificates. */
export async function archiveDocument(actor: Actor, rawId: string | undefined): Promise<Prepared> {
  const person = await authorizedTrainingOf(actor, rawId);
  const [courses, ledger, attempts, certificates] = await Promise.all([
    coursesOfPerson(person.id),
    ledgerOf(person.id, 5000),
    attemptsOfPerson(person.id),
    certificatesOf(person.id),
  ]);
  // Study sessions through the archive's own keyset paging, bounded.
  const sessions: Awaited<ReturnType<typeof studyArchive>>["sessions"] = [];
  let before: number | null = null;
  do {
    const page = await studyArchive(person.id, before, 500);
    sessions.push(...page.sessions);
    before = page.nextBefore;
  } while (before !== null && sessions.length < MAX_ARCHIVE_SESSIONS);
  const totalHours = ledger.reduce((s, r) => s + Number(r.hours), 0);
  const exams = attempts.filter((a) => a.purpose !== "quiz");
  const quizzes = attempts.filter((a) => a.purpose === "quiz");
  const blocks: Block[] = [
    { kind: "heading", text: "一、基本信息" },
    {
      kind: "fields",
      pairs: [
        ...personFields(person),
        ["入职日期", person.hire_date ?? "—"],
        ["人员状态", person.active ? "在岗" : "已离岗"],
        ["累计学时", `${Math.round(totalHours * 100) / 100} 学时`],
        ["在线学习次数", `${sessions.length} 次`],
      ],
    },
    { kind: "heading", text: "二、课程学习" },
    {
      kind: "table",
      empty: "暂无课程学习记录。",
      columns: [
        { title: "序号", width: 0.8, align: "center" },
        { title: "课程", width: 6 },
        { title: "已完成课时", width: 2, align: "center" },
        { title: "完成时间", width: 2.6, align: "center" },
      ],
      rows: courses.map((c, n) => [
        String(n + 1),
        c.title,
        `${c.done}/${c.lessons}`,
        c.completedAt ? formatInstant(c.completedAt) : "未完成",
      ]),
    },
    { kind: "heading", text: "三、学时台账" },
    {
      kind: "table",
      empty: "暂无学时记录。",
      columns: [
        { title: "日期", width: 1.6, align: "center" },
        { title: "内容", width: 5.5 },
        { title: "方式", width: 1.3, align: "center" },
        { title: "学时", width: 1, align: "center" },
      ],
      rows: [...ledger]
        .reverse()
        .map((r) => [r.trained_on, clip(r.title, 200), SOURCE_LABELS[r.source] ?? r.source, hours(r.hours)]),
    },
    { kind: "heading", text: "四、在线学习记录" },
    {
      kind: "paragraph",
      small: true,
      text: "时间为北京时间。有效时长由服务器计算：只计页面可见、按时确认学习签到的时间，同一时间只计一个窗口。每次学习的逐条事件（心跳、签到、离开）保存在系统中，可在学习档案页查看。",
    },
    {
      kind: "table",
      empty: "暂无在线学习记录。",
      columns: [
        { title: "开始时间", width: 2.2, align: "center" },
        { title: "课程 / 课时", width: 5.4 },
        { title: "有效时长", width: 1.7, align: "center" },
        { title: "状态", width: 1.5, align: "center" },
        { title: "签到照片", width: 1.1, align: "center" },
      ],
      rows: [...sessions]
        .reverse()
        .map((s) => [
          formatInstant(s.startedAt),
          clip(`${s.course} / ${s.lesson}`, 160),
          formatDuration(s.activeSeconds),
          STUDY_STATE[s.state] ?? s.state,
          s.photos.length ? `${s.photos.length} 张` : "—",
        ]),
    },
    ...(before !== null
      ? [
          {
            kind: "paragraph" as const,
            small: true,
            text: `此处列出最近 ${MAX_ARCHIVE_SESSIONS} 次在线学习，更早的记录保存在系统中。`,
          },
        ]
      : []),
    { kind: "heading", text: "五、考试记录" },
    {
      kind: "table",
      empty: "暂无考试记录。",
      columns: [
        { title: "交卷时间", width: 2.2, align: "center" },
        { title: "考试", width: 5.6 },
        { title: "成绩", width: 1.2, align: "center" },
        { title: "结论", width: 1.2, align: "center" },
      ],
      rows: exams.map((a) => [
        formatInstant(a.submitted_at),
        clip(a.title, 160),
        a.score === null ? "—" : String(Number(a.score)),
        yesNo(a.passed === null ? null : Boolean(a.passed)),
      ]),
    },
    { kind: "heading", text: "六、现场测验（逢查必考）" },
    {
      kind: "table",
      empty: "暂无现场测验记录。",
      columns: [
        { title: "交卷时间", width: 2.2, align: "center" },
        { title: "测验", width: 5.6 },
        { title: "成绩", width: 1.2, align: "center" },
        { title: "结论", width: 1.2, align: "center" },
      ],
      rows: quizzes.map((a) => [
        formatInstant(a.submitted_at),
        clip(a.title, 160),
        a.closed_by === "incomplete" ? "未完成" : a.score === null ? "—" : String(Number(a.score)),
        yesNo(a.passed === null ? null : Boolean(a.passed)),
      ]),
    },
    { kind: "heading", text: "七、证书" },
    {
      kind: "table",
      empty: "暂无证书记录。",
      columns: [
        { title: "证书", width: 2.6 },
        { title: "作业类别 / 操作项目", width: 3 },
        { title: "证书编号", width: 2.6 },
        { title: "有效期", width: 2.6, align: "center" },
        { title: "状态", width: 1.4, align: "center" },
      ],
      rows: certificates.map((c) => [
        KIND_LABELS[c.kind],
        [c.category, c.item].filter(Boolean).join(" / ") || "—",
        c.number,
        `${c.valid_from} 至 ${c.expires_on}`,
        STATUS_LABELS[c.status],
      ]),
    },
    { kind: "heading", text: "八、档案保存" },
    { kind: "paragraph", text: retentionNote(person.post) },
    { kind: "signatures", labels: ["建档人签名", "单位（盖章）", "本人签名", "日期"] },
  ];
  return {
    spec: {
      title: "从业人员安全培训档案",
      subtitle: "一人一档",
      unit: person.enterprise_name,
      number: documentNumber("archive", now().getUTCFullYear(), person.id),
      ...stamp(actor),
      footNote: retentionNote(person.post),
      blocks,
    },
    filename: fileName("安全培训档案", person.name),
  };
}

/** The evaluation part of the drill report, on the drill's form: rated criteria (AQ/T 9009) or scored indicators (GB/T 46792). */
function evaluationBlocks(results: EvaluationResultsOf): Block[] {
  if (results.kind === "scored")
    return [
      {
        kind: "table",
        empty: "尚无提交的评估表。",
        columns: [
          { title: "评估指标", width: 6 },
          { title: "满分", width: 1, align: "center" },
          { title: "平均得分", width: 1.6, align: "center" },
        ],
        rows: results.evaluators.length
          ? results.rows.map((r) => [
              clip(`${r.group}：${r.text}`, 200),
              String(r.max),
              r.mean === null ? "—" : String(r.mean),
            ])
          : [],
      },
      {
        kind: "paragraph",
        text: `总体评定：${results.overall ? `${results.overall.grade}（平均总分 ${results.overall.total} / ${results.max}）` : "—"}。${results.evaluators.map((e) => `${e.name}：${e.total} 分（${e.grade}）${e.comment ? `，${e.comment}` : ""}`).join("；")}`,
      },
    ];
  return [
    {
      kind: "table",
      empty: "尚无提交的评估表。",
      columns: [
        { title: "评估项目", width: 6 },
        { title: "综合评定", width: 2.2, align: "center" },
      ],
      rows: results.evaluators.length
        ? results.rows.map((r) => [
            clip(`${r.section}：${r.text}`, 200),
            r.combined ? `${RATING_LABELS[r.combined.rating]}（${r.combined.score}）` : "—",
          ])
        : [],
    },
    {
      kind: "paragraph",
      text: `总体评定：${results.overall ? RATING_LABELS[results.overall.rating] : "—"}。${results.evaluators.map((e) => `${e.name}：${e.overall ? RATING_LABELS[e.overall] : "—"}${e.comment ? `，${e.comment}` : ""}`).join("；")}`,
    },
  ];
}

/** The drill evaluation report (AQ/T 9009 or GB/T 46792, as the organizer chose), with the log's photos embedded. */
export async function drillReportDocument(actor: Actor, rawId: string | undefined): Promise<Prepared> {
  const { drill } = await authorizedDrill(actor, rawId, "view");
  if (drill.status !== "ended" && drill.status !== "closed") httpError(409, "演练结束后才能生成评估报告。");
  const [members, injects, log, results, items] = await Promise.all([
    drillMembers(drill.id),
    injectsOf(drill, true),
    drillLog(drill.id),
    evaluationResults(drill),
    rectificationsOfDrill(drill.id),
  ]);
  const d = project(drill, "full") as Extract<ReturnType<typeof project>, { scenario: string }>;
  const photoRefs = log.events
    .filter((e) => !e.voided)
    .flatMap((e) => e.photos.map((id) => ({ id, event: e })))
    .slice(0, MAX_REPORT_PHOTOS);
  const photos = [];
  for (const ref of photoRefs) {
    const p = await photoOfDrill(drill.id, ref.id);
    if (p)
      photos.push({
        bytes: new Uint8Array(p.bytes),
        caption: `${formatInstant(ref.event.at).slice(11)} ${ref.event.milestone ? MILESTONE_LABELS[ref.event.milestone] : clip(ref.event.note, 30)}（${ref.event.by}）`,
      });
  }
  const times = Object.entries(log.times) as [keyof typeof MILESTONE_LABELS, number | null][];
  const blocks: Block[] = [
    { kind: "heading", text: "一、演练概况" },
    {
      kind: "fields",
      pairs: [
        ["演练名称", d.title],
        ["依据预案", planLabel(d.planType, d.planTitle)],
        ["演练形式", FORM_LABELS[d.form]],
        ["演练方式", MODE_LABELS[d.mode]],
        ["开始时间", formatInstant(d.startedAt)],
        ["结束时间", formatInstant(d.endedAt)],
        ["评估人员", members.evaluators.map((e) => e.display_name).join("、") || "—"],
        ["参演人员", `${members.participants.length} 人${d.teams ? `（${d.teams}）` : ""}`],
      ],
    },
    { kind: "paragraph", text: `演练目标：${d.objectives || "—"}` },
    { kind: "paragraph", text: `演练情景：${d.scenario || "—"}` },
    ...(d.summary ? [{ kind: "paragraph" as const, text: `演练总结：${d.summary}` }] : []),
    { kind: "heading", text: "二、演练过程" },
    ...(injects.length
      ? [
          {
            kind: "paragraph" as const,
            text: `情景注入：${injects.map((i) => `${i.title}${i.releasedAt ? `（${formatInstant(i.releasedAt, true).slice(11)}）` : "（未发布）"}`).join("；")}`,
          },
        ]
      : []),
    {
      kind: "table",
      empty: "没有演练记录。",
      columns: [
        { title: "时间", width: 1.4, align: "center" },
        { title: "节点 / 记录", width: 6 },
        { title: "记录人", width: 1.6, align: "center" },
      ],
      rows: log.events.map((e) => [
        formatInstant(e.at, true).slice(11),
        clip(
          `${e.milestone ? `【${MILESTONE_LABELS[e.milestone]}】` : ""}${e.note ?? ""}${e.voided ? `（已作废：${e.voided.reason}）` : ""}`,
          300,
        ),
        e.by,
      ]),
    },
    { kind: "heading", text: "三、关键响应时间" },
    {
      kind: "table",
      columns: [
        { title: "节点", width: 4 },
        { title: "自报警起用时", width: 3, align: "center" },
      ],
      rows: times.map(([m, s]) => [MILESTONE_LABELS[m], s === null ? "未记录" : formatDuration(s)]),
    },
    { kind: "heading", text: "四、评估结果" },
    { kind: "paragraph", small: true, text: `评估表：${EVALUATION_FORM_LABELS[formCodeOf(drill.evaluation_form)]}` },
    ...evaluationBlocks(results),
    { kind: "heading", text: "五、发现的问题与整改" },
    {
      kind: "table",
      empty: "未发现需要整改的问题。",
      columns: [
        { title: "序号", width: 0.8, align: "center" },
        { title: "问题", width: 5 },
        { title: "责任人", width: 1.5, align: "center" },
        { title: "期限", width: 1.6, align: "center" },
        { title: "状态", width: 1.6, align: "center" },
      ],
      rows: items.map((r, n) => [
        String(n + 1),
        clip(r.finding, 300),
        r.owner_name,
        r.due_on,
        RECTIFICATION_LABELS[r.status],
      ]),
    },
    { kind: "heading", text: "六、现场照片" },
    ...(photos.length
      ? [{ kind: "images" as const, images: photos }]
      : [{ kind: "paragraph" as const, text: "演练记录中没有照片。" }]),
    ...(photoRefs.length >= MAX_REPORT_PHOTOS
      ? [
          {
            kind: "paragraph" as const,
            small: true,
            text: `报告收录前 ${MAX_REPORT_PHOTOS} 张照片，其余照片保存在系统中。`,
          },
        ]
      : []),
    { kind: "signatures", labels: ["评估组长签名", "演练组织单位（盖章）", "单位负责人签名", "日期"] },
  ];
  return {
    spec: {
      title: "应急演练评估报告",
      subtitle: d.title,
      unit: d.enterpriseName,
      number: documentNumber("drill", (d.startedAt ?? "").slice(0, 4) || now().getUTCFullYear(), drill.id),
      ...stamp(actor),
      footNote:
        "依据《生产安全事故应急演练基本规范》（AQ/T 9007）和《生产安全事故应急演练评估规范》（AQ/T 9009）；时间为北京时间，以服务器记录为准。",
      blocks,
    },
    filename: fileName("应急演练评估报告", d.enterpriseName, drill.id),
  };
}

/** The on-site quiz result sheet of an inspection (逢查必考), for the case file. */
export async function inspectionDocument(actor: Actor, rawId: string | undefined): Promise<Prepared> {
  const resource = await authorizedInspection(actor, rawId, "view");
  const [i, summary] = await Promise.all([getInspection(resource.id), inspectionSummary(resource.id)]);
  if (!i) notFound("该检查记录不存在。");
  const counted = Object.values(summary.byPost).reduce((s, v) => s + v.people, 0);
  const blocks: Block[] = [
    {
      kind: "fields",
      pairs: [
        ["被检查单位", i.enterprise_name],
        ["统一社会信用代码", i.uscc],
        ["检查日期", i.inspected_on],
        ["检查人员", i.inspectors],
        ["检查地点", i.place ?? "—"],
        ["参加测验", `${summary.people.length} 人（计入统计 ${counted} 人）`],
        ["合格率", summary.passRate === null ? "—" : `${Math.round(summary.passRate * 100)}%`],
        ["薄弱知识点", summary.weakestTopics.map((t) => t.topic).join("、") || "—"],
      ],
    },
    {
      kind: "paragraph",
      text:
        Object.entries(summary.byPost)
          .map(([post, v]) => `${POST_LABELS[post as keyof typeof POST_LABELS]} ${v.people} 人，合格 ${v.passed} 人`)
          .join("；") || "没有计入统计的答卷。",
    },
    { kind: "heading", text: "测验结果" },
    {
      kind: "table",
      empty: "本次检查没有人参加测验。",
      columns: [
        { title: "序号", width: 0.8, align: "center" },
        { title: "姓名", width: 2.6 },
        { title: "身份证号", width: 2.6, align: "center" },
        { title: "岗位", width: 2, align: "center" },
        { title: "成绩", width: 1.1, align: "center" },
        { title: "结论", width: 2.2, align: "center" },
      ],
      rows: summary.people.map((p, n) => [
        String(n + 1),
        `${p.name}${p.on_file ? "" : "（名册外）"}${p.identity === "doubtful" || p.identity === "voided" ? `（输入姓名：${p.typed_name ?? "—"}）` : ""}`,
        p.id_number_masked ?? "—",
        POST_LABELS[p.post],
        p.incomplete ? "未完成" : p.score === null ? "未交卷" : String(p.score),
        p.identity === "voided"
          ? `已作废：${p.identity_reason ?? ""}`
          : p.identity === "doubtful"
            ? "身份存疑，待核实"
            : yesNo(p.passed),
      ]),
    },
    ...(i.notes ? [{ kind: "paragraph" as const, text: `检查记录：${i.notes}` }] : []),
    { kind: "paragraph", text: "不合格人员由企业安排针对性培训，并于 30 日内复测。" },
    { kind: "signatures", labels: ["检查人员签名", "检查人员签名", "企业负责人签名", "日期"] },
  ];
  return {
    spec: {
      title: "安全生产知识现场测验结果单",
      subtitle: "逢查必考",
      unit: i.enterprise_name,
      number: documentNumber("inspection", i.inspected_on.slice(0, 4), i.id),
      ...stamp(actor),
      footNote: "成绩以服务器记录的答卷为准；身份存疑和已作废的答卷不计入合格率。",
      blocks,
    },
    filename: fileName("现场测验结果单", i.enterprise_name, i.inspected_on),
  };
}

/**
 * 参赛证书: a contest participant's certificate of participation (best score, rank, date, organizer). Built for the
 * participant (their contest cookie on /c/<token>/certificate.pdf, or their own account) or the contest's organizer;
 * `issuedTo` says who asked, for the stamp. Null when the person has no finished entry.
 */
export async function contestCertificateDocument(
  contest: Contest,
  participantId: number,
  issuedTo: { displayName: string },
): Promise<Prepared> {
  const cert = await certificateOf(contest, participantId);
  if (!cert) notFound("完成一次答题后才有参赛证书。");
  const organizer = `${contest.region_name}安全生产知识竞赛组委会`;
  return {
    spec: {
      title: "参赛证书",
      subtitle: contest.title,
      unit: organizer,
      number: cert.number,
      generatedAt: formatInstant(now()),
      generatedBy: issuedTo.displayName,
      footNote: "名次为证书生成时个人榜的名次（成绩相同者按用时排序，成绩和用时都相同者名次并列）。",
      blocks: [
        {
          kind: "fields",
          pairs: [
            ["姓名", cert.name],
            ["证件号", cert.ident],
            ["竞赛名称", contest.title],
            ["最好成绩", `${cert.score} 分`],
            ["用时", formatMs(cert.ms)],
            ["个人榜名次", `第 ${cert.rank} 名`],
            ["参赛次数", String(cert.entries)],
            ["日期", cert.issuedOn],
          ],
        },
        {
          kind: "paragraph",
          text: `兹证明 ${cert.name} 参加了「${contest.title}」，最好成绩 ${cert.score} 分，位列个人榜第 ${cert.rank} 名。特发此证，以资鼓励。`,
        },
        { kind: "signatures", labels: [`主办单位：${organizer}`, `日期：${cert.issuedOn}`] },
      ],
    },
    filename: fileName("参赛证书", contest.title, cert.name),
  };
}

/** The organizer's (or the participant's own account's) copy: /documents/contest/:participantId. */
export async function contestCertificateForActor(actor: Actor, rawId: string | undefined): Promise<Prepared> {
  const id = idParam.safeParse(rawId);
  const p = id.success
    ? await db
        .selectFrom("contest_participant")
        .select(["id", "contest_id", "user_id"])
        .where("id", "=", id.data)
        .executeTakeFirst()
    : undefined;
  const contest = p ? await contestById(p.contest_id) : undefined;
  if (!p || !contest) notFound("该参赛记录不存在。");
  // The participant's own account, or the organizer (the regulators who run the contest).
  if (p.user_id !== actor.userId) authorize(actor, "update", { type: "contest", regionPath: contest.region_path });
  return contestCertificateDocument(contest, p.id, actor);
}
