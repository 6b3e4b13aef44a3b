import { refuse, type Refusal } from "~/lib/result";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { httpError } from "../../lib/http";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import {
  DRILL_FILE_MAX_BYTES,
  DRILL_FILE_TOO_LARGE,
  DRILL_FILE_WRONG_TYPE,
  drillFileName,
  sniffDrillFile,
} from "./files";
import type { DrillFileKind } from "./files";

/**
 * A drill's files (plan/script 方案/脚本, task cards 任务卡), kept like its photos: rows beside the drill in the
 * database, served only by app/routes/drills.$id.files.$fileId.tsx after the drill's policy and its sealing.
 */
export async function filesOfDrill(drillId: number) {
  const rows = await db
    .selectFrom("drill_file")
    .leftJoin("user as voider", "voider.id", "drill_file.voided_by")
    .select([
      "drill_file.id",
      "drill_file.kind",
      "drill_file.file_name",
      "drill_file.content_type",
      "drill_file.byte_size",
      "drill_file.uploaded_by_name",
      "drill_file.created_at",
      "drill_file.voided_at",
      "drill_file.void_reason",
      "voider.display_name as voided_by_name",
    ])
    .where("drill_file.drill_id", "=", drillId)
    .orderBy("drill_file.id")
    .limit(200)
    .execute();
  return rows.map((f) => ({
    id: f.id,
    kind: f.kind,
    name: f.file_name,
    contentType: f.content_type,
    size: f.byte_size,
    by: f.uploaded_by_name,
    at: f.created_at.toISOString(),
    voided: f.voided_at
      ? { at: f.voided_at.toISOString(), by: f.voided_by_name ?? "", reason: f.void_reason ?? "" }
      : null,
  }));
}
export type DrillFileView = Awaited<ReturnType<typeof filesOfDrill>>[number];

export type AddFileResult = { ok: true; id: number; name: string } | Refusal;

/** Keep an uploaded file of a drill not yet closed: checked by its bytes and size, audited, in one transaction. */
export async function addDrillFile(
  actor: Actor,
  drillId: number,
  kind: DrillFileKind,
  file: File,
  ip: string,
): Promise<AddFileResult> {
  if (file.size > DRILL_FILE_MAX_BYTES) return refuse(422, DRILL_FILE_TOO_LARGE, "file");
  const bytes = Buffer.from(await file.arrayBuffer());
  const type = sniffDrillFile(bytes);
  if (!type) return refuse(422, DRILL_FILE_WRONG_TYPE, "file");
  const name = drillFileName(file.name, type.ext);
  return db.transaction().execute(async (trx) => {
    const d = await trx
      .selectFrom("drill")
      .select("status")
      .where("id", "=", drillId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (d.status === "closed" || d.status === "cancelled") httpError(409, "演练已关闭或已取消，不能再上传文件。");
    const res = await trx
      .insertInto("drill_file")
      .values({
        drill_id: drillId,
        kind,
        file_name: name,
        content_type: type.contentType,
        byte_size: bytes.length,
        bytes,
        uploaded_by: actor.userId,
        uploaded_by_name: actor.displayName,
      })
      .executeTakeFirstOrThrow();
    const id = Number(res.insertId);
    // The file's name and kind, not its content: the audit log is not a way around the sealing.
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "drill.file_added",
      entityType: "drill",
      entityId: drillId,
      after: { fileId: id, kind, name, bytes: bytes.length, contentType: type.contentType },
      ip,
    });
    return { ok: true as const, id, name };
  });
}

/** Withdraw a file with a reason: it stays listed, struck through, and is no longer offered. */
export async function voidDrillFile(actor: Actor, drillId: number, fileId: number, reason: string, ip: string) {
  return db.transaction().execute(async (trx) => {
    const f = await trx
      .selectFrom("drill_file")
      .select(["id", "file_name", "voided_at"])
      .where("id", "=", fileId)
      .where("drill_id", "=", drillId)
      .forUpdate()
      .executeTakeFirst();
    if (!f) return { ok: false as const, message: "该文件不存在。" };
    if (f.voided_at) return { ok: false as const, message: "该文件已作废。" };
    await trx
      .updateTable("drill_file")
      .set({ voided_at: now(), voided_by: actor.userId, void_reason: reason })
      .where("id", "=", fileId)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "drill.file_voided",
      entityType: "drill",
      entityId: drillId,
      before: { fileId, name: f.file_name },
      after: { reason },
      ip,
    });
    return { ok: true as const };
  });
}

/** One file of a drill with its bytes, unless voided. */
export async function drillFile(drillId: number, fileId: number) {
  return db
    .selectFrom("drill_file")
    .select(["file_name", "content_type", "bytes"])
    .where("id", "=", fileId)
    .where("drill_id", "=", drillId)
    .where("voided_at", "is", null)
    .executeTakeFirst();
}

/** A kept file as a download: private, never sniffed, always saved rather than opened inline (no active content). */
export function drillFileResponse(f: { file_name: string; content_type: string; bytes: Buffer }) {
  return new Response(new Uint8Array(f.bytes), {
    headers: {
      "Content-Type": f.content_type,
      "Content-Disposition": `attachment; filename="drill-file"; filename*=UTF-8''${encodeURIComponent(f.file_name)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
