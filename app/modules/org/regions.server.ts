import { refuse, type Refusal } from "~/lib/result";
import { db } from "../../lib/db.server";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import type { RegionInput } from "./schema";

export async function listRegions(rootPath: string | null = null) {
  let q = db
    .selectFrom("region")
    .select(["id", "parent_id", "name", "level", "code", "path", "active"])
    .orderBy("path");
  if (rootPath) q = q.where("path", "like", `${rootPath}%`);
  return q.execute();
}

export async function getRegion(id: number) {
  return db.selectFrom("region").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Regions with their full names ("安澜市 / 滨江区"), for pickers. */
export async function regionOptions(rootPath: string | null = null) {
  const rows = await listRegions(rootPath);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return rows.map((r) => {
    const names: string[] = [];
    for (let cur: typeof r | undefined = r; cur; cur = cur.parent_id ? byId.get(cur.parent_id) : undefined)
      names.unshift(cur.name);
    return { id: r.id, label: names.join(" / "), level: r.level, path: r.path, active: Boolean(r.active) };
  });
}

export type RegionSaveResult = { ok: true; id: number } | Refusal;

export async function createRegion(actor: Actor, input: RegionInput, ip: string): Promise<RegionSaveResult> {
  return db.transaction().execute(async (trx) => {
    let parentPath = "/";
    if (input.parentId) {
      const parent = await trx
        .selectFrom("region")
        .select(["path", "level"])
        .where("id", "=", input.parentId)
        .forUpdate()
        .executeTakeFirst();
      if (!parent) return refuse(422, "上级区域不存在", "parentId");
      if (parent.level === "town") return refuse(422, "镇街下不能再设下级区域", "parentId");
      parentPath = parent.path;
    } else if (input.level !== "city") {
      return refuse(422, "区县和镇街须选择上级区域", "parentId");
    }
    const res = await trx
      .insertInto("region")
      .values({ name: input.name, parent_id: input.parentId, level: input.level, code: input.code ?? null, path: "" })
      .executeTakeFirstOrThrow();
    const id = Number(res.insertId);
    await trx
      .updateTable("region")
      .set({ path: `${parentPath}${id}/` })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "region.created",
      entityType: "region",
      entityId: id,
      after: input,
      ip,
    });
    return { ok: true as const, id };
  });
}

export async function renameRegion(actor: Actor, id: number, name: string, code: string | undefined, ip: string) {
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("region")
      .select(["name", "code"])
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable("region")
      .set({ name, code: code ?? null })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "region.updated",
      entityType: "region",
      entityId: id,
      before,
      after: { name, code },
      ip,
    });
  });
}
