import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../../db/types";
import { db } from "../../lib/db.server";

/** What a notification is about; the inbox groups and words them by kind. */
export type NotificationKind =
  | "assignment"
  | "assignment_due"
  | "reminder"
  | "exam_open"
  | "exam_result"
  | "makeup_exam"
  | "retest"
  | "certificate_review"
  | "certificate_expiry"
  | "drill_task"
  | "rectification"
  | "callout"
  | "contest"
  | "system";

export interface NotificationInput {
  /** People (an account, if they have one, reads it; channels such as SMS reach them either way). */
  personIds?: number[];
  /** Accounts with no person row (inspectors, regulators, admins). */
  userIds?: string[];
  kind: NotificationKind;
  title: string;
  body?: string;
  /** An internal path ("/exams/12/start"), never an outside address. */
  link?: string;
  /** Written once per key and recipient: a reminder job may run many times a day. */
  dedupeKey?: string;
  createdBy?: string | null;
}

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Write notifications in the caller's transaction, so an assignment and its notice commit (or roll back) together.
 * Returns how many were written (deduplicated ones are not). Delivery through other channels reads these rows.
 */
export async function notify(trx: Executor, input: NotificationInput): Promise<number> {
  const base = {
    kind: input.kind,
    title: input.title.slice(0, 200),
    body: (input.body ?? "").slice(0, 1000),
    link: input.link && input.link.startsWith("/") && !input.link.startsWith("//") ? input.link.slice(0, 300) : null,
    created_by: input.createdBy ?? null,
  };
  const rows = [
    ...[...new Set(input.personIds ?? [])].map((personId) => ({
      ...base,
      person_id: personId,
      user_id: null,
      dedupe_key: input.dedupeKey ? `${input.dedupeKey}:p${personId}`.slice(0, 160) : null,
    })),
    ...[...new Set(input.userIds ?? [])].map((userId) => ({
      ...base,
      person_id: null,
      user_id: userId,
      dedupe_key: input.dedupeKey ? `${input.dedupeKey}:u${userId}`.slice(0, 160) : null,
    })),
  ];
  let written = 0;
  // Chunks keep one statement bounded when a whole enterprise is notified.
  for (let i = 0; i < rows.length; i += 500) {
    const result = await trx
      .insertInto("notification")
      .ignore()
      .values(rows.slice(i, i + 500))
      .executeTakeFirst();
    written += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return written;
}

export interface InboxOwner {
  userId: string;
  personId: number | null;
}

function inboxOf(owner: InboxOwner) {
  return db
    .selectFrom("notification")
    .where((eb) =>
      owner.personId === null
        ? eb("user_id", "=", owner.userId)
        : eb.or([eb("user_id", "=", owner.userId), eb("person_id", "=", owner.personId)]),
    );
}

export async function unreadCount(owner: InboxOwner): Promise<number> {
  const row = await inboxOf(owner)
    .where("read_at", "is", null)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Newest first, keyset-paged by id. */
export async function listInbox(owner: InboxOwner, opts: { beforeId?: number; limit: number }) {
  let query = inboxOf(owner)
    .select(["id", "kind", "title", "body", "link", "created_at", "read_at"])
    .orderBy("id", "desc")
    .limit(opts.limit + 1);
  if (opts.beforeId) query = query.where("id", "<", opts.beforeId);
  const rows = await query.execute();
  return { rows: rows.slice(0, opts.limit), hasMore: rows.length > opts.limit };
}

/** Mark read: only rows of this inbox change, whatever ids are sent. */
export async function markRead(owner: InboxOwner, ids: number[] | "all", at: Date): Promise<void> {
  let query = db
    .updateTable("notification")
    .set({ read_at: at })
    .where("read_at", "is", null)
    .where((eb) =>
      owner.personId === null
        ? eb("user_id", "=", owner.userId)
        : eb.or([eb("user_id", "=", owner.userId), eb("person_id", "=", owner.personId)]),
    );
  if (ids !== "all") {
    if (ids.length === 0) return;
    query = query.where("id", "in", ids.slice(0, 200));
  }
  await query.execute();
}
