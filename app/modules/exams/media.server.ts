import type { Transaction } from "kysely";
import type { Database } from "../../../db/types";
import { db } from "../../lib/db.server";
import type { MediaFile } from "./formats/media";
import type { ExportMedia } from "./formats/types";

/**
 * The question media store (question_media, MEDIUMBLOB like the drill photos, so every process serves every
 * file). Files are content-addressed: storing one twice is a no-op, and a file is only ever shown through a
 * question text that names its hash.
 */
export async function storeMedia(files: Iterable<MediaFile>, userId: string) {
  const rows = [...new Map([...files].map((f) => [f.hash, f])).values()];
  for (const f of rows) {
    await db
      .insertInto("question_media")
      .values({
        hash: f.hash,
        kind: f.kind,
        content_type: f.contentType,
        bytes: f.data,
        size: f.data.length,
        created_by: userId,
      })
      .onDuplicateKeyUpdate({ hash: f.hash })
      .execute();
  }
}

/** Which of these hashes the store holds. */
export async function knownMedia(hashes: string[], trx: Transaction<Database> | typeof db = db): Promise<Set<string>> {
  const out = new Set<string>();
  const unique = [...new Set(hashes)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await trx
      .selectFrom("question_media")
      .select("hash")
      .where("hash", "in", unique.slice(i, i + 500))
      .execute();
    rows.forEach((r) => out.add(r.hash));
  }
  return out;
}

/** The files an export needs. */
export async function mediaForExport(hashes: string[]): Promise<ExportMedia> {
  const out: ExportMedia = new Map();
  const unique = [...new Set(hashes)];
  for (let i = 0; i < unique.length; i += 100) {
    const rows = await db
      .selectFrom("question_media")
      .select(["hash", "content_type", "bytes"])
      .where("hash", "in", unique.slice(i, i + 100))
      .execute();
    rows.forEach((r) => out.set(r.hash, { contentType: r.content_type, data: r.bytes }));
  }
  return out;
}

export async function getMedia(hash: string) {
  return db.selectFrom("question_media").select(["content_type", "bytes"]).where("hash", "=", hash).executeTakeFirst();
}
