import { describe, expect, it } from "vitest";
import { isRetryable, withRetry } from "../../app/lib/db.server";

const deadlock = Object.assign(new Error("Deadlock found when trying to get lock; try restarting transaction"), {
  errno: 1213,
});
const duplicate = Object.assign(new Error("Duplicate entry"), { errno: 1062 });

describe("withRetry (deadlocks and Galera certification conflicts)", () => {
  it("runs the work again after a deadlock and returns its result", async () => {
    let calls = 0;
    const result = await withRetry(async () => {
      calls++;
      if (calls < 3) throw deadlock;
      return "done";
    });
    expect(result).toBe("done");
    expect(calls).toBe(3);
  });

  it("does not retry other errors", async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw duplicate;
      }),
    ).rejects.toBe(duplicate);
    expect(calls).toBe(1);
  });

  it("gives up after the last attempt with the deadlock error", async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw deadlock;
      }, 3),
    ).rejects.toBe(deadlock);
    expect(calls).toBe(3);
    expect(isRetryable(deadlock)).toBe(true);
    expect(isRetryable(new Error("x"))).toBe(false);
  });
});
