/**
 * The exam autosave is answered by scripts/server.js before Express (decisions 0009, 0034). It must give the route's
 * answers and keep the checks Express made for it: Origin, body size, number of fields, security headers.
 * Needs the production build.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { DEMO_PASSWORD } from "../../db/seed/demo";
import { hasBuild, loginThrough, startBuiltServer, type BuiltServer } from "../support/server";

if (!hasBuild)
  console.log("SKIPPED autosave fast path tests: no production build (run `npm run build`; npm test does)");

describe.skipIf(!hasBuild)("the autosave fast path", () => {
  let server: BuiltServer;
  let cookie = "";
  let attemptId = 0;
  const save = (body: string, headers: Record<string, string> = {}, id = attemptId) =>
    fetch(`${server.base}/attempts/${id}/answers`, {
      method: "POST",
      body,
      headers: { origin: server.base, "content-type": "application/x-www-form-urlencoded", cookie, ...headers },
    });
  const stored = () =>
    db
      .selectFrom("attempt_answer")
      .select(["position", "answer", "client_seq"])
      .where("attempt_id", "=", attemptId)
      .execute();

  beforeAll(async () => {
    server = await startBuiltServer();
    cookie = await loginThrough(server.base, "worker", DEMO_PASSWORD);
    const exam = await db.selectFrom("exam").select("id").orderBy("id").executeTakeFirstOrThrow();
    const started = await fetch(`${server.base}/exams/${exam.id}/start`, {
      method: "POST",
      redirect: "manual",
      body: "",
      headers: { origin: server.base, "content-type": "application/x-www-form-urlencoded", cookie },
    });
    expect(started.status).toBe(302);
    attemptId = Number(started.headers.get("location")!.split("/").pop());
  }, 120_000);
  afterAll(() => server?.stop());

  it("stores an answer in order and answers with the route's JSON and the security headers", async () => {
    const res = await save("position=31&answer=true&seq=2");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, position: 31, seq: 2 });
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    // An older save arriving late changes nothing.
    expect((await save("position=31&answer=false&seq=1")).status).toBe(200);
    expect(await stored()).toEqual([{ position: 31, answer: expect.any(String), client_seq: 2 }]);
    const [row] = await stored();
    expect((await save("position=31&answer=false&seq=3")).status).toBe(200);
    expect((await stored())[0].answer).not.toBe(row.answer);
  });

  it("refuses another site's form, an oversized body and too many fields, and keeps nothing of them", async () => {
    const before = await stored();
    const foreign = await save("position=32&answer=true&seq=9", { origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain("请求来源校验失败");
    const big = await save(`position=32&answer=true&seq=9&pad=${"x".repeat(20_000)}`);
    expect(big.status).toBe(413);
    const many = await save(Array.from({ length: 11 }, (_, i) => `f${i}=1`).join("&"));
    expect(many.status).toBe(413);
    expect(await stored()).toEqual(before);
  });

  it("gives the route's refusals: no session, someone else's attempt, a bad answer", async () => {
    const anonymous = await save("position=33&answer=true&seq=1", { cookie: "" });
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).message).toContain("登录已过期");
    const other = await loginThrough(server.base, "officer", DEMO_PASSWORD);
    const notMine = await save("position=33&answer=true&seq=1", { cookie: other });
    expect(notMine.status).toBe(403);
    const wrongShape = await save("position=33&answer=XYZ&seq=1");
    expect(wrongShape.status).toBe(422);
    const repeated = await save("position=33&position=34&answer=true&seq=1");
    expect(repeated.status).toBeGreaterThanOrEqual(400);
    expect(repeated.status).toBeLessThan(500);
  });
});
