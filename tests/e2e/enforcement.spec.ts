import { expect, hydrated, loginAs, logout, test } from "./support";

const COURSE = "生产安全事故报告和调查处理";

test.describe("inspectors' own training", () => {
  test("the regulator drills the 执法证 rate down to an inspector and assigns a course; the inspector sees it at home", async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await loginAs(page, "regulator");
    await page.getByRole("link", { name: "执法人员", exact: true }).first().click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("执法人员持证上岗 · 安澜市");
    await hydrated(page);
    const required = Number(await page.getByTestId("enf-required").textContent());
    expect(required).toBeGreaterThanOrEqual(14);
    await page.screenshot({ path: "test-results/enforcement-city.png", fullPage: true });

    // City → district → unit → person.
    await page.getByRole("link", { name: "滨江区", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("执法人员持证上岗 · 滨江区");
    await expect(page.getByTestId("enf-units").getByRole("row")).toHaveCount(2);
    await page.getByRole("link", { name: "滨江区应急管理综合行政执法大队" }).first().click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("滨江区应急管理综合行政执法大队");
    await hydrated(page);
    await expect(page.getByTestId("unit-people").getByRole("link", { name: "王立新" })).toBeVisible();

    // A course for one inspector, through the ordinary assignment machinery.
    const form = page.getByRole("form", { name: "布置培训任务" });
    const courses = form.getByLabel("课程");
    await courses.selectOption((await courses.locator("option", { hasText: COURSE }).getAttribute("value"))!);
    await form.getByLabel("分配给").selectOption("person");
    await form.getByLabel("人员").selectOption({ label: "王立新" });
    const due = new Date(Date.now() + 21 * 86400_000).toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
    await form.getByLabel("截止日期").fill(due);
    await form.getByRole("button", { name: "布置" }).click();
    await expect(page.getByRole("status")).toContainText("培训任务已布置");
    await expect(page.getByTestId("unit-assignments").getByRole("link", { name: COURSE })).toBeVisible();
    await page.screenshot({ path: "test-results/enforcement-unit.png", fullPage: true });

    await page.getByTestId("unit-people").getByRole("link", { name: "王立新" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("王立新");
    await page.screenshot({ path: "test-results/enforcement-person.png", fullPage: true });

    await logout(page);
    await loginAs(page, "inspector");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("您好，王立新");
    const todo = page.locator(".todo-list");
    await expect(todo.getByRole("link", { name: COURSE })).toBeVisible();
    await page.screenshot({ path: "test-results/enforcement-inspector-home.png", fullPage: true });
    await todo.getByRole("link", { name: COURSE }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(COURSE);
  });
});
