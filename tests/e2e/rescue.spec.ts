import { expect, hydrated, loginAs, test } from "./support";

test.describe("rescue teams", () => {
  test("a regulator calls out a 12-member team; three phones acknowledge and arrive; the report shows assembly times", async ({
    page,
    phone,
  }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await loginAs(page, "regulator");
    await page.goto("/rescue");
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "应急救援力量", exact: true })).toBeVisible();
    await page.screenshot({ path: "test-results/rescue-home.png", fullPage: true });
    await page.getByRole("link", { name: "滨江区危化品专业救援队" }).first().click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("滨江区危化品专业救援队");
    await hydrated(page);
    await page.getByRole("button", { name: "通知全体队员集结" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("拉动集结");
    await expect(page.getByTestId("acked")).toHaveText("0/12");
    const codes = page.locator(".rescue-links code");
    await expect(codes).toHaveCount(12);
    const links = (await codes.allTextContents()).slice(0, 3).map((u) => new URL(u).pathname);

    const phones = [];
    for (const link of links) {
      const p = await phone();
      await p.goto(link);
      await hydrated(p);
      phones.push(p);
    }
    // Arrival before acknowledgement is not offered as a next step; the server refuses it with a message.
    await phones[0].getByRole("button", { name: "到达", exact: true }).click();
    await expect(phones[0].getByRole("alert")).toContainText("请先点“收到”");
    for (const p of phones) {
      await p.getByRole("button", { name: "收到" }).click();
      await expect(p.getByRole("status")).toContainText("已确认收到");
    }
    await phones[0].screenshot({ path: "test-results/rescue-phone-acked.png" });
    for (const p of phones) {
      await p.getByRole("button", { name: "到达", exact: true }).click();
      await expect(p.getByRole("status")).toContainText("已报到达");
    }
    // A second tap counts once.
    await phones[1].getByRole("button", { name: /已到达/ }).click();
    await expect(phones[1].getByRole("status")).toContainText("您已报过到达");
    await phones[2].screenshot({ path: "test-results/rescue-phone-arrived.png" });

    // The board updates by itself (polling every 3 s).
    await expect(page.getByTestId("arrived")).toHaveText("3/12", { timeout: 10_000 });
    await expect(page.getByTestId("acked")).toHaveText("3/12");
    await expect(page.getByTestId("first-n")).not.toHaveText("—");
    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "结束集结" }).click();
    await expect(page.getByText(/已于 .* 结束/)).toBeVisible();
    await expect(page.getByTestId("absent")).toContainText("缺席");
    await page.screenshot({ path: "test-results/rescue-callout-report.png", fullPage: true });
    // After the end a link no longer takes taps.
    await phones[0].reload();
    await expect(phones[0].getByRole("alert")).toContainText("已结束");

    await page.goto("/rescue/certification");
    await expect(page.getByTestId("rescuer-rate")).toHaveText("85.7%");
    await page.screenshot({ path: "test-results/rescue-certification.png", fullPage: true });
  });

  test("a town's evacuation drill is planned, run and evaluated", async ({ page, browser }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await loginAs(page, "regulator");
    await page.goto("/rescue/towns");
    await hydrated(page);
    await expect(page.getByTestId("town-rate")).toHaveText("42.9%");
    await page.getByLabel("依据的预案").selectOption({ label: "江南街道 · 江南街道防汛防台风转移避险方案" });
    await page.getByLabel("演练名称").fill("江南街道防台风转移避险演练");
    await page.getByLabel("应转移人数").fill("120");
    await page.getByRole("button", { name: "安排演练" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("江南街道防台风转移避险演练");
    await hydrated(page);
    await page.getByRole("button", { name: "开始演练" }).click();
    await expect(page.getByTestId("town-status")).toHaveText("进行中");
    await page.getByLabel("实际转移人数").fill("116");
    await page.getByRole("button", { name: "结束演练" }).click();
    await expect(page.getByTestId("people-moved")).toContainText("116 人");
    await expect(page.getByTestId("time-taken")).toBeVisible();
    // The organizer does not evaluate their own drill.
    await expect(page.getByRole("button", { name: "提交评估表" })).toHaveCount(0);
    const url = page.url();

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const inspector = await context.newPage();
    await loginAs(inspector, "inspector");
    await inspector.goto(url);
    await hydrated(inspector);
    const scores = [9, 9, 14, 9, 18, 14, 9, 9];
    const inputs = inspector.locator("input[name^='scores.']");
    await expect(inputs).toHaveCount(scores.length);
    for (const [i, s] of scores.entries()) await inputs.nth(i).fill(String(s));
    await inspector
      .getByLabel("评估意见")
      .fill("转移组织有序。\n问题：3 名行动不便老人转移迟缓，需落实专人负责。\n建议：安置点增设登记台。");
    await inspector.screenshot({ path: "test-results/rescue-town-evaluate.png", fullPage: true });
    await inspector.getByRole("button", { name: "提交评估表" }).click();
    await expect(inspector.getByTestId("eval-grade")).toHaveText("优");
    await expect(inspector.getByTestId("eval-total")).toHaveText("91");
    await expect(inspector.getByText("需落实专人负责")).toBeVisible();
    await inspector.screenshot({ path: "test-results/rescue-town-drill.png", fullPage: true });
    await context.close();
  });
});
