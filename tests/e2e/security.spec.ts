import { DEMO_PASSWORD, expect, hydrated, loginAs, test } from "./support";

/**
 * Browser-level defences (issue 13, docs/security.md): the Content-Security-Policy the pages actually satisfy,
 * HSTS over HTTPS, the redirect after login, and the practice page keeping its feedback (issue 11 point 10).
 */

/** Collects CSP violations the page reports (securitypolicyviolation events), from the first script on. */
async function watchCsp(page: import("@playwright/test").Page) {
  await page.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const messages: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) messages.push(m.text());
  });
  return async () => [...messages, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp))];
}

test("9. every main page carries a nonce-based CSP that it satisfies: no violation in Chromium", async ({ page }) => {
  const violations = await watchCsp(page);
  const login = await page.goto("/login");
  const csp = login!.headers()["content-security-policy"];
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(csp).not.toContain("unsafe-inline' 'nonce");
  expect(csp).toContain("frame-ancestors 'none'");
  await hydrated(page);
  expect(await violations()).toEqual([]);
  for (const [user, paths] of [
    [
      "worker",
      [
        "/",
        "/courses",
        "/courses/work-safety-law",
        "/courses/work-safety-law/01-principal-duties",
        "/exams",
        "/practice",
        "/practice/question",
        "/training",
        "/drills",
      ],
    ],
    [
      "officer",
      ["/", "/people", "/certification", "/assignments", "/exams", "/questions", "/follow-ups", "/drills", "/accounts"],
    ],
    ["inspector", ["/", "/inspections", "/quiz-stats", "/certification", "/drills/compliance"]],
  ] as const) {
    await page.context().clearCookies();
    await loginAs(page, user);
    for (const path of paths) {
      const res = await page.goto(path);
      expect(res!.status(), path).toBeLessThan(400);
      expect(res!.headers()["content-security-policy"], path).toContain("'nonce-");
      await hydrated(page);
      expect(await violations(), `${user} ${path}`).toEqual([]);
    }
  }
});

test("9. HSTS only over HTTPS (a trusted proxy's X-Forwarded-Proto), never over plain HTTP", async ({ request }) => {
  expect((await request.get("/login")).headers()["strict-transport-security"]).toBeUndefined();
  const https = await request.get("/login", { headers: { "X-Forwarded-Proto": "https" } });
  expect(https.headers()["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
});

test("5. /login?next=%2F%09%2Fevil.example lands on this site after login", async ({ page, baseURL }) => {
  await page.goto("/login?next=%2F%09%2Fevil.example");
  await hydrated(page);
  await page.getByLabel("用户名").fill("worker");
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("您好");
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
});

test("practice keeps the answered question, the choice and its feedback until 下一题", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await loginAs(page, "worker");
  await page.goto("/practice/question");
  await hydrated(page);
  const stem = await page.locator(".question-stem").innerText();
  const first = page.locator(".choice input").first();
  await first.check();
  await page.getByRole("button", { name: "提交" }).click();
  const feedback = page.getByTestId("practice-feedback");
  await expect(feedback).toBeVisible();
  await expect(feedback).toContainText(/回答(正确|错误)/);
  await expect(page.locator(".question-stem")).toHaveText(stem);
  await expect(page.locator(".choice input").first()).toBeChecked();
  await page.screenshot({ path: "test-results/practice-feedback-390.png", fullPage: true });
  await page.waitForTimeout(500);
  await expect(feedback).toBeVisible();
  await expect(page.locator(".question-stem")).toHaveText(stem);
  await page.getByRole("link", { name: "下一题" }).click();
  await expect(page.getByTestId("practice-feedback")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "提交" })).toBeVisible();
});
