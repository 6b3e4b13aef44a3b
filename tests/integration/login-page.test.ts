/**
 * The anonymous login page is the build's own render kept for a minute (scripts/server.js, decision 0033): every answer
 * is that page with a fresh nonce, the same nonce in the markup and in the CSP header, and the same page Remix renders
 * for a visitor without a session. A query, a session cookie or a POST still reach Remix. Needs the production build.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../db/seed/demo";
import { hasBuild, startBuiltServer, type BuiltServer } from "../support/server";

if (!hasBuild) console.log("SKIPPED login page tests: no production build (run `npm run build`; npm test does)");

let server: BuiltServer | undefined;
let base = "";
afterAll(() => server?.stop());

const NONCE = /nonce="([^"]+)"/g;
/** The nonces of a page's markup and of its CSP header. */
async function nonces(res: Response) {
  const html = await res.text();
  const inMarkup = [...html.matchAll(NONCE)].map((m) => m[1]);
  const inHeader = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
  return { html, inMarkup, inHeader, page: inMarkup.length ? html.split(inMarkup[0]).join("NONCE") : html };
}

describe.skipIf(!hasBuild)("the anonymous login page", () => {
  beforeAll(async () => {
    server = await startBuiltServer();
    base = server.base;
  }, 120_000);

  it("is the same page every time, each with a fresh nonce used in its markup and its policy alike", async () => {
    const [a, b] = [await nonces(await fetch(`${base}/login`)), await nonces(await fetch(`${base}/login`))];
    for (const p of [a, b]) {
      expect(p.inMarkup.length).toBeGreaterThan(0);
      expect(new Set(p.inMarkup)).toEqual(new Set([p.inHeader]));
      expect(p.html).toContain("登录安训");
    }
    expect(a.inHeader).not.toBe(b.inHeader);
    expect(a.page).toBe(b.page);
  });

  it("is the page Remix renders for a visitor without a session", async () => {
    const kept = await nonces(await fetch(`${base}/login`));
    // A cookie naming no session goes through Remix (and the session check), and gets the same page.
    const rendered = await nonces(
      await fetch(`${base}/login`, { headers: { cookie: "anxun_session=nosuchsession0000000000" } }),
    );
    expect(rendered.inHeader).toBeTruthy();
    expect(rendered.page).toBe(kept.page);
  });

  it("leaves a query, a logged-in visitor and the form post to Remix", async () => {
    const next = await fetch(`${base}/login?next=%2Fpeople`);
    expect(await next.text()).toContain('name="next" value="/people"');
    const login = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: base, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: "worker", password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(302);
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const again = await fetch(`${base}/login`, { redirect: "manual", headers: { cookie } });
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toBe("/");
  });
});
