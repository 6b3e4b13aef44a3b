import { test as base, expect, type Browser, type Page } from "@playwright/test";

/**
 * `test` that fails on any uncaught error in the browser (a crash while hydrating or navigating shows the
 * error page without failing a locator by itself). Use `phone()` for phone-sized pages: they are watched too.
 */
export const test = base.extend<{ pageErrors: string[]; phone: () => Promise<Page> }>({
  pageErrors: async ({}, use) => {
    const errors: string[] = [];
    await use(errors);
    expect(errors, "uncaught errors in the browser").toEqual([]);
  },
  page: async ({ page, pageErrors }, use) => {
    page.on("pageerror", (e) => pageErrors.push(`${e.message}\n${e.stack ?? ""}`));
    await use(page);
  },
  phone: async ({ browser, pageErrors }, use) => {
    const contexts: Awaited<ReturnType<Browser["newContext"]>>[] = [];
    await use(async () => {
      const context = await browser.newContext(PHONE);
      contexts.push(context);
      const page = await context.newPage();
      page.on("pageerror", (e) => pageErrors.push(`${e.message}\n${e.stack ?? ""}`));
      return page;
    });
    for (const c of contexts) await c.close();
  },
});
export { expect };

export const DEMO_PASSWORD = "Anxun2026";

/**
 * Wait until React has hydrated the page (app/root.tsx marks it): a click that starts a client navigation while
 * React 18 is still hydrating the document can abort it (React error #345).
 */
export async function hydrated(page: Page) {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
}

export async function loginAs(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("您好");
  await hydrated(page);
}

/** Log out through the header's 菜单 (the account actions live in the drawer at every width). */
export async function logout(page: Page) {
  await page.locator("details.menu > summary").click();
  await page.getByRole("button", { name: "退出", exact: true }).click();
  // Wait for the logout to land: a navigation right after the click could abort it and keep the session.
  await page.waitForURL(/\/login$/);
}

/** A phone-sized context: what workers and inspectors use. */
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/**
 * A statement on the site's end-to-end database (as playwright.config.ts names it): for data that is configuration in
 * the product, such as the 学时 rule, which a test sets to seconds instead of minutes.
 */
export async function e2eSql(statement: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const { createConnection } = await import("mysql2/promise");
  const url = new URL(process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/anxun");
  url.pathname = `/${process.env.E2E_DATABASE ?? "anxun_e2e"}`;
  const connection = await createConnection(url.toString());
  try {
    const [rows] = await connection.query(statement, values);
    return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
  } finally {
    await connection.end();
  }
}

/** One 学时 = 0.6 s of study, check-ins far away: lets a test finish a course in seconds. */
export const fastStudy = async () =>
  void (await e2eSql(
    "UPDATE study_rule SET online_minutes_per_hour = 0.01, checkin_min_seconds = 600, checkin_max_seconds = 1200, checkin_answer_seconds = 120",
  ));
