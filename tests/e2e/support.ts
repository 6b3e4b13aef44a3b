import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "Anxun2026";

export async function loginAs(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("您好");
}

/** A phone-sized context: what workers and inspectors use. */
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
