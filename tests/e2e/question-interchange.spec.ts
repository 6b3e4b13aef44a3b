import { expect, loginAs, test } from "./support";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

test("an officer imports a GIFT file with a picture and HTML, sees added/skipped, and the question page shows the picture and no tags", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await loginAs(page, "officer");
  await page.goto("/questions/import");
  const gift = [
    "// [id:e2e-pic-1]",
    `::标志::[html]<p>如图所示的标志表示<b>什么</b>？&amp;</p><img src="data:image/png;base64,${PNG}">{=禁止烟火 ~当心火灾}`,
    "",
    "::小写::说法 {true}",
  ].join("\n");
  await page.getByLabel("文件").setInputFiles({ name: "题库.gift", mimeType: "text/plain", buffer: Buffer.from(gift) });
  await page.getByLabel("默认知识点").fill("互换测试");
  await page.getByRole("button", { name: "检查文件" }).click();
  await expect(page.getByTestId("import-added")).toHaveText("1");
  await expect(page.getByTestId("import-skipped")).toHaveText("1");
  await expect(page.getByText("判断题的答案须写成 T、TRUE、F 或 FALSE")).toBeVisible();
  await expect(page.getByText("编码 UTF-8")).toBeVisible();
  await page.screenshot({ path: "test-results/question-import-preview.png", fullPage: true });
  await page.getByRole("button", { name: "导入：新增 1 题，更新 0 题" }).click();
  await expect(page.getByRole("status")).toContainText("新增 1 题");
  await page.goto("/questions?topic=%E4%BA%92%E6%8D%A2%E6%B5%8B%E8%AF%95");
  await page.getByRole("link", { name: /如图所示的标志表示什么？&/ }).click();
  const stem = page.locator(".question-stem");
  await expect(stem).toContainText("如图所示的标志表示什么？&");
  await expect(stem).not.toContainText("<b>");
  await expect(stem).not.toContainText("&amp;");
  const img = stem.locator("img.qmedia");
  await expect(img).toBeVisible();
  expect(await img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(1);
  await page.screenshot({ path: "test-results/question-with-picture.png", fullPage: true });
});
