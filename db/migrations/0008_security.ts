import { sql, type Kysely } from "kysely";

/**
 * Security (docs/decisions/0012-login-names-and-lockout.md): account names get one spelling (NFKC, no invisible
 * characters, lower case), compared byte for byte. Accounts whose names collide once normalized keep the oldest as
 * is; the others are renamed `<name>.dup<n>`, deactivated and reported in the audit log for an administrator to sort
 * out (they could never log in separately anyway: the old case- and accent-insensitive comparison found the first).
 */

// Frozen copy of app/modules/auth/username.ts as of this migration.
const normalize = (raw: string) =>
  raw
    .normalize("NFKC")
    .replace(/\p{Default_Ignorable_Code_Point}/gu, "")
    .toLowerCase()
    .normalize("NFKC")
    .trim();

export async function up(db: Kysely<any>): Promise<void> {
  const users = (await db
    .selectFrom("user")
    .select(["id", "username"])
    .orderBy("created_at")
    .orderBy("id")
    .execute()) as { id: string; username: string }[];
  const owner = new Map<string, string>();
  const renames: { id: string; from: string; to: string; duplicate: boolean }[] = [];
  const used = new Set(users.map((u) => normalize(u.username)));
  for (const u of users) {
    const key = normalize(u.username);
    if (!owner.has(key)) {
      owner.set(key, u.id);
      if (key !== u.username) renames.push({ id: u.id, from: u.username, to: key, duplicate: false });
      continue;
    }
    let n = 1;
    while (used.has(`${key.slice(0, 56)}.dup${n}`)) n++;
    const to = `${key.slice(0, 56)}.dup${n}`;
    used.add(to);
    renames.push({ id: u.id, from: u.username, to, duplicate: true });
  }
  // Duplicates first, so that a normalized name is free before its keeper takes it.
  for (const r of [...renames.filter((x) => x.duplicate), ...renames.filter((x) => !x.duplicate)]) {
    await db
      .updateTable("user")
      .set({ username: r.to, ...(r.duplicate ? { active: 0 } : {}) })
      .where("id", "=", r.id)
      .execute();
    await db
      .insertInto("audit_log")
      .values({
        actor_user_id: null,
        action: r.duplicate ? "account.username_collision" : "account.username_normalized",
        entity_type: "user",
        entity_id: r.id,
        before_json: JSON.stringify({ username: r.from }),
        after_json: JSON.stringify({ username: r.to, ...(r.duplicate ? { active: false } : {}) }),
        ip: null,
      })
      .execute();
    if (r.duplicate) await db.deleteFrom("session").where("user_id", "=", r.id).execute();
  }
  await sql`ALTER TABLE user MODIFY username VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE user MODIFY username VARCHAR(64) NOT NULL`.execute(db);
}
