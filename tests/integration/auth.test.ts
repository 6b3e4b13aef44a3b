import { describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { action as loginAction } from "../../app/routes/login";
import { action as passwordAction } from "../../app/routes/account.password";
import { loader as homeLoader } from "../../app/routes/_index";
import { action as logoutAction } from "../../app/routes/logout";
import { getActor, login } from "../../app/modules/auth/session.server";
import { LOGIN_LIMITS } from "../../app/modules/auth/rate-limit.server";
import { DEMO_PASSWORD } from "../../db/seed/demo";
import { cookieOf, member, refusalOf, request, run } from "../support/actors";

const withCookie = (cookie: string) => new Request("http://localhost/", { headers: { cookie } });

describe("login", () => {
  it("logs in with the right password and sets an HttpOnly, SameSite=Lax session cookie", async () => {
    const res = await run(() =>
      loginAction({
        request: request("/login", null, { username: "worker", password: DEMO_PASSWORD, next: "/people" }),
        params: {},
        context: {},
      }),
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/people");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^anxun_session=[a-z0-9]+;/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    const actor = await getActor(withCookie(cookie.split(";")[0]));
    expect(actor?.username).toBe("worker");
    expect(actor?.role).toBe("worker");
  });

  it("never redirects off-site after login", async () => {
    const res = await run(() =>
      loginAction({
        request: request("/login", null, { username: "worker", password: DEMO_PASSWORD, next: "//evil.example" }),
        params: {},
        context: {},
      }),
    );
    expect(res.status).toBe(422);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("refuses a wrong password with 401 and a Chinese message, and sets no cookie", async () => {
    const res = await run(() =>
      loginAction({
        request: request("/login", null, { username: "worker", password: "wrong-password1" }),
        params: {},
        context: {},
      }),
    );
    expect(res.status).toBe(401);
    expect(res.data.formError).toBe("用户名或密码不正确。");
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("answers an empty form with 422 and field messages", async () => {
    const res = await run(() =>
      loginAction({ request: request("/login", null, { username: "", password: "" }), params: {}, context: {} }),
    );
    expect(res.status).toBe(422);
    expect(res.data.fieldErrors).toMatchObject({ username: "请填写用户名", password: "请填写密码" });
  });

  it("locks an address out of an account after repeated failures, even for the right password, and counts per IP", async () => {
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) {
      expect((await login("officer2", "wrong-password1", "10.1.0.1")).ok).toBe(false);
    }
    const locked = await login("officer2", DEMO_PASSWORD, "10.1.0.1");
    expect(locked).toMatchObject({ ok: false, status: 429 });
    // Other accounts from that address are not affected, nor the account from elsewhere (decision 0012).
    expect((await login("inspector2", DEMO_PASSWORD, "10.1.0.1")).ok).toBe(true);
    expect((await login("officer2", DEMO_PASSWORD, "10.1.0.99")).ok).toBe(true);

    for (let i = 0; i < LOGIN_LIMITS.perIp; i++) await login(`nobody${i}`, "wrong-password1", "10.2.0.1");
    expect(await login("regulator", DEMO_PASSWORD, "10.2.0.1")).toMatchObject({ ok: false, status: 429 });
    expect((await login("regulator", DEMO_PASSWORD, "10.2.0.2")).ok).toBe(true);
  });

  it("refuses a deactivated account and ends its sessions", async () => {
    const cookie = await cookieOf("inspector");
    expect(await getActor(withCookie(cookie))).not.toBeNull();
    await db.updateTable("user").set({ active: 0 }).where("username", "=", "inspector").execute();
    expect(await getActor(withCookie(cookie))).toBeNull();
    expect(await login("inspector", DEMO_PASSWORD, "10.3.0.1")).toMatchObject({ ok: false, status: 401 });
    await db.updateTable("user").set({ active: 1 }).where("username", "=", "inspector").execute();
  });
});

describe("sessions", () => {
  it("treats a session past its expiry as logged out and removes it", async () => {
    const cookie = await cookieOf("worker");
    const id = cookie.split("=")[1];
    await db
      .updateTable("session")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", id)
      .execute();
    expect(await getActor(withCookie(cookie))).toBeNull();
    expect(await db.selectFrom("session").select("id").where("id", "=", id).executeTakeFirst()).toBeUndefined();
  });

  it("renews a session used in the second half of its life", async () => {
    const cookie = await cookieOf("worker");
    const id = cookie.split("=")[1];
    const soon = new Date(Date.now() + 60 * 60 * 1000);
    await db.updateTable("session").set({ expires_at: soon }).where("id", "=", id).execute();
    expect(await getActor(withCookie(cookie))).not.toBeNull();
    const row = await db.selectFrom("session").select("expires_at").where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.expires_at.getTime()).toBeGreaterThan(soon.getTime() + 24 * 60 * 60 * 1000);
  });

  it("treats malformed or unknown cookies as no session, never an error", async () => {
    for (const cookie of [
      "anxun_session=%E0%A4%A",
      "anxun_session=",
      "anxun_session=abc;;;==",
      "anxun_session=" + "z".repeat(5000),
      "garbage",
    ]) {
      expect(await getActor(withCookie(cookie))).toBeNull();
    }
    const res = await run(() =>
      homeLoader({ request: request("/", "anxun_session=%E0%A4%A"), params: {}, context: {} }),
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login");
  });

  it("logout ends the session in the database", async () => {
    const cookie = await cookieOf("worker");
    const res = await run(() => logoutAction({ request: request("/logout", cookie, {}), params: {}, context: {} }));
    expect(res.status).toBe(302);
    expect(res.headers.get("set-cookie")).toContain("Max-Age=0");
    expect(await getActor(withCookie(cookie))).toBeNull();
  });

  it("changing the password ends the other sessions and keeps this one working", async () => {
    const other = await cookieOf("officer");
    const mine = await cookieOf("officer");
    const bad = await run(() =>
      passwordAction({
        request: request("/account/password", mine, { current: "nope", next: "NewPass2027", confirm: "NewPass2027" }),
        params: {},
        context: {},
      }),
    );
    expect(bad.status).toBe(422);
    expect(refusalOf(bad).fieldErrors.current).toBe("当前密码不正确");
    const weak = await run(() =>
      passwordAction({
        request: request("/account/password", mine, { current: DEMO_PASSWORD, next: "short", confirm: "short" }),
        params: {},
        context: {},
      }),
    );
    expect(weak.status).toBe(422);
    expect(member(refusalOf(weak).fieldErrors, "next")).toBe("密码至少 8 位");
    const ok = await run(() =>
      passwordAction({
        request: request("/account/password", mine, {
          current: DEMO_PASSWORD,
          next: "NewPass2027",
          confirm: "NewPass2027",
        }),
        params: {},
        context: {},
      }),
    );
    expect(ok.status).toBe(200);
    expect(await getActor(withCookie(other))).toBeNull();
    expect(await getActor(withCookie(mine))).toBeNull();
    expect(await getActor(withCookie(ok.headers.get("set-cookie")!.split(";")[0]))).not.toBeNull();
    expect((await login("officer", "NewPass2027", "10.4.0.1")).ok).toBe(true);
    const audit = await db
      .selectFrom("audit_log")
      .select("action")
      .where("action", "=", "account.password_changed")
      .execute();
    expect(audit).toHaveLength(1);
  });
});
