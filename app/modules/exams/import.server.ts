import { randomUUID } from "node:crypto";
import { db } from "../../lib/db.server";
import { BUSY_MESSAGE, withImportSlot } from "../../lib/excel.server";
import { fieldErrorsOf } from "../../lib/validation";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import { POSTS } from "../org/labels";
import { insertQuestion, updateQuestion } from "./bank.server";
import {
  detectFormat,
  FORMAT_LABELS,
  questionWorkbook,
  toAiken,
  toGift,
  toMoodleXml,
  type ExportQuestion,
  type ExportSkip,
  type ImportProblem,
  type QuestionFormat,
} from "./formats/index";
import type { MediaFile } from "./formats/media";
import { mediaIn, plainLine, questionLabel } from "./formats/text";
import { knownMedia, mediaForExport, storeMedia } from "./media.server";
import { parseInWorker } from "./parse-in-worker.server";
import { QuestionInput, TYPE_LABELS } from "./schema";
import type { QuestionType } from "./question-types";

export const MAX_IMPORT_QUESTIONS = 5000;

const FIELD_LABELS: Record<string, string> = {
  type: "题型",
  stem: "题干",
  options: "选项",
  answer: "答案",
  explanation: "解析",
  regulation: "法规依据",
  difficulty: "难度",
  posts: "适用岗位",
  industries: "适用行业",
  topic: "知识点",
};
const fieldLabel = (path: string) => {
  const [head, index] = path.split(".");
  return head === "options" && index !== undefined
    ? `选项 ${String.fromCharCode(65 + Number(index))}`
    : (FIELD_LABELS[head] ?? head);
};

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}
export interface PreviewItem {
  line: number;
  /** The file's stable key, or null: a new question. */
  key: string | null;
  input: QuestionInput;
  changes?: FieldChange[];
}
export interface ImportPreview {
  format: QuestionFormat;
  formatLabel: string;
  /** For text files: the encoding that was read. */
  encoding?: string;
  added: PreviewItem[];
  changed: PreviewItem[];
  /** Questions the file has that would change nothing, and every question that cannot be imported, with why. */
  skipped: ImportProblem[];
}

const show = {
  type: (v: unknown) => TYPE_LABELS[v as "single"] ?? String(v),
  list: (v: unknown) => (Array.isArray(v) ? v.join("、") : ""),
};

/** Fields that differ between the bank's current version and the file. */
function diff(cur: Record<string, unknown>, next: QuestionInput): FieldChange[] {
  const pairs: [string, string, string][] = [
    ["type", show.type(cur.type), show.type(next.type)],
    ["stem", String(cur.stem), next.stem],
    ["options", (JSON.parse(String(cur.options)) as string[]).join(" | "), next.options.join(" | ")],
    ["answer", String(cur.answer), next.answer],
    ["explanation", String(cur.explanation ?? ""), next.explanation ?? ""],
    ["regulation", String(cur.regulation ?? ""), next.regulation ?? ""],
    ["difficulty", String(cur.difficulty), String(next.difficulty)],
    ["posts", String(cur.posts).split(",").filter(Boolean).join("、"), show.list(next.posts)],
    ["industries", String(cur.industries).split(",").filter(Boolean).join("、"), show.list(next.industries)],
    ["topic", String(cur.topic), next.topic],
  ];
  return pairs.filter(([, a, b]) => a !== b).map(([f, before, after]) => ({ field: FIELD_LABELS[f], before, after }));
}

/**
 * Read a file in any supported format and compare it with the owner's bank, without writing questions: which
 * questions would be added (no key, or a key the bank does not have), changed (a known key, with a before/after
 * of each field) or skipped (unchanged, or a problem). Identity is the stable key only; equal stems never merge.
 * Pictures and audio are put in the content-addressed media store here, so that the commit can refer to them.
 */
