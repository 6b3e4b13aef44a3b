/**
 * Effects that cross modules run inside the write that causes them: a person change and its enterprise's
 * certification summary commit together, or not at all.
 */
import { describe, expect, it } from "vitest";
import "../support/database";
import { db } from "../../app/lib/db.server";
import { createPeopleBatch, createPerson, setPersonActive, updatePerson } from "../../app/modules/org/people.server";
import type { Actor } from "../../app/modules/auth/policy";
import { makeIdNumber } from "../../db/seed/identifiers";

const A = "安澜宏达化工有限公司";
const admin: Actor = {
  userId: "admin",
  username: "admin",
  displayName: "admin",
  role: "admin",
  enterpriseId: null,
  regionPath: null,
  personId: null,
};

async function enterprise() {
  return db.selectFrom("enterprise").select(["id", "region_path"]).where("name", "=", A).executeTakeFirstOrThrow();
}
async function required(enterpriseId: number, post: "special_operator" | "worker" = "special_operator") {
  const row = await db
    .selectFrom("cert_summary_enterprise")
    .select("required")
    .where("enterprise_id", "=", enterpriseId)
    .where("post", "=", post)
    .executeTakeFirst();
  return Number(row?.required ?? 0);
}
async function cityRequired(post = "special_operator") {
  const root = await db
    .selectFrom("region")
    .select("id")
    .where("parent_id", "is", null)
    .orderBy("id")
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom("cert_summary_region")
    .select("required")
    .where("region_id", "=", root.id)
    .where("post", "=", post as never)
    .execute();
  return rows.reduce((n, r) => n + Number(r.required), 0);
}
const person = (enterpriseId: number, seq: number, post: "special_operator" | "worker") => ({
  enterpriseId,
  name: `测试${seq}`,
  idNumber: makeIdNumber("339901", "1988-03-14", 900 + seq),
  post,
  phone: undefined,
  hireDate: undefined,
});

describe("a person change and its enterprise summary", () => {
  it("commit together: a new special operator, a change of post, a departure", async () => {
    const e = await enterprise();
    const before = await required(e.id);
    const city = await cityRequired();
    const saved = await createPerson(admin, person(e.id, 1, "special_operator"), "127.0.0.1");
    expect(saved.ok).toBe(true);
    expect(await required(e.id)).toBe(before + 1);
    expect(await cityRequired()).toBe(city + 1);
    const id = saved.ok ? saved.id : 0;
    await updatePerson(
      admin,
      id,
      { name: "测试1", post: "worker", phone: undefined, hireDate: undefined },
      "127.0.0.1",
    );
    expect(await required(e.id)).toBe(before);
    await updatePerson(
      admin,
      id,
      { name: "测试1", post: "special_operator", phone: undefined, hireDate: undefined },
      "127.0.0.1",
    );
    expect(await required(e.id)).toBe(before + 1);
    await setPersonActive(admin, id, false, "127.0.0.1");
    expect(await required(e.id)).toBe(before);
    expect(await cityRequired()).toBe(city);
  });

  it("roll back together: a batch with a bad row leaves neither people nor counts behind", async () => {
    const e = await enterprise();
    const before = await required(e.id);
    const people = await db
      .selectFrom("person")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("enterprise_id", "=", e.id)
      .executeTakeFirstOrThrow();
    const good = person(e.id, 2, "special_operator");
    const result = await createPeopleBatch(admin, [good, person(e.id, 3, "special_operator"), good], "127.0.0.1");
    expect(result).toMatchObject({ ok: false, index: 2 });
    expect(await required(e.id)).toBe(before);
    const after = await db
      .selectFrom("person")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("enterprise_id", "=", e.id)
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(people.n));
  });
});
