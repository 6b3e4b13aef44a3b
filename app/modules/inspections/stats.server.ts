import { sql } from "kysely";
import { zoneOffset } from "../../lib/calendar";
import { db } from "../../lib/db.server";
import { typedWorkbook } from "../../lib/excel.server";
import { industryName, POST_LABELS } from "../org/labels";
import { forbidden } from "../../lib/http";
import { z } from "../../lib/validation";
import { listScope } from "../auth/policy";
import { requireActor } from "../auth/session.server";
import type { Post } from "../../../db/types";

type Row = { key: string; people: number; passed: number };
const rate = (r: { people: number; passed: number }) => (r.people ? r.passed / r.people : 0);

/**
 * On-site quiz results of a region subtree since a date: pass rates by sub-region, industry, post and month,
 * enterprises failing repeatedly, and the topics most missed. Every query is one index range on
 * onsite_quiz (region_path, created_at) joined by primary keys.
 */
export async function quizStatistics(rootPath: string, since: Date) {
  const base = () =>
    db
      .selectFrom("onsite_quiz")
      .innerJoin("quiz_participant", "quiz_participant.quiz_id", "onsite_quiz.id")
      .innerJoin("attempt", "attempt.id", "quiz_participant.attempt_id")
      .where("onsite_quiz.region_path", "like", `${rootPath}%`)
      .where("onsite_quiz.created_at", ">=", since)
      .where("attempt.submitted_at", "is not", null)
      // Doubtful or voided identities and unfinished papers are in no statistic.
      .where("quiz_participant.identity", "in", ["ok", "confirmed"])
      .where("attempt.passed", "is not", null);
  const grouped = async (key: ReturnType<typeof sql<string>>) =>
    (
      await base()
        .select([key.as("key"), sql<number>`COUNT(*)`.as("people"), sql<number>`SUM(attempt.passed)`.as("passed")])
        .groupBy(sql`1`)
        .orderBy(sql`1`)
        .execute()
    ).map((r) => ({ key: String(r.key), people: Number(r.people), passed: Number(r.passed) })) as Row[];

  const child = sql<string>`SUBSTRING_INDEX(SUBSTRING(onsite_quiz.region_path, ${rootPath.length + 1}), '/', 1)`;
  const [byRegion, byIndustry, byPost, byMonth, repeated, topics] = await Promise.all([
    grouped(child),
    grouped(sql<string>`onsite_quiz.industry_code`),
    grouped(sql<string>`quiz_participant.post`),
    grouped(sql<string>`DATE_FORMAT(CONVERT_TZ(onsite_quiz.created_at, '+00:00', ${zoneOffset()}), '%Y-%m')`),
    base()
      .innerJoin("enterprise", "enterprise.id", "onsite_quiz.enterprise_id")
      .select([
        "enterprise.id",
        "enterprise.name",
        sql<number>`COUNT(DISTINCT onsite_quiz.id)`.as("quizzes"),
        sql<number>`COUNT(DISTINCT CASE WHEN attempt.passed = 0 THEN onsite_quiz.id END)`.as("failed_quizzes"),
      ])
      .groupBy(["enterprise.id", "enterprise.name"])
      .having(sql`COUNT(DISTINCT CASE WHEN attempt.passed = 0 THEN onsite_quiz.id END)`, ">=", 2)
      .orderBy("failed_quizzes", "desc")
      .limit(50)
      .execute(),
    base()
      .innerJoin("attempt_item", "attempt_item.attempt_id", "attempt.id")
      .innerJoin("question", "question.id", "attempt_item.question_id")
      .select([
        "question.topic",
        sql<number>`SUM(attempt_item.earned)`.as("earned"),
        sql<number>`SUM(attempt_item.points)`.as("points"),
        sql<number>`COUNT(*)`.as("n"),
      ])
      .groupBy("question.topic")
      .execute(),
  ]);
  const regionNames = new Map(
    (
      await db
        .selectFrom("region")
        .select(["id", "name"])
        .where(
          "id",
          "in",
          byRegion
            .map((r) => Number(r.key))
            .filter(Boolean)
            .concat([0]),
        )
        .execute()
    ).map((r) => [String(r.id), r.name]),
  );
  return {
    byRegion: byRegion.map((r) => ({ ...r, label: regionNames.get(r.key) ?? "本级", rate: rate(r) })),
    byIndustry: byIndustry.map((r) => ({ ...r, label: industryName(r.key), rate: rate(r) })),
    byPost: byPost.map((r) => ({ ...r, label: POST_LABELS[r.key as Post] ?? r.key, rate: rate(r) })),
    byMonth: byMonth.map((r) => ({ ...r, label: r.key, rate: rate(r) })),
    repeated: repeated.map((r) => ({
      id: r.id,
      name: r.name,
      quizzes: Number(r.quizzes),
      failedQuizzes: Number(r.failed_quizzes),
    })),
    topics: topics
      .map((t) => ({
        topic: t.topic,
        answers: Number(t.n),
        rate: Number(t.points) ? Number(t.earned) / Number(t.points) : 0,
      }))
      .sort((a, b) => a.rate - b.rate)
      .slice(0, 15),
  };
}

/** The statistics as a workbook: one sheet per kind of row, one meaning per column, rates as real percentages. */
export async function quizStatisticsWorkbook(stats: Awaited<ReturnType<typeof quizStatistics>>) {
  const rates: (string | number)[][] = [];
  for (const [title, list] of [
    ["区域", stats.byRegion],
    ["行业", stats.byIndustry],
    ["岗位", stats.byPost],
    ["月份", stats.byMonth],
  ] as const) {
    for (const r of list) rates.push([title, r.label, r.people, r.passed, r.people - r.passed, r.rate]);
  }
  return typedWorkbook([
    {
      name: "合格率",
      columns: [
        { header: "维度", width: 10, kind: "text" },
        { header: "项目", width: 28, kind: "text" },
        { header: "参加人数", width: 12, kind: "integer" },
        { header: "合格人数", width: 12, kind: "integer" },
        { header: "不合格人数", width: 12, kind: "integer" },
        { header: "合格率", width: 12, kind: "percent" },
      ],
      rows: rates,
    },
    {
      name: "薄弱知识点",
      columns: [
        { header: "知识点", width: 28, kind: "text" },
        { header: "作答题次", width: 12, kind: "integer" },
        { header: "得分率", width: 12, kind: "percent" },
      ],
      rows: stats.topics.map((t) => [t.topic, t.answers, t.rate]),
    },
    {
      name: "多次不合格企业",
      columns: [
        { header: "企业", width: 32, kind: "text" },
        { header: "测验次数", width: 12, kind: "integer" },
        { header: "有人不合格的测验次数", width: 20, kind: "integer" },
      ],
      rows: stats.repeated.map((e) => [e.name, e.quizzes, e.failedQuizzes]),
    },
  ]);
}

const Query = z.object({ months: z.coerce.number().int().min(1).max(36).catch(12) });

/** Regional statistics: regulators and inspectors see their region subtree, admins the whole system. */
export async function statsFor(request: Request) {
  const actor = await requireActor(request);
  const scope = listScope(actor);
  if (scope.kind !== "region" && scope.kind !== "all") forbidden("统计仅供监管部门使用。");
  const q = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const since = new Date(Date.now() - q.months * 31 * 86400_000);
  return { stats: await quizStatistics(scope.kind === "region" ? scope.path : "/", since), months: q.months };
}
