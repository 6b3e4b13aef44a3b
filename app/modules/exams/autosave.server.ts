import { idParam } from "../../lib/validation";
import { can, refusalMessage, type Actor } from "../auth/policy";
import { answerTarget, parseAnswerFields, storeAnswer } from "./answers.server";

export type AutosaveReply = {
  status: number;
  body: { ok: boolean; message?: string; position?: number; seq?: number };
};

/**
 * Autosave of one answer by an examinee with an account: the hot path of an exam. Parse, authorize, one read, one
 * upsert. It answers with a status and JSON instead of throwing, so the Remix route and the server's fast path
 * (scripts/server.js, docs/decisions/0009) give the same answers. An expired session is a 401 the page can show,
 * never a redirect that fetch would follow to a 200 login page.
 */
export async function autosaveAnswer(
  actor: Actor | null,
  rawAttemptId: string | undefined,
  fields: unknown,
): Promise<AutosaveReply> {
  if (!actor) return { status: 401, body: { ok: false, message: "登录已过期，请重新登录后继续答题" } };
  if (!actor.personId) return { status: 403, body: { ok: false, message: "您的账号没有关联人员档案，不能参加考试。" } };
  const input = parseAnswerFields(fields);
  if (!input.ok) return { status: input.status, body: { ok: false, message: input.message } };
  const id = idParam.safeParse(rawAttemptId);
  const target = id.success ? await answerTarget(id.data, input.position) : undefined;
  if (!target) return { status: 404, body: { ok: false, message: "该题不存在" } };
  const resource = { type: "attempt" as const, personId: target.person_id };
  if (!can(actor, "update", resource))
    return { status: 403, body: { ok: false, message: refusalMessage(actor, resource) } };
  const saved = await storeAnswer(target, input.answer, input.seq);
  if (!saved.ok) return { status: saved.status, body: { ok: false, message: saved.message } };
  return { status: 200, body: { ok: true, position: input.position, seq: input.seq } };
}
