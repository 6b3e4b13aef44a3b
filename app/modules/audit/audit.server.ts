import type { Kysely, Transaction } from "kysely";
import { db } from "../../lib/db.server";
import type { Database } from "../../../db/types";

export interface AuditEntry {
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
}

/** Write an audit row in the caller's transaction, so the change and its record commit together. */
export async function recordAudit(trx: Kysely<Database> | Transaction<Database>, entry: AuditEntry) {
  await trx
    .insertInto("audit_log")
    .values({
      actor_user_id: entry.actorUserId,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: String(entry.entityId),
      before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
      after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
      ip: entry.ip ?? null,
    })
    .execute();
}

export interface AuditQuery {
  entityType?: string;
  entityId?: string;
  beforeId?: number;
  limit: number;
}

/** Newest first, keyset-paged by id so deep pages stay one index range. */
export async function listAudit(q: AuditQuery) {
  let query = db
    .selectFrom("audit_log")
    .leftJoin("user", "user.id", "audit_log.actor_user_id")
    .select([
      "audit_log.id",
      "audit_log.at",
      "audit_log.action",
      "audit_log.entity_type",
      "audit_log.entity_id",
      "audit_log.before_json",
      "audit_log.after_json",
      "audit_log.ip",
      "user.display_name as actor_name",
      "user.username as actor_username",
    ])
    .orderBy("audit_log.id", "desc")
    .limit(q.limit + 1);
  if (q.entityType) query = query.where("audit_log.entity_type", "=", q.entityType);
  if (q.entityId) query = query.where("audit_log.entity_id", "=", q.entityId);
  if (q.beforeId) query = query.where("audit_log.id", "<", q.beforeId);
  const rows = await query.execute();
  return { rows: rows.slice(0, q.limit), hasMore: rows.length > q.limit };
}