export async function previewImport(
  owner: number,
  userId: string,
  fileName: string,
  data: Buffer,
  defaultTopic: string | undefined,
): Promise<ImportPreview | { error: string }> {
  const format = detectFormat(fileName, data.subarray(0, 512).toString("latin1"));
  if (!format)
    return {
      error: "无法识别文件格式：请上传 Excel 模板（.xlsx）、Word（.docx）、Moodle XML、GIFT 或 Aiken 文本文件。",
    };
  // Read in a worker thread, one of a few at a time per process (the same slots as spreadsheet imports).
  const parsed = await withImportSlot(() => parseInWorker(format, data));
  if (!parsed) return { error: BUSY_MESSAGE };
  if ("error" in parsed) return parsed;
  const skipped: ImportProblem[] = [...parsed.problems];
  const valid: (PreviewItem & { files: MediaFile[] })[] = [];
  const firstLine = new Map<string, number>();
  for (const q of parsed.questions) {
    const who = q.name ? `「${q.name}」` : questionLabel(q.line, q.stem).replace(/^第 \d+ 行的题目/, "");
    const input = QuestionInput.safeParse({
      type: q.type,
      stem: q.stem,
      options: q.options,
      answer: q.answer,
      explanation: q.explanation ?? null,
      regulation: q.regulation ?? null,
      difficulty: q.difficulty ?? 3,
      posts: q.posts?.length ? q.posts : [...POSTS],
      industries: q.industries ?? [],
      topic: q.topic ?? q.category?.split("/").filter(Boolean).pop() ?? defaultTopic ?? "",
    });
    if (!input.success) {
      const errors = fieldErrorsOf(input.error);
      skipped.push({
        line: q.line,
        question: who || undefined,
        reason: Object.entries(errors)
          .map(([k, v]) =>
            k === "topic" ? "知识点：缺少知识点（可在上传时填写默认知识点）" : `${fieldLabel(k)}：${v}`,
          )
          .join("；"),
      });
      continue;
    }
    const key = q.externalId?.trim() || null;
    if (key && key.length > 64) {
      skipped.push({ line: q.line, question: who || undefined, reason: "编号：最长 64 个字符" });
      continue;
    }
    if (key && firstLine.has(key)) {
      skipped.push({
        line: q.line,
        question: who || undefined,
        reason: `编号「${key}」在文件中出现了两次（第 ${firstLine.get(key)} 行和第 ${q.line} 行），这一题未导入`,
      });
      continue;
    }
    if (key) firstLine.set(key, q.line);
    valid.push({ line: q.line, key, input: input.data, files: q.files ?? [] });
  }
  if (valid.length > MAX_IMPORT_QUESTIONS) return { error: `一次最多导入 ${MAX_IMPORT_QUESTIONS} 道题，请拆分文件。` };

  // Media: a token must name a file that came with the question or one the store already has.
  const carried = valid.flatMap((v) => v.files);
  const named = valid.flatMap((v) =>
    [v.input.stem, ...v.input.options, v.input.explanation ?? ""].flatMap(mediaIn).map((m) => m.hash),
  );
  const stored = await knownMedia(named.filter((h) => !carried.some((f) => f.hash === h)));
  const ready = valid.filter((v) => {
    const missing = [v.input.stem, ...v.input.options, v.input.explanation ?? ""]
      .flatMap(mediaIn)
      .filter((m) => !stored.has(m.hash) && !v.files.some((f) => f.hash === m.hash));
    if (missing.length)
      skipped.push({
        line: v.line,
        question: plainLine(v.input.stem, 20),
        reason: `${missing.length} 个图片或音频不在文件中，也不在媒体库中（${missing.map((m) => m.hash.slice(0, 8)).join("、")}）`,
      });
    return !missing.length;
  });
  await storeMedia(
    ready.flatMap((v) => v.files),
    userId,
  );

  const keys = ready.map((v) => v.key).filter((k): k is string => k !== null);
  const current = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db
      .selectFrom("question")
      .innerJoin("question_version", "question_version.id", "question.current_version_id")
      .select([
        "question.external_id",
        "question.type",
        "question.topic",
        "question.difficulty",
        "question.posts",
        "question.industries",
        "question.active",
        "question_version.stem",
        "question_version.options",
        "question_version.answer",
        "question_version.explanation",
        "question_version.regulation",
      ])
      .where("question.owner_enterprise_id", "=", owner)
      .where("question.external_id", "in", keys.slice(i, i + 500))
      .execute();
    rows.forEach((r) => current.set(r.external_id, r));
  }
  const added: PreviewItem[] = [];
  const changed: PreviewItem[] = [];
  for (const v of ready) {
    const item: PreviewItem = { line: v.line, key: v.key, input: v.input };
    const cur = v.key ? current.get(v.key) : undefined;
    if (!cur) {
      added.push(item);
      continue;
    }
    const changes = diff(cur, v.input);
    if (!cur.active) changes.push({ field: "状态", before: "已停用", after: "启用" });
    if (changes.length) changed.push({ ...item, changes });
    else
      skipped.push({
        line: v.line,
        question: plainLine(v.input.stem, 20),
        reason: `与题库中编号「${v.key}」的题目相同，无需更新`,
      });
  }
  skipped.sort((a, b) => a.line - b.line);
  return { format, formatLabel: FORMAT_LABELS[format], encoding: parsed.encoding, added, changed, skipped };
}

export class ImportError extends Error {}

/**
 * Write a checked batch in one transaction: a known key gets a new version, anything else is a new question
 * (keyless ones get a fresh key). Any failure rolls the whole batch back.
 */
