import { createHash } from "node:crypto";
import { db } from "../../lib/db.server";
import { fieldErrorsOf } from "../../lib/validation";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import { POSTS } from "../org/labels";
import { insertQuestion, updateQuestion } from "./bank.server";
import {
  detectFormat, FORMAT_LABELS, parseAiken, parseGift, parseMoodleXml, parseQuestionWorkbook, questionWorkbook, toMoodleXml,
  type ExportQuestion, type ImportedQuestion, type ImportProblem, type QuestionFormat,
} from "./formats/index";
import { QuestionInput } from "./schema";

export const MAX_IMPORT_QUESTIONS = 5000;

export interface ImportPreview {
  format: QuestionFormat;
  formatLabel: string;
  questions: { line: number; externalId: string; input: QuestionInput }[];
  problems: ImportProblem[];
}

/** A stable id for a question the file gave none: the same text imports onto the same question. */
const derivedId = (q: ImportedQuestion) => `imp-${createHash("sha256").update(`${q.type}|${q.stem}|${q.options.join("|")}`).digest("hex").slice(0, 16)}`;

/**
 * Read a file in any supported format and check every question against the bank's rules, without writing.
 * Questions with a problem are left out and reported with their line or row.
 */
export async function previewImport(fileName: string, data: Buffer, defaultTopic: string | undefined): Promise<ImportPreview | { error: string }> {
  const format = detectFormat(fileName, data.subarray(0, 512).toString("latin1"));
  if (!format) return { error: "无法识别文件格式：请上传 Excel 模板（.xlsx）、Moodle XML、GIFT 或 Aiken 文本文件。" };
  const text = () => data.toString("utf8");
  const parsed = format === "excel" ? await parseQuestionWorkbook(data)
    : format === "moodle-xml" ? parseMoodleXml(text())
      : format === "gift" ? parseGift(text()) : parseAiken(text());
  const problems = [...parsed.problems];
  const questions: ImportPreview["questions"] = [];
  const seen = new Set<string>();
  for (const q of parsed.questions) {
    if (q.files?.length || /@@PLUGINFILE@@/.test(q.stem)) {
      problems.push({ line: q.line, reason: "题目含有图片，暂不支持导入带图片的题目（未导入）" });
      continue;
    }
    const input = QuestionInput.safeParse({
      type: q.type, stem: q.stem, options: q.options, answer: q.answer, explanation: q.explanation ?? null, regulation: q.regulation ?? null,
      difficulty: q.difficulty ?? 3, posts: q.posts?.length ? q.posts : [...POSTS], industries: q.industries ?? [],
      topic: q.topic ?? q.category?.split("/").filter(Boolean).pop() ?? defaultTopic ?? "",
    });
    if (!input.success) {
      const errors = fieldErrorsOf(input.error);
      problems.push({ line: q.line, reason: Object.entries(errors).map(([k, v]) => (k === "topic" ? "缺少知识点（可在上传时填写默认知识点）" : v)).join("；") });
      continue;
    }
    const externalId = (q.externalId ?? derivedId(q)).slice(0, 64);
    if (seen.has(externalId)) {
      problems.push({ line: q.line, reason: `编号「${externalId}」在文件中重复（未导入）` });
      continue;
    }
    seen.add(externalId);
    questions.push({ line: q.line, externalId, input: input.data });
  }
  if (questions.length > MAX_IMPORT_QUESTIONS) return { error: `一次最多导入 ${MAX_IMPORT_QUESTIONS} 道题，请拆分文件。` };
  problems.sort((a, b) => a.line - b.line);
  return { format, formatLabel: FORMAT_LABELS[format], questions, problems };
}

/** Write a checked batch in one transaction: new ids are added, known ids get a new version. */
export async function commitImport(actor: Actor, owner: number, items: { externalId: string; input: QuestionInput }[], ip: string) {
  return db.transaction().execute(async (trx) => {
    const existing = new Map((await trx.selectFrom("question").select(["id", "external_id"]).where("owner_enterprise_id", "=", owner)
      .where("external_id", "in", items.map((i) => i.externalId)).execute()).map((r) => [r.external_id, r.id]));
    // A question whose file carries no known id but whose wording is already in the bank is that question
    // (re-importing a GIFT/Aiken/Excel file must not duplicate it).
    const unmatched = items.filter((i) => !existing.has(i.externalId));
    const byStem = new Map<string, number>();
    for (let i = 0; i < unmatched.length; i += 500) {
      const stems = unmatched.slice(i, i + 500).map((u) => u.input.stem);
      const rows = await trx.selectFrom("question").innerJoin("question_version", "question_version.id", "question.current_version_id")
        .select(["question.id", "question.type", "question_version.stem"]).where("question.owner_enterprise_id", "=", owner)
        .where("question_version.stem", "in", stems).execute();
      rows.forEach((r) => byStem.set(`${r.type}|${r.stem}`, r.id));
    }
    let created = 0;
    let updated = 0;
    for (const item of items) {
      const id = existing.get(item.externalId) ?? byStem.get(`${item.input.type}|${item.input.stem}`);
      if (id === undefined) {
        await insertQuestion(trx, owner, item.externalId, item.input, "import");
        created++;
      } else if (await updateQuestion(trx, id, item.input)) {
        updated++;
      }
    }
    await recordAudit(trx, { actorUserId: actor.userId, action: "question.imported", entityType: "question_bank", entityId: owner, after: { created, updated }, ip });
    return { created, updated };
  });
}

/** The bank (or a filtered part) in an interchange format. */
export async function exportQuestions(owners: number[], filter: { topic?: string; type?: "single" | "multiple" | "judge" }, format: "xlsx" | "xml") {
  let q = db.selectFrom("question").innerJoin("question_version", "question_version.id", "question.current_version_id")
    .select(["question.external_id", "question.type", "question.topic", "question.difficulty", "question.posts", "question.industries",
      "question_version.stem", "question_version.options", "question_version.answer", "question_version.explanation", "question_version.regulation"])
    .where("question.owner_enterprise_id", "in", owners).where("question.active", "=", 1).orderBy("question.id").limit(20000);
  if (filter.topic) q = q.where("question.topic", "=", filter.topic);
  if (filter.type) q = q.where("question.type", "=", filter.type);
  const rows: ExportQuestion[] = (await q.execute()).map((r) => ({
    externalId: r.external_id, type: r.type, stem: r.stem, options: JSON.parse(r.options) as string[], answer: r.answer,
    explanation: r.explanation, regulation: r.regulation, difficulty: r.difficulty, topic: r.topic,
    posts: r.posts ? r.posts.split(",") : [], industries: r.industries ? r.industries.split(",") : [],
  }));
  return format === "xlsx" ? questionWorkbook(rows) : Buffer.from(toMoodleXml(rows, filter.topic ?? "安训题库"), "utf8");
}

export const questionTemplate = () => questionWorkbook([]);
