import { sql } from "kysely";
import { db } from "../../lib/db.server";
import type { PageParams } from "../../lib/paging";
import { keysetPage } from "../../lib/paging.server";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import { escapeLike } from "../org/enterprises.server";
import type { QuestionType } from "../../../db/types";
import { insertQuestion, setQuestionActive, updateQuestion } from "./bank.server";
import type { QuestionInput } from "./schema";

export interface QuestionQuery {
  owners: number[];
  topic?: string;
  type?: QuestionType;
  q?: string;
  showInactive?: boolean;
}

/** A page of the bank, with the current wording (answers included: only staff see this list). */
export async function listQuestions(f: QuestionQuery, paging: PageParams) {
  let q = db
    .selectFrom("question")
    .innerJoin("question_version", "question_version.id", "question.current_version_id")
    .select([
      "question.id",
      "question.external_id",
      "question.owner_enterprise_id",
      "question.type",
      "question.topic",
      "question.difficulty",
      "question.active",
      "question_version.stem",
      "question_version.version",
    ])
    .where("question.owner_enterprise_id", "in", f.owners);
  if (f.topic) q = q.where("question.topic", "=", f.topic);
  if (f.type) q = q.where("question.type", "=", f.type);
  if (!f.showInactive) q = q.where("question.active", "=", 1);
  if (f.q) q = q.where("question_version.stem", "like", `%${escapeLike(f.q)}%`);
  return keysetPage(q, { column: "question.id", of: (r) => r.id, numeric: true }, paging, 30);
}

export async function getQuestion(id: number) {
  const q = await db
    .selectFrom("question")
    .innerJoin("question_version", "question_version.id", "question.current_version_id")
    .select([
      "question.id",
      "question.external_id",
      "question.review_pending",
      "question.owner_enterprise_id",
      "question.type",
      "question.topic",
      "question.difficulty",
      "question.posts",
      "question.industries",
      "question.course_slug",
      "question.lesson_slug",
      "question.active",
      "question_version.stem",
      "question_version.options",
      "question_version.answer",
      "question_version.explanation",
      "question_version.regulation",
      "question_version.version",
    ])
    .where("question.id", "=", id)
    .executeTakeFirst();
  if (!q) return undefined;
  const used = await db
    .selectFrom("attempt_item")
    .select(sql<number>`COUNT(*)`.as("n"))
    .where("question_id", "=", id)
    .executeTakeFirstOrThrow();
  return {
    ...q,
    options: JSON.parse(q.options) as string[],
    posts: q.posts ? q.posts.split(",") : [],
    industries: q.industries ? q.industries.split(",") : [],
    timesDrawn: Number(used.n),
  };
}

export async function questionVersions(id: number) {
  return db
    .selectFrom("question_version")
    .select(["id", "version", "stem", "answer", "created_at"])
    .where("question_id", "=", id)
    .orderBy("version", "desc")
    .execute();
}

export async function editQuestion(actor: Actor, id: number, input: QuestionInput, ip: string) {
  return db.transaction().execute(async (trx) => {
    const changed = await updateQuestion(trx, id, input);
    if (changed)
      await recordAudit(trx, {
        actorUserId: actor.userId,
        action: "question.updated",
        entityType: "question",
        entityId: id,
        after: input,
        ip,
      });
    return changed;
  });
}

export async function createQuestion(actor: Actor, owner: number, input: QuestionInput, ip: string) {
  return db.transaction().execute(async (trx) => {
    const externalId = `q-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const id = await insertQuestion(trx, owner, externalId, input, "editor");
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "question.created",
      entityType: "question",
      entityId: id,
      after: input,
      ip,
    });
    return id;
  });
}

export async function toggleQuestion(actor: Actor, id: number, active: boolean, ip: string) {
  await db.transaction().execute(async (trx) => {
    await setQuestionActive(trx, id, active);
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: active ? "question.reactivated" : "question.deactivated",
      entityType: "question",
      entityId: id,
      ip,
    });
  });
}