export async function commitImport(
  actor: Actor,
  owner: number,
  items: { key: string | null; input: QuestionInput }[],
  ip: string,
) {
  return db.transaction().execute(async (trx) => {
    const keys = items.map((i) => i.key).filter((k): k is string => k !== null);
    if (new Set(keys).size !== keys.length)
      throw new ImportError("同一编号出现了两次，请重新上传文件检查（未导入任何题目）");
    const existing = new Map<string, number>();
    for (let i = 0; i < keys.length; i += 500) {
      (
        await trx
          .selectFrom("question")
          .select(["id", "external_id"])
          .where("owner_enterprise_id", "=", owner)
          .where("external_id", "in", keys.slice(i, i + 500))
          .execute()
      ).forEach((r) => existing.set(r.external_id, r.id));
    }
    let created = 0;
    let updated = 0;
    for (const [k, item] of items.entries()) {
      // Checked as each question is written: a missing file undoes the questions written before it too.
      const hashes = [item.input.stem, ...item.input.options, item.input.explanation ?? ""]
        .flatMap(mediaIn)
        .map((m) => m.hash);
      if (hashes.length && (await knownMedia(hashes, trx)).size !== new Set(hashes).size) {
        throw new ImportError(
          `第 ${k + 1} 题「${plainLine(item.input.stem, 20)}」的图片或音频不在媒体库中，请重新上传文件检查（未导入任何题目）`,
        );
      }
      const id = item.key ? existing.get(item.key) : undefined;
      if (id === undefined) {
        await insertQuestion(trx, owner, item.key ?? randomUUID(), item.input, "import");
        created++;
      } else if (await updateQuestion(trx, id, item.input)) {
        updated++;
      }
    }
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "question.imported",
      entityType: "question_bank",
      entityId: owner,
      after: { created, updated },
      ip,
    });
    return { created, updated };
  });
}

export type ExportFormat = "xlsx" | "xml" | "gift" | "aiken";

export const EXPORT_FILES: Record<ExportFormat, { label: string; name: string; type: string }> = {
  xlsx: {
    label: "Excel",
    name: "安训题库.xlsx",
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  },
  xml: { label: "Moodle XML", name: "安训题库.xml", type: "application/xml; charset=utf-8" },
  gift: { label: "GIFT", name: "安训题库.gift.txt", type: "text/plain; charset=utf-8" },
  aiken: { label: "Aiken", name: "安训题库.aiken.txt", type: "text/plain; charset=utf-8" },
};

/** The bank (or a filtered part) in an interchange format, with the questions the format cannot carry. */
export async function exportQuestions(
  owners: number[],
  filter: { topic?: string; type?: QuestionType },
  format: ExportFormat,
): Promise<{ file: Buffer; skipped: ExportSkip[] }> {
  let q = db
    .selectFrom("question")
    .innerJoin("question_version", "question_version.id", "question.current_version_id")
    .select([
      "question.external_id",
      "question.type",
      "question.topic",
      "question.difficulty",
      "question.posts",
      "question.industries",
      "question_version.stem",
      "question_version.options",
      "question_version.answer",
      "question_version.explanation",
      "question_version.regulation",
    ])
    .where("question.owner_enterprise_id", "in", owners)
    .where("question.active", "=", 1)
    .orderBy("question.id")
    .limit(20000);
  if (filter.topic) q = q.where("question.topic", "=", filter.topic);
  if (filter.type) q = q.where("question.type", "=", filter.type);
  const rows: ExportQuestion[] = (await q.execute()).map((r) => ({
    externalId: r.external_id,
    type: r.type,
    stem: r.stem,
    options: JSON.parse(r.options) as string[],
    answer: r.answer,
    explanation: r.explanation,
    regulation: r.regulation,
    difficulty: r.difficulty,
    topic: r.topic,
    posts: r.posts ? r.posts.split(",") : [],
    industries: r.industries ? r.industries.split(",") : [],
  }));
  if (format === "xlsx") return { file: await questionWorkbook(rows), skipped: [] };
  if (format === "aiken") {
    const { text, skipped } = toAiken(rows);
    return { file: Buffer.from(text, "utf8"), skipped };
  }
  const media = await mediaForExport(
    rows.flatMap((r) => [r.stem, ...r.options, r.explanation ?? ""].flatMap(mediaIn).map((m) => m.hash)),
  );
  const text = format === "gift" ? toGift(rows, media) : toMoodleXml(rows, filter.topic ?? "安训题库", media);
  return { file: Buffer.from(text, "utf8"), skipped: [] };
}

export const questionTemplate = () => questionWorkbook([]);
