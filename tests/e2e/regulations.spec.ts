import { expect, loginAs, test } from "./support";

test("the admin opens the registry, follows a superseded rule to its successor and records a review of a flagged question", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await loginAs(page, "admin");
  await page.getByRole("link", { name: "法规库" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("法规库");
  await page.getByTestId("regulation-special-operators-rules-2010").getByRole("link").click();
  await expect(page.getByTestId("regulation-status")).toHaveText("已废止");
  await page.getByRole("link", { name: /应急管理部令第19号/ }).click();
  await expect(page.getByTestId("regulation-status")).toHaveText("现行有效");
  if (process.env.SHOTS) await page.screenshot({ path: `${process.env.SHOTS}/regulation-entry.png`, fullPage: true });

  await page.goto("/regulations/review");
  const flag = page.locator("[data-testid^=flag-]").filter({ hasText: "wsl-016" });
  await expect(flag).toContainText("应急管理部令第19号");
  if (process.env.SHOTS) await page.screenshot({ path: `${process.env.SHOTS}/review-list.png` });
  await flag.getByLabel("复核结论").fill("已对照新规章核对有效期的表述");
  await flag.getByRole("button", { name: "记录复核" }).click();
  await expect(page.getByRole("status")).toHaveText("已记录复核结论。");
  await expect(page.locator("[data-testid^=flag-]").filter({ hasText: "wsl-016" })).toHaveCount(0);
  await page.getByRole("link", { name: "已复核" }).click();
  await expect(page.locator("[data-testid^=flag-]").filter({ hasText: "wsl-016" })).toContainText(
    "已对照新规章核对有效期的表述",
  );
});

test("a question's legal basis links to its registry entry", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await loginAs(page, "officer");
  await page.goto("/regulations/work-safety-law");
  await page.locator("section").filter({ hasText: "引用它的题目" }).getByRole("link").first().click();
  const basis = page.getByTestId("legal-basis");
  await expect(basis.getByRole("link").first()).toHaveAttribute("href", /^\/regulations\//);
  await basis.getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("《");
});
