import { expect, loginAs, test } from "./support";

test("a worker takes a timed exam on a phone, loses the network, reloads mid-way, finishes and sees the review", async ({ phone }) => {
  const page = await phone();
  await loginAs(page, "worker");
  await page.goto("/exams");
  await page.getByRole("button", { name: "开始考试" }).click();
  await expect(page.getByTestId("time-left")).toHaveText(/^(59|60):\d\d$/);
  const questions = page.locator("fieldset.question");
  await expect(questions).toHaveCount(40);

  const answerFirstChoice = async (i: number) => questions.nth(i).locator("label.choice").first().click();
  for (let i = 0; i < 5; i++) await answerFirstChoice(i);
  await expect(page.getByTestId("save-state")).toHaveText("已保存");

  // The network drops: answers wait in the browser and go out when it returns.
  await page.context().setOffline(true);
  for (let i = 5; i < 8; i++) await answerFirstChoice(i);
  await expect(page.getByTestId("save-state")).toContainText("网络断开");
  await page.context().setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(page.getByTestId("save-state")).toHaveText("已保存");

  // Reload: same paper, answers still there, the clock still counting down from the server's deadline.
  const firstStem = await questions.first().locator("legend").innerText();
  await page.reload();
  await expect(questions.first().locator("legend")).toHaveText(firstStem);
  for (let i = 0; i < 8; i++) await expect(questions.nth(i).locator("input").first()).toBeChecked();
  await expect(page.getByText("已答 8/40")).toBeVisible();

  for (let i = 8; i < 40; i++) await answerFirstChoice(i);
  await page.getByRole("button", { name: "交卷" }).click();
  await expect(page).toHaveURL(/\/attempts\/\d+\/review$/);
  await expect(page.getByTestId("score")).toBeVisible();
  await expect(page.getByText("正确答案：").first()).toBeVisible();
  await expect(page.getByText("解析：").first()).toBeVisible();
});

test("the exam page carries no correct answer or explanation", async ({ page, request }) => {
  await loginAs(page, "officer");
  await page.goto("/exams");
  await page.getByRole("button", { name: "开始考试" }).click();
  await expect(page.locator("fieldset.question").first()).toBeVisible();
  const html = await page.content();
  expect(html).not.toContain("解析");
  expect(html).not.toMatch(/"(correct|explanation)"/);
  // The data request the page makes on navigation carries none either.
  const url = new URL(page.url());
  const data = await page.evaluate(async (path) => (await fetch(`${path}.data`)).text(), url.pathname);
  expect(data).not.toMatch(/explanation|regulation|"correct"/);
  void request;
});
