/**
 * Every `db.transaction().execute(...)` is retried as a whole when it loses a deadlock (on Galera: a certification
 * conflict, the same error 1213). Two real transactions lock two rows in opposite order on this server.
 */
import { describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";

describe("db.transaction() and deadlocks", () => {
  it("runs the losing transaction again, so both complete", async () => {
    await db
      .insertInto("job_state")
      .values([
        { name: "deadlock_a", value: "0" },
        { name: "deadlock_b", value: "0" },
      ])
      .execute();
    let firstLocked!: () => void;
    let secondLocked!: () => void;
    const first = new Promise<void>((r) => (firstLocked = r));
    const second = new Promise<void>((r) => (secondLocked = r));
    const runs = { one: 0, two: 0 };
    const one = db.transaction().execute(async (trx) => {
      runs.one++;
      await trx.updateTable("job_state").set({ value: "one" }).where("name", "=", "deadlock_a").execute();
      if (runs.one === 1) {
        firstLocked();
        await second;
      }
      await trx.updateTable("job_state").set({ value: "one" }).where("name", "=", "deadlock_b").execute();
    });
    const two = db.transaction().execute(async (trx) => {
      runs.two++;
      await trx.updateTable("job_state").set({ value: "two" }).where("name", "=", "deadlock_b").execute();
      if (runs.two === 1) {
        secondLocked();
        await first;
      }
      await trx.updateTable("job_state").set({ value: "two" }).where("name", "=", "deadlock_a").execute();
    });
    await Promise.all([one, two]);
    // One of them was chosen as the deadlock victim, rolled back and run again.
    expect(runs.one + runs.two).toBe(3);
    const rows = await db
      .selectFrom("job_state")
      .select(["name", "value"])
      .where("name", "in", ["deadlock_a", "deadlock_b"])
      .execute();
    // The one that ran again committed last, on both rows.
    const last = runs.one === 2 ? "one" : "two";
    expect(rows.map((r) => r.value)).toEqual([last, last]);
  });
});
